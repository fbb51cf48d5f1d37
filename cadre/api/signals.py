"""The API's answer to account events."""

from typing import Any

from allauth.mfa.models import Authenticator
from django.utils import timezone

from cadre.api.models import ApiToken


def revoke_tokens_made_before_two_factor(
    sender: Any, user: Any, authenticator: Authenticator, **kwargs: Any
) -> None:
    """When someone sets up an authenticator, the tokens they made before it stop working: they
    were made behind a password alone, perhaps by someone else who had it. The tokens page
    lists them as revoked; new ones are made behind both factors."""
    if authenticator.type == Authenticator.Type.RECOVERY_CODES:
        return  # they come with an authenticator app, never on their own
    ApiToken.objects.active().filter(user=user, created_at__lte=authenticator.created_at).update(
        revoked_at=timezone.now()
    )
