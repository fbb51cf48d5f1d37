"""The demo's peer coaching: the network's default bank of coach prompts, and in every story
cohort (builder.STORY_COHORTS) three coaching sessions (held in the running round's groups where there is one, ad
hoc otherwise) with notes and next steps, one of them turned into a commitment on the board,
plus three pieces of feedback: one private, one the receiver shared with the cohort, and one
given as written although the feedback check flagged it.

Nothing here draws from the builder's random generator, so what was built before stays the
same for a given seed; the choices are made from the cohort's own ordering."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from cadre.accountability.models import Commitment
from cadre.accountability.services import session_held_on
from cadre.coaching.models import (
    CoachingSession,
    CoachPrompt,
    Feedback,
    FeedbackVisibility,
    HelpKind,
    choose_prompts,
)
from cadre.coaching.services import check, commit_next_step, problem_list
from cadre.cohorts.models import Cohort
from cadre.networks.models import Network
from cadre.rotations.models import CoachingRound, SeatRole

if TYPE_CHECKING:
    from cadre.demo.builder import Builder

SESSIONS = [
    (
        "Running incident reviews that do not turn into blame",
        HelpKind.CHALLENGE,
        "We agreed that the facilitator speaks last. I will try it once and see.",
        "Run Thursday's incident review with the five-whys template and send the notes by Friday",
    ),
    (
        "Saying no to the third urgent request in a week",
        HelpKind.THINK_ALOUD,
        "Most requests are not urgent for the requester either; I have never asked.",
        "Ask each requester for a due date before I accept anything new this week",
    ),
    (
        "Getting useful feedback on my first design review",
        HelpKind.FEEDBACK,
        "The review ran over because the decision was not stated up front.",
        "Open the next design review with the decision we need, in one sentence",
    ),
]

FEEDBACK = [
    (
        FeedbackVisibility.PRIVATE,
        {
            "situation": "In Tuesday's incident review",
            "behaviour": "you asked the on-call engineer what they noticed first",
            "impact": "she walked us through the timeline and we found the missing alert",
            "suggestion": "Next time, could you ask that question at the start too?",
        },
    ),
    (
        FeedbackVisibility.COHORT,
        {
            "situation": "At the demo on Monday",
            "behaviour": "you showed the failed experiment before the one that worked",
            "impact": "the others shared their own failures and the discussion got honest",
            "suggestion": "Keep opening with what did not work.",
        },
    ),
    (
        FeedbackVisibility.PRIVATE,
        {
            "situation": "",
            "behaviour": "You are always so quick to jump in",
            "impact": "",
            "suggestion": "",
        },
    ),
]


class CoachingBuilder:
    def __init__(self, builder: Builder) -> None:
        self.b = builder

    def build(self, network: Network) -> int:
        CoachPrompt.objects.ensure_defaults(network)
        bank = list(CoachPrompt.objects.active().filter(network=network))
        rows = len(bank)
        cohorts = self.b.story_cohorts(network)
        for cohort in cohorts:
            rows += self.cohort(cohort, bank)
        self.b.step("coaching sessions and feedback", rows)
        return rows

    def trios(self, cohort: Cohort) -> list[tuple[Any, Any, Any]]:
        """(coachee, coach, observer or None) for up to three sessions: the running round's
        groups when there is one, otherwise neighbours in the roster taking turns."""
        current = (
            CoachingRound.objects.started(self.b.today)
            .filter(cohort=cohort)
            .order_by("-number")
            .prefetch_related("groups__seats__user")
            .first()
        )
        if current is not None:
            found = []
            for group in current.groups.all():
                seats = {s.role: s.user for s in group.seats.all()}
                if SeatRole.COACHEE in seats and SeatRole.COACH in seats:
                    found.append(
                        (seats[SeatRole.COACHEE], seats[SeatRole.COACH], seats.get("observer"))
                    )
            if found:
                return found[: len(SESSIONS)]
        members = [
            m.user
            for m in cohort.memberships.active().select_related("user").order_by("user__email")
        ][:4]
        if len(members) < 2:
            return []
        return [
            (members[i % len(members)], members[(i + 1) % len(members)], None)
            for i in range(min(len(SESSIONS), len(members)))
        ]

    def cohort(self, cohort: Cohort, bank: list[CoachPrompt]) -> int:
        trios = self.trios(cohort)
        if not trios:
            return 0
        now = self.b.now
        sessions = []
        for index, ((coachee, coach, observer), (focus, kind, notes, step)) in enumerate(
            zip(trios, SESSIONS, strict=False)
        ):
            sessions.append(
                CoachingSession(
                    cohort=cohort,
                    coachee=coachee,
                    coach=coach,
                    observer=observer,
                    focus=focus,
                    help_wanted=kind,
                    prompts=choose_prompts(bank, 0),
                    notes=notes,
                    observer_notes="The coach asked open questions and waited." if observer else "",
                    next_step=step,
                    created_at=now - timedelta(days=2 + index),
                    updated_at=now - timedelta(days=2 + index),
                )
            )
        sessions = self.b.bulk(CoachingSession, sessions)
        first = sessions[0]
        # The coachee commits to the next step as the session page lets them; the commitment
        # is then dated the coaching session's day (with the cohort's session held that day).
        committed = commit_next_step(
            first.coachee, first, due_on=self.b.today + timedelta(days=4), keep_anyway=True
        )
        held = session_held_on(cohort, cohort.today(first.created_at))
        Commitment.objects.filter(pk=committed.pk).update(created_at=first.created_at, session=held)
        feedback = []
        for session, (visibility, parts) in zip(sessions * 3, FEEDBACK, strict=False):
            giver, receiver = session.coach, session.coachee
            feedback.append(
                Feedback(
                    cohort=cohort,
                    giver=giver,
                    receiver=receiver,
                    coaching_session=session,
                    problems=problem_list(check(**parts)),
                    kept_anyway=not check(**parts).ok,
                    visibility=visibility,
                    created_at=session.created_at,
                    **parts,
                )
            )
        self.b.bulk(Feedback, feedback)
        return len(sessions) + len(feedback) + 1
