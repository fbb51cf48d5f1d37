from typing import Any

import pytest
from django.urls import reverse

from cadre.formation.models import Intake

from .helpers import add_applicants, make_intake


@pytest.fixture
def intake(cast: Any) -> Intake:
    """An open intake of the cast's network, for cohorts of 3 to 4."""
    return make_intake(cast)


@pytest.fixture
def applied(cast: Any, intake: Intake) -> list[Any]:
    """Ten applications to `intake`: the cast's member and nine extra members."""
    return add_applicants(intake, 9, include=[cast.member])


@pytest.fixture
def url(cast: Any, intake: Intake) -> Any:
    """url(name, *extra) -> the path of one of the intake's pages."""

    def build(name: str, *extra: Any, of: Intake | None = None) -> str:
        target = of or intake
        return reverse(f"formation:{name}", args=[target.network.slug, target.slug, *extra])

    return build
