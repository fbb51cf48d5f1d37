"""The commitment check: worked examples for each problem and each way of writing a date,
the rewrite passing its own check, determinism, and the `cadre lint` command line."""

from __future__ import annotations

import importlib
import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cadre.engine.linting import (
    NOT_OBSERVABLE,
    NOT_SPECIFIC,
    NOT_TIME_BOUND,
    check_commitment,
)
from cadre.engine.linting.cli import lint_main
from cadre.engine.linting.dates import find_deadlines

TUESDAY = date(2026, 11, 24)  # a Tuesday


def codes(
    text: str,
    *,
    due: date | None = None,
    today: date = TUESDAY,
    next_session: date | None = None,
) -> set[str]:
    result = check_commitment(text, due=due, today=today, next_session=next_session)
    return {p.code for p in result.problems}


# --- worked examples, one problem at a time -------------------------------------------


def test_a_specific_observable_dated_commitment_is_ok() -> None:
    result = check_commitment("Complete prototype 1 by Friday", today=TUESDAY)
    assert result.ok
    assert result.problems == []
    assert result.suggestion == "Complete prototype 1 by Friday."
    assert result.deadline == date(2026, 11, 27) and result.rewrite is not None
    assert result.rewrite.complete and result.rewrite.date_words == "by Friday"


def test_work_on_the_prototype_misses_all_three() -> None:
    result = check_commitment("work on the prototype", today=TUESDAY)
    assert [p.code for p in result.problems] == [NOT_SPECIFIC, NOT_OBSERVABLE, NOT_TIME_BOUND]
    assert result.problems[0].message == (
        "Say what you will do, not what you will work on: 'work on' does not say when it is done."
    )
    # The vague verb gives way to a strong one; the date is the writer's to give, not made up.
    assert result.suggestion == "Finish the prototype."
    assert result.rewrite is not None and result.rewrite.missing == ("due",)
    assert result.rewrite.prompt("due") == "When will it be done? Give a date."


@pytest.mark.parametrize(
    "text",
    [
        "Look into the latency spikes by Friday",
        "Think about our pricing by Friday",
        "Try to get better at giving feedback by Friday",
        "Explore options for a new CRM by Friday",
        "Improve my SQL by Friday",
        "Learn about accessibility testing by Friday",
        "Research competitor onboarding by Friday",
        "Consider a four-day week pilot by Friday",
        "Focus on retention by Friday",
        "Keep the wiki up to date by Friday",
        "Continue the user interviews by Friday",
        "Be more proactive in stand-ups by Friday",
    ],
)
def test_vague_verbs_are_not_specific(text: str) -> None:
    assert NOT_SPECIFIC in codes(text)


def test_try_to_is_a_hedge_even_when_the_rest_is_observable() -> None:
    assert codes("I'll try to send the contract to legal by Friday") == {NOT_SPECIFIC}
    result = check_commitment("I'll try to send the contract to legal by Friday", today=TUESDAY)
    assert "'try to' leaves room for not doing it" in result.problems[0].message
    assert result.suggestion == "Send the contract to legal by Friday."


def test_trying_a_concrete_thing_with_evidence_is_specific() -> None:
    text = "Try the new triage checklist with 3 customers and record what changed by Thursday"
    assert codes(text) == set()


def test_a_specific_verb_without_evidence_is_not_observable() -> None:
    assert codes("Read the book on negotiation by Friday") == {NOT_OBSERVABLE}
    assert codes("Ping the vendor tomorrow") == {NOT_OBSERVABLE}


@pytest.mark.parametrize(
    "text",
    [
        "Interview 5 customers who churned and post the notes by Friday",
        "Send the revised deck to Priya by Friday",
        "Merge the PR that moves billing to the new queue by Friday",
        "Close 20 tickets from the backlog by Friday",
        "Demo the search prototype to the sales team on Friday",
    ],
)
def test_deliverables_counts_and_sharing_are_observable(text: str) -> None:
    assert codes(text) == set()


def test_no_date_is_not_time_bound_and_the_message_proposes_one() -> None:
    result = check_commitment("Write the Q1 roadmap draft", today=TUESDAY)
    assert [p.code for p in result.problems] == [NOT_TIME_BOUND]
    assert "by Friday 27 November" in result.problems[0].message


def test_soon_and_asap_are_not_dates() -> None:
    assert codes("Ship the export feature ASAP") == {NOT_TIME_BOUND}
    assert codes("Ship the dark mode toggle to beta users, soon") == {NOT_TIME_BOUND}


def test_a_date_after_the_next_session_is_not_time_bound() -> None:
    result = check_commitment(
        "Publish the Q4 hiring dashboard by 15 December",
        today=TUESDAY,
        next_session=date(2026, 12, 1),
    )
    assert [p.code for p in result.problems] == [NOT_TIME_BOUND]
    assert "after the next session (Tuesday 1 December)" in result.problems[0].message
    assert result.suggestion == "Publish the Q4 hiring dashboard."
    assert result.rewrite is not None and result.rewrite.missing == ("due",)
    assert "on or before the next session (Tuesday 1 December)" in result.rewrite.prompt("due")


def test_a_date_already_past_is_not_time_bound() -> None:
    result = check_commitment("Write the roadmap draft by 2026-11-20", today=TUESDAY)
    assert [p.code for p in result.problems] == [NOT_TIME_BOUND]
    assert "already passed" in result.problems[0].message


def test_due_counts_as_the_deadline() -> None:
    assert codes("Send the proposal", due=date(2026, 11, 26)) == set()
    late = codes("Send the proposal", due=date(2027, 1, 30), next_session=date(2026, 12, 1))
    assert late == {NOT_TIME_BOUND}


def test_before_the_next_session_is_time_bound_even_without_its_date() -> None:
    result = check_commitment("Write the survey and send it to 50 users before the next session")
    assert result.ok
    assert result.suggestion.endswith("before the next session.")


# --- relative dates, read against a fixed today --------------------------------------


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("by Friday", date(2026, 11, 27)),
        ("on Tuesday", date(2026, 12, 1)),
        ("by fri", date(2026, 11, 27)),
        ("next Monday", date(2026, 11, 30)),
        ("by the 21st", date(2026, 12, 21)),
        ("by the 30th", date(2026, 11, 30)),
        ("tomorrow", date(2026, 11, 25)),
        ("by tmrw", date(2026, 11, 25)),
        ("today", date(2026, 11, 24)),
        ("by end of day", date(2026, 11, 24)),
        ("this week", date(2026, 11, 27)),
        ("next week", date(2026, 12, 4)),
        ("within 5 days", date(2026, 11, 29)),
        ("in two weeks", date(2026, 12, 8)),
        ("by March 3", date(2027, 3, 3)),
        ("by Dec 4", date(2026, 12, 4)),
        ("by 4 December", date(2026, 12, 4)),
        ("by Friday 27 November", date(2026, 11, 27)),
        ("by 2026-12-04", date(2026, 12, 4)),
        ("by the end of the month", date(2026, 11, 30)),
        ("by next month", date(2026, 12, 31)),
        ("by 11/30", date(2026, 11, 30)),
    ],
)
def test_relative_dates_are_read_against_today(words: str, expected: date) -> None:
    found = [d.when for d in find_deadlines(f"Send the report {words}", TUESDAY)]
    assert found == [expected]
    assert codes(f"Send the report {words}") == set()


def test_before_the_next_session_takes_the_session_date_when_known() -> None:
    session = date(2026, 12, 1)
    found = find_deadlines("share it before the next session", TUESDAY, session)
    assert [d.when for d in found] == [session]


def test_numbers_that_are_not_dates_are_left_alone() -> None:
    assert find_deadlines("offer 24/7 support to 3/4 of the accounts", TUESDAY) == []


# --- the rewrite, determinism ---------------------------------------------------------

VAGUE = [
    "work on",
    "look into",
    "think about",
    "try to improve",
    "explore",
    "improve",
    "learn about",
    "get better at",
    "research",
    "consider",
    "focus on",
    "keep working on",
    "continue",
    "deal with",
    "maybe look at",
    "reflect on",
    "start thinking about",
]
STRONG = ["Finish", "Send", "Write", "Publish", "Present", "Ship", "Draft", "Demo", "Fix"]
OBJECTS = [
    "the prototype",
    "the onboarding deck",
    "our pricing for the enterprise tier",
    "my SQL",
    "the migration plan",
    "customer churn",
    "the Q1 roadmap",
    "giving feedback",
    "the hiring funnel",
    "the flaky tests",
    "it",
    "accessibility testing",
    "the warehouse layout",
]
WHEN = [
    "",
    "by Friday",
    "by the 21st",
    "tomorrow",
    "next week",
    "before the next session",
    "within 5 days",
    "by March 3",
    "by 2026-11-20",
    "soon",
    "by 15 December",
]
LEAD = ["", "I will ", "I'll ", "I want to ", "We need to "]


@st.composite
def commitments(draw: st.DrawFn) -> str:
    lead = draw(st.sampled_from(LEAD))
    verb = draw(st.sampled_from(VAGUE + STRONG))
    obj = draw(st.sampled_from(OBJECTS))
    tail = draw(st.sampled_from(["", " and share it with the team", " more", ", and 3 notes"]))
    when = draw(st.sampled_from(WHEN))
    return f"{lead}{verb} {obj}{tail} {when}".strip()


def assert_rewrite_holds(
    text: str, today: date, next_session: date | None, deliverable: str = ""
) -> None:
    """A complete rewrite passes the check; an incomplete one passes once the missing date
    and deliverable are given, unless what to do is itself missing (then there is no text)."""
    result = check_commitment(text, today=today, next_session=next_session, deliverable=deliverable)
    rewrite = result.rewrite
    assert rewrite is not None and result.suggestion == rewrite.text
    assert result.ok == (not result.problems)
    assert (rewrite.text == "") == ("action" in rewrite.missing), (text, rewrite)
    assert [part for part, _prompt in rewrite.prompts] == list(rewrite.missing)
    if "action" in rewrite.missing:
        return
    again = check_commitment(
        rewrite.text,
        due=today if "due" in rewrite.missing else None,
        today=today,
        next_session=next_session,
        deliverable=deliverable
        or ("a written summary" if "deliverable" in rewrite.missing else ""),
    )
    assert again.ok, (text, rewrite, again.problems)


@settings(max_examples=300, deadline=None)
@given(
    text=commitments(),
    today=st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 12, 31)),
    session_in=st.one_of(st.none(), st.integers(min_value=0, max_value=21)),
)
def test_the_rewrite_passes_its_own_check_once_the_missing_parts_are_given(
    text: str, today: date, session_in: int | None
) -> None:
    next_session = None if session_in is None else date.fromordinal(today.toordinal() + session_in)
    assert_rewrite_holds(text, today, next_session)


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=80), today=st.dates(min_value=date(2025, 1, 1)))
def test_any_text_gets_an_answer_and_a_rewrite_that_holds(text: str, today: date) -> None:
    assert_rewrite_holds(text, today, None)


def test_the_same_input_always_gives_the_same_output() -> None:
    texts = ["work on the prototype", "Send 3 invoices by the 21st", "Improve my SQL soon"]
    first = [check_commitment(t, today=TUESDAY).to_dict() for t in texts]
    for _ in range(5):
        assert [check_commitment(t, today=TUESDAY).to_dict() for t in texts] == first


# --- the command line -----------------------------------------------------------------


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    # The `cadre` entry point itself (imported by name: it is outside the Django-free engine).
    cadre_main = importlib.import_module("cadre.cli").main
    code = int(cadre_main(["cadre", "lint", *argv]))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_json_has_exactly_the_documented_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        ["commitment", "work on the prototype", "--today", "2026-11-24", "--json"], capsys
    )
    assert code == 1
    data = json.loads(out)
    assert list(data) == ["ok", "problems", "suggestion", "deadline", "rewrite"]
    assert list(data["rewrite"]) == ["text", "parts", "missing", "prompts"]
    assert data["rewrite"]["missing"] == ["due"] and data["deadline"] is None
    assert data["ok"] is False
    assert [sorted(p) for p in data["problems"]] == [["code", "message"]] * 3
    assert [p["code"] for p in data["problems"]] == [NOT_SPECIFIC, NOT_OBSERVABLE, NOT_TIME_BOUND]
    assert data == check_commitment("work on the prototype", today=TUESDAY).to_dict()


def test_cli_exits_0_when_ok_and_reads_due(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["commitment", "Send the proposal", "--due", "2026-11-26", "--today", "2026-11-24"]
    code, out, _ = run([*argv, "--json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["ok"] is True and data["problems"] == []
    assert data["suggestion"] == "Send the proposal by Thursday 26 November."
    assert data["deadline"] == "2026-11-26"
    assert data["rewrite"] == {
        "text": "Send the proposal by Thursday 26 November.",
        "parts": {
            "action": "Send the proposal",
            "deliverable": "",
            "due": "2026-11-26",
            "date_words": "by Thursday 26 November",
        },
        "missing": [],
        "prompts": {},
    }


def test_cli_without_json_prints_readable_lines(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["commitment", "Improve my SQL", "--today", "2026-11-24"], capsys)
    assert code == 1
    assert out.startswith("Missing:\n  - not_specific: ")
    # "Improve my SQL" is a goal: no rewrite can say what to do without inventing it.
    assert "Suggestion: " not in out
    assert "Still to give:\n  - action: 'Improve my SQL' is a goal" in out
    code, out, _ = run(["commitment", "Look into the flaky tests", "--today", "2026-11-24"], capsys)
    assert "Suggestion: Share what I learn about the flaky tests.\n" in out
    assert "  - due: When will it be done? Give a date." in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["commitment", "Send it", "--due", "Friday"], "--due must be a date written YYYY-MM-DD"),
        (["commitment", "Send it", "--today", "2026-13-01"], "--today must be a date"),
        (["commitment"], "the following arguments are required: text"),
        (["commitment", "  "], "the commitment text is empty"),
        (["retro", "You are lazy"], "unknown kind 'retro'"),
        ([], "cadre lint"),
    ],
)
def test_cli_bad_arguments_exit_2_with_a_clear_message(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(argv, capsys)
    assert code == 2
    assert message in err


def test_lint_main_is_the_registered_entry_point(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        lint_main(["commitment", "Complete prototype 1 by 2026-11-27", "--today", "2026-11-24"])
        == 0
    )


def test_lint_is_registered_as_an_engine_command() -> None:
    commands = importlib.import_module("cadre.cli").ENGINE_COMMANDS
    assert commands["lint"] == "cadre.engine.linting.cli:lint_main"


def test_sharing_a_vague_thing_is_neither_specific_nor_observable() -> None:
    result = check_commitment("Share progress with the cohort by Friday", today=TUESDAY)
    assert [p.code for p in result.problems] == [NOT_SPECIFIC, NOT_OBSERVABLE]
    assert "does not name the thing itself" in result.problems[0].message
    # Which thing is the writer's to say: nothing is proposed, the question is asked.
    assert result.suggestion == "" and result.rewrite is not None
    assert result.rewrite.missing == ("action", "deliverable")
    assert "does not name the thing itself" in result.rewrite.prompt("action")
