"""Placeholder views: being written."""

from django.http import HttpRequest, HttpResponse


def cohort_detail(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def charter_edit(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def charter_history(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def charter_diff(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def charter_acknowledge(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def statement_edit(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise NotImplementedError
