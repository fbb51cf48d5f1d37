from typing import Any

import pytest
from django.urls import reverse

from cadre.rotations import planning
from cadre.rotations.models import Ritual

from .helpers import make_ritual


@pytest.fixture(autouse=True)
def _quick_planning(monkeypatch: Any) -> None:
    """Small groups are planned in well under the time limit; keep a stuck search short."""
    monkeypatch.setattr(planning, "COACHING_SECONDS", 1.0)
    monkeypatch.setattr(planning, "COFFEE_SECONDS", 1.0)


@pytest.fixture
def ritual(cast: Any) -> Ritual:
    """An active ritual of the cast's network, pairs every two weeks, nobody in it yet."""
    return make_ritual(cast)


@pytest.fixture
def coaching_url(cast: Any) -> Any:
    def build(name: str = "rotation", cohort: Any = None) -> str:
        cohort = cohort or cast.cohort
        return reverse(f"coaching:{name}", args=[cohort.network.slug, cohort.slug])

    return build


@pytest.fixture
def coffee_url(cast: Any) -> Any:
    """coffee_url(name, *args) -> a path under /n/northwind/coffee/."""

    def build(name: str, *args: Any) -> str:
        return reverse(f"coffee:{name}", args=[cast.network.slug, *args])

    return build
