"""`unread_notifications` for the header's badge: one count query, made only when a page
shows the header to someone signed in."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .policy import visible_notifications


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    def count() -> int:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        return visible_notifications(user).unread().count()

    return {"unread_notifications": SimpleLazyObject(count)}
