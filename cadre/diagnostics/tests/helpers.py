"""Shared set-up for the diagnostics tests."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from cadre.diagnostics.models import Assessment, AssessmentRound, TargetSkill


def skill(cast: Any, name: str) -> Any:
    return cast.network.skills.get(name=name)


def set_targets(cast: Any, **levels: int) -> list[TargetSkill]:
    """set_targets(cast, facilitation=3, data_analysis=4): targets of `cast.cohort`."""
    result = []
    for key, level in levels.items():
        s = cast.network.skills.get(slug=key.replace("_", "-"))
        result.append(TargetSkill.objects.create(cohort=cast.cohort, skill=s, target_level=level))
    return result


def open_round(cohort: Any, label: str = "Start", days_ago: int = 0, peers: bool = False) -> Any:
    return AssessmentRound.open_next(
        cohort,
        label=label,
        opens_on=timezone.localdate() - timedelta(days=days_ago),
        peer_assessments_enabled=peers,
    )


def assess(round: Any, skill_slug: str, subject: Any, level: int, assessor: Any = None) -> Any:
    s = round.cohort.network.skills.get(slug=skill_slug)
    return Assessment.objects.create(
        round=round, skill=s, subject=subject, assessor=assessor or subject, level=level
    )
