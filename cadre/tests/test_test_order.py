"""The plugin's order of the tests (cadre.testing.pytest_collection_modifyitems): the tests
with a database stay where pytest-django put them; in the tail without one, the slow files
come first and each file keeps its tests' order."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cadre.testing import SLOW_FILES_WITHOUT_DATABASE, pytest_collection_modifyitems


@dataclass
class FakeItem:
    nodeid: str
    db: bool = False
    fixturenames: list[str] = field(default_factory=list)
    cls: Any = None

    def get_closest_marker(self, name: str) -> object | None:
        return object() if self.db and name == "django_db" else None


def test_slow_files_lead_the_tail_and_the_database_tests_stay_put() -> None:
    slow = SLOW_FILES_WITHOUT_DATABASE[0]
    items = [
        FakeItem("cadre/a/tests/test_x.py::test_1", db=True),
        FakeItem(f"{slow}::test_db", fixturenames=["db"]),
        FakeItem("cadre/b/tests/test_y.py::test_1"),
        FakeItem("cadre/b/tests/test_y.py::test_2"),
        FakeItem(f"{slow}::test_1"),
        FakeItem(f"{slow}::test_2"),
    ]
    pytest_collection_modifyitems(items)
    assert [item.nodeid for item in items] == [
        "cadre/a/tests/test_x.py::test_1",
        f"{slow}::test_db",
        f"{slow}::test_1",
        f"{slow}::test_2",
        "cadre/b/tests/test_y.py::test_1",
        "cadre/b/tests/test_y.py::test_2",
    ]


def test_the_slow_files_are_still_there() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    assert [p for p in SLOW_FILES_WITHOUT_DATABASE if not (root / p).exists()] == []
