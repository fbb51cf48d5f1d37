"""Placeholder views: being written."""

from django.http import HttpRequest, HttpResponse


def profile_edit(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def tokens(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def token_revoke(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError
