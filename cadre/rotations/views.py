"""Peer rotations on the web: a cohort's coaching rotation (this round, the next ones and a
who-met-whom table) and the network's virtual-coffee rituals.

Coaching pages are cohort pages: `cohort_page` finds the cohort (404 for people who may not
see it) and sends people to the code of conduct first. Coffee pages are for the network's
own people (partners and outsiders get 404, as for the directory), behind the same code of
conduct; organizer actions answer 403 to members. A person's "please don't pair me with"
list is only ever read through `PairingExclusion.objects.owned_by(request.user, ...)`."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails

from cadre.accounts.http import AuthenticatedRequest
from cadre.cohorts.models import Cohort
from cadre.cohorts.views import cohort_page
from cadre.lib.rules import Refused, raise_for_page, show_on_form
from cadre.networks.models import Network
from cadre.networks.policy import must_accept_conduct
from cadre.pairings.asking import waiting_for
from cadre.pairings.figures import met_by_coffee_round

from . import planning, policy, services
from .forms import CoachingPlanForm, ExclusionForm, RitualForm, SnoozeForm
from .models import PairingExclusion, Ritual, RitualParticipant

# --- coaching rotation ----------------------------------------------------------------------


def _coaching_context(
    request: AuthenticatedRequest, network: Network, cohort: Cohort
) -> dict[str, Any]:
    today = timezone.localdate()
    rounds = services.coaching_rounds(cohort)
    started = [r for r in rounds if r.starts_on <= today]
    current = started[-1] if started else None
    my_groups = {
        group.pk
        for r in rounds
        for group in r.groups.all()
        if any(s.user_id == request.user.pk for s in group.seats.all())
    }
    people = planning.coaching_people(cohort)
    matrix = planning.met_matrix(
        people,
        [[s.user_id for s in g.seats.all()] for r in rounds for g in r.groups.all()],
    )
    return {
        "network": network,
        "cohort": cohort,
        "current": current,
        "earlier": started[:-1],
        "upcoming": [r for r in rounds if r.starts_on > today],
        "matrix": matrix,
        "my_groups": my_groups,
        "can_plan": policy.can_plan_coaching(request.user, cohort),
        "people_count": len(people),
    }


@login_required
@require_GET
@cohort_page
def coaching(request: AuthenticatedRequest, network: Network, cohort: Cohort) -> HttpResponse:
    context = _coaching_context(request, network, cohort)
    if context["can_plan"]:
        context["form"] = CoachingPlanForm()
    return render(request, "rotations/coaching.html", context)


@login_required
@require_POST
@cohort_page
def coaching_plan(request: AuthenticatedRequest, network: Network, cohort: Cohort) -> HttpResponse:
    form = CoachingPlanForm(request.POST)
    if form.is_valid():
        try:
            created = services.plan_coaching(
                request.user,
                cohort,
                rounds=form.cleaned_data["rounds"],
                format=form.cleaned_data["format"],
                starts_on=form.cleaned_data["starts_on"],
            )
        except Refused as refusal:
            if refusal.kind == "forbidden":
                return render(
                    request,
                    "cohorts/problem.html",
                    {
                        "network": network,
                        "cohort": cohort,
                        "title": gettext("Not something you can do here"),
                        "message": gettext(refusal.message),
                    },
                    status=403,
                )
            show_on_form(form, refusal)
        else:
            messages.success(
                request,
                ngettext(
                    "Planned %(count)s coaching round; rounds that had started are unchanged.",
                    "Planned %(count)s coaching rounds; rounds that had started are unchanged.",
                    len(created),
                )
                % {"count": len(created)},
            )
            return redirect("coaching:rotation", network.slug, cohort.slug)
    context = _coaching_context(request, network, cohort)
    context["form"] = form
    return render(request, "rotations/coaching.html", context)


# --- virtual coffee -------------------------------------------------------------------------

NetworkView = Callable[..., HttpResponse]


def coffee_page(view: NetworkView) -> NetworkView:
    """Turn the `network` slug into a network whose rituals the user may see (404 for
    outsiders and partners); send people to the code of conduct until they accept it."""

    @wraps(view)
    def wrapper(request: HttpRequest, network: str, **kwargs: Any) -> HttpResponse:
        found = policy.get_rituals_network_or_404(request.user, network)
        if must_accept_conduct(request.user, found):
            back = (
                request.get_full_path()
                if request.method in ("GET", "HEAD")
                else reverse("coffee:list", args=[found.slug])
            )
            target = reverse("networks:conduct", args=[found.slug]) + "?next=" + quote(back)
            htmx = getattr(request, "htmx", None)  # set by HtmxMiddleware
            if isinstance(htmx, HtmxDetails) and htmx:
                return HttpResponseClientRedirect(target)
            return redirect(target)
        return view(request, found, **kwargs)

    return wrapper


def _ritual(request: AuthenticatedRequest, network: Network, ritual_id: int) -> Ritual:
    return policy.get_ritual_or_404(request.user, network, ritual_id)


def _require_manager(request: AuthenticatedRequest, network: Network) -> None:
    try:
        services.require_ritual_manager(request.user, network)
    except Refused as refusal:
        raise_for_page(refusal)


@dataclass(frozen=True)
class RitualRow:
    """A ritual on the list, with the viewer's place in it."""

    ritual: Ritual
    mine: RitualParticipant | None
    snoozed: bool


@login_required
@require_GET
@coffee_page
def ritual_list(request: AuthenticatedRequest, network: Network) -> HttpResponse:
    today = timezone.localdate()
    rituals = list(
        policy.visible_rituals(request.user, network)
        .annotate(
            people=Count("participants", distinct=True),
            round_count=Count("rounds", distinct=True),
        )
        .order_by("-active", "name")
    )
    mine = {
        p.ritual_id: p
        for p in RitualParticipant.objects.filter(ritual__in=rituals, user=request.user)
    }
    rows = []
    for ritual in rituals:
        participant = mine.get(ritual.pk)
        snoozed = bool(participant and participant.is_snoozed(today))
        rows.append(RitualRow(ritual=ritual, mine=participant, snoozed=snoozed))
    return render(
        request,
        "rotations/ritual_list.html",
        {
            "network": network,
            "rituals": rows,
            "manages": policy.can_manage_rituals(request.user, network),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@coffee_page
def ritual_create(request: AuthenticatedRequest, network: Network) -> HttpResponse:
    _require_manager(request, network)
    form = RitualForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ritual = services.create_ritual(request.user, network, **form.cleaned_data)
        except Refused as refusal:
            show_on_form(form, refusal)
        else:
            messages.success(
                request,
                gettext("“%(name)s” is set up. Members can join it now.") % {"name": ritual.name},
            )
            return redirect(ritual)
    return render(
        request, "rotations/ritual_form.html", {"network": network, "form": form, "ritual": None}
    )


@login_required
@require_http_methods(["GET", "POST"])
@coffee_page
def ritual_edit(request: AuthenticatedRequest, network: Network, ritual: int) -> HttpResponse:
    _require_manager(request, network)
    found = _ritual(request, network, ritual)
    form = RitualForm(request.POST or None, instance=found)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_ritual(request.user, found, **form.cleaned_data)
        except Refused as refusal:
            show_on_form(form, refusal)
        else:
            messages.success(request, gettext("The ritual is saved."))
            return redirect(found)
    return render(
        request, "rotations/ritual_form.html", {"network": network, "form": form, "ritual": found}
    )


def _ritual_context(
    request: AuthenticatedRequest, network: Network, ritual: Ritual, **extra: Any
) -> dict[str, Any]:
    today = timezone.localdate()
    user = request.user
    manages = policy.can_manage_rituals(user, network)
    counts = RitualParticipant.objects.filter(ritual=ritual).aggregate(
        total=Count("pk"), snoozed=Count("pk", filter=Q(snoozed_until__gte=today))
    )
    mine = services.participation(user, ritual)
    rounds = list(services.coffee_rounds(user, ritual, limit=12)) if manages else []
    # Follow-through ("did you meet?") is cadre.pairings': its one definition of the figure.
    met = met_by_coffee_round([r.pk for r in rounds])
    for r in rounds:
        r.met = met.get(r.pk)
    context: dict[str, Any] = {
        "network": network,
        "ritual": ritual,
        "manages": manages,
        "participants": counts["total"],
        "snoozing": counts["snoozed"],
        "mine": mine,
        "snoozed": bool(mine and mine.is_snoozed(today)),
        "can_join": policy.can_join_ritual(user, ritual),
        "snooze_form": SnoozeForm(initial={"until": mine.snoozed_until if mine else None}),
        "exclusions": list(
            PairingExclusion.objects.owned_by(user, network)
            .select_related("other")
            .order_by("other__name")
        ),
        "exclusion_form": ExclusionForm(network=network, owner=user),
        "my_groups": planning.my_coffee_groups(ritual, user),
        "rounds": rounds,
        "latest": services.coffee_round(user, ritual) if manages else None,
        "met": met,
        "to_answer": waiting_for(user, network, coffee_group__round__ritual=ritual),
        "next_date": ritual.next_date(today),
        "lead_days": settings.CADRE_ROUNDS_LEAD_DAYS,
    }
    context.update(extra)
    return context


@login_required
@require_GET
@coffee_page
def ritual_detail(request: AuthenticatedRequest, network: Network, ritual: int) -> HttpResponse:
    found = _ritual(request, network, ritual)
    return render(request, "rotations/ritual_detail.html", _ritual_context(request, network, found))


@login_required
@require_POST
@coffee_page
def ritual_join(request: AuthenticatedRequest, network: Network, ritual: int) -> HttpResponse:
    found = _ritual(request, network, ritual)
    try:
        _, created = services.join_ritual(request.user, found)
    except Refused as refusal:
        raise_for_page(refusal)
        raise
    if created:
        messages.success(
            request,
            gettext("You joined “%(name)s”. You will be in its next round.") % {"name": found.name},
        )
    return redirect(found)


@login_required
@require_POST
@coffee_page
def ritual_leave(request: AuthenticatedRequest, network: Network, ritual: int) -> HttpResponse:
    found = _ritual(request, network, ritual)
    if services.leave_ritual(request.user, found):
        messages.success(
            request,
            gettext("You left “%(name)s”. Your past coffees stay listed.") % {"name": found.name},
        )
    return redirect(found)


@login_required
@require_POST
@coffee_page
def ritual_snooze(request: AuthenticatedRequest, network: Network, ritual: int) -> HttpResponse:
    found = _ritual(request, network, ritual)
    form = SnoozeForm(request.POST)
    if form.is_valid():
        try:
            mine = services.snooze_ritual(request.user, found, until=form.cleaned_data["until"])
        except Refused as refusal:
            show_on_form(form, refusal)
    if form.errors:
        context = _ritual_context(request, network, found, snooze_form=form)
        return render(request, "rotations/ritual_detail.html", context)
    if mine.snoozed_until:
        messages.success(
            request,
            gettext("Snoozed: you are left out of rounds until %(day)s.")
            % {"day": date_format(mine.snoozed_until, "j F Y")},
        )
    else:
        messages.success(request, gettext("Welcome back: you are in the next round."))
    return redirect(found)


@login_required
@require_http_methods(["GET", "POST"])
@coffee_page
def round_generate(request: AuthenticatedRequest, network: Network, ritual: int) -> HttpResponse:
    """GET asks once, naming who will be e-mailed; POST generates the round."""
    _require_manager(request, network)
    found = _ritual(request, network, ritual)
    if request.method == "GET":
        day = found.next_date()
        people = [p.user for p in planning.eligible_participants(found, day)]
        return render(
            request,
            "rotations/round_confirm.html",
            {"network": network, "ritual": found, "people": people, "day": day},
        )
    try:
        coffee = services.generate_coffee_round(request.user, found)
    except Refused as refusal:
        raise_for_page(refusal)
        messages.error(request, gettext(refusal.message))
        return redirect(found)
    groups = coffee.groups.count()
    messages.success(
        request,
        ngettext(
            "Round %(number)s is generated: %(count)s group. Everyone will get an e-mail with "
            "their group within a minute; until then you can undo it on the round's page.",
            "Round %(number)s is generated: %(count)s groups. Everyone will get an e-mail with "
            "their group within a minute; until then you can undo it on the round's page.",
            groups,
        )
        % {"number": coffee.number, "count": groups},
    )
    return redirect(coffee)


@login_required
@require_POST
@coffee_page
def round_undo(
    request: AuthenticatedRequest, network: Network, ritual: int, number: int
) -> HttpResponse:
    _require_manager(request, network)
    found = _ritual(request, network, ritual)
    try:
        services.undo_coffee_round(request.user, found, number=number)
    except Refused as refusal:
        raise_for_page(refusal)
        messages.error(request, gettext(refusal.message))
        return redirect("coffee:round", network.slug, found.pk, number)
    messages.success(
        request, gettext("Round %(number)s is undone: nobody was e-mailed.") % {"number": number}
    )
    return redirect(found)


@login_required
@require_GET
@coffee_page
def round_detail(
    request: AuthenticatedRequest, network: Network, ritual: int, number: int
) -> HttpResponse:
    _require_manager(request, network)
    found = _ritual(request, network, ritual)
    try:
        coffee = services.coffee_round(request.user, found, number=number)
    except Refused as refusal:
        raise_for_page(refusal)
        raise
    if coffee is None:
        raise Http404("No such round.")
    return render(
        request,
        "rotations/round_detail.html",
        {"network": network, "ritual": found, "round": coffee},
    )


def _back(request: AuthenticatedRequest, network: Network) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("coffee:exclusions", args=[network.slug])


@login_required
@require_http_methods(["GET", "POST"])
@coffee_page
def exclusions(request: AuthenticatedRequest, network: Network) -> HttpResponse:
    form = ExclusionForm(request.POST or None, network=network, owner=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            added = services.add_exclusion(request.user, network, user=form.cleaned_data["user"].pk)
        except Refused as refusal:
            show_on_form(form, refusal)
        else:
            messages.success(
                request,
                gettext(
                    "%(name)s is on your private list; you will not be paired with them. "
                    "Nobody else can see this."
                )
                % {"name": added.other.name or added.other.email},
            )
            return redirect(_back(request, network))
    mine = (
        PairingExclusion.objects.owned_by(request.user, network)
        .select_related("other")
        .order_by("other__name")
    )
    return render(
        request,
        "rotations/exclusions.html",
        {
            "network": network,
            "form": form,
            "exclusions": list(mine),
            "next": request.POST.get("next", ""),
        },
    )


@login_required
@require_POST
@coffee_page
def exclusion_remove(
    request: AuthenticatedRequest, network: Network, exclusion: int
) -> HttpResponse:
    try:
        found = services.remove_exclusion(request.user, network, exclusion=exclusion)
    except Refused as refusal:
        raise_for_page(refusal)
        raise
    messages.success(
        request,
        gettext("%(name)s is off your list.") % {"name": found.other.name or found.other.email},
    )
    return redirect(_back(request, network))
