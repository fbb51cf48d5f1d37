"""Meeting slots: ranking by attendees then working hours, wrapping weeks, missing names."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cadre.engine.rotation import find_slots


def test_best_slot_names_who_cannot_come() -> None:
    availability = {"ana": {9, 10, 11}, "ben": {10, 11}, "cai": {11, 12}}
    best = find_slots(availability, session_minutes=60, top=3)
    assert [(o.start, o.attendees, o.missing) for o in best] == [
        (11, ("ana", "ben", "cai"), ()),
        (10, ("ana", "ben"), ("cai",)),
        (9, ("ana",), ("ben", "cai")),
    ]


def test_working_hours_break_ties_then_earliest_start() -> None:
    availability = {"ana": {1, 20}, "ben": {1, 20}}
    working = {"ana": {20}, "ben": {20}}
    best = find_slots(availability, session_minutes=45, working_hours_utc=working, top=2)
    assert [(o.start, o.in_working_hours) for o in best] == [(20, 2), (1, 0)]


def test_a_long_session_wraps_from_sunday_to_monday() -> None:
    best = find_slots({"ana": {167, 0}}, session_minutes=90, top=1)
    assert best[0].start == 167 and best[0].attendees == ("ana",)


def test_bad_hours_are_rejected() -> None:
    with pytest.raises(ValueError, match="0..167"):
        find_slots({"ana": {168}}, session_minutes=60)
    with pytest.raises(ValueError, match="session_minutes"):
        find_slots({"ana": {1}}, session_minutes=0)


@settings(max_examples=50, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["a", "b", "c", "d", "e"]),
        st.sets(st.integers(0, 167), max_size=60),
        min_size=1,
    ),
    st.integers(1, 240),
)
def test_ranking_and_membership_match_a_recount(
    availability: dict[str, set[int]], minutes: int
) -> None:
    options = find_slots(availability, session_minutes=minutes, top=168)
    assert len(options) == 168
    keys = [(-len(o.attendees), -o.in_working_hours, o.start) for o in options]
    assert keys == sorted(keys)
    length = math.ceil(minutes / 60)
    for o in options:
        needed = {(o.start + k) % 168 for k in range(length)}
        assert set(o.attendees) == {p for p, h in availability.items() if needed <= h}
        assert set(o.missing) == set(availability) - set(o.attendees)
