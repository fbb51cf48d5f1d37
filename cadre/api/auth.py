"""Who is calling: a personal API token (`Authorization: Bearer cadre_…`), or the browser
session of someone signed in (so the docs page can try requests), and how often they may."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth
from ninja.throttling import UserRateThrottle
from ninja.utils import check_csrf

from cadre.accounts import two_factor
from cadre.api.errors import ApiError
from cadre.api.models import ApiToken


def refuse_without_two_factor(request: HttpRequest, user: Any) -> None:
    """The pages' rule, for the API: someone who must sign in with two factors and has not set
    them up gets a 403 saying so, whether they call with a token or a session."""
    if two_factor.must_set_up(user):
        raise ApiError(
            403,
            "two_factor_required",
            two_factor.REQUIRED_MESSAGE,
            detail={"setup_url": request.build_absolute_uri(reverse("mfa_activate_totp"))},
        )


class TokenAuth(HttpBearer):
    """A personal API token. Revoked tokens and tokens of deactivated people are refused, and
    so are the tokens of people who must set up two-factor sign-in first."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_token = ApiToken.authenticate(token) if token else None
        if api_token is None:
            return None
        # The rest of Cadre (permissions, throttling) reads request.user.
        request.user = api_token.user
        refuse_without_two_factor(request, api_token.user)
        return api_token.user


class SessionAuth(NinjaSessionAuth):
    """The signed-in browser session, with Django's CSRF check on unsafe methods.

    A request that carries an Authorization header is judged on its token alone, so a bad
    token is a 401 even from a browser that is signed in."""

    def __call__(self, request: HttpRequest) -> Any:
        if request.headers.get("Authorization"):
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise ApiError(
                403,
                "csrf_failed",
                "The CSRF check failed: send the csrftoken cookie's value in an X-CSRFToken "
                "header, or use a personal API token instead of the session.",
            )
        refuse_without_two_factor(request, user)
        return user


class ApiRateThrottle(UserRateThrottle):
    """Requests per person (per address before sign-in). The rate is the CADRE_API_RATE
    setting (default 600/m), read on each request so it can be changed without a restart
    of the API object (and in tests)."""

    scope = "cadre_api"
    default_rate = "600/m"

    def __init__(self) -> None:
        super().__init__(self.default_rate)

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = getattr(settings, "CADRE_API_RATE", self.default_rate)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)
