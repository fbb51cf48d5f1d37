from typing import Any

import pytest
from django.urls import reverse

from cadre.schedule.models import CohortSchedule

from .helpers import make_schedule


@pytest.fixture
def schedule(cast: Any) -> CohortSchedule:
    """The cast's cohort meets on Tuesdays at 15:00 Berlin time; its next eight sessions
    exist and have roles."""
    return make_schedule(cast.cohort)


@pytest.fixture
def url(cast: Any) -> Any:
    """url(name, *extra, cohort=cast.cohort) -> the path of one of the schedule pages."""

    def build(name: str, *extra: Any, cohort: Any = None) -> str:
        cohort = cohort or cast.cohort
        return reverse(f"schedule:{name}", args=[cohort.network.slug, cohort.slug, *extra])

    return build
