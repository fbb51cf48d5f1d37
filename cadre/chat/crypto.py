"""Tokens stored encrypted: Fernet (AES-128-CBC with an HMAC) with the key from
CADRE_ENCRYPTION_KEY. A key made by `Fernet.generate_key()` is used as it is; any other
non-empty value is turned into one by SHA-256 (docs/operating.md). No key: nothing is
connected, with a message saying so."""

from __future__ import annotations

import base64
import binascii
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.utils.translation import gettext, gettext_noop

from cadre.lib.rules import Refused

NO_KEY = gettext_noop(
    "Set CADRE_ENCRYPTION_KEY on the server before connecting Slack: Cadre stores the "
    "workspace's token encrypted with it (see docs/operating.md)."
)
BAD_TOKEN = "The stored Slack token cannot be read with this CADRE_ENCRYPTION_KEY."


def _fernet() -> Fernet:
    raw = (getattr(settings, "CADRE_ENCRYPTION_KEY", "") or "").strip()
    if not raw:
        raise Refused(gettext(NO_KEY), kind="conflict")
    try:
        if len(base64.urlsafe_b64decode(raw.encode())) == 32:
            return Fernet(raw.encode())
    except (binascii.Error, ValueError):
        pass
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(raw.encode()).digest()))


def has_key() -> bool:
    return bool((getattr(settings, "CADRE_ENCRYPTION_KEY", "") or "").strip())


def encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def decrypt(stored: str) -> str:
    try:
        return _fernet().decrypt(stored.encode()).decode()
    except InvalidToken:
        raise Refused(BAD_TOKEN, kind="conflict") from None
