"""Placeholder views: being written."""

from django.http import HttpRequest, HttpResponse


def network_home(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def directory(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def person(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def conduct(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def invitations(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def invitation_revoke(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def invitation_accept(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError
