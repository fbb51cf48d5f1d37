"""Role rotas: evenness, absences, one role per person per session, no back-to-back, past
sessions fixed."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cadre.engine.rotation import rotate_roles

ROLES = ["facilitator", "note-taker", "data reporter", "timekeeper"]


def spread(counts: dict[str, dict[str, int]], members: list[str], role: str) -> int:
    values = [counts[p][role] for p in members]
    return max(values) - min(values)


@settings(max_examples=80, deadline=None)
@given(st.integers(2, 9), st.integers(1, 4), st.integers(1, 16), st.integers(0, 1000))
def test_counts_per_role_differ_by_at_most_one_without_absences(
    m: int, k: int, t: int, seed: int
) -> None:
    k = min(k, m)
    members, roles = [f"m{i}" for i in range(m)], ROLES[:k]
    sessions = [f"s{i}" for i in range(t)]
    result = rotate_roles(members, sessions, roles, seed=seed)
    assert result.status == "solved", result.message
    for role in roles:
        assert spread(result.counts, members, role) <= 1
    for i, session in enumerate(result.assignments):
        held = [p for p in session.values() if p is not None]
        assert len(held) == k and len(set(held)) == k
        if i:
            assert all(result.assignments[i - 1][r] != p for r, p in session.items())


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 9), st.integers(1, 3), st.integers(2, 14), st.data())
def test_regenerating_keeps_the_past_and_stays_even(
    m: int, k: int, t: int, data: st.DataObject
) -> None:
    k = min(k, m)
    members, roles = [f"m{i}" for i in range(m)], ROLES[:k]
    sessions = [f"s{i}" for i in range(t)]
    first = rotate_roles(members, sessions, roles)
    cut = data.draw(st.integers(0, t))
    past = [{r: p for r, p in a.items() if p is not None} for a in first.assignments[:cut]]
    snapshot = [dict(s) for s in past]
    again = rotate_roles(
        members, sessions[cut:], roles, past=past, seed=data.draw(st.integers(0, 9))
    )
    assert past == snapshot
    assert len(again.assignments) == t - cut
    assert again.status == "solved", again.message
    if cut and cut < t:
        assert all(past[-1][r] != p for r, p in again.assignments[0].items())


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 8), st.integers(1, 4), st.integers(1, 10), st.data())
def test_absences_are_honoured_and_nobody_holds_two_roles(
    m: int, k: int, t: int, data: st.DataObject
) -> None:
    members, roles = [f"m{i}" for i in range(m)], ROLES[:k]
    sessions = [f"s{i}" for i in range(t)]
    absences = {p: data.draw(st.sets(st.sampled_from(sessions), max_size=t)) for p in members}
    result = rotate_roles(members, sessions, roles, absences=absences)
    for session, chosen in zip(sessions, result.assignments, strict=True):
        here = [p for p in members if session not in absences[p]]
        held = [p for p in chosen.values() if p is not None]
        assert len(held) == len(set(held)) == min(k, len(here))
        assert all(session not in absences[p] for p in held)


def test_a_newcomer_catches_up_and_a_leaver_is_no_longer_asked() -> None:
    roles = ["facilitator", "note-taker"]
    past = [
        {"facilitator": "ana", "note-taker": "ben"},
        {"facilitator": "ben", "note-taker": "ana"},
    ]
    result = rotate_roles(["ana", "cai"], ["s3", "s4"], roles, past=past)
    assert all(set(a.values()) <= {"ana", "cai"} for a in result.assignments)
    assert result.counts["cai"] == {"facilitator": 1, "note-taker": 1}
    assert result.counts["ben"] == {"facilitator": 1, "note-taker": 1}


def test_nobody_available_leaves_roles_empty() -> None:
    result = rotate_roles(["ana"], ["s1"], ["facilitator", "note-taker"], absences={"ana": {"s1"}})
    assert result.assignments == [{"facilitator": None, "note-taker": None}]
    assert result.status == "partial" and "empty" in result.message


def test_bad_input_is_reported() -> None:
    assert rotate_roles(["a", "a"], ["s"], ["r"]).status == "invalid"
    assert rotate_roles(["a"], ["s"], [""]).status == "invalid"
