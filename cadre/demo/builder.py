"""Builds the demo networks: "Northwind Practitioners Network" with its people, skills,
code of conduct and cohorts, and the small "Southgate Guild" beside it so cross-network
privacy is visible.

Everything random comes from one `random.Random(seed)`, so the same seed gives the same
people, cohorts and assignments. Dates are offsets from today, so the history always looks
recent. Rows are written with `bulk_create` (on PostgreSQL, COPY for large tables) inside one
transaction and the shared password is hashed once; beyond the first STORY_COHORTS active
cohorts, nothing goes through the apps' services, so a hundred thousand people take minutes.
"""

from __future__ import annotations

import hashlib
import random
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from typing import Any, TypeVar

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.text import slugify

from cadre.accounts.models import User
from cadre.cohorts.models import (
    Charter,
    CharterAcknowledgement,
    Cohort,
    CohortMembership,
    CohortRole,
    CohortStatus,
)
from cadre.demo import data
from cadre.demo.accountability import AccountabilityBuilder
from cadre.demo.coaching import CoachingBuilder
from cadre.demo.cohorts import CohortBuilder
from cadre.demo.conversation import ConversationBuilder
from cadre.demo.diagnostics import DiagnosticsBuilder
from cadre.demo.health import HealthBuilder
from cadre.demo.intakes import IntakeBuilder
from cadre.demo.journal import JournalBuilder
from cadre.demo.metrics import MetricsBuilder
from cadre.demo.programmes import ProgrammeBuilder
from cadre.demo.reports import ReportBuilder
from cadre.demo.repository import RepositoryBuilder
from cadre.demo.rotations import RotationBuilder
from cadre.demo.schedule import ScheduleBuilder
from cadre.metrics import weekly
from cadre.networks.models import (
    DEFAULT_CODE_OF_CONDUCT,
    CodeOfConduct,
    CodeOfConductAcceptance,
    Network,
    NetworkMembership,
    Role,
    Skill,
)
from cadre.people.models import Profile, ProfileSkill
from cadre.repository.search import rebuild_index

DEFAULT_PEOPLE = 160
DEFAULT_SEED = 2025
MIN_PEOPLE = 50
BATCH_SIZE = 2000
COPY_FROM = 5000  # rows; fewer go in by INSERT (bulk_create), more by COPY on PostgreSQL
# The active cohorts whose boards, coaching, conversations and rotas are made through the
# apps' services, one action at a time as people would make them; every other active cohort
# gets the rows written in bulk (sessions, roles, attendance, updates, metrics). Services cost
# tens of queries per action, so a hundred thousand people (4,800 cohorts) still build in
# minutes. The default demo's active cohorts are all story cohorts.
STORY_COHORTS = 24
LOGINS_COHORT = "experimentation-in-ops"

CODE_OF_CONDUCT_V2 = DEFAULT_CODE_OF_CONDUCT.replace(
    "**Respect.**",
    "**Recordings.** Sessions are not recorded unless everyone present agrees at the start.\n\n"
    "**Respect.**",
)

Log = Callable[[str], None]
T = TypeVar("T")
M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    name: str
    sees: str


DEMO_LOGINS: tuple[DemoLogin, ...] = tuple(
    DemoLogin(p.key, p.email, p.name, p.sees) for p in (*data.FIXED_PEOPLE, data.OUTSIDER)
)


@dataclass
class BuildResult:
    network: Network
    other_network: Network
    counts: dict[str, int] = field(default_factory=dict)
    timings: list[tuple[str, float]] = field(default_factory=list)


@dataclass
class Person:
    email: str
    name: str
    role: str
    function: str
    seniority: str
    organization: str
    industry: str
    time_zone: str
    headline: str
    bio: str
    availability: list[int]
    goals: list[str]
    skills: dict[str, int]
    joined_days_ago: int
    key: str = ""
    user: Any = None


# --- public entry points --------------------------------------------------------------------


def demo_exists() -> bool:
    return Network.objects.filter(slug=data.NETWORK_SLUG).exists()


def delete_demo() -> int:
    """Delete the demo networks and the people who belong to no other network. Returns the
    number of people deleted."""
    demo_networks = Network.objects.filter(slug__in=data.DEMO_NETWORK_SLUGS)
    in_demo = NetworkMembership.objects.filter(user=OuterRef("pk"), network__in=demo_networks)
    elsewhere = NetworkMembership.objects.filter(user=OuterRef("pk")).exclude(
        network__in=demo_networks
    )
    fixed_emails = [login.email for login in DEMO_LOGINS]
    people = User.objects.filter(
        (Q(Exists(in_demo)) & ~Q(Exists(elsewhere))) | Q(email__in=fixed_emails)
    )
    with transaction.atomic():
        deleted = people.count()
        people.delete()
        demo_networks.delete()
    return deleted


def build_demo(
    people: int = DEFAULT_PEOPLE, seed: int = DEFAULT_SEED, log: Log | None = None
) -> BuildResult:
    """Create both demo networks in one transaction. `people` counts everyone in Northwind,
    the fixed log-ins included."""
    if people < MIN_PEOPLE:
        raise ValueError(f"The demo needs at least {MIN_PEOPLE} people; got {people}.")
    with transaction.atomic():
        return Builder(people, seed, log or (lambda message: None)).build()


def demo_digest() -> str:
    """A fingerprint of the demo's people, profiles, roles, cohorts, charters and acceptances,
    free of ids and dates, so two builds with the same seed can be compared."""
    h = hashlib.sha256()

    def feed(rows: Iterable[Sequence[Any]]) -> None:
        for row in sorted(repr(tuple(row)) for row in rows):
            h.update(row.encode())
            h.update(b"\n")

    slugs = data.DEMO_NETWORK_SLUGS
    feed(
        NetworkMembership.objects.filter(network__slug__in=slugs).values_list(
            "network__slug", "user__email", "user__name", "role"
        )
    )
    feed(
        Profile.objects.filter(user__network_memberships__network__slug__in=slugs).values_list(
            "user__email",
            "headline",
            "function",
            "industry",
            "organization",
            "seniority",
            "time_zone",
            "availability",
            "learning_goals",
        )
    )
    feed(
        ProfileSkill.objects.filter(skill__network__slug__in=slugs).values_list(
            "profile__user__email", "skill__slug", "level"
        )
    )
    feed(
        Cohort.objects.filter(network__slug__in=slugs).values_list(
            "network__slug",
            "slug",
            "name",
            "status",
            "cadence",
            "time_zone",
            "session_minutes",
            "shared_with_network",
            "objective",
            "outcomes",
        )
    )
    feed(
        (cohort, email, role, left_on is not None, statement)
        for cohort, email, role, left_on, statement in CohortMembership.objects.filter(
            cohort__network__slug__in=slugs
        ).values_list("cohort__slug", "user__email", "role", "left_on", "learning_statement")
    )
    feed(
        Charter.objects.filter(cohort__network__slug__in=slugs).values_list(
            "cohort__slug",
            "version",
            "mission",
            "weekly_hours",
            "learning_formats",
            "norms",
            "change_note",
        )
    )
    feed(
        CharterAcknowledgement.objects.filter(charter__cohort__network__slug__in=slugs).values_list(
            "charter__cohort__slug", "charter__version", "user__email"
        )
    )
    feed(
        CodeOfConductAcceptance.objects.filter(code__network__slug__in=slugs).values_list(
            "code__network__slug", "code__version", "user__email"
        )
    )
    return h.hexdigest()


def story_cohorts(network: Network) -> list[Cohort]:
    """The active cohorts whose stories go through the services (STORY_COHORTS of them,
    the demo log-ins' first), in slug order."""
    active = Cohort.objects.filter(network=network, status=CohortStatus.ACTIVE)
    chosen = sorted(active, key=lambda c: (c.slug != LOGINS_COHORT, c.slug))[:STORY_COHORTS]
    return sorted(chosen, key=lambda c: c.slug)


# --- writing many rows at once ---------------------------------------------------------------


def copyable(model: type[models.Model]) -> bool:
    """Whether `copy_rows` can write the model: an auto-incremented primary key (or one set by
    the caller) and no value the database computes."""
    return not any(
        isinstance(f, models.GeneratedField) or f.db_default is not models.NOT_PROVIDED
        for f in model._meta.concrete_fields
    )


PLAIN_FIELDS = {
    models.AutoField,
    models.BigAutoField,
    models.BigIntegerField,
    models.BooleanField,
    models.CharField,
    models.DateField,
    models.DateTimeField,
    models.DecimalField,
    models.EmailField,
    models.FloatField,
    models.ForeignKey,
    models.IntegerField,
    models.OneToOneField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.SlugField,
    models.SmallIntegerField,
    models.TextField,
    models.URLField,
}


def copy_rows(model: type[M], objs: list[M]) -> list[M]:
    """`bulk_create` by PostgreSQL's COPY: the primary keys are drawn from the table's
    sequence first, then every row goes in one stream, with no SQL text to build: an INSERT
    of a few thousand rows has its every parameter quoted into the statement by the driver.
    Like `bulk_create`, it sends no signals and sets the keys on `objs`."""
    opts = model._meta
    pk = opts.pk
    assert pk is not None
    auto = isinstance(pk, models.AutoField | models.BigAutoField | models.SmallAutoField)
    fields = opts.concrete_fields  # the primary key's value included, drawn here
    with connection.cursor() as cursor:
        if auto:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [opts.db_table, pk.column, len(objs)],
            )
            for obj, (key,) in zip(objs, cursor.fetchall(), strict=True):
                obj.pk = key
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        sql = f"COPY {connection.ops.quote_name(opts.db_table)} ({columns}) FROM STDIN"
        # The driver adapts plain values itself; the others (JSON, arrays, dates set on
        # save) are prepared by their fields, as an INSERT would prepare them.
        plain = [
            (f.attname, None)
            if type(f) in PLAIN_FIELDS
            and not (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False))
            else (f.attname, f)
            for f in fields
        ]
        with cursor.cursor.copy(sql) as copy:
            for obj in objs:
                # What bulk_create does first: a related object's key, set since (Django's
                # own step, missing from the stubs).
                obj._prepare_related_fields_for_save(operation_name="bulk_create")  # type: ignore[attr-defined]
                copy.write_row(
                    [
                        getattr(obj, name)
                        if f is None
                        else f.get_db_prep_save(f.pre_save(obj, True), connection)
                        for name, f in plain
                    ]
                )
                obj._state.adding = False
                obj._state.db = connection.alias
    return objs


# --- the builder ----------------------------------------------------------------------------


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in folded.lower() if c.isalnum())


class Builder:
    def __init__(self, people: int, seed: int, log: Log) -> None:
        self.size = people
        self.rng = random.Random(seed)
        self.log = log
        self.today = timezone.localdate()
        self.now = timezone.make_aware(datetime.combine(self.today, clock(12, 0)))
        self.password = make_password(data.PASSWORD)
        # People outside the demo keep their addresses; generated ones step around them.
        self.emails: set[str] = set(User.objects.values_list("email", flat=True))
        self.timings: list[tuple[str, float]] = []
        self._mark = time.perf_counter()

    # small helpers

    def bulk(self, model: type[M], objs: list[M]) -> list[M]:
        if connection.vendor == "postgresql" and len(objs) >= COPY_FROM and copyable(model):
            return copy_rows(model, objs)
        # The default manager: `objects` on every model the demo builds.
        model._default_manager.bulk_create(objs, batch_size=BATCH_SIZE)
        return objs

    def ago(self, days: float, minutes: int = 0) -> datetime:
        return self.now - timedelta(days=days, minutes=minutes)

    def day(self, days_ago: int) -> date:
        return self.today - timedelta(days=days_ago)

    def weighted(self, options: dict[T, int]) -> T:
        keys = list(options)
        return self.rng.choices(keys, weights=[options[k] for k in keys])[0]

    def story_cohorts(self, network: Network) -> list[Cohort]:
        return story_cohorts(network)

    def step(self, name: str, rows: int) -> None:
        now = time.perf_counter()
        elapsed = now - self._mark
        self._mark = now
        self.timings.append((name, elapsed))
        self.log(f"  {name:<34} {elapsed:6.2f} s  {rows:>7} rows")

    # the whole build

    def build(self) -> BuildResult:
        network = Network.objects.create(
            name=data.NETWORK_NAME,
            slug=data.NETWORK_SLUG,
            description=data.NETWORK_DESCRIPTION,
            created_at=self.ago(240),
        )
        skills = self.create_skills(network)
        people = self.plan_people()
        self.step("planned people", len(people))
        self.create_users(people)
        self.create_profiles(people, skills)
        self.create_network_memberships(network, people)
        self.create_code_of_conduct(network, people)
        cohorts = CohortBuilder(self).build(network, people)
        other = self.build_southgate()
        intake = IntakeBuilder(self).build(network, people)
        ScheduleBuilder(self).build(network, people)
        RotationBuilder(self).build(network, people, cohorts)
        AccountabilityBuilder(self).build(network)
        RepositoryBuilder(self).build(network)
        CoachingBuilder(self).build(network)
        DiagnosticsBuilder(self).build(network)
        JournalBuilder(self).build(network)
        MetricsBuilder(self).build(network)
        HealthBuilder(self).build(network)  # its snapshots read what the others made
        ReportBuilder(self).build(network)  # after attendance, which the reports tell
        ProgrammeBuilder(self).build(network)  # on the upcoming sessions, after the rest
        ConversationBuilder(self).build(network)  # about the board's items and the reports
        # Bulk rows skip the signals that keep derived data current: rebuilt here, as the
        # worker would (the search index, the figures' weekly counts).
        self.step("search index", rebuild_index())
        self.step("figures' weekly counts", weekly.refresh_due())
        counts = {
            "people": len(people),
            "skills": len(skills),
            "cohorts": len(cohorts),
            "southgate_people": NetworkMembership.objects.filter(network=other).count(),
            "applications": intake.applications.count(),
        }
        return BuildResult(network, other, counts, self.timings)

    # skills

    def create_skills(self, network: Network) -> dict[str, Skill]:
        skills = [
            Skill(
                network=network,
                name=name,
                slug=slugify(name),
                category=category,
                description=description,
            )
            for category, entries in data.SKILLS.items()
            for name, description in entries
        ]
        self.bulk(Skill, skills)
        self.step("skills", len(skills))
        return {s.name: s for s in skills}

    # people

    def unique_email(self, local: str, domain: str) -> str:
        email = f"{local}@{domain}"
        n = 2
        while email in self.emails:
            email = f"{local}{n}@{domain}"
            n += 1
        self.emails.add(email)
        return email

    def availability(self) -> list[int]:
        """Hours of the week in the person's own zone: mostly a block of working hours on
        most weekdays, sometimes early evenings or a weekend morning."""
        rng = self.rng
        days = [0, 1, 2, 3, 4]
        if rng.random() < 0.25:
            days.remove(rng.choice(days))  # a four-day week or a fixed day off
        start = rng.choice([7, 8, 8, 9, 9, 9, 10, 11, 13, 14])
        length = rng.randint(2, 6)
        hours: set[int] = set()
        for d in days:
            if rng.random() < 0.85:
                s = start + rng.choice([-1, 0, 0, 0, 1])
                hours.update(d * 24 + h for h in range(s, min(s + length, 20)))
        style = rng.random()
        if style < 0.2:
            for d in rng.sample(range(5), 2):
                hours.update({d * 24 + 18, d * 24 + 19})
        elif style > 0.92:
            hours.update({5 * 24 + 9, 5 * 24 + 10, 5 * 24 + 11})
        if not hours:
            hours.update({2 * 24 + 10, 2 * 24 + 11})
        return sorted(hours)

    def skill_levels(self, function: str, seniority: str) -> dict[str, int]:
        rng = self.rng
        names = [name for entries in data.SKILLS.values() for name, _ in entries]
        strengths = data.FUNCTION_STRENGTHS.get(function, ())
        bump = {"early": -0.6, "mid": 0.0, "senior": 0.4, "lead": 0.6, "executive": 0.6}
        rated = set(strengths) | set(rng.sample(names, rng.randint(3, 6)))
        levels = {}
        for name in sorted(rated):
            mean = (2.6 if name in strengths else 1.3) + bump.get(seniority, 0.0)
            levels[name] = max(0, min(4, round(rng.gauss(mean, 0.9))))
        return levels

    def goals(self, function: str, fixed: Sequence[str] = ()) -> list[str]:
        if fixed:
            return list(fixed)
        rng = self.rng
        own = list(data.FUNCTION_GOALS.get(function, ()))
        picked = rng.sample(own, min(len(own), rng.randint(1, 3)))
        for goal in rng.sample(data.LEARNING_GOALS, rng.randint(0, 2)):
            if goal not in picked:
                picked.append(goal)
        return picked

    def title(self, function: str, seniority: str) -> str:
        _, everyday, lead, executive, _ = data.FUNCTIONS[function]
        if seniority == "lead":
            return self.rng.choice(lead)
        if seniority == "executive":
            return self.rng.choice(executive)
        return data.SENIORITIES[seniority][1] + self.rng.choice(everyday)

    def headline(self, title: str, organization: str, function: str) -> tuple[str, str]:
        focus = self.rng.choice(data.FUNCTIONS[function][4]) if function in data.FUNCTIONS else ""
        headline = f"{title} at {organization}"
        if focus and self.rng.random() < 0.6:
            headline += f" · {focus}"
        bio = f"{title} working on {focus or 'new ways of working'}." if focus else ""
        return headline[:160], bio

    def plan_people(self) -> list[Person]:
        rng = self.rng
        people: list[Person] = []
        joined = {
            "admin": 238,
            "organizer": 236,
            "facilitator": 200,
            "member": 150,
            "newcomer": 5,
            "mentor": 120,
        }
        orgs = {o.name: o for o in (*data.ORGANIZATIONS, *data.PARTNER_ORGANIZATIONS)}
        for fixed in data.FIXED_PEOPLE:
            self.emails.add(fixed.email)
            org = orgs[fixed.organization]
            headline, bio = self.headline(fixed.title, fixed.organization, fixed.function)
            people.append(
                Person(
                    email=fixed.email,
                    name=fixed.name,
                    role=fixed.role,
                    function=fixed.function,
                    seniority=fixed.seniority,
                    organization=fixed.organization,
                    industry=org.industry,
                    time_zone=fixed.time_zone,
                    headline=headline,
                    bio=bio,
                    availability=self.availability(),
                    goals=self.goals(fixed.function, fixed.goals),
                    skills=self.skill_levels(fixed.function, fixed.seniority),
                    joined_days_ago=joined[fixed.key],
                    key=fixed.key,
                )
            )

        generated = self.size - len(people)
        n_organizers = 1 + self.size // 2500
        n_mentors = max(3, self.size // 40)
        n_partners = max(2, self.size // 150)
        roles = (
            [Role.ORGANIZER] * n_organizers
            + [Role.MENTOR] * n_mentors
            + [Role.PARTNER] * n_partners
        )
        roles += [Role.MEMBER] * (generated - len(roles))
        rng.shuffle(roles)

        functions = {name: spec[0] for name, spec in data.FUNCTIONS.items()}
        seniorities = {name: spec[0] for name, spec in data.SENIORITIES.items()}
        org_weights = {o: o.weight for o in data.ORGANIZATIONS}
        for role in roles:
            first, last = rng.choice(data.FIRST_NAMES), rng.choice(data.LAST_NAMES)
            function = self.weighted(functions)
            seniority = self.weighted(seniorities)
            if role == Role.PARTNER or (role == Role.MENTOR and rng.random() < 0.4):
                org = rng.choice(data.PARTNER_ORGANIZATIONS)
            else:
                org = self.weighted(org_weights)
            if role in (Role.MENTOR, Role.ORGANIZER) and seniority in ("early", "mid"):
                seniority = "senior"
            if rng.random() < 0.8:
                zone = rng.choice(org.time_zones)
            else:
                zone = rng.choice(data.OTHER_TIME_ZONES)
            title = self.title(function, seniority)
            headline, bio = self.headline(title, org.name, function)
            people.append(
                Person(
                    email=self.unique_email(f"{_ascii(first)}.{_ascii(last)}", org.domain),
                    name=f"{first} {last}",
                    role=role,
                    function=function,
                    seniority=seniority,
                    organization=org.name,
                    industry=org.industry,
                    time_zone=zone,
                    headline=headline,
                    bio=bio,
                    availability=self.availability(),
                    goals=self.goals(function),
                    skills=self.skill_levels(function, seniority),
                    joined_days_ago=rng.randint(7, 230),
                )
            )
        return people

    def create_users(self, people: list[Person]) -> None:
        users = [
            User(
                email=p.email,
                name=p.name,
                password=self.password,
                is_active=True,
                is_staff=p.key == "admin",
                is_superuser=p.key == "admin",
                date_joined=self.ago(p.joined_days_ago, minutes=self.rng.randint(0, 600)),
            )
            for p in people
        ]
        self.bulk(User, users)
        for person, user in zip(people, users, strict=True):
            assert user.pk is not None, "bulk_create must return primary keys"
            person.user = user
        self.bulk(
            EmailAddress,
            [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
        )
        self.step("users and e-mail addresses", 2 * len(users))

    def create_profiles(self, people: list[Person], skills: dict[str, Skill]) -> None:
        profiles = [
            Profile(
                user=p.user,
                headline=p.headline,
                function=p.function,
                industry=p.industry,
                organization=p.organization,
                seniority=p.seniority,
                time_zone=p.time_zone,
                availability=p.availability,
                learning_goals=p.goals,
                bio=p.bio,
            )
            for p in people
        ]
        self.bulk(Profile, profiles)
        ratings = [
            ProfileSkill(profile=profile, skill=skills[name], level=level)
            for person, profile in zip(people, profiles, strict=True)
            for name, level in person.skills.items()
        ]
        self.bulk(ProfileSkill, ratings)
        self.step("profiles and skill ratings", len(profiles) + len(ratings))

    def create_network_memberships(self, network: Network, people: list[Person]) -> None:
        rows = [
            NetworkMembership(
                network=network,
                user=p.user,
                role=p.role,
                joined_at=p.user.date_joined,
            )
            for p in people
        ]
        self.bulk(NetworkMembership, rows)
        self.step("network memberships", len(rows))

    def create_code_of_conduct(self, network: Network, people: list[Person]) -> None:
        rng = self.rng
        organizer = next(p.user for p in people if p.key == "organizer")
        v1_days, v2_days = 210, 21
        v1 = CodeOfConduct.objects.create(
            network=network,
            version=1,
            change_note="First version, agreed at the launch meeting.",
            created_by=organizer,
            published_at=self.ago(v1_days),
        )
        v2 = CodeOfConduct.objects.create(
            network=network,
            version=2,
            body=CODE_OF_CONDUCT_V2,
            change_note="Added a line on recording sessions.",
            created_by=organizer,
            published_at=self.ago(v2_days),
        )
        rows = []
        for p in people:
            if p.key == "newcomer":
                continue  # joined this week and has not accepted yet: the demo's first task
            j = p.joined_days_ago
            if j > v2_days:
                days = min(j, v1_days) - rng.randint(0, 3)
                rows.append(
                    CodeOfConductAcceptance(code=v1, user=p.user, accepted_at=self.ago(days))
                )
            # A few people have not got round to the new version yet.
            if p.key or rng.random() < 0.93:
                start = min(j, v2_days)
                days = start - rng.randint(0, min(start, 6))
                rows.append(
                    CodeOfConductAcceptance(
                        code=v2, user=p.user, accepted_at=self.ago(days, rng.randint(0, 300))
                    )
                )
        self.bulk(CodeOfConductAcceptance, rows)
        self.step("code of conduct and acceptances", len(rows) + 2)

    # the second network

    def build_southgate(self) -> Network:
        rng = self.rng
        network = Network.objects.create(
            name=data.OTHER_NETWORK_NAME,
            slug=data.OTHER_NETWORK_SLUG,
            description=data.OTHER_NETWORK_DESCRIPTION,
            created_at=self.ago(140),
        )
        skills = [
            Skill(network=network, name=name, slug=slugify(name), category=category)
            for name, category in data.SOUTHGATE_SKILLS
        ]
        self.bulk(Skill, skills)
        outsider = data.OUTSIDER
        entries = [(outsider.name, outsider.organization, outsider.title, outsider.email)]
        for name, organization, title in data.SOUTHGATE_PEOPLE:
            local = _ascii(name.split()[0])
            entries.append((name, organization, title, f"{local}@{slugify(organization)}.test"))
        users = [
            User(email=email, name=name, password=self.password, date_joined=self.ago(130 - n))
            for n, (name, _, _, email) in enumerate(entries)
        ]
        self.bulk(User, users)
        self.bulk(
            EmailAddress,
            [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
        )
        profiles = [
            Profile(
                user=user,
                headline=f"{title} at {organization}",
                function="Operations" if "Surveyor" in title else "Design",
                industry="Construction",
                organization=organization,
                seniority="lead" if n == 0 else rng.choice(["mid", "senior", "lead"]),
                time_zone="Europe/London",
                availability=self.availability(),
                learning_goals=["estimating", "client briefs"][: 1 + n % 2],
            )
            for n, (user, (_, organization, title, _)) in enumerate(
                zip(users, entries, strict=True)
            )
        ]
        self.bulk(Profile, profiles)
        self.bulk(
            ProfileSkill,
            [
                ProfileSkill(profile=profile, skill=skill, level=rng.randint(1, 4))
                for profile in profiles
                for skill in skills
            ],
        )
        self.bulk(
            NetworkMembership,
            [
                NetworkMembership(
                    network=network,
                    user=user,
                    role=Role.ORGANIZER if n == 1 else Role.MEMBER,
                    joined_at=user.date_joined,
                )
                for n, user in enumerate(users)
            ],
        )
        code = CodeOfConduct.objects.create(
            network=network, version=1, created_by=users[1], published_at=self.ago(135)
        )
        self.bulk(
            CodeOfConductAcceptance,
            [CodeOfConductAcceptance(code=code, user=u, accepted_at=u.date_joined) for u in users],
        )
        cohort = Cohort.objects.create(
            network=network,
            name="Estimating together",
            slug="estimating-together",
            objective="Win more tenders at a fair margin by checking each other's estimates.",
            outcomes="Estimate error under 8% on completed jobs\nEvery member peer-reviews two bids",
            status=CohortStatus.ACTIVE,
            cadence="biweekly",
            time_zone="Europe/London",
            session_minutes=90,
            starts_on=self.day(63),
            created_at=self.ago(75),
        )
        # The outsider is in this cohort; Tom (users[1]) organizes the guild; Priti hosts.
        members, host = [users[0], *users[2:6]], users[2]
        self.bulk(
            CohortMembership,
            [
                CohortMembership(
                    cohort=cohort,
                    user=user,
                    role=CohortRole.HOST if user is host else CohortRole.MEMBER,
                    joined_on=self.day(63),
                    learning_statement="I will have my next tender estimate reviewed here first.",
                )
                for user in members
            ],
        )
        charter = Charter.objects.create(
            cohort=cohort,
            version=1,
            mission="Confidential: we share real tender figures here, so nothing leaves the room.",
            weekly_hours=Decimal("1.5"),
            learning_formats=["case", "coaching"],
            project_kinds="Live tenders and completed jobs.",
            norms="Figures shared here stay here.\nReview a bid within three working days.",
            next_review_on=self.day(-40),
            change_note=data.FIRST_CHARTER_NOTE,
            created_by=host,
            created_at=self.ago(70),
        )
        self.bulk(
            CharterAcknowledgement,
            [
                CharterAcknowledgement(charter=charter, user=u, acknowledged_at=self.ago(68))
                for u in members
            ],
        )
        self.step("Southgate Guild", len(users) * 6 + 5)
        return network
