"""Meetings that happened: the one definition of the figure, used by the ritual page, the
mentors page, the health overview and the cohort's built-in metric alike.

A pairing (a coffee group, a mentor match, a coaching group) *happened* when at least one of
its people answered "we met". A pairing is *asked* once any of its people has been asked."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from .models import Answer, MeetingCheck

PAIRING_FIELDS = ("kind", "coffee_group_id", "mentor_match_id", "coaching_group_id")


@dataclass(frozen=True)
class Met:
    happened: int
    asked: int
    answered: int

    def __str__(self) -> str:
        return f"{self.happened} of {self.asked}"


def count(rows: Iterable[tuple[Any, str]]) -> Met:
    """The figure from (pairing, answer) rows: the one place it is worked out."""
    asked: set[Any] = set()
    answered: set[Any] = set()
    happened: set[Any] = set()
    for key, answer in rows:
        asked.add(key)
        if answer != Answer.NOT_YET:
            answered.add(key)
        if answer == Answer.MET:
            happened.add(key)
    return Met(happened=len(happened), asked=len(asked), answered=len(answered))


def met(checks: QuerySet[MeetingCheck]) -> Met:
    """How many of the pairings among `checks` happened, were asked, and had an answer."""
    return count((row[:-1], row[-1]) for row in checks.values_list(*PAIRING_FIELDS, "answer"))


def met_by_kind(checks: QuerySet[MeetingCheck]) -> dict[str, Met]:
    """Kind of pairing -> `met` of the checks of that kind, in one query (a kind nobody was
    asked about is missing)."""
    by_kind: dict[str, list[tuple[Any, str]]] = {}
    for row in checks.values_list(*PAIRING_FIELDS, "answer"):
        by_kind.setdefault(row[0], []).append((row[:-1], row[-1]))
    return {kind: count(rows) for kind, rows in by_kind.items()}


def happened_at(checks: QuerySet[MeetingCheck]) -> list[datetime]:
    """When each pairing among `checks` that happened was first said to have happened."""
    first: dict[tuple[Any, ...], datetime] = {}
    for row in checks.filter(answer=Answer.MET, answered_at__isnull=False).values_list(
        *PAIRING_FIELDS, "answered_at"
    ):
        key, at = row[:-1], row[-1]
        if key not in first or at < first[key]:
            first[key] = at
    return sorted(first.values())


def met_by_coffee_round(round_ids: list[int]) -> dict[int, Met]:
    """Round id -> how many of its groups met, for a ritual's list of rounds."""
    by_round: dict[int, list[tuple[Any, str]]] = {}
    for round_id, group_id, answer in MeetingCheck.objects.filter(
        coffee_group__round_id__in=round_ids
    ).values_list("coffee_group__round_id", "coffee_group_id", "answer"):
        by_round.setdefault(round_id, []).append((group_id, answer))
    return {round_id: count(rows) for round_id, rows in by_round.items()}
