"""Who must sign in with a second factor, and what they are told until they have set one up.
One rule for the pages (RequireTwoFactorMiddleware), the admin (it signs in through the same
pages) and the API (cadre.api.auth)."""

from typing import Any

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.utils.translation import gettext_noop

from cadre.networks.policy import is_organizer_anywhere

# Marked for the catalogues; the pages translate it (the middleware), the API keeps it English.
REQUIRED_MESSAGE = gettext_noop(
    "Your role asks for two-factor sign-in: set up an authenticator app before you go on."
)


def is_required_of(user: Any) -> bool:
    """With CADRE_REQUIRE_2FA_FOR_ORGANIZERS on: network admins and organizers, and staff
    (who can do anything in the Django admin)."""
    return bool(
        settings.CADRE_REQUIRE_2FA_FOR_ORGANIZERS
        and user.is_authenticated
        and (user.is_staff or is_organizer_anywhere(user))
    )


def must_set_up(user: Any) -> bool:
    """Two-factor is required of `user` and they have not set it up yet: until they do, they
    reach only the set-up pages, and the API refuses them."""
    return is_required_of(user) and not is_mfa_enabled(user)
