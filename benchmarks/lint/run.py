"""Lint benchmarks: precision, recall and F1 per problem code on the hand-labelled
commitments in commitments.csv and feedback in feedback.csv, tune and holdout rows
separately; writes RESULTS.md here (one section each).

    .venv/bin/python benchmarks/lint/run.py [--errors tune] [--no-write]
    .venv/bin/python benchmarks/lint/run.py --tune-only [--errors tune]  # while tuning

The library is called for every row; the exact command line `cadre lint commitment TEXT
[--due D] --today T [--next-session S] --json` is also run as a subprocess on a sample of
rows (every 10th) and its JSON must equal the library's; likewise `cadre lint feedback TEXT
--json`. --errors tune prints the tune rows either check gets wrong (the only rows ever
looked at while tuning the rules); --tune-only scores the feedback check on its tune rows
alone and writes nothing, so that no holdout figure is seen while changing the rules.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from cadre.engine.linting import (  # noqa: E402
    CODES,
    FEEDBACK_CODES,
    check_commitment,
    check_feedback,
    compose,
)

HERE = Path(__file__).resolve().parent
# The installed `cadre` script when this checkout has its own virtualenv; otherwise the same
# entry point run as a module from this checkout (a git worktree using another's virtualenv).
CADRE = str(ROOT / ".venv" / "bin" / "cadre")
CADRE_CMD = [CADRE] if Path(CADRE).exists() else [sys.executable, "-m", "cadre"]
DATA = HERE / "commitments.csv"
FEEDBACK_DATA = HERE / "feedback.csv"
SECOND_READER = HERE / "feedback-second-reader.csv"


def load(path: Path = DATA) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


def day(value: str) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def predict(row: dict[str, str]) -> set[str]:
    result = check_commitment(
        row["text"],
        due=day(row["due"]),
        today=day(row["today"]),
        next_session=day(row["next_session"]),
    )
    return {p.code for p in result.problems}


def command(row: dict[str, str]) -> list[str]:
    cmd = [*CADRE_CMD, "lint", "commitment", row["text"]]
    if row["due"]:
        cmd += ["--due", row["due"]]
    cmd += ["--today", row["today"]]
    if row["next_session"]:
        cmd += ["--next-session", row["next_session"]]
    return [*cmd, "--json"]


def scores(
    rows: list[dict[str, str]],
    predicted: dict[str, set[str]],
    codes: tuple[str, ...] = CODES,
) -> list[list[str]]:
    table = []
    for code in codes:
        tp = sum(1 for r in rows if r[code] == "1" and code in predicted[r["id"]])
        fp = sum(1 for r in rows if r[code] == "0" and code in predicted[r["id"]])
        fn = sum(1 for r in rows if r[code] == "1" and code not in predicted[r["id"]])
        support = sum(1 for r in rows if r[code] == "1")
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        table.append(
            [
                f"`{code}`",
                str(support),
                str(tp),
                str(fp),
                str(fn),
                f"{precision:.3f}",
                f"{recall:.3f}",
                f"{f1:.3f}",
            ]
        )
    ok_right = sum(1 for r in rows if (not predicted[r["id"]]) == all(r[c] == "0" for c in codes))
    exact = sum(1 for r in rows if predicted[r["id"]] == {c for c in codes if r[c] == "1"})
    table.append(
        ["ok (no problem)", "", "", "", "", "", "", f"accuracy {ok_right / len(rows):.3f}"]
    )
    every = "all three" if len(codes) == 3 else f"all {len(codes)}"
    table.append(
        [f"{every} labels right", "", "", "", "", "", "", f"accuracy {exact / len(rows):.3f}"]
    )
    return table


def markdown(table: list[list[str]]) -> str:
    head = ["problem", "rows with it", "TP", "FP", "FN", "precision", "recall", "F1"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in table]
    return "\n".join(lines)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} logical CPUs; {platform.system()} {platform.release()};"
        f" Python {platform.python_version()}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", choices=["tune"], help="print the tune rows it gets wrong")
    parser.add_argument("--no-write", action="store_true", help="do not write RESULTS.md")
    parser.add_argument("--cli-every", type=int, default=10, help="run the CLI on every Nth row")
    parser.add_argument(
        "--tune-only",
        action="store_true",
        help="score the feedback check on its tune rows only (no holdout figure is computed,"
        " nothing is written): the loop to use while changing the rules",
    )
    args = parser.parse_args()
    if args.tune_only:
        return tune_only(show_errors=args.errors == "tune")

    rows = load()
    predicted = {r["id"]: predict(r) for r in rows}
    if args.errors == "tune":
        for r in rows:
            if r["split"] != "tune":
                continue  # holdout rows are never looked at
            want = {c for c in CODES if r[c] == "1"}
            if predicted[r["id"]] != want:
                print(
                    r["id"],
                    r["text"],
                    "| missed:",
                    sorted(want - predicted[r["id"]]),
                    "| extra:",
                    sorted(predicted[r["id"]] - want),
                )

    feedback = feedback_section(args.errors == "tune", args.cli_every)

    sample = rows[:: args.cli_every]
    mismatches = []
    for r in sample:
        cmd = command(r)
        out = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=ROOT)
        expected = check_commitment(
            r["text"], due=day(r["due"]), today=day(r["today"]), next_session=day(r["next_session"])
        )
        want_code = 0 if expected.ok else 1
        if out.returncode != want_code or json.loads(out.stdout) != expected.to_dict():
            mismatches.append(r["id"])
    print(f"CLI sample: {len(sample)} rows, {len(mismatches)} mismatches {mismatches}")

    splits = {name: [r for r in rows if r["split"] == name] for name in ("tune", "holdout")}
    sections = []
    for name, subset in splits.items():
        table = scores(subset, predicted)
        sections.append(f"### {name} ({len(subset)} commitments)\n\n{markdown(table)}\n")
        print(name, len(subset))
        print(markdown(table))
    rewrites = rewrite_figures(rows)
    print(rewrites[0])
    if args.no_write:
        return 1 if mismatches or feedback[1] or rewrites[1] else 0

    wrong_lines = []
    for r in rows:
        want = {c for c in CODES if r[c] == "1"}
        if predicted[r["id"]] != want:
            missed = ", ".join(sorted(want - predicted[r["id"]])) or "-"
            extra = ", ".join(sorted(predicted[r["id"]] - want)) or "-"
            wrong_lines.append(f"| {r['id']} | {r['split']} | {r['text']} | {missed} | {extra} |")
    wrong = "\n".join(
        ["| id | split | commitment | missed | reported wrongly |", "|---|---|---|---|---|"]
        + wrong_lines
    )
    example = shlex.join(["cadre", *command(sample[0])[len(CADRE_CMD) :]])
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    text = f"""# Commitment check benchmark

Generated by `benchmarks/lint/run.py` on {now}; do not edit by hand. Reproduce with:

    make bench-lint  # = .venv/bin/python benchmarks/lint/run.py

Machine: {machine()}.

## Data

`commitments.csv` holds {len(rows)} commitments written by hand for this benchmark (ops,
product, data, design, sales, HR and engineering; short and long; some with typos), each
with the date it was written (`today`), an optional due date and an optional next-session
date, and three 0/1 labels: `not_specific`, `not_observable`, `not_time_bound`.
The {len(splits["holdout"])} `holdout` rows were written first, before any rule was coded,
and were never used to tune the rules; the {len(splits["tune"])} `tune` rows were written
next, and only their errors were looked at while tuning.

## Results

A problem counts as found when the check reports its code. Precision = share of reported
problems that the label has; recall = share of labelled problems that were reported.
"ok (no problem)" is the share of rows where the check's ok agrees with the labels (all
three 0); "all three labels right" needs every code to agree.

{chr(10).join(sections)}
{rewrites[0]}

## Rows the check gets wrong

{wrong}

## Caveat

The same person wrote the rules, the data and the labels, so even the holdout figures are
likely higher than on commitments written by others: the holdout shows the rules were not
fitted row by row to the tune set, not that they cover every way people write. Rows that
others label differently, or phrasings the rules do not know, will lower these figures.

## The command line agrees with the library

Every {args.cli_every}th row ({len(sample)} rows) was also run as a subprocess, e.g.

    {example}

and its JSON output and exit code were compared with `check_commitment`:
{len(sample) - len(mismatches)} of {len(sample)} identical{"" if not mismatches else " (mismatches: " + ", ".join(mismatches) + ")"}.

{feedback[0]}"""
    (HERE / "RESULTS.md").write_text(text, encoding="utf-8")
    print("wrote", HERE / "RESULTS.md")
    return 1 if mismatches or feedback[1] or rewrites[1] else 0


def rewrite_figures(rows: list[dict[str, str]]) -> tuple[str, list[str]]:
    """What the rewrites leave to the writer, over every row; returns the paragraph and the
    ids of complete rewrites that fail their own check (there should be none)."""
    missing: dict[str, int] = {}
    complete, failing = 0, []
    for r in rows:
        today, next_session = day(r["today"]), day(r["next_session"])
        result = check_commitment(
            r["text"], due=day(r["due"]), today=today, next_session=next_session
        )
        rewrite = result.rewrite
        assert rewrite is not None
        for part in rewrite.missing:
            missing[part] = missing.get(part, 0) + 1
        if rewrite.complete:
            complete += 1
            if not check_commitment(rewrite.text, today=today, next_session=next_session).ok:
                failing.append(r["id"])
    asked = ", ".join(f"{part} {missing.get(part, 0)}" for part in ("action", "deliverable", "due"))
    text = (
        f"Rewrites: {complete} of {len(rows)} are complete, and {complete - len(failing)} of those"
        f" pass the check themselves; the others name what only the writer can give"
        f" (rows asking for each part: {asked}). Their form is tested row by row in"
        " cadre/engine/tests/test_linting_commitment_rewrites.py."
    )
    return text, failing


# The rewrite must be one a person would send: these are the ways it used to go wrong.
PLACEHOLDERS = (
    "the specific thing",
    "affected the team and the work",
    "the most recent case",
    "what was going on for you",
    "keep doing this and tell me",
)
DAYS = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|april"
    r"|june|july|august|september|october|november|december)\b"
)


def _repeated(text: str, n: int = 3) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9']+", text.lower())
    grams = [tuple(words[i : i + n]) for i in range(len(words) - n + 1)]
    return {g for g in grams if grams.count(g) > 1}


def rewrite_faults(text: str) -> list[str]:
    """What is wrong with the rewrite of `text`, as a person would see it."""
    result = check_feedback(text)
    rewrite = result.suggestion
    faults = []
    if _repeated(rewrite) - _repeated(text):
        faults.append("doubled phrase")
    if DAYS.search(rewrite):
        faults.append("lower-case day or month")
    if any(p in rewrite.lower() for p in PLACEHOLDERS):
        faults.append("placeholder")
    if not result.ok and not result.missing and not check_feedback(rewrite).ok:
        faults.append("complete rewrite fails the check")
    if not result.ok and rewrite != compose(*result.parts.as_dict().values()):
        faults.append("rewrite is not its parts")
    return faults


def verdicts(rows: list[dict[str, str]], predicted: dict[str, set[str]]) -> dict[str, float]:
    """Verdict accuracy (ok or not, against labels all 0 or not), false alarms on good
    feedback (share of all-0 rows flagged) and misses (share of rows with a problem
    passed as ok)."""
    good = [r for r in rows if all(r[c] == "0" for c in FEEDBACK_CODES)]
    bad = [r for r in rows if r not in good]
    right = sum(1 for r in rows if (not predicted[r["id"]]) == (r in good))
    return {
        "rows": len(rows),
        "good": len(good),
        "accuracy": right / len(rows) if rows else 1.0,
        "false_alarms": sum(1 for r in good if predicted[r["id"]]) / len(good) if good else 0.0,
        "misses": sum(1 for r in bad if not predicted[r["id"]]) / len(bad) if bad else 0.0,
    }


# Who wrote a row, by its id's prefix: the rules' author (h*, t*), the three writers whose rows
# were there when the rules were rebuilt (issue 13), and the writers of each later round.
SOURCES = {
    "ca": "first outside writers",
    "te": "first outside writers",
    "tr": "first outside writers",
    "rs": "later writers",
    "fd": "later writers",
    "ed": "newest writers",
    "ng": "newest writers",
    "cx": "newest writers",
    "sv": "fourth-round writers",
    "mk": "fourth-round writers",
    "ar": "fifth-round writers",
    "po": "fifth-round writers",
}
GROUPS = (
    "all",
    "rule author",
    "first outside writers",
    "later writers",
    "newest writers",
    "fourth-round writers",
    "fifth-round writers",
)


def _source(row_id: str) -> str:
    return "rule author" if row_id[1:].isdigit() else SOURCES[row_id[:2]]


def tune_only(show_errors: bool) -> int:
    """Verdicts and per-code scores of check_feedback on the tune rows alone, per writer
    group, with the tune rows it gets wrong when asked; the holdout rows are not even
    checked, so no holdout figure can be seen while tuning."""
    rows = [r for r in load(FEEDBACK_DATA) if r["split"] == "tune"]
    predicted = {r["id"]: {p.code for p in check_feedback(r["text"]).problems} for r in rows}
    if show_errors:
        for r in rows:
            want = {c for c in FEEDBACK_CODES if r[c] == "1"}
            if predicted[r["id"]] != want:
                print(
                    r["id"],
                    r["text"],
                    "| missed:",
                    sorted(want - predicted[r["id"]]),
                    "| extra:",
                    sorted(predicted[r["id"]] - want),
                )
    for source in GROUPS:
        chosen = [r for r in rows if source == "all" or _source(r["id"]) == source]
        v = verdicts(chosen, predicted)
        print(
            f"feedback tune, {source}: {v['rows']} rows, verdicts {v['accuracy']:.3f}, false"
            f" alarms on good feedback {v['false_alarms']:.3f}, problems passed as ok"
            f" {v['misses']:.3f}"
        )
    print(markdown(scores(rows, predicted, FEEDBACK_CODES)))
    return 0


def two_readers(rows: list[dict[str, str]], predicted: dict[str, set[str]]) -> str:
    """How often a second reader, labelling blind, gives the same verdict as the writer, and
    how often the check agrees with each: the labels' own consistency, as a ceiling."""
    second = {r["id"]: r for r in load(SECOND_READER)}
    lines = [
        "| rows | pieces | writer and second reader agree | check agrees with the writer"
        " | check agrees with the second reader |",
        "|---|---|---|---|---|",
    ]
    for name in ("tune", "holdout"):
        chosen = [r for r in rows if r["id"] in second and r["split"] == name]
        if not chosen:
            continue

        def flagged(labels: dict[str, str]) -> bool:
            return any(labels[c] == "1" for c in FEEDBACK_CODES)

        both = sum(flagged(r) == flagged(second[r["id"]]) for r in chosen)
        writer = sum(bool(predicted[r["id"]]) == flagged(r) for r in chosen)
        reader = sum(bool(predicted[r["id"]]) == flagged(second[r["id"]]) for r in chosen)
        n = len(chosen)
        lines.append(f"| {name} | {n} | {both / n:.3f} | {writer / n:.3f} | {reader / n:.3f} |")
    return "\n".join(lines)


def feedback_section(show_errors: bool, cli_every: int) -> tuple[str, list[str]]:
    """Score check_feedback on feedback.csv; returns the RESULTS.md section and the ids
    where the command line disagreed with the library or a rewrite has a fault."""
    rows = load(FEEDBACK_DATA)
    predicted = {}
    timings = []
    for r in rows:
        started = time.perf_counter()
        predicted[r["id"]] = {p.code for p in check_feedback(r["text"]).problems}
        timings.append(time.perf_counter() - started)
    if show_errors:
        for r in rows:
            if r["split"] != "tune":
                continue  # holdout rows are never looked at
            want = {c for c in FEEDBACK_CODES if r[c] == "1"}
            if predicted[r["id"]] != want:
                print(
                    r["id"],
                    r["text"],
                    "| missed:",
                    sorted(want - predicted[r["id"]]),
                    "| extra:",
                    sorted(predicted[r["id"]] - want),
                )
    sample = rows[::cli_every]
    mismatches = []
    for r in sample:
        out = subprocess.run(
            [*CADRE_CMD, "lint", "feedback", r["text"], "--json"],
            capture_output=True,
            text=True,
            check=False,
            cwd=ROOT,
        )
        expected = check_feedback(r["text"])
        want_code = 0 if expected.ok else 1
        if out.returncode != want_code or json.loads(out.stdout) != expected.to_dict():
            mismatches.append(r["id"])
    print(f"feedback CLI sample: {len(sample)} rows, {len(mismatches)} mismatches {mismatches}")
    splits = {name: [r for r in rows if r["split"] == name] for name in ("tune", "holdout")}
    sections = []
    verdict_lines = [
        "| rows | from | pieces | labelled good | verdicts right | false alarms on good"
        " feedback | problems passed as ok |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, subset in splits.items():
        for source in GROUPS:
            chosen = [r for r in subset if source == "all" or _source(r["id"]) == source]
            v = verdicts(chosen, predicted)
            verdict_lines.append(
                f"| {name} | {source} | {v['rows']} | {v['good']} | {v['accuracy']:.3f} |"
                f" {v['false_alarms']:.3f} | {v['misses']:.3f} |"
            )
            print(
                f"feedback {name}, {source}: {v['rows']} rows, verdicts {v['accuracy']:.3f},"
                f" false alarms on good feedback {v['false_alarms']:.3f}, problems passed as ok"
                f" {v['misses']:.3f}"
            )
        table = scores(subset, predicted, FEEDBACK_CODES)
        sections.append(f"### {name} ({len(subset)} pieces of feedback)\n\n{markdown(table)}\n")
        print("feedback", name, len(subset))
        print(markdown(table))
    faults = {r["id"]: f for r in rows if (f := rewrite_faults(r["text"]))}
    missing = [check_feedback(r["text"]).missing for r in rows]
    flagged = sum(1 for r in rows if predicted[r["id"]])
    complete = sum(1 for r, m in zip(rows, missing, strict=True) if predicted[r["id"]] and not m)
    print(f"feedback rewrites with a fault: {len(faults)} {sorted(faults)}")
    wrong_lines = []
    wrong_holdout = []
    for r in rows:
        want = {c for c in FEEDBACK_CODES if r[c] == "1"}
        if predicted[r["id"]] != want:
            if r["split"] == "holdout":
                wrong_holdout.append(r["id"])
                continue
            missed = ", ".join(sorted(want - predicted[r["id"]])) or "-"
            extra = ", ".join(sorted(predicted[r["id"]] - want)) or "-"
            wrong_lines.append(f"| {r['id']} | {r['text']} | {missed} | {extra} |")
    wrong = "\n".join(
        ["| id | feedback | missed | reported wrongly |", "|---|---|---|---|"] + wrong_lines
    )
    example = shlex.join(["cadre", "lint", "feedback", sample[0]["text"], "--json"])
    ms = [t * 1000 for t in timings]
    author = sum(1 for r in rows if _source(r["id"]) == "rule author")
    data = textwrap.fill(
        f"`feedback.csv` holds {len(rows)} pieces of feedback, each with four 0/1 labels:"
        " `about_the_person`, `generalization`, `no_behaviour`, `no_impact` (README.md says how"
        f" they were written and labelled). {author} were written by the author of the rules"
        f" (`h*`, `t*`); {len(rows) - author} by twelve writers who never saw the rules: first three"
        " (`ca*` care and public services, `te*` software teams, `tr*` trades, hospitality,"
        " retail, logistics, banking and sales), then, once the rules had been rebuilt on the"
        " first three's tune rows, two more (`rs*` research, consulting and airline operations;"
        " `fd*` factories, utilities, dispatch, farms and call centres, many in English as a"
        " second language), and, after a second pass on those, three more (`ed*` schools,"
        " hospitals and pharmacies in Indian, Nigerian and British English; `ng*` charities,"
        " government, law and newsrooms in Canadian, Scottish and South African English; `cx*`"
        " building sites, labs, sports and warehouses, much of it typed on a phone), and, after"
        " a third pass, a fourth round of two (`sv*` fire, ambulance, dispatch, aviation"
        " maintenance, air traffic, military logistics and care homes in American, Canadian"
        " and New Zealand English, with radio shorthand and debriefs; `mk*` agencies, newsroom"
        " social, streamers in lower-case chat, bank operations in Hong Kong and Singapore,"
        " Indian IT and Filipino outsourcing English, German and Brazilian writers of English"
        " as a second language), and, after a fourth pass, a fifth round of two (`ar*` theatre,"
        " live events, weddings, museums and film sets, some in Welsh-flavoured British English"
        " and Jamaican Patois; `po*` ports, cranes, rail yards and customs, some by Chinese and"
        " Scandinavian writers of English as a second language), whose holdout is the truest"
        " test of how the rules generalise."
        f" The {len(splits['holdout'])} `holdout` rows were never"
        f" used to build or tune the rules: only the {len(splits['tune'])} `tune` rows' errors"
        " were looked at (`run.py --errors tune`), and the holdout was scored to report.",
        width=92,
    )
    listed = "" if not faults else " (" + ", ".join(sorted(faults)) + ")"
    rewrites = textwrap.fill(
        f"Over all {len(rows)} rows (tune and holdout; this is about the form of the rewrite,"
        f" not the verdict): {len(faults)} rewrites with a doubled phrase the writer didn't"
        " repeat, a day or month in lower case, placeholder text, a rewrite that isn't its"
        f" parts put together, or a complete rewrite that fails the check{listed}. Of the"
        f" {flagged} flagged rows, {complete} get a complete rewrite (every part found in the"
        ' writer\'s words, a label or "always" taken out) that passes the check; the other'
        f" {flagged - complete} name the parts the writer still has to say"
        f" ({sum(1 for m in missing if 'behaviour' in m)} without a behaviour,"
        f" {sum(1 for m in missing if 'impact' in m)} without an impact), which the form leaves"
        " empty with a prompt.",
        width=92,
    )
    text = f"""# Feedback check benchmark

Reproduce with the same command (`make bench-lint`); this section is written by the same run.

## Data

{data}

## Verdicts

The verdict is what the form acts on: the feedback passes (no problem) or it is flagged.
A verdict is right when the check passes a row labelled with no problem, or flags a row
labelled with at least one. "False alarms on good feedback" is the share of rows labelled
with no problem that the check flags; "problems passed as ok" the share of rows with a
labelled problem that it passes.

{chr(10).join(verdict_lines)}

## Two readers

The newest writers' 330 rows were labelled a second time, blind, by another reader given
only the definitions and the texts (`feedback-second-reader.csv`). Verdicts (passes or is
flagged) compared:

{two_readers(rows, predicted)}

The readers agree far more often than the check agrees with either, so the check's misses
on these rows are the rules', not the labels'. The two readers were briefed alike, with the
same definitions, so their agreement may be higher than two strangers' would be.

## Problems, one by one

A problem counts as found when the check reports its code. Precision = share of reported
problems that the label has; recall = share of labelled problems that were reported.
"ok (no problem)" is the verdict accuracy above; "all 4 labels right" needs every code to
agree.

{chr(10).join(sections)}
## Rewrites

{rewrites}

Time per check: mean {statistics.mean(ms):.1f} ms, slowest {max(ms):.1f} ms (first call
includes loading the lexicon).

## Rows the check gets wrong

Tune rows, with their text:

{wrong}

Holdout rows, by id only, so that they stay unseen by whoever tunes the rules next:
{", ".join(wrong_holdout) or "none"}.

## Caveat

The labels are one reader's judgement, and some near-identical rows are labelled
differently (a habit told with "always" is sometimes labelled as a behaviour, sometimes
not); the verdict is less affected by this than single codes are. The rules were written
while looking at the tune rows, so the tune figures flatter them; the holdout figures,
and above all those for the later writers, are the ones to trust.

## The command line agrees with the library

Every {cli_every}th row ({len(sample)} rows) was also run as a subprocess, e.g.

    {example}

and its JSON output and exit code were compared with `check_feedback`:
{len(sample) - len(mismatches)} of {len(sample)} identical{"" if not mismatches else " (mismatches: " + ", ".join(mismatches) + ")"}.
"""
    return text, mismatches + sorted(faults)


if __name__ == "__main__":
    raise SystemExit(main())
