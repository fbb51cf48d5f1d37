"""Room links on a self-hosted video service, by the pattern the operators configure
(CADRE_VIDEO_ROOM_PATTERN, with {network}, {cohort} and {token}; empty: off). The token is
what makes a room private: random for a room someone asks for, or derived from the secret
key for a room that must stay the same each time it is shown (a coffee group's)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.utils.crypto import salted_hmac


def enabled() -> bool:
    return bool(settings.CADRE_VIDEO_ROOM_PATTERN)


def fill(network: str, cohort: str, token: str) -> str:
    """The pattern with its placeholders filled; empty when no pattern is configured."""
    pattern: str = settings.CADRE_VIDEO_ROOM_PATTERN
    if not pattern:
        return ""
    return (
        pattern.replace("{network}", network).replace("{cohort}", cohort).replace("{token}", token)
    )


def new_room(network: str, cohort: str) -> str:
    """A new room no one can guess."""
    return fill(network, cohort, secrets.token_urlsafe(12))


def stable_room(network: str, name: str, key: str) -> str:
    """The same room each time for `key` (e.g. "coffee-group-12"), unguessable without the
    secret key."""
    token = salted_hmac("cadre.lib.rooms", key).hexdigest()[:20]
    return fill(network, name, token)
