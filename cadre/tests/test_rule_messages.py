"""Each sentence that states a rule to people is written once (issue 14: "git grep finds each
user-facing rule message once").

A rule message is a string given to what refuses or reports something: `Refused`, Django's
`ValidationError` and `PermissionDenied`, `Http404`, the API's `ApiError`, `errors.invalid`
and `problem`, a form's `add_error`, `messages.error`/`warning`, and argparse's `error`. Every
such sentence must occur once among the string literals of Cadre's code (tests aside): a
second door or a second app that states the same rule imports the first one's constant. A
message with a placeholder counts by its fixed parts ("… got {}"). A sentence of fewer than
four words ("No such session.") names a missing page rather than a rule, and is left out."""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterator, Mapping
from pathlib import Path

from cadre.testing import cadre_sources

CADRE = Path(__file__).resolve().parents[1]

# Callables whose arguments are sentences shown to people.
REPORTERS = {
    "Refused",
    "ValidationError",
    "PermissionDenied",
    "Http404",
    "ApiError",
    "invalid",
    "problem",
    "add_error",
    "error",
    "warning",
}


def _text(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            str(part.value) if isinstance(part, ast.Constant) else "{}" for part in node.values
        )
    return None


def _is_sentence(text: str) -> bool:
    """Four words or more: "No such session." names a missing page rather than a rule."""
    return len(text.split()) >= 4


def _called(node: ast.Call) -> str | None:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else None


def sources() -> Iterator[tuple[str, str]]:
    """Every module of Cadre that people read from (cadre.testing)."""
    return cadre_sources()


def written_more_than_once(modules: Mapping[str, str]) -> dict[str, list[str]]:
    """Rule messages -> the places (path:line) where the same sentence is written, for those
    written more than once."""
    literals: dict[str, list[str]] = defaultdict(list)
    messages: set[str] = set()
    for path, source in modules.items():
        tree = ast.parse(source, filename=path)
        # The fixed parts of an f-string count as the whole f-string, not one by one.
        parts = {
            id(part)
            for node in ast.walk(tree)
            if isinstance(node, ast.JoinedStr)
            for part in node.values
        }
        for node in ast.walk(tree):
            if id(node) in parts:
                continue
            text = _text(node)
            if text is not None and _is_sentence(text):
                literals[text].append(f"{path}:{getattr(node, 'lineno', 0)}")
            if isinstance(node, ast.Call) and _called(node) in REPORTERS:
                for argument in [*node.args, *(k.value for k in node.keywords)]:
                    for inner in ast.walk(argument):
                        if id(inner) in parts:
                            continue
                        message = _text(inner)
                        if message is not None and _is_sentence(message):
                            messages.add(message)
    return {m: sorted(literals[m]) for m in sorted(messages) if len(literals[m]) > 1}


def test_each_rule_message_is_written_once():
    twice = written_more_than_once(dict(sources()))
    assert not twice, (
        "These messages are written more than once; keep one constant in the app that owns "
        "the rule and import it: " + "; ".join(f"{m!r} at {', '.join(p)}" for m, p in twice.items())
    )


def test_the_gate_finds_a_rule_written_in_two_doors_and_lets_a_constant_through():
    page = 'def check():\n    raise Refused("This ritual is paused; nobody can join it now.")\n'
    router = 'raise ApiError(409, "conflict", "This ritual is paused; nobody can join it now.")\n'
    assert written_more_than_once({"views.py": page, "router.py": router}) == {
        "This ritual is paused; nobody can join it now.": ["router.py:1", "views.py:2"]
    }
    shared = 'PAUSED = "This ritual is paused; nobody can join it now."\n'
    imports = "raise Refused(PAUSED)\nraise ApiError(409, 'conflict', PAUSED)\n"
    assert written_more_than_once({"services.py": shared, "router.py": imports}) == {}
    placeholders = 'error(f"--seed must be >= 0, got {seed}")\n'
    assert list(written_more_than_once({"a.py": placeholders, "b.py": placeholders})) == [
        "--seed must be >= 0, got {}"
    ]


def test_every_module_of_cadre_is_read():
    paths = [path for path, _ in sources()]
    assert "cadre/cohorts/services.py" in paths and "cadre/api/errors.py" in paths
    assert not any("/tests/" in p or "/migrations/" in p for p in paths)
