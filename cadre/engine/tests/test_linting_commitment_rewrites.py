"""The commitment rewrite reads as something a person would send: over every labelled row of
benchmarks/lint/commitments.csv (its form only; the verdicts are the benchmark's business) and
worked examples, no rewrite doubles a phrase, lower-cases a day or a month, or carries
placeholder text, and a complete rewrite passes the check itself."""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import pytest

from cadre.engine.linting import check_commitment
from cadre.engine.linting.dates import find_deadlines

ROWS_FILE = Path(__file__).resolve().parents[3] / "benchmarks" / "lint" / "commitments.csv"
TUESDAY = date(2026, 11, 24)

# Words that stand in for what the writer has not said: sent as they are, they say nothing.
PLACEHOLDER = re.compile(
    r"\[|\]|<|>|_{2,}|\.\.\.|…|\bTBD\b|\bTODO\b|\bXXX?\b|\bsomething\b|\bsomeone\b"
    r"|\bthe (?:specific )?thing\b|\bnext step\b|\bconcrete step\b|\byour?\b|\bplaceholder\b"
    r"|\betc\b",
    re.IGNORECASE,
)
DAYS_AND_MONTHS = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thur",
    "thurs",
    "fri",
    "sat",
    "sun",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
]
# Outside a date, "may", "march", "sat", "sun" and their kind are ordinary words.
UNAMBIGUOUS = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|april"
    r"|june|july|august|september|october|november|december)\b"
)


def load_rows() -> list[dict[str, str]]:
    with ROWS_FILE.open(encoding="utf-8") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


def day(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def ngrams(text: str, n: int) -> list[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9']+", text.lower())
    return [tuple(words[i : i + n]) for i in range(len(words) - n + 1)]


def doubled_phrases(original: str, rewrite: str) -> set[str]:
    """Phrases of three words or more the rewrite repeats and the original did not."""
    found = set()
    for n in range(3, 8):
        grams, before = ngrams(rewrite, n), ngrams(original, n)
        found |= {" ".join(g) for g in grams if grams.count(g) > 1 and before.count(g) < 2}
    return found


def lower_cased_days(text: str, today: date) -> list[str]:
    words = UNAMBIGUOUS.findall(text)
    for deadline in find_deadlines(text, today):
        span = text[deadline.start : deadline.end]
        words += [w for w in re.findall(r"[A-Za-z]+", span) if w in DAYS_AND_MONTHS]
    return words


def form_problems(
    original: str,
    *,
    today: date | None,
    due: date | None = None,
    next_session: date | None = None,
    deliverable: str = "",
) -> list[str]:
    """What is wrong with the rewrite's form (empty when it reads as sent)."""
    result = check_commitment(
        original, due=due, today=today, next_session=next_session, deliverable=deliverable
    )
    rewrite = result.rewrite
    assert rewrite is not None
    text = rewrite.text
    assert today is not None, "every row and example gives the day it is read on"
    problems = []
    if doubled := doubled_phrases(original, text):
        problems.append(f"doubled {sorted(doubled)}")
    if lower := lower_cased_days(text, today):
        problems.append(f"lower-cased {lower}")
    invented = {m.group(0).lower() for m in PLACEHOLDER.finditer(text)} - {
        m.group(0).lower() for m in PLACEHOLDER.finditer(original)
    }
    if invented:
        problems.append(f"placeholder {sorted(invented)}")
    if (text == "") != ("action" in rewrite.missing):
        problems.append("a text with the action missing, or none without")
    if text and not (text[0].isupper() and text.endswith(".")):
        problems.append("not a sentence")
    if re.search(r" [,.;]|,,|\.\.|\b(?:and|or|then)\.$|\b(\w+) \1\b", text, re.IGNORECASE):
        problems.append("broken punctuation or a doubled word")
    if rewrite.complete:
        again = check_commitment(
            text,
            today=today,
            next_session=next_session,
            deliverable=deliverable,
        )
        if not again.ok:
            problems.append(f"complete but fails {[p.code for p in again.problems]}")
    return problems


ROWS = load_rows()


def test_the_benchmark_has_every_labelled_row() -> None:
    assert len(ROWS) >= 271 and len({r["id"] for r in ROWS}) == len(ROWS)


@pytest.mark.parametrize("row", ROWS, ids=[r["id"] for r in ROWS])
def test_every_benchmark_rewrite_reads_as_sent(row: dict[str, str]) -> None:
    problems = form_problems(
        row["text"],
        due=day(row["due"]),
        today=day(row["today"]),
        next_session=day(row["next_session"]),
    )
    assert problems == [], (row["id"], problems)


@pytest.mark.parametrize(
    ("text", "rewrite"),
    [
        (
            "send the notes from tuesday's session to the team by friday",
            "Send the notes from Tuesday's session to the team by Friday.",
        ),
        ("work on the deck for Tuesday's session", "Finish the deck for Tuesday's session."),
        (
            "I'll try to send the contract to legal by Friday",
            "Send the contract to legal by Friday.",
        ),
        (
            "Look into the vendor SLA, maybe, by friday 27 november",
            "Share what I learn about the vendor SLA by Friday 27 November.",
        ),
        (
            "We need to think about how we price the enterprise tier",
            "Decide how we price the enterprise tier.",
        ),
        (
            "Be more structured in 1:1s and send the agenda ahead by Monday",
            "Send the agenda ahead by Monday.",
        ),
        (
            "Continue the interviews with Ana and María, hopefully done soon",
            "Finish the interviews with Ana and María.",
        ),
        (
            "Reflect on the last sprint by tomorrow",
            "Share what I learned from the last sprint by tomorrow.",
        ),
        ("Get the data pipeline working", "Fix the data pipeline."),
        ("Play around with Figma variables", "Try Figma variables and share what I learn."),
        ("Hire a senior designer by January", "Hire a senior designer."),
    ],
)
def test_worked_rewrites_keep_the_writers_words(text: str, rewrite: str) -> None:
    result = check_commitment(text, today=TUESDAY, next_session=date(2026, 12, 1))
    assert result.suggestion == rewrite
    assert form_problems(text, today=TUESDAY, next_session=date(2026, 12, 1)) == []


def test_a_missing_date_is_asked_for_not_invented() -> None:
    result = check_commitment("Write the Q1 roadmap draft", today=TUESDAY)
    assert result.rewrite is not None
    assert result.suggestion == "Write the Q1 roadmap draft."
    assert result.rewrite.missing == ("due",) and result.rewrite.due is None
    assert result.rewrite.prompt("due") == "When will it be done? Give a date."


def test_a_date_already_past_is_taken_out_and_asked_for_again() -> None:
    result = check_commitment("Write the roadmap draft by 2026-11-20", today=TUESDAY)
    assert result.rewrite is not None and result.suggestion == "Write the roadmap draft."
    assert "has passed" in result.rewrite.prompt("due")


def test_a_due_date_given_in_the_form_completes_the_rewrite() -> None:
    result = check_commitment("work on the prototype", due=date(2026, 11, 27), today=TUESDAY)
    assert result.rewrite is not None and result.rewrite.complete
    assert result.suggestion == "Finish the prototype by Friday 27 November."
    assert result.rewrite.due == date(2026, 11, 27)


def test_a_missing_deliverable_is_asked_for_and_the_deliverable_field_answers_it() -> None:
    result = check_commitment("Practice public speaking by Friday", today=TUESDAY)
    assert result.rewrite is not None and result.rewrite.missing == ("deliverable",)
    assert result.rewrite.prompt("deliverable").startswith("What will people see when it's done?")
    answered = check_commitment(
        "Practice public speaking by Friday",
        today=TUESDAY,
        deliverable="a 5-minute recording sent to my coach",
    )
    assert answered.ok and answered.rewrite is not None and answered.rewrite.complete
    assert answered.rewrite.deliverable == "a 5-minute recording sent to my coach"


def test_a_vague_deliverable_does_not_count() -> None:
    result = check_commitment(
        "Practice public speaking by Friday", today=TUESDAY, deliverable="stuff"
    )
    assert [p.code for p in result.problems] == ["not_specific", "not_observable"]


@pytest.mark.parametrize(
    "text", ["Be a better listener", "Improve team morale", "Learn Python", "Delegate more"]
)
def test_a_goal_gets_a_question_not_an_invented_step(text: str) -> None:
    result = check_commitment(text, today=TUESDAY)
    assert result.rewrite is not None
    assert result.suggestion == "" and result.rewrite.missing[0] == "action"
    prompt = result.rewrite.prompt("action")
    assert f"'{text}' is a goal, not yet an action" in prompt


def test_a_thing_that_is_not_named_is_asked_for() -> None:
    result = check_commitment("Do the thing we discussed", today=TUESDAY)
    assert result.rewrite is not None and result.suggestion == ""
    assert result.rewrite.prompt("action").startswith(
        "'Do the thing we discussed' does not say what the thing is"
    )


def test_a_good_commitment_is_left_as_written() -> None:
    text = (
        "Try a new retro format with my team on Tuesday and collect a 1-5 rating from each person"
    )
    result = check_commitment(text, today=TUESDAY)
    assert result.ok and result.suggestion == text + "."
    assert result.rewrite is not None and result.rewrite.action == (
        "Try a new retro format with my team and collect a 1-5 rating from each person"
    )
    assert result.rewrite.date_words == "on Tuesday" and result.rewrite.due == date(2026, 12, 1)
