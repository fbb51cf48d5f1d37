"""The lock files: production installs get no development tools (issue 12's L8), and the
development lock runs the tests on exactly the versions production runs."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def pins(name: str) -> dict[str, str]:
    text = (ROOT / name).read_text()
    return dict(re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", text, re.M))


def normal(name: str) -> str:
    return re.split(r"[\[<>=!~ ]", name, maxsplit=1)[0].lower().replace("_", "-")


def test_the_production_lock_holds_no_development_tool():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    tools = {normal(d) for d in project["optional-dependencies"]["dev"]}
    production = {normal(p) for p in pins("requirements.lock")}
    assert tools, "pyproject.toml lost its dev extra"
    assert not tools & production, f"Development tools in requirements.lock: {tools & production}"
    assert {normal(d) for d in project["dependencies"]} <= production


def test_the_development_lock_pins_production_packages_at_the_same_versions():
    production, development = pins("requirements.lock"), pins("requirements-dev.lock")
    assert set(production) <= set(development)
    assert {p: v for p, v in production.items() if development[p] != v} == {}


def test_every_dependency_is_explained_in_docs_dependencies():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    text = (ROOT / "docs" / "dependencies.md").read_text().lower()
    # A few are named the way people say them ("Django 5.2", "Playwright for Python").
    said = {"psycopg": "psycopg 3", "argon2-cffi": "argon2-cffi", "playwright": "playwright"}
    missing = [
        name
        for name in map(normal, declared)
        if said.get(name, name) not in text and name.replace("-", " ") not in text
    ]
    assert missing == [], f"Say in docs/dependencies.md why Cadre depends on {missing}"
