"""The demo's conversation: in every story cohort (builder.STORY_COHORTS) the blocker gets a comment that mentions
its author and their reply, the finished experiment a comment and reactions, and the newest
published report a comment; the notifications come from the same services as in the app.

Nothing here draws from the builder's random generator, so the people and cohorts built
before stay exactly as they were for a given seed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cadre.accountability.models import Blocker, Experiment, Outcome
from cadre.cohorts.models import Cohort
from cadre.conversation import services
from cadre.conversation.models import ReactionKind, Subject
from cadre.conversation.policy import Item
from cadre.networks.models import Network
from cadre.schedule.models import ReportStatus, SessionReport

if TYPE_CHECKING:
    from cadre.demo.builder import Builder


class ConversationBuilder:
    def __init__(self, builder: Builder) -> None:
        self.b = builder

    def build(self, network: Network) -> int:
        rows = 0
        cohorts = self.b.story_cohorts(network)
        for cohort in cohorts:
            rows += self.cohort(cohort)
        self.b.step("comments, reactions and notifications", rows)
        return rows

    def cohort(self, cohort: Cohort) -> int:
        members = [
            m.user
            for m in cohort.memberships.active().select_related("user").order_by("user__email")
        ]
        if len(members) < 2:
            return 0
        first, second = members[0], members[1]
        rows = 0
        blocker = Blocker.objects.filter(update__cohort=cohort).select_related("update").first()
        if blocker is not None:
            item = Item(Subject.BLOCKER, blocker, cohort)
            author = blocker.update.author
            helper = first if author != first else second
            handle = services.mention_handles(author)[0]
            asked = services.post_comment(
                author=helper,
                item=item,
                body=f"Which report is it, @{handle}? The **export** button sits under *Share*.",
            )
            services.post_comment(
                author=author,
                item=item,
                body="The weekly one. Thank you, trying it now.",
                parent=asked,
            )
            services.toggle_reaction(
                person=author, item=item, kind=ReactionKind.GRATEFUL, comment=asked
            )
            rows += 3
        finished = Experiment.objects.filter(cohort=cohort).exclude(outcome=Outcome.RUNNING).first()
        if finished is not None:
            item = Item(Subject.EXPERIMENT, finished, cohort)
            peer = first if finished.owner != first else second
            services.post_comment(
                author=peer,
                item=item,
                body="We will try this next sprint:\n\n- a fixed agenda\n- **pre-reads** the day before",
            )
            services.toggle_reaction(person=peer, item=item, kind=ReactionKind.CELEBRATE)
            rows += 2
        report = (
            SessionReport.objects.filter(session__cohort=cohort, status=ReportStatus.PUBLISHED)
            .order_by("-published_at", "-pk")
            .first()
        )
        if report is not None:
            item = Item(Subject.REPORT, report, cohort)
            services.post_comment(author=second, item=item, body="Thanks for the **notes**.")
            services.toggle_reaction(person=first, item=item, kind=ReactionKind.THANKS)
            rows += 2
        return rows
