from typing import Any
from urllib.parse import urlencode

import pytest
from django.urls import reverse


@pytest.fixture
def url(cast: Any) -> Any:
    """url(name, cohort=cast.cohort, **query) -> the path of one of the cohort pages."""

    def build(name: str, cohort: Any = None, **query: Any) -> str:
        cohort = cohort or cast.cohort
        path = reverse(f"cohorts:{name}", args=[cohort.network.slug, cohort.slug])
        return f"{path}?{urlencode(query)}" if query else path

    return build
