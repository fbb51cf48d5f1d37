"""The endpoints of API v1, one module per resource, and what they share."""

from typing import Any

from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

from cadre.accounts.models import User
from cadre.api import errors
from cadre.api.schemas import ID_MAX
from cadre.networks.models import Network
from cadre.networks.policy import must_accept_conduct

MAX_PAGE = 100


class Pagination(LimitOffsetPagination):
    """limit/offset, at most 100 items a page; the answer is {"items": [...], "count": n}."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=MAX_PAGE, description=f"Items per page, 1 to {MAX_PAGE}.")
        offset: int = Field(0, ge=0, le=ID_MAX)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_PAGE, **kwargs)


def user_of(request: HttpRequest) -> User:
    """The person making the request: what cadre.api.auth's TokenAuth or SessionAuth returned,
    which ninja sets as `request.auth` (an attribute Django's request type does not have)."""
    user = getattr(request, "auth", None)
    assert isinstance(user, User), "user_of is only called from endpoints that need a caller"
    return user


def require_conduct(request: HttpRequest, network: Network) -> None:
    """Cohort content waits until the person has accepted the network's current code of
    conduct, as in the web views."""
    if must_accept_conduct(user_of(request), network):
        raise errors.conduct_not_accepted(request, network)
