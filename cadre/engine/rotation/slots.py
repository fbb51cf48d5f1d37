"""Weekly meeting slots across time zones.

Hours are UTC hours of the week, 0 = Monday 00:00 UTC to 167 = Sunday 23:00 UTC; callers
convert each member's local availability with the member's own time zone first. A slot of
`session_minutes` starting at hour h needs every hour h .. h + ceil(minutes / 60) - 1
(wrapping from Sunday to Monday). Every start is scored exactly: 168 starts x members.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass

HOURS_PER_WEEK = 168


@dataclass(frozen=True)
class SlotOption:
    """A weekly slot: who can come (members in the given order), who cannot, and how many
    of those who can come are inside their working hours for the whole slot."""

    start: int
    attendees: tuple[str, ...]
    missing: tuple[str, ...]
    in_working_hours: int


def _check_hours(what: str, person: str, hours: Collection[int]) -> None:
    for hour in hours:
        if isinstance(hour, bool) or not isinstance(hour, int) or not 0 <= hour < HOURS_PER_WEEK:
            raise ValueError(f"{what} of {person!r}: hours must be 0..167, got {hour!r}")


def find_slots(
    availability_utc: Mapping[str, Collection[int]],
    *,
    session_minutes: int,
    working_hours_utc: Mapping[str, Collection[int]] | None = None,
    top: int = 10,
) -> list[SlotOption]:
    """The `top` best weekly start hours for a session of `session_minutes` minutes.

    Ranked by attendees (people) descending, then attendees inside their working hours
    (people) descending, then start hour ascending. A person missing from
    `working_hours_utc` is never counted as inside working hours. Raises ValueError for
    hours outside 0..167, a non-positive or week-long session, or a negative `top`."""
    if isinstance(session_minutes, bool) or not isinstance(session_minutes, int):
        raise ValueError(f"session_minutes must be a whole number, got {session_minutes!r}")
    if not 0 < session_minutes <= HOURS_PER_WEEK * 60:
        raise ValueError(f"session_minutes must be 1..{HOURS_PER_WEEK * 60}, got {session_minutes}")
    if isinstance(top, bool) or not isinstance(top, int) or top < 0:
        raise ValueError(f"top must be a whole number >= 0, got {top!r}")
    length = math.ceil(session_minutes / 60)
    people = list(availability_utc)
    free = []
    for person in people:
        _check_hours("availability", person, availability_utc[person])
        free.append(frozenset(availability_utc[person]))
    working: list[frozenset[int]] = []
    for person in people:
        hours = (working_hours_utc or {}).get(person, ())
        _check_hours("working hours", person, hours)
        working.append(frozenset(hours))
    options = []
    for start in range(HOURS_PER_WEEK):
        needed = {(start + k) % HOURS_PER_WEEK for k in range(length)}
        attendees, missing, inside = [], [], 0
        for person, hours, work in zip(people, free, working, strict=True):
            if needed <= hours:
                attendees.append(person)
                inside += needed <= work
            else:
                missing.append(person)
        options.append(SlotOption(start, tuple(attendees), tuple(missing), inside))
    options.sort(key=lambda o: (-len(o.attendees), -o.in_working_hours, o.start))
    return options[:top]
