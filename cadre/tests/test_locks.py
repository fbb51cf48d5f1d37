"""The lock files: production installs get no development tools (issue 12's L8) and no numba
(the fast extra, issue 14), and the development lock runs the tests on exactly the versions
production runs. docs/dependencies.md's reasons are checked in test_docs.py."""

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


def test_the_fast_extra_is_its_own_lock_over_the_production_one():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    fast = {normal(d) for d in project["optional-dependencies"]["fast"]}
    production, extra = pins("requirements.lock"), pins("requirements-fast.lock")
    # A base install (`make install`, `pip install cadre`) gets no numba and no llvmlite.
    assert fast == {"numba"}
    assert not {"numba", "llvmlite"} & {normal(p) for p in production}
    assert {"numba", "llvmlite"} <= {normal(p) for p in extra}
    assert {p: v for p, v in production.items() if extra.get(p) != v} == {}
    assert {p: v for p, v in extra.items() if pins("requirements-dev.lock").get(p) != v} == {}
