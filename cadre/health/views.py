"""Cohort health pages: a cohort's health (signals with names for its hosts, the next
session's facilitator and organizers; a summary without names for its members), the
network's view for organizers, and the network's thresholds.

Everything is read from the snapshots (cadre.health.facts); "Refresh now" recomputes one
cohort at once, or queues the whole network for the worker."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from cadre.accounts.http import AuthenticatedRequest
from cadre.cohorts.models import Cohort
from cadre.cohorts.views import cohort_page
from cadre.lib.rules import Refused, show_on_form
from cadre.networks.models import Network
from cadre.networks.policy import get_network_or_404, must_accept_conduct

from . import facts, overview, policy, services
from .forms import HealthSettingsForm
from .models import CohortHealth, HealthSettings, HealthStatus

PAGE_SIZE = 25  # cohorts a page: the page costs the same from 25 cohorts up


def _is_htmx(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)  # set by HtmxMiddleware
    return isinstance(htmx, HtmxDetails) and bool(htmx) and not htmx.history_restore_request


def _organizer_network(request: AuthenticatedRequest, slug: str) -> Network | HttpResponse:
    """The network for its organizers (404 for everyone else), or the redirect to the code
    of conduct while they have not accepted it: the page shows cohort content."""
    network = get_network_or_404(request.user, slug)
    if not policy.can_view_network_health(request.user, network):
        raise Http404("No such page.")
    if must_accept_conduct(request.user, network):
        back = request.get_full_path() if request.method == "GET" else ""
        target = reverse("networks:conduct", args=[network.slug])
        return redirect(target + ("?next=" + quote(back) if back else ""))
    return network


# --- one cohort -----------------------------------------------------------------------------


@login_required
@cohort_page(require=policy.can_view_health_summary)
def cohort_health(request: AuthenticatedRequest, network: Network, cohort: Cohort) -> HttpResponse:
    user = request.user
    snapshot = CohortHealth.objects.filter(cohort=cohort).first()
    return render(
        request,
        "health/cohort.html",
        {
            "network": network,
            "cohort": cohort,
            "snapshot": snapshot,
            "full": policy.can_view_cohort_health(user, cohort),
            "can_refresh": policy.can_refresh_cohort_health(user, cohort),
            "can_view_network_health": policy.can_view_network_health(user, network),
            "tracked": cohort.status in facts.TRACKED,
            "trends": _trends(snapshot) if snapshot else None,
        },
    )


@login_required
@require_POST
@cohort_page(require=policy.can_view_health_summary)
def cohort_refresh(request: AuthenticatedRequest, network: Network, cohort: Cohort) -> HttpResponse:
    try:
        services.refresh_cohort(request.user, cohort)
    except Refused as refusal:
        if refusal.kind == "forbidden":
            raise PermissionDenied(refusal.message) from None
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Health recomputed just now."))
    return redirect("health:cohort", network.slug, cohort.slug)


def _trends(snapshot: CohortHealth) -> dict[str, overview.Trend]:
    return {
        "attendance": overview.Trend(snapshot.attendance_rate, snapshot.attendance_prev),
        "follow_through": overview.Trend(snapshot.follow_through, snapshot.follow_through_prev),
        "help_offered": overview.Trend(snapshot.help_offered, snapshot.help_offered_prev, unit=""),
        "updates": overview.Trend(snapshot.updates_recent, snapshot.updates_prev, unit=""),
    }


# --- the network ----------------------------------------------------------------------------


@login_required
def network_health(request: AuthenticatedRequest, network: str) -> HttpResponse:
    found = _organizer_network(request, network)
    if isinstance(found, HttpResponse):
        return found
    filters = overview.Filters.from_query(request.GET)
    page = Paginator(overview.snapshots(found, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [(s, _trends(s)) for s in page.object_list]
    computed = [s.computed_at for s, _ in rows]
    base = {k: v for k, v in request.GET.items() if k in ("intake", "status", "function")}
    context: dict[str, Any] = {
        "network": found,
        "filters": filters,
        "page": page,
        "rows": rows,
        "oldest": min(computed) if computed else None,
        "query": urlencode(base),
        "columns": [
            (key, label, "?" + urlencode({**base, "sort": filters.sort_param(key)}))
            for key, label in COLUMNS
        ],
        "page_query": urlencode(
            {**base, "sort": ("-" if filters.descending else "") + filters.sort}
        ),
    }
    if _is_htmx(request):
        return render(request, "health/network.html#table", context)
    context.update(
        {
            "counts": overview.status_counts(found),
            "statuses": HealthStatus.choices,
            "intakes": list(found.intakes.order_by("-created_at").values_list("slug", "title")),
            "functions": overview.function_choices(found),
            "reused": overview.most_reused(request.user, found),
            "mentors": overview.mentor_load(found),
            "follow_through": overview.follow_through(found),
            "untracked": Cohort.objects.filter(network=found)
            .exclude(status__in=facts.TRACKED)
            .count(),
        }
    )
    return render(request, "health/network.html", context)


COLUMNS = [
    ("name", _lazy("Cohort")),
    ("status", _lazy("Health")),
    ("attendance", _lazy("Attendance")),
    ("follow_through", _lazy("Follow-through")),
    ("help_offered", _lazy("Offers of help")),
    ("updates", _lazy("Updates")),
    ("blockers", _lazy("Open blockers")),
    ("last_update", _lazy("Last update")),
    ("members", _lazy("Active members")),
]


@login_required
@require_POST
def network_refresh(request: AuthenticatedRequest, network: str) -> HttpResponse:
    found = _organizer_network(request, network)
    if isinstance(found, HttpResponse):
        return found
    try:
        services.refresh_network(request.user, found)
    except Refused as refusal:
        raise PermissionDenied(refusal.message) from None
    messages.success(
        request, _("Refresh queued: the worker recomputes every cohort; reload in a minute.")
    )
    return redirect("health:network", found.slug)


@login_required
@require_http_methods(["GET", "POST"])
def health_settings(request: AuthenticatedRequest, network: str) -> HttpResponse:
    found = _organizer_network(request, network)
    if isinstance(found, HttpResponse):
        return found
    if not policy.can_edit_health_settings(request.user, found):
        raise Http404("No such page.")
    current = HealthSettings.for_network(found)
    form = HealthSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in HealthSettings.FIELDS}
        try:
            services.change_settings(request.user, found, values=values)
        except Refused as refusal:
            show_on_form(form, refusal)
        else:
            messages.success(request, _("Thresholds saved; every cohort is recomputed with them."))
            return redirect("health:network", found.slug)
    status = 422 if request.method == "POST" else 200
    return render(request, "health/settings.html", {"network": found, "form": form}, status=status)
