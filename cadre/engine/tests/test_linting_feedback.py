"""The feedback check: worked examples for each problem, the rewrite passing its own check,
determinism, and the `cadre lint feedback` command line."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cadre.engine.linting import (
    ABOUT_THE_PERSON,
    GENERALIZATION,
    NO_BEHAVIOUR,
    NO_IMPACT,
    LintResult,
    check_commitment,
    check_feedback,
)
from cadre.engine.linting.cli import lint_main

GOOD = (
    "In Tuesday's standup, when you interrupted Maya twice, she stopped sharing her update"
    " and we missed the blocker she had."
)


def codes(text: str) -> set[str]:
    return {p.code for p in check_feedback(text).problems}


# --- worked examples ------------------------------------------------------------------


def test_situation_behaviour_impact_is_ok_and_kept_as_the_suggestion() -> None:
    result = check_feedback(GOOD)
    assert isinstance(result, LintResult)
    assert result.ok
    assert result.problems == []
    assert result.suggestion == GOOD


@pytest.mark.parametrize(
    "text",
    [
        "You are so lazy.",
        "You're not a team player.",
        "Typical of you to forget the handover notes.",
        "You're disorganised and it slows everyone down.",
        "Your attitude is a problem.",
    ],
)
def test_labels_and_traits_are_about_the_person(text: str) -> None:
    assert ABOUT_THE_PERSON in codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "You always show up late to meetings.",
        "You never answer emails, which means the client keeps chasing me.",
        "Every time we have a deadline you disappear.",
        "You constantly interrupt people, and it makes the team feel unheard.",
    ],
)
def test_always_never_are_generalizations(text: str) -> None:
    assert GENERALIZATION in codes(text)
    assert ABOUT_THE_PERSON not in codes(text)


def test_praise_or_advice_without_an_action_has_no_behaviour_and_no_impact() -> None:
    assert codes("Great job!") == {NO_BEHAVIOUR, NO_IMPACT}
    assert codes("You need to communicate better.") == {NO_BEHAVIOUR, NO_IMPACT}
    assert codes("The report was late.") == {NO_BEHAVIOUR, NO_IMPACT}


def test_a_behaviour_without_its_effect_has_no_impact() -> None:
    text = "In the design review you dismissed Lena's mockups before she finished presenting."
    assert codes(text) == {NO_IMPACT}
    longer = text[:-1] + ", and she didn't present again that week."
    assert codes(longer) == set()


def test_an_effect_without_a_behaviour_has_no_behaviour() -> None:
    assert codes("The build broke for two hours and nobody could deploy.") == {NO_BEHAVIOUR}


def test_praise_with_behaviour_and_impact_is_ok() -> None:
    assert check_feedback(
        "Thanks for covering my shift on Sunday; it meant I could be at my daughter's recital."
    ).ok


def test_messages_are_plain_sentences_in_code_order() -> None:
    result = check_feedback("You are lazy and you never help anyone.")
    assert [p.code for p in result.problems] == [
        ABOUT_THE_PERSON,
        GENERALIZATION,
        NO_BEHAVIOUR,
        NO_IMPACT,
    ]
    for problem in result.problems:
        assert problem.message.endswith(".") and len(problem.message) > 40


def test_suggestion_has_the_shape_and_keeps_the_persons_words() -> None:
    result = check_feedback("You never answer emails, which means the client keeps chasing me.")
    assert result.suggestion.startswith("In ")
    assert "when you didn't answer emails" in result.suggestion
    assert "the client keeps chasing me" in result.suggestion
    assert "Next time, could you " in result.suggestion and result.suggestion.endswith("?")
    situation = check_feedback("In the client workshop you kept checking your phone.").suggestion
    assert situation.startswith("In the client workshop, when you kept checking your phone, ")


# --- determinism and the suggestion property --------------------------------------------


def test_same_text_same_result() -> None:
    text = "You're constantly late with your timesheets."
    assert check_feedback(text) == check_feedback(text)
    assert check_feedback(text).to_dict() == check_feedback(text).to_dict()


WORDS = [
    "you",
    "you are",
    "you're",
    "lazy",
    "rude",
    "always",
    "never",
    "every time",
    "interrupted",
    "sent the report",
    "in the standup",
    "on Monday",
    "so the client",
    "waited",
    "and she",
    "left early",
    "great job",
    "typical of you",
    "which meant",
    ",",
    ".",
    "the team",
    "!",
    "not a team player",
]


@settings(max_examples=150, deadline=None)
@given(parts=st.lists(st.sampled_from(WORDS), max_size=12))
def test_every_suggestion_passes_the_check(parts: list[str]) -> None:
    result = check_feedback(" ".join(parts))
    assert check_feedback(result.suggestion).ok


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=80))
def test_any_text_gets_an_answer_and_a_passing_suggestion(text: str) -> None:
    result = check_feedback(text)
    assert result.ok == (result.problems == [])
    assert check_feedback(result.suggestion).ok


# --- the command line ------------------------------------------------------------------


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = lint_main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_json_has_exactly_the_documented_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["feedback", "You are so lazy.", "--json"], capsys)
    assert code == 1
    data = json.loads(out)
    assert set(data) == {"ok", "problems", "suggestion"}
    assert data["ok"] is False
    assert all(set(p) == {"code", "message"} for p in data["problems"])
    assert all(
        isinstance(p["code"], str) and isinstance(p["message"], str) for p in data["problems"]
    )
    assert isinstance(data["suggestion"], str)
    assert data == check_feedback("You are so lazy.").to_dict()


def test_cli_exits_0_when_ok(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["feedback", GOOD, "--json"], capsys)
    assert code == 0
    assert json.loads(out) == {"ok": True, "problems": [], "suggestion": GOOD}


def test_cli_without_json_prints_readable_lines(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["feedback", "Great job!"], capsys)
    assert code == 1
    assert "no_behaviour" in out and "Suggestion: In " in out


@pytest.mark.parametrize(
    "argv",
    [["feedback"], ["feedback", "   "], ["feedback", "x", "--due", "2026-11-27"], ["feedbak", "x"]],
)
def test_cli_bad_arguments_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(argv, capsys)
    assert code == 2
    assert err.strip()


def test_commitment_subcommand_still_works(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["commitment", "Complete prototype 1 by Friday", "--today", "2026-11-24", "--json"]
    code, out, _ = run(argv, capsys)
    assert code == 0
    assert json.loads(out)["ok"] is True
    assert check_commitment("work on it").ok is False


def test_a_trait_joined_to_another_word_is_still_about_the_person() -> None:
    codes = {p.code for p in check_feedback("You are always late and lazy").problems}
    assert {"about_the_person", "generalization"} <= codes
