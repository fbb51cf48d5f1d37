"""The demo's cohort health: attendance recorded for every held session and a recent
progress update from most active members (written in bulk, the one with a blocker through
cadre.accountability.services), so most cohorts look steady, while “Experimentation
in Ops” (the demo log-ins' cohort) drifts visibly: attendance fell over its last sessions and
a blocker has waited three days without an offer of help. Snapshots are computed at the end,
so the health pages have something to show before the worker first runs.

Randomness comes from a local generator, never the builder's, so the people and cohorts built
before stay exactly as they were for a given seed."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from cadre.accountability import services
from cadre.accountability.models import Blocker, ProgressUpdate
from cadre.accounts.models import User
from cadre.cohorts.models import Cohort, CohortMembership, CohortStatus
from cadre.health import facts
from cadre.networks.models import Network
from cadre.schedule.models import Attendance, AttendanceStatus, Session

if TYPE_CHECKING:
    from cadre.demo.builder import Builder

DRIFTING_COHORT = "experimentation-in-ops"
PRESENT_SHARE = 0.9  # of members at a steady cohort's session
UPDATED_SHARE = 0.97  # of members who posted an update this week (a few stay quiet)


class HealthBuilder:
    def __init__(self, builder: Builder) -> None:
        self.b = builder
        self.rng = random.Random(7)

    def build(self, network: Network) -> int:
        now = timezone.now()
        cohorts = {
            c.pk: c for c in Cohort.objects.filter(network=network, status=CohortStatus.ACTIVE)
        }
        members: dict[int, list[int]] = {pk: [] for pk in cohorts}
        for cohort_id, user_id in (
            CohortMembership.objects.active()
            .filter(cohort_id__in=cohorts)
            .order_by("cohort_id", "user_id")
            .values_list("cohort_id", "user_id")
        ):
            members[cohort_id].append(user_id)
        drifting = next((c for c in cohorts.values() if c.slug == DRIFTING_COHORT), None)
        rows = self.attendance(now, cohorts, members, drifting)
        rows += self.updates(now, cohorts, members, drifting)
        if drifting is not None:
            rows += self.blocker(now, drifting, members[drifting.pk])
        computed = facts.refresh(facts.tracked_cohorts(network.pk), now)
        self.b.step("attendance, updates and cohort health", rows + computed)
        return rows + computed

    def attendance(
        self,
        now: datetime,
        cohorts: dict[int, Cohort],
        members: dict[int, list[int]],
        drifting: Cohort | None,
    ) -> int:
        sessions = (
            Session.objects.held()
            .filter(cohort_id__in=cohorts, starts_at__lte=now)
            .order_by("cohort_id", "starts_at")
            .values_list("pk", "cohort_id")
        )
        by_cohort: dict[int, list[int]] = {}
        for pk, cohort_id in sessions:
            by_cohort.setdefault(cohort_id, []).append(pk)
        rows: list[Attendance] = []
        for cohort_id, session_ids in by_cohort.items():
            people = members[cohort_id]
            for k, session_id in enumerate(session_ids):
                falling = drifting is not None and cohort_id == drifting.pk and k > 0
                for n, user_id in enumerate(people):
                    # The drifting cohort: everyone at its first session, then two people.
                    present = n < 2 if falling else self.rng.random() < PRESENT_SHARE
                    status = AttendanceStatus.PRESENT if present else AttendanceStatus.ABSENT
                    rows.append(Attendance(session_id=session_id, user_id=user_id, status=status))
        self.b.bulk(Attendance, rows)
        return len(rows)

    def updates(
        self,
        now: datetime,
        cohorts: dict[int, Cohort],
        members: dict[int, list[int]],
        drifting: Cohort | None,
    ) -> int:
        rows: list[ProgressUpdate] = []
        for cohort_id, people in members.items():
            for user_id in people:
                if drifting is not None and cohort_id == drifting.pk:
                    continue  # the blocker's update is the only recent one there
                if self.rng.random() < UPDATED_SHARE:
                    rows.append(
                        ProgressUpdate(
                            cohort_id=cohort_id,
                            author_id=user_id,
                            done="Tried the new checklist in two reviews",
                            remaining="Write up what changed",
                            created_at=now - timedelta(days=self.rng.randint(1, 5)),
                        )
                    )
        self.b.bulk(ProgressUpdate, rows)
        return len(rows)

    def blocker(self, now: datetime, cohort: Cohort, people: list[int]) -> int:
        if not people:
            return 0
        update = services.post_update(
            User.objects.get(pk=people[-1]),
            cohort,
            done="Mapped the approval steps of the returns workflow",
            remaining="Run the experiment on one warehouse",
            blocker="Operations leadership has not approved a trial on a live warehouse yet",
        )
        # Posted three days ago: the drift the health page shows is a blocker left waiting.
        ProgressUpdate.objects.filter(pk=update.pk).update(created_at=now - timedelta(days=3))
        Blocker.objects.filter(update=update).update(created_at=now - timedelta(days=3))
        return 2
