"""Middleware of the whole site (the apps' own live in their packages)."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse

NUL = "\x00"


class RefuseNulMiddleware:
    """No address of Cadre holds the NUL character, and PostgreSQL cannot compare text with
    one (a lookup would end in a 500), so a request with one in its path is not found (404)
    and one with one in a page's query string is a bad request (400). The API's query
    parameters are left to the API, which answers 422 naming the parameter
    (cadre.api.parsing); bodies are checked by the forms and by the API's parser."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if NUL in request.path:
            raise Http404("No such page.")
        if not request.path.startswith("/api/") and any(
            NUL in key or any(NUL in value for value in values)
            for key, values in request.GET.lists()
        ):
            raise SuspiciousOperation("A NUL character in the query string.")
        return self.get_response(request)
