"""The demo's cohorts: rosters drawn from the network's members by region, charters with a
few versions each, and who acknowledged which version."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.text import slugify

from cadre.cohorts.models import (
    Charter,
    CharterAcknowledgement,
    Cohort,
    CohortMembership,
    CohortRole,
    CohortStatus,
    LearningFormat,
)
from cadre.demo import data
from cadre.networks.models import Network, Role

if TYPE_CHECKING:
    from cadre.demo.builder import Builder, Person

# The first eight cohorts (one per topic) tell the demo's story; later ones are drawn.
FIXED_STATUSES = (
    CohortStatus.ACTIVE,  # Experimentation in Ops: the demo log-ins are here; review is due
    CohortStatus.ACTIVE,
    CohortStatus.ACTIVE,
    CohortStatus.ACTIVE,
    CohortStatus.FORMING,
    CohortStatus.COMPLETED,
    CohortStatus.PAUSED,
    CohortStatus.ACTIVE,
)
SHARED_COHORTS = {1, 7}  # shared with the whole network, so mentors see something
COHORTS_WITH_LEAVERS = {0, 3, 6}
STATUS_WEIGHTS = {
    CohortStatus.ACTIVE: 70,
    CohortStatus.FORMING: 10,
    CohortStatus.COMPLETED: 12,
    CohortStatus.PAUSED: 8,
}


@dataclass
class Place:
    person: Person
    role: str
    joined_on: date
    left_on: date | None
    statement: str


class CohortBuilder:
    """Builds the cohorts with the builder's random generator and clock, so the whole demo
    stays one deterministic sequence."""

    def __init__(self, builder: Builder) -> None:
        self.rng = builder.rng
        self.size = builder.size
        self.now = builder.now
        self.today = builder.today
        self.ago = builder.ago
        self.day = builder.day
        self.weighted = builder.weighted
        self.step = builder.step
        self.bulk = builder.bulk

    def build(self, network: Network, people: list[Person]) -> list[Cohort]:
        rng = self.rng
        fixed = {p.key: p for p in people if p.key}
        pool = [p for p in people if not p.key and p.role == Role.MEMBER]
        by_region: dict[str, list[Person]] = {region: [] for region in data.REGIONS}
        for p in pool:
            by_region[data.region_of(p.time_zone)].append(p)
        for waiting in by_region.values():
            rng.shuffle(waiting)
        region_weights = {r: max(1, len(m)) for r, m in by_region.items()}
        spare: list[Person] = []  # refilled once everyone has a place (small networks)

        def draw(region: str, taken: set[str]) -> Person:
            nonlocal spare
            for source in (by_region[region], *by_region.values()):
                while source:
                    person = source.pop()
                    if person.email not in taken:
                        return person
            while True:
                if not spare:
                    spare = list(pool)
                    rng.shuffle(spare)
                person = spare.pop()
                if person.email not in taken:
                    return person

        organizers = [p for p in people if p.role == Role.ORGANIZER]
        n_cohorts = max(len(FIXED_STATUSES), round(self.size / 21))
        topic_seen: Counter[str] = Counter()
        cohorts: list[Cohort] = []
        plans: list[tuple[Cohort, data.Topic, list[Place], bool]] = []
        for i in range(n_cohorts):
            topic = data.TOPICS[i % len(data.TOPICS)]
            topic_seen[topic.name] += 1
            if i < len(FIXED_STATUSES):
                status = FIXED_STATUSES[i]
                shared = i in SHARED_COHORTS
                leavers = 1 if i in COHORTS_WITH_LEAVERS else 0
                overdue = i == 0
            else:
                status = self.weighted(STATUS_WEIGHTS)
                shared = rng.random() < 0.15
                leavers = 1 if status != CohortStatus.FORMING and rng.random() < 0.35 else 0
                overdue = status == CohortStatus.ACTIVE and rng.random() < 0.05
            region = "Europe" if i == 0 else self.weighted(region_weights)
            name = topic.name
            if topic_seen[topic.name] > 1:
                name = f"{topic.name} · {region} {topic_seen[topic.name]}"
            starts_ago = {
                CohortStatus.ACTIVE: 56 if i == 0 else rng.randint(28, 84),
                CohortStatus.FORMING: -rng.randint(7, 21),
                CohortStatus.COMPLETED: rng.randint(140, 180),
                CohortStatus.PAUSED: rng.randint(60, 100),
            }[status]
            starts_on = self.day(starts_ago)
            created_days = max(starts_ago + 14, 10)

            places: list[Place] = []
            taken: set[str] = set()
            size = rng.randint(6, 8)
            hosts = 2 if rng.random() < 0.3 and i > 0 else 1
            members: list[Person] = []
            if i == 0:
                members = [fixed["facilitator"], fixed["member"], fixed["newcomer"]]
            taken.update(p.email for p in members)
            while len(members) < size + leavers:
                person = draw(region, taken)
                taken.add(person.email)
                members.append(person)
            for n, person in enumerate(members):
                role = CohortRole.HOST if n < hosts else CohortRole.MEMBER
                if starts_ago < 0:
                    joined_on = self.day(rng.randint(1, 9))
                elif n >= 3 and rng.random() < 0.2:
                    joined_on = self.day(max(0, starts_ago - rng.randint(7, 21)))
                else:
                    joined_on = starts_on
                left_on = None
                if n >= size:  # the extra people are the ones who left
                    joined_on = starts_on
                    left_on = min(starts_on + timedelta(days=rng.randint(14, 35)), self.day(1))
                if person.key == "newcomer":
                    joined_on = self.day(4)
                statement = ""
                if person.key != "newcomer" and (
                    status != CohortStatus.FORMING or rng.random() < 0.5
                ):
                    statement = rng.choice(data.LEARNING_STATEMENTS).format(
                        application=rng.choice(topic.applications)
                    )
                places.append(Place(person, role, joined_on, left_on, statement))

            zones = Counter(p.person.time_zone for p in places if p.left_on is None)
            time_zone = "Europe/London" if i == 0 else zones.most_common(1)[0][0]
            cohort = Cohort(
                network=network,
                name=name,
                slug=slugify(name)[:60],
                objective=topic.objective,
                outcomes="\n".join(topic.outcomes),
                status=status,
                cadence=topic.cadence,
                time_zone=time_zone,
                session_minutes=topic.session_minutes,
                starts_on=starts_on,
                shared_with_network=shared,
                created_at=self.ago(created_days, rng.randint(0, 400)),
            )
            cohorts.append(cohort)
            plans.append((cohort, topic, places, overdue))
        self.bulk(Cohort, cohorts)

        memberships = [
            CohortMembership(
                cohort=cohort,
                user=place.person.user,
                role=place.role,
                joined_on=place.joined_on,
                left_on=place.left_on,
                learning_statement=place.statement,
            )
            for cohort, _, places, _ in plans
            for place in places
        ]
        self.bulk(CohortMembership, memberships)
        self.step("cohorts and memberships", len(cohorts) + len(memberships))

        charters: list[Charter] = []
        acks: list[CharterAcknowledgement] = []
        for i, (cohort, topic, places, overdue) in enumerate(plans):
            revisions = list(topic.revisions[:2])
            if i >= len(FIXED_STATUSES):
                k = min(len(topic.revisions), rng.randint(0, 2))
                revisions = rng.sample(list(topic.revisions), k)
            if cohort.status == CohortStatus.FORMING:
                revisions = []  # a forming cohort is still on its first charter
            host_users = [p.person.user for p in places if p.role == CohortRole.HOST]
            versions = self.charter_versions(
                cohort, topic, revisions, host_users, rng.choice(organizers).user, overdue
            )
            charters.extend(versions)
            for version in versions:
                acks.extend(self.acknowledgements(version, places, version is versions[-1]))
        self.bulk(Charter, charters)
        self.bulk(CharterAcknowledgement, acks)
        self.step("charters and acknowledgements", len(charters) + len(acks))
        return cohorts

    def charter_versions(
        self,
        cohort: Cohort,
        topic: data.Topic,
        revisions: list[str],
        hosts: list[Any],
        organizer: Any,
        overdue: bool,
    ) -> list[Charter]:
        rng = self.rng
        first_at = cohort.created_at + timedelta(days=1, hours=rng.randint(0, 6))
        last_possible = self.now - timedelta(days=3)
        span = max(last_possible - first_at, timedelta(days=1))
        norms = list(data.BASE_NORMS[:3])
        charter = Charter(
            cohort=cohort,
            version=1,
            mission=f"{topic.objective} {topic.mission_detail}",
            weekly_hours=Decimal(str(topic.weekly_hours)),
            learning_formats=list(topic.formats),
            project_kinds=topic.project_kinds,
            norms="\n".join(norms),
            next_review_on=(first_at + timedelta(weeks=10)).date(),
            change_note=data.FIRST_CHARTER_NOTE,
            created_by=organizer,
            created_at=first_at,
        )
        versions = [charter]
        for n, kind in enumerate(revisions, start=2):
            previous = versions[-1]
            at = first_at + span * (n - 1) / (len(revisions) + 0.5)
            at += timedelta(hours=rng.randint(0, 30))
            at = min(at, last_possible)
            changed = Charter(
                cohort=cohort,
                version=n,
                mission=previous.mission,
                weekly_hours=previous.weekly_hours,
                learning_formats=list(previous.learning_formats),
                project_kinds=previous.project_kinds,
                norms=previous.norms,
                next_review_on=(at + timedelta(weeks=10)).date(),
                created_by=rng.choice(hosts),
                created_at=at,
            )
            if kind == "hours":
                delta = Decimal("-0.5") if previous.weekly_hours > 1 else Decimal("0.5")
                changed.weekly_hours = previous.weekly_hours + delta
                changed.change_note = (
                    f"Weekly time {'down' if delta < 0 else 'up'} to "
                    f"{changed.weekly_hours.normalize()} h after the first review."
                )
            elif kind == "norm":
                norm = rng.choice([n for n in data.EXTRA_NORMS if n not in previous.norms])
                changed.norms = previous.norms + "\n" + norm
                changed.change_note = f"Added a norm: {norm}"
            elif kind == "formats":
                labels = dict(LearningFormat.choices)
                options = ("coaching", "hackathon", "reading", "skill_share")
                extra = [f for f in options if f not in previous.learning_formats]
                added = rng.choice(extra)
                changed.learning_formats = [*previous.learning_formats, added]
                changed.change_note = f"Added {labels[added].lower()} to our formats."
            else:  # focus
                changed.mission = previous.mission + " " + rng.choice(data.FOCUS_SUFFIXES)
                changed.change_note = "Narrowed the mission after the mid-point review."
            versions.append(changed)
        current = versions[-1]
        if overdue:
            current.next_review_on = self.day(rng.randint(3, 9))
        else:
            current.next_review_on = max(current.next_review_on, self.day(-rng.randint(14, 60)))
        return versions

    def acknowledgements(
        self, charter: Charter, places: list[Place], current: bool
    ) -> list[CharterAcknowledgement]:
        rng = self.rng
        rows = []
        made_on = charter.created_at.date()
        for place in places:
            person = place.person
            if person.key == "newcomer":
                continue
            if place.left_on is not None and place.left_on < made_on:
                continue
            certain = person.key in ("facilitator", "member")
            if not certain and rng.random() >= (0.85 if current else 0.9):
                continue
            start = max(charter.created_at, self.ago((self.today - place.joined_on).days))
            at = min(start + timedelta(hours=rng.randint(1, 96)), self.now)
            rows.append(
                CharterAcknowledgement(charter=charter, user=person.user, acknowledged_at=at)
            )
        return rows
