"""Pages of follow-through on pairings: "did you meet?" (signed in, or by the e-mail link
that needs no sign-in), and a mentoring relationship's page. Each calls
cadre.pairings.services and asks cadre.pairings.policy."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cadre.accounts.http import AuthenticatedRequest
from cadre.lib.forms import ANSWER_SAVED
from cadre.lib.rules import Refused, raise_for_page, show_on_form
from cadre.networks.models import Network
from cadre.networks.policy import get_network_or_404
from cadre.schedule import mentoring
from cadre.schedule.models import MentorMatch

from . import asking, policy, services
from .forms import AgreementForm, AnswerForm, MeetingForm, RematchForm
from .models import MeetingCheck, MentorMeeting


def _network(request: HttpRequest, slug: str) -> Network:
    return get_network_or_404(request.user, slug)


def _check(request: AuthenticatedRequest, network: Network, pk: int) -> MeetingCheck:
    found = (
        MeetingCheck.objects.filter(pk=pk, network=network, user=request.user)
        .select_related("network", "mentor_match", "coffee_group__round__ritual")
        .first()
    )
    if found is None:
        raise Http404("No such check.")
    return found


def _back(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else default


# --- "did you meet?", signed in -------------------------------------------------------------


@login_required
@require_GET
def checks(request: AuthenticatedRequest, network: str) -> HttpResponse:
    found = _network(request, network)
    answered = (
        MeetingCheck.objects.filter(network=found, user=request.user)
        .exclude(answer="not_yet")
        .select_related("coffee_group__round__ritual", "coaching_group__round__cohort", "network")
        .order_by("-answered_at", "pk")[:20]
    )
    return render(
        request,
        "pairings/checks.html",
        {
            "network": found,
            "pending": asking.waiting_for(request.user, found),
            "answered": [{"check": c, "what": asking.describe(c)} for c in answered],
            "form": AnswerForm(),
        },
    )


@login_required
@require_POST
def answer(request: AuthenticatedRequest, network: str, check: int) -> HttpResponse:
    found = _network(request, network)
    mine = _check(request, found, check)
    form = AnswerForm(request.POST)
    default = reverse("pairings:checks", args=[found.slug])
    if not form.is_valid():
        messages.error(request, gettext(services.CHOOSE_AN_ANSWER))
        return redirect(_back(request, default))
    try:
        services.answer_check(by=request.user, check=mine, **form.cleaned_data)
    except Refused as refusal:
        raise_for_page(refusal)
        messages.error(request, gettext(refusal.message))
    else:
        messages.success(request, gettext(ANSWER_SAVED))
    return redirect(_back(request, default))


@login_required
@require_POST
def new_partner(request: AuthenticatedRequest, network: str, check: int) -> HttpResponse:
    found = _network(request, network)
    mine = _check(request, found, check)
    try:
        done = services.ask_for_new_partner(by=request.user, check=mine)
    except Refused as refusal:
        raise_for_page(refusal)
        messages.error(request, gettext(refusal.message))
    else:
        messages.success(request, _partner_message(done))
    return redirect(_back(request, reverse("pairings:checks", args=[found.slug])))


def _partner_message(check: MeetingCheck) -> str:
    if check.kind == "mentoring":
        return gettext("The organizers will find you a new mentor and let you know.")
    if check.repaired_with_id:
        return gettext("You have a new partner: %(partner)s. We have e-mailed you both.") % {
            "partner": check.repaired_with
        }
    return gettext(
        "Noted: you will be paired with the next person of this round who asks, by e-mail."
    )


# --- "did you meet?", by the e-mail link ----------------------------------------------------


@require_http_methods(["GET", "POST"])
def link(request: HttpRequest, token: str) -> HttpResponse:
    """The e-mail link: no sign-in; it works once. A used, forged or expired link gets a
    page that says so, with a way to sign in."""
    try:
        check = services.check_from_link(token)
    except services.LinkUsed as used:
        return render(
            request, "pairings/link_used.html", {"message": gettext(used.message)}, status=200
        )
    except Refused as refusal:
        return render(
            request, "pairings/link_broken.html", {"message": gettext(refusal.message)}, status=404
        )
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            done = services.answer_by_link(token=token, **form.cleaned_data)
        except services.LinkUsed as used:
            return render(request, "pairings/link_used.html", {"message": gettext(used.message)})
        except Refused as refusal:
            show_on_form(form, refusal)
        else:
            return render(request, "pairings/link_done.html", {"check": done})
    return render(
        request,
        "pairings/link.html",
        {
            "check": check,
            "what": asking.describe(check),
            "others": asking.partners(check),
            "form": form,
        },
    )


# --- a mentoring relationship ---------------------------------------------------------------


def _match(request: HttpRequest, network: Network, match: int) -> MentorMatch:
    try:
        return services.relationship_of(request.user, network, match=match)
    except Refused as refusal:
        raise_for_page(refusal)
        raise


def _relationship_context(
    request: AuthenticatedRequest, network: Network, match: MentorMatch, **forms: Any
) -> dict[str, Any]:
    found = services.relationship(match)
    profile = getattr(match.newcomer, "profile", None)
    manages = policy.can_rematch(request.user, match)
    mentors = [
        (
            load.user.pk,
            gettext("%(mentor)s (%(free)s free)") % {"mentor": load.user, "free": load.free},
        )
        for load in mentoring.mentor_loads(network)
        if load.user.pk != match.mentor_id and load.free > 0
    ]
    checks = list(
        MeetingCheck.objects.filter(mentor_match=match)
        .select_related("user")
        .order_by("user__name", "pk")
    )
    return {
        "network": network,
        "match": match,
        "relationship": found,
        "goals": list(getattr(profile, "learning_goals", None) or []),
        "bio": getattr(profile, "bio", "") if profile is not None else "",
        "meetings": list(MentorMeeting.objects.filter(match=match).select_related("added_by")),
        "checks": checks,
        "to_answer": asking.waiting_for(request.user, network, mentor_match=match),
        "edits": policy.can_edit_relationship(request.user, match),
        "is_mentor": request.user.pk == match.mentor_id,
        "manages": manages,
        "unanswered": match in services.unanswered_matches(network) if manages else False,
        "agreement_form": forms.get("agreement_form")
        or AgreementForm(
            initial={
                "what": found.what,
                "how_often": found.how_often,
                "until": found.until,
                "meeting_url": match.meeting_url,
                "place": match.place,
            }
        ),
        "meeting_form": forms.get("meeting_form") or MeetingForm(),
        "rematch_form": forms.get("rematch_form") or RematchForm(mentors=mentors),
    }


@login_required
@require_GET
def relationship(request: AuthenticatedRequest, network: str, match: int) -> HttpResponse:
    found = _network(request, network)
    pair = _match(request, found, match)
    return render(
        request, "pairings/relationship.html", _relationship_context(request, found, pair)
    )


def _relationship_write(
    request: AuthenticatedRequest,
    network: str,
    match: int,
    *,
    form_class: Any,
    form_name: str,
    write: Any,
    done: str,
) -> HttpResponse:
    """A form posted on the relationship page: `write` (a service) on its cleaned data; the
    page again with the form's problems (422), or back to it with `done`."""
    found = _network(request, network)
    pair = _match(request, found, match)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            write(by=request.user, match=pair, **form.cleaned_data)
        except Refused as refusal:
            show_on_form(form, refusal)
    if form.errors:
        context = _relationship_context(request, found, pair, **{form_name: form})
        return render(request, "pairings/relationship.html", context, status=422)
    messages.success(request, done)
    return redirect("mentoring:relationship", found.slug, pair.pk)


@login_required
@require_POST
def agreement(request: AuthenticatedRequest, network: str, match: int) -> HttpResponse:
    return _relationship_write(
        request,
        network,
        match,
        form_class=AgreementForm,
        form_name="agreement_form",
        write=services.save_agreement,
        done=gettext("The agreement is saved."),
    )


@login_required
@require_POST
def meeting(request: AuthenticatedRequest, network: str, match: int) -> HttpResponse:
    return _relationship_write(
        request,
        network,
        match,
        form_class=MeetingForm,
        form_name="meeting_form",
        write=services.log_meeting,
        done=gettext("The meeting is in the log."),
    )


@login_required
@require_POST
def acknowledge(request: AuthenticatedRequest, network: str, match: int) -> HttpResponse:
    found = _network(request, network)
    pair = _match(request, found, match)
    try:
        services.acknowledge(by=request.user, match=pair)
    except Refused as refusal:
        raise_for_page(refusal)
        raise
    messages.success(
        request,
        gettext("Thank you: %(newcomer)s will hear from you.") % {"newcomer": pair.newcomer},
    )
    return redirect("mentoring:relationship", found.slug, pair.pk)


@login_required
@require_POST
def rematch(request: AuthenticatedRequest, network: str, match: int) -> HttpResponse:
    found = _network(request, network)
    pair = _match(request, found, match)
    mentors = [(load.user.pk, str(load.user)) for load in mentoring.mentor_loads(found)]
    form = RematchForm(request.POST, mentors=mentors)
    if not form.is_valid():
        messages.error(request, gettext("Pick a mentor from the list."))
        return redirect(_back(request, reverse("mentors:list", args=[found.slug])))
    try:
        new = services.rematch(by=request.user, match=pair, mentor=form.cleaned_data["mentor"])
    except Refused as refusal:
        raise_for_page(refusal)
        messages.error(request, gettext(refusal.message))
        return redirect(_back(request, reverse("mentors:list", args=[found.slug])))
    messages.success(
        request,
        mentoring.matched(new),
    )
    return redirect("mentoring:relationship", found.slug, new.pk)
