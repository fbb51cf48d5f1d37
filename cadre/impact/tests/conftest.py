"""The impact report's fixtures: `story` fills cast.cohort with what the report sums up."""

from typing import Any

import pytest

from .story import Story, tell


@pytest.fixture
def story(cast: Any) -> Story:
    return tell(cast)
