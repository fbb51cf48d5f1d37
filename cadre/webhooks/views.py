"""A network's webhooks, for its admins: the endpoints, adding one (its secret is shown
once), editing, rotating the secret, deleting, the delivery log, a test event and "Retry
now". Everyone else gets "not found", as the settings pages do."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cadre.accounts.http import AuthenticatedRequest
from cadre.lib.rules import Refused, show_on_form
from cadre.networks.models import Network
from cadre.networks.policy import get_network_or_404

from . import services
from .forms import EndpointEditForm, EndpointForm
from .models import Delivery, Endpoint
from .policy import can_manage_webhooks, endpoints_visible_to
from .sending import FAILING_AFTER

LOG_SIZE = 50


def _network(request: AuthenticatedRequest, slug: str) -> Network:
    network = get_network_or_404(request.user, slug)
    if not can_manage_webhooks(request.user, network):
        raise Http404("No such page.")
    return network


def _endpoint(request: AuthenticatedRequest, slug: str, pk: int) -> Endpoint:
    network = _network(request, slug)
    return get_object_or_404(endpoints_visible_to(request.user, network), pk=pk)


def _with_secret(request: AuthenticatedRequest, endpoint: Endpoint, heading: str) -> HttpResponse:
    """The one page that shows an endpoint's secret: right after it is made or rotated."""
    context = {"network": endpoint.network, "endpoint": endpoint, "heading": heading}
    return render(request, "webhooks/secret.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def endpoints(request: AuthenticatedRequest, network: str) -> HttpResponse:
    found = _network(request, network)
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint = services.create_endpoint(
                request.user,
                found,
                url=form.cleaned_data["url"],
                description=form.cleaned_data["description"],
                event_types=form.cleaned_data["event_types"],
            )
        except Refused as refusal:
            show_on_form(form, refusal)
        else:
            return _with_secret(request, endpoint, _("Your webhook is set up"))
    context = {
        "network": found,
        "form": form,
        "endpoints": endpoints_visible_to(request.user, found),
        "failing_after": FAILING_AFTER,
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "webhooks/endpoints.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def endpoint(request: AuthenticatedRequest, network: str, endpoint: int) -> HttpResponse:
    found = _endpoint(request, network, endpoint)
    initial = {
        "url": found.url,
        "description": found.description,
        "event_types": found.event_types,
        "active": found.active,
    }
    form = EndpointEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_endpoint(request.user, found, **form.cleaned_data)
        except Refused as refusal:
            found.refresh_from_db()
            show_on_form(form, refusal)
        else:
            messages.success(request, _("The webhook is saved."))
            return redirect("webhooks:endpoint", found.network.slug, found.pk)
    deliveries = [
        (delivery, json.dumps(delivery.payload, indent=2, ensure_ascii=False))
        for delivery in found.deliveries.all()[:LOG_SIZE]
    ]
    context: dict[str, Any] = {
        "network": found.network,
        "endpoint": found,
        "form": form,
        "deliveries": deliveries,
        "failing": found.failures_in_a_row >= FAILING_AFTER,
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "webhooks/endpoint.html", context, status=status)


@login_required
@require_POST
def rotate(request: AuthenticatedRequest, network: str, endpoint: int) -> HttpResponse:
    found = services.rotate_secret(request.user, _endpoint(request, network, endpoint))
    return _with_secret(request, found, _("A new secret for your webhook"))


@login_required
@require_POST
def delete(request: AuthenticatedRequest, network: str, endpoint: int) -> HttpResponse:
    found = _endpoint(request, network, endpoint)
    services.delete_endpoint(request.user, found)
    messages.success(
        request,
        _("The webhook to %(url)s is deleted; nothing more is sent to it.") % {"url": found.url},
    )
    return redirect("webhooks:endpoints", network)


@login_required
@require_POST
def send_test(request: AuthenticatedRequest, network: str, endpoint: int) -> HttpResponse:
    found = _endpoint(request, network, endpoint)
    services.send_test(request.user, found)
    messages.success(request, _("A test event is on its way; its delivery shows below."))
    return redirect("webhooks:endpoint", network, found.pk)


@login_required
@require_POST
def retry(
    request: AuthenticatedRequest, network: str, endpoint: int, delivery: int
) -> HttpResponse:
    found = _endpoint(request, network, endpoint)
    row = get_object_or_404(Delivery, pk=delivery, endpoint=found)
    try:
        services.retry_now(request.user, row)
    except Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The delivery is queued again and goes out within a minute."))
    return redirect("webhooks:endpoint", network, found.pk)
