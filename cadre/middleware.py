"""Middleware of the whole site (the apps' own live in their packages)."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import render

from cadre.api import errors as api_errors

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


class MethodNotAllowedPage:
    """Views that only take a form (`@require_POST`) answer a visit with Django's bare, empty
    405, and API paths asked with a method they lack with django-ninja's plain-text one; this
    puts Cadre's own page (405.html), or the API's JSON error, in their place, keeping the
    Allow header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        # A streaming response (not an HttpResponse) has no content to look at.
        if response.status_code != 405 or not isinstance(response, HttpResponse):
            return response
        allowed = response.get("Allow", "")
        answer: HttpResponseBase
        if request.path.startswith("/api/"):
            if response.get("Content-Type", "").startswith("application/json"):
                return response
            body = api_errors.error_body("method_not_allowed", f"This endpoint takes {allowed}.")
            answer = JsonResponse(body, status=405)
        elif response.content:
            return response  # a page that says why itself
        else:
            answer = render(request, "405.html", status=405)
        answer["Allow"] = allowed
        return answer
