"""The request type of a page that only signed-in people reach.

Django types `request.user` as `User | AnonymousUser`. Behind `login_required` it is always a
`User`, so those views take an `AuthenticatedRequest` and hand `request.user` to services and
policies that expect a `User` without a check of their own (the pattern django-stubs documents).
"""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from cadre.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """A request behind `login_required`: its `user` is a signed-in `User`, and `htmx` says
    whether htmx sent it (django-htmx's middleware, on for every request)."""

    user: User
    htmx: HtmxDetails
