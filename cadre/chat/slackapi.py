"""The one place Cadre makes a Slack Web API client: against CADRE_SLACK_API_URL (Slack's
own by default; a local stand-in in tests), with a short timeout and no retries of its own
(the queue retries, with back-off: cadre.chat.sending)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from slack_sdk import WebClient

TIMEOUT_SECONDS = 10
# Calls made while a person waits (views.open has 3 seconds to use its trigger_id).
QUICK_SECONDS = 2

# What Cadre asks for when a workspace is installed, and why (docs/slack.md says the same).
SCOPES = (
    "chat:write",  # post notices
    "chat:write.public",  # post to a public channel without being invited to it
    "channels:read",  # list public channels on the mapping page
    "groups:read",  # list the private channels Cadre was invited to
    "commands",  # the /cadre slash command
    "users:read",  # read who ran /cadre
    "users:read.email",  # their e-mail address, to find them in Cadre
)


def client(token: str | None = None, *, timeout: int = TIMEOUT_SECONDS) -> WebClient:
    base = settings.CADRE_SLACK_API_URL.rstrip("/") + "/"
    return WebClient(token=token, base_url=base, timeout=timeout, retry_handlers=[])


def authorize_url() -> str:
    return settings.CADRE_SLACK_AUTHORIZE_URL


def authorize_origin() -> str:
    """The origin of Slack's authorize page, where the settings page's connect form ends up."""
    parts = urlsplit(authorize_url())
    return f"{parts.scheme}://{parts.netloc}"
