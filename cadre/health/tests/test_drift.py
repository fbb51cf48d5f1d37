"""The pure signal layer: every signal below, at and above its threshold, without a
database."""

from datetime import UTC, date, datetime, timedelta

import pytest

from cadre.health import drift
from cadre.health.drift import (
    BlockerFact,
    CohortFacts,
    CommitmentFact,
    MemberFact,
    SessionFact,
    Thresholds,
)

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
TODAY = NOW.date()
LONG_AGO = TODAY - timedelta(days=90)
ANN, BEN, CAI = 1, 2, 3
MEMBERS = [
    MemberFact(ANN, "Ann", LONG_AGO, NOW - timedelta(days=1)),
    MemberFact(BEN, "Ben", LONG_AGO, NOW - timedelta(days=1)),
    MemberFact(CAI, "Cai", LONG_AGO, NOW - timedelta(days=1)),
]


def facts(**kwargs):
    return CohortFacts(now=NOW, members=kwargs.pop("members", MEMBERS), **kwargs)


def codes(f, t=None):
    return [s.code for s in drift.signals(f, t or Thresholds())]


def test_a_quiet_steady_cohort_has_no_signals_and_is_ok():
    f = facts()
    assert drift.signals(f) == []
    assert drift.status_of([]) == drift.OK


# --- attendance falling -------------------------------------------------------------------


def sessions_with(earlier: list[int], recent: list[int], size: int = 10):
    """Sessions a week apart, oldest first, with `present` of `size` people each."""
    rates = earlier + recent
    start = NOW - timedelta(days=7 * len(rates))
    return [
        SessionFact(start + timedelta(days=7 * i), present=p, absent=size - p)
        for i, p in enumerate(rates)
    ]


@pytest.mark.parametrize(
    ("recent", "fires"),
    [([8, 8, 8], False), ([7, 7, 7], False), ([6, 6, 6], True), ([5, 5, 5], True)],
)
def test_attendance_falling_fires_from_the_drop_in_points(recent, fires):
    # Earlier 90%; threshold 30 points: 80% (10) and 70% (20) below... 60% (30) at, 50% above.
    t = Thresholds(attendance_drop_points=30)
    f = facts(sessions=sessions_with([9, 9, 9], recent))
    assert ("attendance_falling" in codes(f, t)) is fires


def test_attendance_falling_explains_the_numbers_and_since_when():
    f = facts(sessions=sessions_with([9, 9, 9, 9], [5, 4, 3]))
    (signal,) = [s for s in drift.signals(f) if s.code == "attendance_falling"]
    assert "from 90% in the 4 sessions before to 40% in the last 3 sessions" in signal.message
    assert signal.since == f.sessions[-3].starts_at.date()
    assert signal.numbers["drop"] == 50
    assert signal.severity == drift.ALERT  # 50 points is more than twice the default 20
    assert signal.action


def test_attendance_needs_sessions_before_the_window_and_ignores_unrecorded_ones():
    assert "attendance_falling" not in codes(facts(sessions=sessions_with([], [2, 2, 2])))
    unrecorded = [SessionFact(NOW - timedelta(days=40 + i)) for i in range(5)]
    only = facts(sessions=unrecorded + sessions_with([], [2, 2, 2]))
    assert "attendance_falling" not in codes(only)


# --- commitments missed in a row ------------------------------------------------------------


def commitments(owner: int, statuses: str) -> list[CommitmentFact]:
    """'dmm' -> done, missed, missed, oldest first, a week apart."""
    names = {"d": "done", "m": "missed"}
    return [
        CommitmentFact(owner, names[s], TODAY - timedelta(days=7 * (len(statuses) - i)))
        for i, s in enumerate(statuses)
    ]


@pytest.mark.parametrize(
    ("statuses", "fires"),
    [("dmm", False), ("mmd", False), ("dmmm", True), ("mmmm", True), ("m", False)],
)
def test_commitments_missed_fires_at_the_threshold_of_a_run(statuses, fires):
    t = Thresholds(missed_in_a_row=3)
    assert (
        "commitments_missed" in codes(facts(commitments=commitments(ANN, statuses)), t)
    ) is fires


def test_commitments_missed_names_the_member_for_hosts_but_not_in_the_summary():
    f = facts(commitments=commitments(BEN, "dmm"))
    (signal,) = drift.signals(f)
    assert "Ben missed 2 in a row" in signal.message
    assert "Ben" not in signal.summary and "1 member" in signal.summary


def test_commitments_of_people_who_left_do_not_count():
    f = facts(commitments=commitments(99, "mmmm"))
    assert "commitments_missed" not in codes(f)


# --- blockers unanswered --------------------------------------------------------------------


@pytest.mark.parametrize(("hours", "fires"), [(47, False), (48, True), (60, True)])
def test_blockers_unanswered_fire_after_the_wait(hours, fires):
    f = facts(blockers=[BlockerFact(ANN, "No test data", NOW - timedelta(hours=hours))])
    assert ("blockers_unanswered" in codes(f)) is fires


def test_a_blocker_with_an_offer_is_not_unanswered():
    f = facts(blockers=[BlockerFact(ANN, "x", NOW - timedelta(days=9), offered=True)])
    assert codes(f) == []


def test_an_old_unanswered_blocker_is_an_alert_with_its_text_for_hosts_only():
    f = facts(blockers=[BlockerFact(CAI, "Need prod access", NOW - timedelta(days=5))])
    (signal,) = drift.signals(f)
    assert signal.severity == drift.ALERT
    assert "Cai: “Need prod access”" in signal.message and "the oldest for 5 days" in signal.message
    assert "Cai" not in signal.summary and "Need prod access" not in signal.summary
    assert drift.status_of([signal]) == drift.DRIFTING


# --- no updates -----------------------------------------------------------------------------


@pytest.mark.parametrize(("days", "fires"), [(6, False), (7, True), (8, True)])
def test_no_updates_fires_after_the_gap(days, fires):
    people = [MemberFact(ANN, "Ann", LONG_AGO, NOW - timedelta(days=days)), *MEMBERS[1:]]
    assert ("no_updates" in codes(facts(members=people))) is fires


def test_new_members_are_not_flagged_for_no_updates_and_never_is_said():
    people = [
        MemberFact(ANN, "Ann", TODAY - timedelta(days=2)),  # just joined
        MemberFact(BEN, "Ben", LONG_AGO),  # never posted
        MEMBERS[2],
    ]
    (signal,) = drift.signals(facts(members=people))
    # Three members, one of them new: the count names who it is out of.
    assert signal.message.startswith(
        "1 of the 2 members in the cohort for 7 days or more posted no update in the last 7 days"
    )
    assert signal.summary == (
        "1 of the 2 members in the cohort for 7 days or more posted no update in the last 7 days."
    )
    assert "Ben (never)" in signal.message and "Ann" not in signal.message
    assert signal.severity == drift.WARNING  # half, not more than half


# --- roles not rotating ---------------------------------------------------------------------


def role_sessions(holders: list[int]) -> list[SessionFact]:
    start = NOW - timedelta(days=7 * len(holders))
    return [
        SessionFact(start + timedelta(days=7 * i), roles={"facilitator": h, "note-taker": 50 + i})
        for i, h in enumerate(holders)
    ]


@pytest.mark.parametrize(
    ("holders", "fires"),
    [([ANN, BEN, ANN, ANN], False), ([BEN, ANN, ANN, ANN], True), ([ANN] * 5, True)],
)
def test_roles_not_rotating_fires_when_one_person_holds_a_role_n_times_running(holders, fires):
    assert ("roles_not_rotating" in codes(facts(sessions=role_sessions(holders)))) is fires


def test_roles_not_rotating_counts_the_whole_run():
    (signal,) = drift.signals(facts(sessions=role_sessions([BEN, ANN, ANN, ANN, ANN])))
    assert "Ann has been facilitator for the last 4 sessions" in signal.message
    assert "Ann" not in signal.summary and "facilitator" in signal.summary


# --- charter review -------------------------------------------------------------------------


@pytest.mark.parametrize(("days_overdue", "fires"), [(6, False), (7, False), (8, True)])
def test_charter_review_overdue_after_the_grace_days(days_overdue, fires):
    f = facts(charter_review_on=TODAY - timedelta(days=days_overdue))
    assert ("charter_review_overdue" in codes(f, Thresholds(charter_grace_days=7))) is fires


def test_charter_review_due_today_is_not_overdue_yet_with_no_grace():
    assert codes(facts(charter_review_on=TODAY)) == []
    (signal,) = drift.signals(facts(charter_review_on=TODAY - timedelta(days=1)))
    assert (
        signal.message
        == f"The charter was due for review on {TODAY - timedelta(days=1):%-d %b %Y}: 1 day ago."
    )


# --- ordering and status --------------------------------------------------------------------


def test_alerts_come_first_and_three_warnings_make_a_cohort_drift():
    f = facts(
        commitments=commitments(ANN, "mm"),
        charter_review_on=TODAY - timedelta(days=3),
        sessions=role_sessions([ANN, ANN, ANN]),
    )
    found = drift.signals(f)
    assert [s.code for s in found] == [
        "commitments_missed",
        "roles_not_rotating",
        "charter_review_overdue",
    ]
    assert all(s.severity == drift.WARNING for s in found)
    assert drift.status_of(found) == drift.DRIFTING
    assert drift.status_of(found[:2]) == drift.WATCH
    assert found[0].as_dict()["since"] == (TODAY - timedelta(days=14)).isoformat()


def test_a_former_member_is_named_as_such():
    f = facts(blockers=[BlockerFact(42, "x", NOW - timedelta(days=3))])
    assert "A former member" in drift.signals(f)[0].message


def test_facts_today_is_the_date_of_now():
    assert facts().today == date(2026, 11, 30)
