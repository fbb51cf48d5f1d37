"""Cadre's URLs and error handlers plus three pages that fail, for the error page tests."""

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path

from cadre.urls import handler400, handler403, handler404, handler500, urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def bare_permission_denied(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def crash(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug in a view")


def crash_in_the_api(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM no_such_table")
    return HttpResponse()


urlpatterns = [
    path("test/forbidden/", bare_permission_denied),
    path("test/crash/", crash),
    path("api/test/crash/", crash_in_the_api),
    *urlpatterns,
]
