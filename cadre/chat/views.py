"""A network's chat set-up, for its admins: connect or disconnect Slack, choose each
cohort's Slack channel and Teams workflow, send a test, and the notices that failed, with
"Retry now". Everyone else gets "not found", as the other settings pages do."""

from __future__ import annotations

from csp.decorators import csp_update
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cadre.accounts.http import AuthenticatedRequest
from cadre.cohorts.models import Cohort
from cadre.lib.rules import Refused, raise_for_page
from cadre.networks.models import Network
from cadre.networks.policy import get_network_or_404

from . import crypto, services, slackapi
from .models import ChannelLink, ChatDelivery, SlackWorkspace
from .policy import can_manage_chat, chat_deliveries_visible_to

LOG_SIZE = 50


def _network(request: AuthenticatedRequest, slug: str) -> Network:
    network = get_network_or_404(request.user, slug)
    if not can_manage_chat(request.user, network):
        raise Http404("No such page.")
    return network


def _refused(request: AuthenticatedRequest, refusal: Refused) -> None:
    raise_for_page(refusal)
    messages.error(request, refusal.message)


@login_required
@require_GET
def settings_page(request: AuthenticatedRequest, network: str) -> HttpResponseBase:
    found = _network(request, network)
    workspace = SlackWorkspace.objects.filter(network=found).first()
    links = {link.cohort_id: link for link in ChannelLink.objects.filter(cohort__network=found)}
    cohorts = list(Cohort.objects.filter(network=found).order_by("name"))
    rows = [(cohort, links.get(cohort.pk)) for cohort in cohorts]
    context = {
        "network": found,
        "workspace": workspace,
        "slack_configured": services.slack_configured(),
        "has_key": crypto.has_key(),
        "channels": services.slack_channels(found) if workspace else [],
        "rows": rows,
        "failures": services.failures(found).select_related("cohort")[:LOG_SIZE],
    }

    # "Add Cadre to a Slack workspace" posts a form that is answered with a redirect to Slack's
    # authorize page; browsers hold that redirect to the page's form-action, so this page's
    # policy lets forms go there as well as to Cadre.
    @csp_update({"form-action": [slackapi.authorize_origin()]})
    def page(request: HttpRequest) -> HttpResponse:
        return render(request, "chat/settings.html", context)

    return page(request)


@login_required
@require_GET
def deliveries(request: AuthenticatedRequest, network: str) -> HttpResponse:
    found = _network(request, network)
    rows = chat_deliveries_visible_to(request.user, found).select_related("cohort")[:LOG_SIZE]
    return render(request, "chat/deliveries.html", {"network": found, "deliveries": rows})


@login_required
@require_POST
def slack_connect(request: AuthenticatedRequest, network: str) -> HttpResponse:
    found = _network(request, network)
    try:
        url = services.slack_install_url(request.user, found)
    except Refused as refusal:
        _refused(request, refusal)
        return redirect("chat:settings", found.slug)
    return redirect(url)


@login_required
@require_GET
def slack_callback(request: AuthenticatedRequest) -> HttpResponse:
    """Slack sends the admin back here with `code` and our `state` (or `error`)."""
    try:
        network = services.network_of_state(request.user, request.GET.get("state", ""))
    except Refused as refusal:
        raise_for_page(refusal)
        return render(request, "chat/slack_failed.html", {"message": refusal.message}, status=400)
    try:
        workspace = services.finish_slack_install(
            request.user, state=request.GET.get("state", ""), code=request.GET.get("code", "")
        )
    except Refused as refusal:
        _refused(request, refusal)
    else:
        messages.success(
            request,
            _("Slack workspace %(workspace)s is connected; now choose each cohort’s channel.")
            % {"workspace": workspace.team_name or workspace.team_id},
        )
    return redirect("chat:settings", network.slug)


@login_required
@require_POST
def slack_disconnect(request: AuthenticatedRequest, network: str) -> HttpResponse:
    found = _network(request, network)
    try:
        done = services.disconnect_slack(request.user, found)
    except Refused as refusal:
        _refused(request, refusal)
    else:
        if done.revoked:
            messages.success(request, _("Slack is disconnected and Cadre’s token is revoked."))
        else:
            messages.warning(
                request,
                _(
                    "Slack is disconnected and Cadre forgot its token, but Slack could not be "
                    "told: remove the Cadre app in your workspace’s settings too."
                ),
            )
    return redirect("chat:settings", found.slug)


def _cohort(request: AuthenticatedRequest, network: str, cohort: str) -> Cohort:
    found = _network(request, network)
    return get_object_or_404(Cohort.objects.select_related("network"), network=found, slug=cohort)


@login_required
@require_POST
def cohort_channel(request: AuthenticatedRequest, network: str, cohort: str) -> HttpResponse:
    found = _cohort(request, network, cohort)
    channel = request.POST.get("slack_channel", "")
    names = dict(services.slack_channels(found.network)) if channel else {}
    try:
        link = services.set_channel(
            request.user,
            found,
            slack_channel=channel,
            slack_channel_name=names.get(channel.strip(), ""),
            teams_url=request.POST.get("teams_url", ""),
        )
    except Refused as refusal:
        _refused(request, refusal)
    else:
        if link is None:
            messages.success(request, _("%(cohort)s posts nowhere now.") % {"cohort": found.name})
        else:
            messages.success(
                request,
                _("%(cohort)s’s notices go to the channels chosen.") % {"cohort": found.name},
            )
    return redirect("chat:settings", found.network.slug)


@login_required
@require_POST
def cohort_test(request: AuthenticatedRequest, network: str, cohort: str) -> HttpResponse:
    found = _cohort(request, network, cohort)
    try:
        services.send_test(request.user, found)
    except Refused as refusal:
        _refused(request, refusal)
    else:
        messages.success(request, _("A test message is on its way; failures show on this page."))
    return redirect("chat:settings", found.network.slug)


@login_required
@require_POST
def retry(request: AuthenticatedRequest, network: str, chat_delivery: int) -> HttpResponse:
    found = _network(request, network)
    row = get_object_or_404(ChatDelivery, pk=chat_delivery, network=found)
    try:
        services.retry_now(request.user, row)
    except Refused as refusal:
        _refused(request, refusal)
    else:
        messages.success(request, _("The notice is queued again and goes out within a minute."))
    return redirect("chat:settings", found.slug)
