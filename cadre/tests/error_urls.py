"""Cadre's URLs and error handlers plus pages that fail, for the error page and crawler tests."""

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path

from cadre.urls import handler400, handler403, handler404, handler500, urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def bare_permission_denied(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def links(request: HttpRequest) -> HttpResponse:
    """A page whose links answer 403, 404 and 500, and one that works."""
    return HttpResponse(
        "<html><head><title>Links · Cadre</title></head><body>"
        '<a href="/test/forbidden/">a</a> <a href="/no/such/page/">b</a> '
        '<a href="/test/crash/">c</a> <a href="/healthz">d</a></body></html>'
    )


def crash(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug in a view")


def crash_in_the_api(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM no_such_table")
    return HttpResponse()


urlpatterns = [
    path("test/links/", links),
    path("test/forbidden/", bare_permission_denied),
    path("test/crash/", crash),
    path("api/test/crash/", crash_in_the_api),
    *urlpatterns,
]
