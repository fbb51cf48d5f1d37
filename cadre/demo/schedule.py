"""The demo's sessions and mentors: every active cohort gets a regular meeting time with its
last few sessions held (roles recorded) and the next ones planned by the rota; every mentor
gets their places, and a few recent members already have a confirmed mentor. The demo's
newcomer log-in is left without one, so an organizer can match them.

Nothing here draws from the builder's random generator, so the people and cohorts built
before stay exactly as they were for a given seed."""

from __future__ import annotations

from datetime import time, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from cadre.cohorts.models import Cohort, CohortStatus
from cadre.networks.models import Network, NetworkMembership, Role
from cadre.pairings.models import MentorMeeting, Relationship
from cadre.rotations.models import cadence_days
from cadre.schedule import mentoring, rota
from cadre.schedule.models import (
    UPCOMING_SESSIONS,
    CohortSchedule,
    MentorMatch,
    MentorSettings,
    RoleAssignment,
    Session,
)

if TYPE_CHECKING:
    from cadre.demo.builder import Builder, Person

PAST_SESSIONS = 4
CONFIRMED_MATCHES = 3
START_TIMES = [time(9, 0), time(10, 30), time(14, 0), time(15, 0), time(16, 30)]


class ScheduleBuilder:
    def __init__(self, builder: Builder) -> None:
        self.b = builder

    def build(self, network: Network, people: list[Person]) -> int:
        rows = 0
        cohorts = Cohort.objects.filter(network=network, status=CohortStatus.ACTIVE).order_by(
            "slug"
        )
        for n, cohort in enumerate(cohorts):
            rows += self.schedule(cohort, n)
        rows += self.mentors(network, people)
        self.b.step("sessions, rotas and mentors", rows)
        return rows

    def schedule(self, cohort: Cohort, n: int) -> int:
        schedule = CohortSchedule.objects.create(
            cohort=cohort,
            weekday=n % 4,
            local_time=START_TIMES[n % len(START_TIMES)],
            session_count=PAST_SESSIONS + UPCOMING_SESSIONS,
            # Every cohort meets online (example.org is reserved: the link goes nowhere), and
            # every third one in a room as well.
            meeting_url=f"https://video.example.org/{cohort.network.slug}-{cohort.slug}",
            place="Room 2.14, Northwind House" if n % 3 == 0 else "",
        )
        now = timezone.now()
        step = timedelta(days=cadence_days(cohort.cadence))
        first_upcoming = schedule.upcoming_starts(now, 1)[0]
        past = [first_upcoming - step * k for k in range(PAST_SESSIONS, 0, -1)]
        past = [
            start for start in past if cohort.starts_on is None or start.date() >= cohort.starts_on
        ]
        sessions = self.b.bulk(
            Session,
            [
                Session(
                    cohort=cohort,
                    starts_at=start,
                    minutes=cohort.session_minutes,
                    created_at=start - step,
                )
                for start in past
            ],
        )
        members = rota.rota_members(cohort)
        roles = list(schedule.roles)
        assignments = []
        if len(members) >= len(roles):
            for k, session in enumerate(sessions):
                # A plain round robin for the history; the engine plans from here on.
                for r, role in enumerate(roles):
                    user_id = members[(k * len(roles) + r) % len(members)]
                    assignments.append(RoleAssignment(session=session, role=role, user_id=user_id))
        self.b.bulk(RoleAssignment, assignments)
        schedule.sync_sessions(now)
        rota.regenerate(cohort, now)
        return 1 + len(sessions) + len(assignments)

    def mentors(self, network: Network, people: list[Person]) -> int:
        memberships = list(
            NetworkMembership.objects.filter(network=network, role=Role.MENTOR).order_by(
                "user__email"
            )
        )
        self.b.bulk(
            MentorSettings,
            [
                MentorSettings(membership=m, capacity=2 + n % 2, accepting=n % 5 != 4)
                for n, m in enumerate(memberships)
            ],
        )
        newcomer = next((p.user for p in people if p.key == "newcomer"), None)
        organizer = next((p.user for p in people if p.key == "organizer"), None)
        proposals = mentoring.propose(network)
        matches = [
            MentorMatch(
                network=network,
                mentor=p.mentor,
                newcomer=p.newcomer,
                explanation=p.explanation,
                confirmed_by=organizer,
                created_at=self.b.ago(3 + n),
            )
            for n, p in enumerate(sorted(proposals.matches, key=lambda p: p.newcomer.email))
            if p.newcomer != newcomer
        ][:CONFIRMED_MATCHES]
        self.b.bulk(MentorMatch, matches)
        # The newest match has an agreement and one meeting in its log (docs/mentoring.md).
        newest = MentorMatch.objects.filter(network=network).order_by("-created_at", "pk").first()
        if newest is not None:
            Relationship.objects.create(
                match=newest,
                acknowledged_at=self.b.ago(2),
                what="Get comfortable leading an incident review.",
                how_often="Every two weeks",
                until=self.b.day(-90),
                updated_by=newest.mentor,
                updated_at=self.b.ago(2),
            )
            MentorMeeting.objects.create(
                match=newest,
                met_on=self.b.day(1),
                notes="Walked through last month's outage review.",
                added_by=newest.mentor,
            )
        return len(memberships) + len(matches)
