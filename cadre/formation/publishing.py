"""Publishing a proposal: each proposed cohort gets a name, a host and a time zone (suggested
here, chosen by the organizer), a proposal with cohorts that cannot meet needs a
confirmation, the cohorts are created with their memberships in one transaction, and once
that is committed every applicant is told their cohort by e-mail. Views and the API both
call these; publish() checks that the organizer runs the intake's network's intakes, and a
refusal is a ProposalProblem (a `cadre.lib.rules.Refused`) with the sentence people see."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from cadre.cohorts.models import Cohort, CohortMembership, CohortRole, CohortStatus
from cadre.delivery.services import Email, queue_many
from cadre.lib.tasks import enqueue_on_commit
from cadre.people.languages import in_language_of
from cadre.people.models import validate_time_zone

from .models import Application, FormationRun, Intake, IntakeStatus, RunStatus
from .policy import formed_cohort_hosts
from .proposals import ProposalProblem, ProposedCohort, proposed_cohorts
from .services import ALREADY_PUBLISHED, require_intake_manager
from .waitlist import put_unplaced_on_waitlist

if TYPE_CHECKING:
    from cadre.accounts.models import User

MAX_NAME = 120  # Cohort.name's length
DETAILS_REFUSED = gettext_noop(
    "Not published: some names, hosts or time zones cannot be used. Nothing was saved."
)
SLUG_CLASH = gettext_noop(
    "The cohorts could not be created (a cohort with the same short name appeared at the same "
    "time). Nothing was published; please try again."
)


def cohort_slug(intake: Intake, number: int, taken: set[str]) -> str:
    base = slugify(f"{intake.slug}-{number}")[:56] or f"cohort-{number}"
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    return slug


# --- names, hosts and time zones ---------------------------------------------------------


@dataclass(frozen=True)
class CohortDetails:
    """What a proposed cohort is published as. A name or time zone of None takes the
    suggestion; a host of None leaves the cohort without one for now."""

    name: str | None = None
    host: int | None = None  # a user id
    time_zone: str | None = None


@dataclass(frozen=True)
class CohortChoice:
    """What a proposed cohort is published as, once checked: the name and time zone given or
    suggested, and the host given (None: none yet)."""

    name: str
    host: int | None
    time_zone: str


@dataclass(frozen=True)
class PublishedCohort:
    """A cohort publishing created, with the proposed cohort it was made from."""

    cohort: Cohort
    proposed: ProposedCohort


@dataclass(frozen=True)
class Suggestion:
    name: str
    time_zone: str
    goals: tuple[str, ...]  # the shared goals the name comes from


class DetailsProblem(ProposalProblem):
    """Some names, hosts or time zones cannot be used; `problems` maps a cohort's number to
    its fields (name, host, time_zone, number) and what is wrong with each (`fields` has
    them all under `cohorts`; each door names the fields its own way)."""

    def __init__(self, problems: Mapping[int, Mapping[str, list[str]]]) -> None:
        self.problems = {n: dict(fields) for n, fields in problems.items()}
        every = [m for fields in self.problems.values() for found in fields.values() for m in found]
        super().__init__(_(DETAILS_REFUSED), fields={"cohorts": every})


class CannotMeet(ProposalProblem):
    """Some cohorts have no hour of the week when all their members can meet; publishing
    them needs the organizer's confirmation. `cohorts` holds their numbers."""

    def __init__(self, cohorts: Sequence[ProposedCohort], names: Mapping[int, str]) -> None:
        self.cohorts = [c.number for c in cohorts]
        named = [
            _("Cohort %(number)s (“%(name)s”)") % {"number": c.number, "name": names[c.number]}
            if c.number in names
            else _("Cohort %(number)s") % {"number": c.number}
            for c in cohorts
        ]
        listed = (
            _("%(cohorts)s and %(last)s") % {"cohorts": ", ".join(named[:-1]), "last": named[-1]}
            if len(named) > 1
            else named[0]
        )
        super().__init__(
            ngettext(
                "%(cohorts)s cannot meet: no hour of the week suits all of its members for a "
                "%(minutes)s-minute session.",
                "%(cohorts)s cannot meet: no hour of the week suits all of their members for a "
                "%(minutes)s-minute session.",
                len(named),
            )
            % {"cohorts": listed, "minutes": cohorts[0].session_minutes},
            kind="conflict",
            code="cohorts_cannot_meet",
            detail={"cohorts": self.cohorts},
        )


def _tidy(name: str) -> str:
    return " ".join(name.split())


def _shared_goals(members: Sequence[Application]) -> list[str]:
    """The goals at least two members share, most shared first, as an applicant spelled
    them."""
    counts: Counter[str] = Counter()
    spelling: dict[str, str] = {}
    for member in members:
        for goal in {_tidy(g).casefold(): _tidy(g) for g in member.goals if g.strip()}.items():
            counts[goal[0]] += 1
            spelling.setdefault(goal[0], goal[1])
    shared = sorted((key for key, n in counts.items() if n >= 2), key=lambda k: (-counts[k], k))
    return [spelling[key] for key in shared]


def _name_candidates(goals: Sequence[str]) -> list[tuple[str, tuple[str, ...]]]:
    """Names from shared goals: two goals ("Facilitation and coaching") before one."""
    top = list(goals[:4])
    pairs = [(a, b) for i, a in enumerate(top) for b in top[i + 1 :]]
    pairs.sort(key=lambda pair: top.index(pair[0]) + top.index(pair[1]))
    names = [(f"{a} and {b}", (a, b)) for a, b in pairs] + [(g, (g,)) for g in top]
    return [(name[:1].upper() + name[1:], used) for name, used in names if len(name) <= MAX_NAME]


def _suggested_time_zone(members: Sequence[Application]) -> str:
    """The time zone most members are in (alphabetically first on a tie); UTC for none."""
    zones = Counter(m.time_zone for m in members)
    if not zones:
        return "UTC"
    return min(zones, key=lambda zone: (-zones[zone], zone))


def suggestions(intake: Intake, cohorts: Sequence[ProposedCohort]) -> dict[int, Suggestion]:
    """A name from each cohort's shared goals (no two alike, none a name the network's
    cohorts already have; "<intake> · Cohort N" when its members share no goal), and the
    time zone most of its members are in."""
    taken = {
        name.casefold()
        for name in Cohort.objects.filter(network_id=intake.network_id).values_list(
            "name", flat=True
        )
    }
    found = {}
    for cohort in cohorts:
        name = (
            _("%(intake)s · Cohort %(number)s") % {"intake": intake.title, "number": cohort.number}
        )[:MAX_NAME]
        used: tuple[str, ...] = ()
        for candidate, goals in _name_candidates(_shared_goals(cohort.members)):
            if candidate.casefold() not in taken:
                name, used = candidate, goals
                break
        n = 2
        base = name
        while name.casefold() in taken:
            name = f"{base[: MAX_NAME - 4]} {n}"
            n += 1
        taken.add(name.casefold())
        found[cohort.number] = Suggestion(name, _suggested_time_zone(cohort.members), used)
    return found


def host_choices(intake: Intake, cohort: ProposedCohort) -> list[Any]:
    """Who may host `cohort`: its members (by name), then the network's organizers."""
    member_ids = [m.user_id for m in cohort.members]
    people = list(formed_cohort_hosts(intake.network, member_ids))
    return sorted(
        people,
        key=lambda u: (u.pk not in member_ids, (u.name or u.email).casefold(), u.pk),
    )


def check_details(
    intake: Intake,
    cohorts: Sequence[ProposedCohort],
    details: Mapping[int, CohortDetails] | None = None,
) -> dict[int, CohortChoice]:
    """Every cohort's details: those given (by cohort number), the suggestions for what was
    not. Raises DetailsProblem naming each cohort and field that cannot be used."""
    given = dict(details or {})
    numbers = {c.number for c in cohorts}
    problems: dict[int, dict[str, list[str]]] = {}
    for number in sorted(set(given) - numbers):
        problems[number] = {
            "number": [
                _("There is no cohort %(number)s; the proposal has cohorts 1 to %(last)s.")
                % {"number": number, "last": len(cohorts)}
            ]
        }
    suggested = suggestions(intake, cohorts)
    existing = {
        name.casefold()
        for name in Cohort.objects.filter(network_id=intake.network_id).values_list(
            "name", flat=True
        )
    }
    hosts = {
        c.number: {u.pk for u in host_choices(intake, c)}
        for c in cohorts
        if c.number in given and given[c.number].host is not None
    }
    result: dict[int, CohortChoice] = {}
    first_with: dict[str, int] = {}
    for cohort in cohorts:
        number = cohort.number
        asked = given.get(number, CohortDetails())
        hint = suggested[number]
        name = hint.name if asked.name is None else _tidy(asked.name)
        zone = hint.time_zone if asked.time_zone is None else asked.time_zone.strip()
        mine: dict[str, list[str]] = {}
        key = name.casefold()
        if not name:
            mine["name"] = [_("Give cohort %(number)s a name.") % {"number": number}]
        elif len(name) > MAX_NAME:
            mine["name"] = [_("A cohort's name is at most %(max)s characters.") % {"max": MAX_NAME}]
        elif key in first_with:
            mine["name"] = [
                _("Cohort %(number)s is called “%(name)s” too; give each cohort its own name.")
                % {"number": first_with[key], "name": name}
            ]
        elif key in existing:
            mine["name"] = [
                _("%(network)s already has a cohort called “%(name)s”.")
                % {"network": intake.network.name, "name": name}
            ]
        first_with.setdefault(key, number)
        if asked.host is not None and asked.host not in hosts.get(number, set()):
            mine["host"] = [
                _(
                    "The host of cohort %(number)s is one of its members or an organizer of "
                    "%(network)s."
                )
                % {"number": number, "network": intake.network.name}
            ]
        if not zone:
            mine["time_zone"] = [
                _("Give cohort %(number)s a time zone, such as Europe/Berlin.") % {"number": number}
            ]
        else:
            try:
                validate_time_zone(zone)
            except ValidationError:
                mine["time_zone"] = [
                    _("“%(zone)s” is not a time zone name; use one like Europe/Berlin.")
                    % {"zone": zone}
                ]
        if mine:
            problems[number] = mine
        result[number] = CohortChoice(name=name, host=asked.host, time_zone=zone)
    if problems:
        raise DetailsProblem(dict(sorted(problems.items())))
    return result


# --- publishing ---------------------------------------------------------------------------


def require_unpublished(intake: Intake) -> None:
    """An intake is published once."""
    if intake.status == IntakeStatus.PUBLISHED:
        raise ProposalProblem(_(ALREADY_PUBLISHED), kind="conflict")


def publish(
    *,
    intake: Intake,
    run: FormationRun,
    by: User,
    details: Mapping[int, CohortDetails] | None = None,
    confirm: bool = False,
) -> list[PublishedCohort]:
    """Create one cohort per proposed group, with its name, host and time zone (`details`
    by cohort number; suggestions for those left out) and its memberships, and mark the
    intake published, all in one transaction; once it is committed, a task queues each
    applicant's e-mail. Details that cannot be used raise DetailsProblem; cohorts that
    cannot meet raise CannotMeet unless `confirm`; publishing twice is refused. Nothing is
    saved when anything is refused."""
    require_intake_manager(user=by, network=intake.network)
    try:
        cohorts = _publish(intake, run, details=details, confirm=confirm)
    except IntegrityError:
        raise ProposalProblem(_(SLUG_CLASH), kind="conflict") from None
    intake.refresh_from_db()
    return cohorts


def _publish(
    intake: Intake,
    run: FormationRun,
    *,
    details: Mapping[int, CohortDetails] | None,
    confirm: bool,
) -> list[PublishedCohort]:
    from .tasks import announce_publication

    with transaction.atomic():
        require_unpublished(Intake.objects.select_for_update().get(pk=intake.pk))
        run = FormationRun.objects.select_for_update().get(pk=run.pk)
        if run.status != RunStatus.DONE:
            raise ProposalProblem(
                _("Only a finished run's proposal can be published."), kind="conflict"
            )
        groups = [g for g in proposed_cohorts(run) if g.members]
        chosen = check_details(intake, groups, details)
        unable = [g for g in groups if not g.can_meet]
        if unable and not confirm:
            raise CannotMeet(unable, {n: d.name for n, d in chosen.items()})
        taken = set(Cohort.objects.filter(network=intake.network).values_list("slug", flat=True))
        cohorts = []
        for group in groups:
            slug = cohort_slug(intake, group.number, taken)
            taken.add(slug)
            wanted = chosen[group.number]
            cohort = Cohort.objects.create(
                network=intake.network,
                name=wanted.name,
                slug=slug,
                objective=intake.objective or intake.description or intake.title,
                status=CohortStatus.FORMING,
                time_zone=wanted.time_zone,
                session_minutes=run.session_minutes,
            )
            members = [m.user_id for m in group.members]
            places = [
                CohortMembership(
                    cohort=cohort,
                    user_id=user_id,
                    role=CohortRole.HOST if user_id == wanted.host else CohortRole.MEMBER,
                )
                for user_id in members
            ]
            if wanted.host is not None and wanted.host not in members:
                places.append(
                    CohortMembership(cohort=cohort, user_id=wanted.host, role=CohortRole.HOST)
                )
            CohortMembership.objects.bulk_create(places)
            cohorts.append(PublishedCohort(cohort, group))
        placed = [m.user_id for g in groups for m in g.members]
        put_unplaced_on_waitlist(intake, placed)
        now = timezone.now()
        Intake.objects.filter(pk=intake.pk).update(status=IntakeStatus.PUBLISHED, published_at=now)
        FormationRun.objects.filter(pk=run.pk).update(
            published_cohorts=[c.cohort.pk for c in cohorts]
        )
        enqueue_on_commit(announce_publication, intake.pk)
    return cohorts


def queue_publication_emails(intake_id: int) -> int:
    """Queue one e-mail per member of each cohort published from intake `intake_id` (its
    host included), with their cohort, its host and its members; a person queued before is
    skipped. Returns how many were
    queued."""
    intake = Intake.objects.select_related("network").filter(pk=intake_id).first()
    run = (
        FormationRun.objects.filter(intake_id=intake_id)
        .exclude(published_cohorts=[])
        .order_by("-pk")
        .first()
    )
    if intake is None or run is None or not intake.is_published:
        return 0
    cohorts = Cohort.objects.filter(pk__in=run.published_cohorts).select_related("network")
    members: dict[int, list[Any]] = defaultdict(list)
    hosts: dict[int, list[Any]] = defaultdict(list)
    for membership in (
        CohortMembership.objects.filter(cohort__in=cohorts)
        .select_related("user")
        .order_by("cohort_id", "user__name", "user_id")
    ):
        members[membership.cohort_id].append(membership.user)
        if membership.role == CohortRole.HOST:
            hosts[membership.cohort_id].append(membership.user)
    applicants = set(intake.applications.values_list("user_id", flat=True))
    emails = []
    for cohort in cohorts:
        url = settings.CADRE_SITE_URL.rstrip("/") + cohort.get_absolute_url()
        for person in members[cohort.pk]:
            context = {
                "intake": intake,
                "cohort": cohort,
                "person": person,
                "others": [u for u in members[cohort.pk] if u.pk != person.pk],
                "hosting": person in hosts[cohort.pk],
                "hosts": [u for u in hosts[cohort.pk] if u.pk != person.pk],
                "url": url,
            }
            # An applicant is in one cohort; an organizer may host several.
            key = f"formation:{intake.pk}:{person.pk}"
            if person.pk not in applicants:
                key += f":{cohort.pk}"
            with in_language_of(person):
                subject = _("[Cadre] Your cohort: %(cohort)s") % {"cohort": cohort.name}
                body = render_to_string("formation/email_published.txt", context)
            emails.append(Email(key=key, to=person.email, user=person, subject=subject, body=body))
    return queue_many(emails)
