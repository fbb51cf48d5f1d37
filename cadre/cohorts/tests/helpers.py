"""Shared data for the cohort tests."""

from datetime import date, timedelta
from typing import Any


def valid_charter_data(**changes: Any) -> dict[str, Any]:
    """A charter edit form post that passes validation, starting from version 1."""
    data: dict[str, Any] = {
        "mission": "Cut incident recovery time by sharing what works.",
        "weekly_hours": "3",
        "learning_formats": ["case", "coaching"],
        "project_kinds": "Game days in our own teams",
        "norms": "Cameras on.\nStart on time.",
        "next_review_on": (date.today() + timedelta(days=90)).isoformat(),
        "change_note": "More time for game days.",
        "based_on": "1",
    }
    data.update(changes)
    return data
