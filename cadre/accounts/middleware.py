from collections.abc import Callable

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from cadre.lib import permissions

# Pages a person who still has to set up two-factor may reach: the set-up itself, signing out,
# static files.
_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/api/")


class RequireTwoFactorMiddleware:
    """When CADRE_REQUIRE_2FA_FOR_ORGANIZERS is on, network admins and organizers must set up
    TOTP before they can use anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.CADRE_REQUIRE_2FA_FOR_ORGANIZERS
            and request.user.is_authenticated
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and permissions.is_organizer_anywhere(request.user)
            and not is_mfa_enabled(request.user)
        ):
            return redirect("mfa_activate_totp")
        return self.get_response(request)
