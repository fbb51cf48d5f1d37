"""`cadre lint commitment "TEXT" [--due YYYY-MM-DD] [--deliverable TEXT] [--today YYYY-MM-DD]
[--next-session YYYY-MM-DD] [--json]` and `cadre lint feedback "TEXT" [--json]`.

With --json, prints exactly {"ok": bool, "problems": [{"code": ..., "message": ...}],
"suggestion": str} for feedback, and the same with "deadline" and "rewrite" (its text,
parts, missing parts and their prompts) for a commitment; without it, a few readable lines. Relative dates in TEXT ("by Friday",
"by the 21st", "before the next session") are read against --today (the system date when
it is left out). Feedback is checked for labels aimed at the person, "always"/"never"
generalizations, and a missing behaviour or impact. Exit 0 when the text is ok, 1 when it has problems, 2 for bad
arguments.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import NoReturn

from .commitments import CommitmentLint, LintResult, check_commitment
from .feedback import PROMPTS, check_feedback

KINDS = ("commitment", "feedback")


class _ArgumentError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _ArgumentError(message)


def _day(option: str, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _ArgumentError(
            f"{option} must be a date written YYYY-MM-DD, such as 2026-11-27; got {value!r}"
        ) from None


def lint_main(argv: list[str]) -> int:
    """Run `cadre lint KIND ...`; returns the exit code."""
    if not argv or argv[0] in {"-h", "--help"}:
        print(__doc__.strip() if __doc__ else "", file=sys.stdout if argv else sys.stderr)
        return 0 if argv else 2
    kind, rest = argv[0], argv[1:]
    if kind not in KINDS:
        print(
            f"cadre lint: unknown kind {kind!r}; known kinds: {', '.join(KINDS)}",
            file=sys.stderr,
        )
        return 2
    if kind == "feedback":
        return _feedback_main(rest)
    parser = _Parser(
        prog="cadre lint commitment",
        description="Check that a commitment is specific, observable and time-bound.",
    )
    parser.add_argument("text", help="the commitment, in quotes")
    parser.add_argument("--due", help="the due date, YYYY-MM-DD")
    parser.add_argument("--deliverable", default="", help="what others will see when it is done")
    parser.add_argument("--today", help="the date relative dates are read against, YYYY-MM-DD")
    parser.add_argument("--next-session", help="the next session's date, YYYY-MM-DD")
    parser.add_argument("--json", action="store_true", help="print JSON")
    if any(a in {"-h", "--help"} for a in rest):
        parser.print_help()
        return 0
    try:
        args = parser.parse_args(rest)
        due = _day("--due", args.due)
        today = _day("--today", args.today)
        next_session = _day("--next-session", args.next_session)
        if not args.text.strip():
            raise _ArgumentError("the commitment text is empty")
    except _ArgumentError as error:
        print(f"cadre lint commitment: {error}", file=sys.stderr)
        return 2
    result = check_commitment(
        args.text,
        due=due,
        today=today,
        next_session=next_session,
        deliverable=args.deliverable,
    )
    if args.json:
        return _report(result, True, "")
    return _report_commitment(result)


def _feedback_main(rest: list[str]) -> int:
    parser = _Parser(
        prog="cadre lint feedback",
        description="Check that feedback describes a behaviour and its impact, not the person.",
    )
    parser.add_argument("text", help="the feedback, in quotes")
    parser.add_argument("--json", action="store_true", help="print JSON")
    if any(a in {"-h", "--help"} for a in rest):
        parser.print_help()
        return 0
    try:
        args = parser.parse_args(rest)
        if not args.text.strip():
            raise _ArgumentError("the feedback text is empty")
    except _ArgumentError as error:
        print(f"cadre lint feedback: {error}", file=sys.stderr)
        return 2
    result = check_feedback(args.text)
    return _report(result, args.json, "ok: a concrete behaviour and its impact.")


def _report_commitment(result: CommitmentLint) -> int:
    if result.ok:
        print("ok: specific, observable and time-bound.")
    else:
        print("Missing:")
        for problem in result.problems:
            print(f"  - {problem.code}: {problem.message}")
    rewrite = result.rewrite
    if result.suggestion:
        print(f"Suggestion: {result.suggestion}")
    if rewrite is not None and rewrite.missing:
        print("Still to give:")
        for part, prompt in rewrite.prompts:
            print(f"  - {part}: {prompt}")
    return 0 if result.ok else 1


def _report(result: LintResult, as_json: bool, ok_line: str) -> int:
    if as_json:
        print(json.dumps(result.to_dict(), ensure_ascii=False))
    else:
        if result.ok:
            print(ok_line)
        else:
            print("Missing:")
            for problem in result.problems:
                print(f"  - {problem.code}: {problem.message}")
        missing = getattr(result, "missing", ())
        if result.suggestion:
            print(f"Suggestion: {result.suggestion}")
        for part in missing:
            print(f"Still to say ({part}): {PROMPTS[part]}")
    return 0 if result.ok else 1
