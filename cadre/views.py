import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET, require_POST

from cadre.api import errors as api_errors
from cadre.lib import markdown
from cadre.networks.policy import visible_networks
from cadre.worker.status import worker_status

logger = logging.getLogger(__name__)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Signed-in people go to their network (or choose one); everyone else sees the front page."""
    if not request.user.is_authenticated:
        return render(request, "home_anonymous.html")
    networks = list(visible_networks(request.user))
    if len(networks) == 1:
        return redirect(networks[0])
    return render(request, "home.html", {"networks": networks})


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """For monitoring: 200 when the database answers, 503 when it does not, and when a
    background worker last checked in (a silent worker is reported, not a failure: the web
    pages still work without one). Touches no session."""
    try:
        status = worker_status()
    except DatabaseError as error:
        logger.error("Health check: the database does not answer: %s", error)
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse(
        {
            "status": "ok",
            "database": "ok",
            "worker": {
                "running": status.running,
                "last_beat": status.last_beat.isoformat() if status.last_beat else None,
                "seconds_since_last_beat": status.seconds_since,
            },
        }
    )


@require_GET
def readyz(request: HttpRequest) -> HttpResponse:
    """For load balancers: the process is up and serving; touches neither the session nor
    the database."""
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says; send them to the SVG icon."""
    return HttpResponseRedirect(static("cadre/favicon.svg"))


@login_required
@require_POST
def markdown_preview(request: HttpRequest) -> HttpResponse:
    """A Markdown field's text as its page will show it, for the Preview button of the form
    (cadre/static/cadre/forms.js): the one Markdown path, sanitized. Nothing is stored, and
    the text is the sender's own, so any signed-in person may ask."""
    text = request.POST.get("text", "")
    if not text.strip():
        return HttpResponse('<p class="empty">Nothing to preview yet.</p>')
    return HttpResponse(markdown.render(text))


# --- error pages ---------------------------------------------------------------------------
# Django calls these (cadre/urls.py names them) when DEBUG is off. The API answers its own
# errors in its JSON shape (cadre/api/errors.py); the few that happen before it is reached
# (a failing middleware, say) get the same shape here.


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _api_error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse(api_errors.error_body(code, message), status=status)


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception) -> HttpResponseBase:
    if _is_api(request):
        return _api_error(400, "bad_request", "The request could not be understood.")
    return render(request, "400.html", status=400)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponseBase:
    """403, with the reason the code gave (PermissionDenied texts are written for people)."""
    if _is_api(request):
        return _api_error(403, "forbidden", str(exception) or api_errors.FORBIDDEN_MESSAGE)
    return defaults.permission_denied(request, exception)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponseBase:
    """404, saying nothing of why: "not there" and "not yours to see" must look alike."""
    if _is_api(request):
        return _api_error(404, "not_found", api_errors.NOT_FOUND_MESSAGE)
    return render(request, "404.html", status=404)


# The last resort if even the 500 page cannot be rendered.
_PLAIN_500 = (
    "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Something went wrong"
    " · Cadre</title></head><body><h1>Something went wrong on our side</h1><p>It has been"
    " logged. Please try again in a moment, or <a href='/'>go to the front page</a>.</p>"
    "</body></html>"
)


def server_error(request: HttpRequest) -> HttpResponseBase:
    """500. Rendered from a standalone template without the request's context processors, so
    it needs neither the database nor the session: whatever broke the page cannot break this.
    """
    if _is_api(request):
        return _api_error(500, "server_error", api_errors.SERVER_ERROR_MESSAGE)
    try:
        try:
            stylesheet, icon = static("cadre/cadre.css"), static("cadre/favicon.svg")
        except ValueError:  # no manifest (collectstatic has not run): the plain names work
            stylesheet = f"{settings.STATIC_URL}cadre/cadre.css"
            icon = f"{settings.STATIC_URL}cadre/favicon.svg"
        html = loader.get_template("500.html").render({"stylesheet": stylesheet, "icon": icon})
    except Exception:
        logger.exception("The 500 page itself failed to render")
        html = _PLAIN_500
    return HttpResponse(html, status=500)
