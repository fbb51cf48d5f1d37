"""docs/api.md's endpoint table, written from the OpenAPI document so that the two cannot
drift apart: `cadre api_table` rewrites it between the markers, and a test
(cadre/tests/test_docs.py) fails when it is stale."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "api.md"
START = "<!-- endpoints: start (written by `cadre api_table` from the OpenAPI document) -->"
END = "<!-- endpoints: end -->"
PREFIX = "/api/v1"

# Answers every operation may give (docs/api.md's table of errors says when); the table names
# only the others, which say something about that endpoint.
COMMON = {"400", "401", "403", "404", "413", "422", "429"}
METHODS = ("get", "post", "put", "patch", "delete")


def cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def render(document: dict[str, Any]) -> str:
    """The Markdown table: one section per tag in the document's order, one row an operation."""
    sections: dict[str, list[str]] = {}
    for path, operations in document["paths"].items():
        for method in METHODS:
            operation = operations.get(method)
            if operation is None:
                continue
            tag = (operation.get("tags") or ["other"])[0]
            statuses = sorted(str(status) for status in operation["responses"])
            success = ", ".join(s for s in statuses if s.startswith("2"))
            other = ", ".join(s for s in statuses if not s.startswith("2") and s not in COMMON)
            short = path.removeprefix(PREFIX) or "/"
            sections.setdefault(tag, []).append(
                f"| `{method.upper()} {cell(short)}` | {cell(operation.get('summary', ''))} "
                f"| {success} | {other} |"
            )
    lines = [START, ""]
    for tag, rows in sections.items():
        lines += [
            f"#### {tag}",
            "",
            "| method and path | what | success | also answers |",
            "|---|---|---|---|",
            *rows,
            "",
        ]
    lines.append(END)
    return "\n".join(lines)


def current_schema() -> dict[str, Any]:
    from cadre.api.api import api

    return dict(api.get_openapi_schema())


def refreshed(guide_text: str, table: str) -> str:
    """The guide with its table between the markers replaced."""
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    if not pattern.search(guide_text):
        raise ValueError(f"docs/api.md has no {START!r} ... {END!r} markers")
    return pattern.sub(lambda _: table, guide_text, count=1)
