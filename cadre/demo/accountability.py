"""The demo's board: in every story cohort (builder.STORY_COHORTS) a few members have commitments (one done with
kudos, one open, one missed), one has posted an update with a blocker that a peer offered
help with, and two run experiments. Each is written by cadre.accountability.services, as a
member's page would write it; only the times the services take from the clock (when a
commitment was made or done, when the update was posted) are moved back afterwards.

Nothing here draws from the builder's random generator, so the people and cohorts built
before stay exactly as they were for a given seed."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from cadre.accountability import services
from cadre.accountability.models import (
    Blocker,
    Commitment,
    CommitmentStatus,
    Outcome,
    ProgressUpdate,
)
from cadre.accounts.models import User
from cadre.cohorts.models import Cohort
from cadre.demo import data
from cadre.networks.models import Network

if TYPE_CHECKING:
    from cadre.demo.builder import Builder


class AccountabilityBuilder:
    def __init__(self, builder: Builder) -> None:
        self.b = builder

    def build(self, network: Network) -> int:
        rows = 0
        cohorts = self.b.story_cohorts(network)
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
        done = self.commitment(
            cohort,
            first,
            "Share the incident review template with the cohort",
            deliverable="Template in the shared drive",
            due_on=today - timedelta(days=3),
            made=now - timedelta(days=8),
        )
        services.set_commitment_status(
            first, done, status=CommitmentStatus.DONE, evidence="Posted in the cohort channel"
        )
        Commitment.objects.filter(pk=done.pk).update(completed_at=now - timedelta(days=4))
        services.give_kudos(second, done)
        open_one = self.commitment(
            cohort,
            second,
            "Send the dashboard draft to two stakeholders",
            deliverable="Dashboard draft",
            due_on=today + timedelta(days=5),
        )
        missed = self.commitment(
            cohort,
            members[-1],
            "Present the survey results at the session",
            due_on=today - timedelta(days=10),
            made=now - timedelta(days=20),
        )
        services.set_commitment_status(members[-1], missed, status=CommitmentStatus.MISSED)
        update = services.post_update(
            second,
            cohort,
            commitment=open_one,
            done="Picked the five metrics",
            remaining="Build the charts",
            blocker="I cannot get the raw data out of the reporting tool",
            skills=network.skills.order_by("slug")[:1],
        )
        yesterday = now - timedelta(days=1)
        ProgressUpdate.objects.filter(pk=update.pk).update(created_at=yesterday)
        Blocker.objects.filter(update=update).update(created_at=yesterday)
        services.offer_help(
            first,
            Blocker.objects.get(update=update),
            message="I exported from it last month; let's pair for 20 minutes.",
        )
        for n, owner in enumerate((first, second)):
            services.start_experiment(
                owner,
                cohort,
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
        return 9

    def commitment(
        self,
        cohort: Cohort,
        owner: User,
        text: str,
        *,
        due_on: date,
        deliverable: str = "",
        made: datetime | None = None,
    ) -> Commitment:
        """A commitment made through the service as a member would make it (kept even when
        the check finds problems, as a member may), then dated `made` when it is older, with
        the session held that day. Its text names no day: the check would read "by Friday"
        from today, not from the day it was made, and move the due date."""
        commitment = services.make_commitment(
            cohort=cohort,
            owner=owner,
            text=text,
            deliverable=deliverable,
            due_on=due_on,
            keep_anyway=True,
        )
        if made is not None:
            held = services.session_held_on(cohort, cohort.today(made))
            Commitment.objects.filter(pk=commitment.pk).update(created_at=made, session=held)
            commitment.created_at, commitment.session = made, held
        return commitment
