"""Shared set-up for the coaching tests."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from cadre.coaching.models import CoachingSession, Feedback
from cadre.coaching.services import open_session
from cadre.rotations.models import CoachingGroup, CoachingRound, CoachingSeat

GOOD = {
    "situation": "In Tuesday's stand-up",
    "behaviour": "you interrupted Maya twice",
    "impact": "she stopped sharing her update and we missed her blocker",
    "suggestion": "Next time, could you let her finish first?",
}
PERSONAL = {
    "situation": "",
    "behaviour": "You are always so rude",
    "impact": "",
    "suggestion": "",
}


def rotation(cohort: Any, *groups: dict[str, Any], starts_in: int = -1) -> CoachingRound:
    """A round of `cohort` starting `starts_in` days from today, with one group per
    {"coachee": user, "coach": user, "observer": user} mapping."""
    number = CoachingRound.objects.filter(cohort=cohort).count() + 1
    round_ = CoachingRound.objects.create(
        cohort=cohort,
        number=number,
        starts_on=timezone.localdate() + timedelta(days=starts_in),
        format="triad" if any("observer" in g for g in groups) else "pair",
    )
    for index, seats in enumerate(groups):
        group = CoachingGroup.objects.create(round=round_, index=index)
        for role, user in seats.items():
            CoachingSeat.objects.create(group=group, user=user, role=role)
    return round_


def session(cohort: Any, coachee: Any, coach: Any, **fields: Any) -> CoachingSession:
    """An ad-hoc session (the cohort must have no running round)."""
    fields.setdefault("focus", "Running calmer incident reviews")
    fields.setdefault("help_wanted", "challenge")
    return open_session(coachee, cohort, coach_id=coach.pk, **fields)


def feedback(cohort: Any, giver: Any, receiver: Any, **fields: Any) -> Feedback:
    return Feedback.objects.create(
        cohort=cohort, giver=giver, receiver=receiver, **{**GOOD, **fields}
    )
