"""The demo's sessions and mentors: every active cohort gets a regular meeting time with its
last few sessions held (roles recorded) and the next ones booked, their roles planned by the
rota in the story cohorts (builder.STORY_COHORTS) and taken in turn in the others; every mentor
gets their places, and a few recent members already have a confirmed mentor. The demo's
newcomer log-in is left without one, so an organizer can match them.

Nothing here draws from the builder's random generator, so the people and cohorts built
before stay exactly as they were for a given seed."""

from __future__ import annotations

from collections import defaultdict
from datetime import time, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from cadre.cohorts.models import Cohort, CohortMembership, CohortStatus
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
# The engine weighs every newcomer against every mentor, and the demo confirms three matches:
# in a network larger than this, it proposes for the newest members only (joined in the last
# NEWEST_DAYS days) rather than for everyone of the last two months.
ALL_NEWCOMERS_UP_TO = 20_000
NEWEST_DAYS = 8
START_TIMES = [time(9, 0), time(10, 30), time(14, 0), time(15, 0), time(16, 30)]


class ScheduleBuilder:
    def __init__(self, builder: Builder) -> None:
        self.b = builder

    def build(self, network: Network, people: list[Person]) -> int:
        cohorts = list(
            Cohort.objects.filter(network=network, status=CohortStatus.ACTIVE).order_by("slug")
        )
        story = {c.pk for c in self.b.story_cohorts(network)}
        rows = self.schedules(network, cohorts, story)
        rows += self.mentors(network, people)
        self.b.step("sessions, rotas and mentors", rows)
        return rows

    def schedules(self, network: Network, cohorts: list[Cohort], story: set[int]) -> int:
        """A schedule and its last few sessions held for every active cohort, written in bulk;
        the sessions to come are booked as the schedule books them. Roles go
        round in turn, as a plain round robin; the engine plans the story cohorts' upcoming
        roles (`rota.regenerate`), as a host's change would."""
        now = timezone.now()
        schedules = self.b.bulk(
            CohortSchedule,
            [
                CohortSchedule(
                    cohort=cohort,
                    weekday=n % 4,
                    local_time=START_TIMES[n % len(START_TIMES)],
                    session_count=PAST_SESSIONS + UPCOMING_SESSIONS,
                    # Every cohort meets online (example.org is reserved: the link goes
                    # nowhere), and every third one in a room as well.
                    meeting_url=f"https://video.example.org/{network.slug}-{cohort.slug}",
                    place="Room 2.14, Northwind House" if n % 3 == 0 else "",
                )
                for n, cohort in enumerate(cohorts)
            ],
        )
        sessions: list[Session] = []
        for schedule in schedules:
            cohort = schedule.cohort
            step = timedelta(days=cadence_days(cohort.cadence))
            starts = schedule.upcoming_starts(now, schedule.session_count)
            past = [starts[0] - step * k for k in range(PAST_SESSIONS, 0, -1)]
            past = [s for s in past if cohort.starts_on is None or s.date() >= cohort.starts_on]
            minutes = cohort.session_minutes
            sessions += [
                Session(cohort=cohort, starts_at=start, minutes=minutes, created_at=start - step)
                for start in past
            ]
            # The rest of the series, as `sync_sessions` books it for a new schedule.
            sessions += [
                Session(cohort=cohort, starts_at=start, minutes=minutes)
                for start in starts[: schedule.session_count - len(past)]
            ]
        self.b.bulk(Session, sessions)
        # Who holds the roles in turn: the rota's members (`rota.rota_members`), all at once.
        members: dict[int, list[int]] = defaultdict(list)
        for cohort_id, user_id in (
            CohortMembership.objects.active()
            .filter(cohort__in=cohorts, role__in=rota.ROTA_ROLES)
            .order_by("cohort_id", "joined_on", "pk")
            .values_list("cohort_id", "user_id")
        ):
            members[cohort_id].append(user_id)
        turns: dict[int, list[int]] = defaultdict(list)
        for session in sessions:
            if session.starts_at <= now or session.cohort_id not in story:
                turns[session.cohort_id].append(session.pk)
        assignments = []
        for schedule in schedules:
            cohort_id = schedule.cohort_id
            rota_members = members[cohort_id]
            roles = list(schedule.roles)
            if len(rota_members) < len(roles):
                continue
            for k, session_id in enumerate(turns[cohort_id]):
                for r, role in enumerate(roles):
                    user_id = rota_members[(k * len(roles) + r) % len(rota_members)]
                    assignments.append(
                        RoleAssignment(session_id=session_id, role=role, user_id=user_id)
                    )
        self.b.bulk(RoleAssignment, assignments)
        for cohort in cohorts:
            if cohort.pk in story:
                rota.regenerate(cohort, now)
        return len(schedules) + len(sessions) + len(assignments)

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
        days = mentoring.DEFAULT_NEWCOMER_DAYS
        if self.b.size > ALL_NEWCOMERS_UP_TO:
            days = NEWEST_DAYS
        proposals = mentoring.propose(network, days)
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
