from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext

from cadre.accounts import two_factor

# Pages a person who still has to set up two-factor may reach: the set-up itself, signing out,
# static files. The API answers for itself, in JSON (cadre.api.auth applies the same rule).
_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/api/")


class RequireTwoFactorMiddleware:
    """When CADRE_REQUIRE_2FA_FOR_ORGANIZERS is on, network admins, organizers and staff must
    set up TOTP before they can use anything else (cadre.accounts.two_factor)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(_ALLOWED_PREFIXES) and two_factor.must_set_up(request.user):
            messages.warning(request, gettext(two_factor.REQUIRED_MESSAGE))
            return redirect("mfa_activate_totp")
        return self.get_response(request)
