from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from cadre.lib import permissions


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
    """For load balancers: answers without touching the session."""
    return HttpResponse("ok", content_type="text/plain")
