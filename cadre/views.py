import logging

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from cadre.lib import permissions
from cadre.worker.status import worker_status

logger = logging.getLogger(__name__)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Signed-in people go to their network (or choose one); everyone else sees the front page."""
    if not request.user.is_authenticated:
        return render(request, "home_anonymous.html")
    networks = list(permissions.visible_networks(request.user))
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
