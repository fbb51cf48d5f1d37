"""The demo's board: in every active cohort a few members have commitments (one done with
kudos, one open, one missed), one has posted an update with a blocker that a peer offered
help with, and two run experiments.

Nothing here draws from the builder's random generator, so the people and cohorts built
before stay exactly as they were for a given seed."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from cadre.accountability.models import (
    Blocker,
    Commitment,
    CommitmentStatus,
    Experiment,
    Kudos,
    Outcome,
    ProgressUpdate,
)
from cadre.cohorts.models import Cohort, CohortStatus
from cadre.demo import data
from cadre.networks.models import Network

if TYPE_CHECKING:
    from cadre.demo.builder import Builder


class AccountabilityBuilder:
    def __init__(self, builder: Builder) -> None:
        self.b = builder

    def build(self, network: Network) -> int:
        rows = 0
        cohorts = Cohort.objects.filter(network=network, status=CohortStatus.ACTIVE).order_by(
            "slug"
        )
        for cohort in cohorts:
            rows += self.board(network, cohort)
        self.b.step("commitments, updates and experiments", rows)
        return rows

    def board(self, network: Network, cohort: Cohort) -> int:
        members = [
            m.user
            for m in cohort.memberships.active().select_related("user").order_by("user__email")
        ][:3]
        if len(members) < 2:
            return 0
        today = timezone.localdate()
        now = timezone.now()
        first, second = members[0], members[1]
        done = Commitment.objects.create(
            cohort=cohort,
            owner=first,
            text="Share the incident review template with the cohort by Friday",
            deliverable="Template in the shared drive",
            due_on=today - timedelta(days=3),
            status=CommitmentStatus.DONE,
            evidence="Posted in the cohort channel",
            created_at=now - timedelta(days=8),
            completed_at=now - timedelta(days=4),
        )
        Kudos.objects.create(commitment=done, giver=second)
        open_one = Commitment.objects.create(
            cohort=cohort,
            owner=second,
            text="Send the dashboard draft to two stakeholders by next Friday",
            deliverable="Dashboard draft",
            due_on=today + timedelta(days=5),
        )
        Commitment.objects.create(
            cohort=cohort,
            owner=members[-1],
            text="Present the survey results at the session",
            due_on=today - timedelta(days=10),
            status=CommitmentStatus.MISSED,
            created_at=now - timedelta(days=20),
        )
        update = ProgressUpdate.objects.create(
            cohort=cohort,
            author=second,
            commitment=open_one,
            done="Picked the five metrics",
            remaining="Build the charts",
            created_at=now - timedelta(days=1),
        )
        blocker = Blocker.objects.create(
            update=update,
            text="I cannot get the raw data out of the reporting tool",
            created_at=now - timedelta(days=1),
        )
        blocker.skills.set(network.skills.order_by("slug")[:1])
        offer = blocker.offer(first, "I exported from it last month; let's pair for 20 minutes.")
        for n, owner in enumerate((first, second)):
            Experiment.objects.create(
                cohort=cohort,
                owner=owner,
                title=["Five-minute check-ins", "Pre-reads before reviews"][n],
                capability="Running shorter, sharper meetings",
                hypothesis=data.SHORTER_MEETINGS,
                plan="Try it for two weeks and time each meeting.",
                starts_on=today - timedelta(days=14 + 7 * n),
                ends_on=today + timedelta(days=7 - 14 * n),
                measure="Meeting minutes",
                baseline="45 minutes",
                result_data="" if n == 0 else "31, 29, 35 minutes",
                outcome=Outcome.RUNNING if n == 0 else Outcome.SUCCEEDED,
                learnings="" if n == 0 else "People came prepared.",
            )
        return 8 + (1 if offer else 0)
