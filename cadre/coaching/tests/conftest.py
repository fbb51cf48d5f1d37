from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from cadre.api.models import ApiToken
from cadre.api.tests.helpers import ApiCaller


@pytest.fixture
def api_as() -> Callable[[Any], ApiCaller]:
    """api_as(user) -> an ApiCaller with a freshly issued token of `user` (None: no token),
    as in the API's own tests."""

    def make(user: Any) -> ApiCaller:
        token = ApiToken.issue(user, "tests")[1] if user is not None else None
        return ApiCaller(Client(), token)

    return make
