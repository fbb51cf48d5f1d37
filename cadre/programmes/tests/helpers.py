"""Shared set-up for the programme tests."""

import json
from copy import deepcopy
from typing import Any

from cadre.programmes import files, services
from cadre.programmes.models import Programme


def shipped_dict() -> dict[str, Any]:
    return dict(json.loads(files.shipped()["leading-change"].read_text(encoding="utf-8")))


def small_programme(**changes: Any) -> dict[str, Any]:
    """A two-week programme of 60-minute sessions, as a file's content."""
    doc: dict[str, Any] = {
        "format": files.FORMAT,
        "title": "Two weeks of feedback",
        "summary": "Give and take feedback.",
        "session_minutes": 60,
        "weeks": [
            {
                "week": n,
                "theme": f"Theme {n}",
                "blocks": [
                    {"kind": "check_in", "title": f"Check-in {n}", "minutes": 10},
                    {"kind": "practice", "title": f"Practice {n}", "minutes": 50},
                ],
                "prompts": [f"Question {n}?"],
                "experiment": {"title": f"Try {n}", "hypothesis": "It helps.", "measure": "Count"},
                "reading": [{"title": f"Read {n}", "link": "https://example.org/read"}],
            }
            for n in (1, 2)
        ],
    }
    doc.update(deepcopy(changes))
    return doc


def add_shipped(network: Any, by: Any) -> Programme:
    return services.add_shipped(by=by, network=network, slug="leading-change")
