"""An intake's waitlist, filling a seat from it, and the next intake after a cohort (the
network's organizers). The services are in waitlist.py."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cadre.accounts.http import AuthenticatedRequest
from cadre.accounts.models import User
from cadre.cohorts.models import Cohort
from cadre.cohorts.policy import can_manage_cohort
from cadre.cohorts.services import find_person, network_people
from cadre.cohorts.views import cohort_page
from cadre.lib.rules import Refused, raise_for_page, show_on_form
from cadre.networks.models import Network

from . import waitlist as service
from .forms import NextIntakeForm, WaitlistAddForm
from .models import Intake
from .views import _require_manager, intake_page


def _waitlist_context(network: Network, intake: Intake, **extra: Any) -> dict[str, Any]:
    entries = service.waitlist(intake)
    cohorts = service.cohorts_of(intake)
    waiting = [e.user_id for e in entries]
    people = network_people(network).exclude(pk__in=waiting)
    return {
        "network": network,
        "intake": intake,
        "entries": entries,
        "cohorts": cohorts,
        "add_form": extra.pop("add_form", None) or WaitlistAddForm(people=people),
        **extra,
    }


@login_required
@require_GET
@intake_page
def waitlist(request: AuthenticatedRequest, network: Network, intake: Intake) -> HttpResponse:
    _require_manager(request, network)
    return render(request, "formation/waitlist.html", _waitlist_context(network, intake))


def _person(network: Network, user: int) -> User:
    try:
        return find_person(network, user)
    except Refused:
        raise Http404("No such person.") from None


@login_required
@require_POST
@intake_page
def waitlist_add(request: AuthenticatedRequest, network: Network, intake: Intake) -> HttpResponse:
    _require_manager(request, network)
    form = WaitlistAddForm(request.POST, people=network_people(network))
    if form.is_valid():
        person = form.cleaned_data["person"]
        try:
            service.add_to_waitlist(
                by=request.user, intake=intake, person=person, why=form.cleaned_data["why"]
            )
        except Refused as refusal:
            show_on_form(form, refusal)
        else:
            messages.success(request, _("%(person)s is on the waitlist.") % {"person": person.name})
            return redirect("formation:waitlist", network.slug, intake.slug)
    context = _waitlist_context(network, intake, add_form=form)
    return render(request, "formation/waitlist.html", context, status=400)


@login_required
@require_POST
@intake_page
def waitlist_remove(
    request: AuthenticatedRequest, network: Network, intake: Intake, user: int
) -> HttpResponse:
    _require_manager(request, network)
    person = _person(network, user)
    try:
        service.remove_from_waitlist(by=request.user, intake=intake, person=person)
    except Refused as refusal:
        raise_for_page(refusal)
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("%(person)s is off the waitlist.") % {"person": person.name})
    return redirect("formation:waitlist", network.slug, intake.slug)


@login_required
@require_POST
@intake_page
def waitlist_move(
    request: AuthenticatedRequest, network: Network, intake: Intake, user: int
) -> HttpResponse:
    _require_manager(request, network)
    person = _person(network, user)
    try:
        service.move_on_waitlist(
            by=request.user, intake=intake, person=person, up=request.POST.get("to") != "down"
        )
    except Refused as refusal:
        raise_for_page(refusal)
        messages.error(request, refusal.message)
    return redirect("formation:waitlist", network.slug, intake.slug)


@login_required
@require_http_methods(["GET", "POST"])
@cohort_page(require=can_manage_cohort)
def fill_seat(request: AuthenticatedRequest, network: Network, cohort: Cohort) -> HttpResponse:
    """The seat someone left, offered to the waitlist of the cohort's intake; filled in one
    step."""
    found = cohort
    offer = service.seat_offer(found)
    if offer is None:
        raise Http404("This cohort has no waitlist.")
    problem = ""
    if request.method == "POST":
        try:
            person = find_person(found.network, int(request.POST.get("person", "0") or 0))
            replacing_id = request.POST.get("replacing", "")
            replacing = find_person(found.network, int(replacing_id)) if replacing_id else None
            service.fill_seat(by=request.user, cohort=found, person=person, replacing=replacing)
        except ValueError:
            problem = _(service.CHOOSE_SOMEONE_WAITING)
        except Refused as refusal:
            if refusal.kind == "forbidden":
                raise_for_page(refusal)
            problem = refusal.message
        else:
            messages.success(
                request,
                _("%(person)s has the seat in %(cohort)s and is getting an e-mail about it.")
                % {"person": person.name, "cohort": found.name},
            )
            return redirect("cohorts:members", found.network.slug, found.slug)
    return render(
        request,
        "formation/fill_seat.html",
        {"network": found.network, "cohort": found, "offer": offer, "problem": problem},
        status=400 if problem else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
@cohort_page(require=can_manage_cohort)
def next_intake(request: AuthenticatedRequest, network: Network, cohort: Cohort) -> HttpResponse:
    """Open the next intake after a cohort, prefilled from the intake it came from."""
    found = cohort
    suggested = service.suggest_next_intake(found)
    form = NextIntakeForm(request.POST or None, initial=suggested.__dict__)
    if request.method == "POST" and form.is_valid():
        try:
            intake = service.open_next_intake(by=request.user, cohort=found, **form.cleaned_data)
        except Refused as refusal:
            show_on_form(form, refusal)
        else:
            messages.success(
                request,
                _(
                    "%(intake)s is a draft with the objective and sizes of the last round. "
                    "Check it, then open it for applications."
                )
                % {"intake": intake.title},
            )
            return redirect("formation:edit", found.network.slug, intake.slug)
    return render(
        request,
        "formation/next_intake.html",
        {
            "network": network,
            "cohort": found,
            "form": form,
            "source": service.intake_of(found),
        },
        status=400 if form.errors else 200,
    )
