"""The cohort's schedule and role rota, the slot finder, and mentor matching.

Cohort pages reuse `cohort_page` from the cohort views: the same 404 for people who may not
see the cohort and the same code-of-conduct gate. Changing the schedule is for hosts and
organizers (403 for members); mentor matching is for organizers."""

import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from cadre.accounts.http import AuthenticatedRequest
from cadre.cohorts.models import Cohort
from cadre.cohorts.views import cohort_page
from cadre.lib.rules import Refused, raise_for_page, show_on_form
from cadre.networks.models import Network, Role
from cadre.networks.policy import get_network_or_404, network_role
from cadre.pairings.figures import met
from cadre.pairings.models import MeetingCheck
from cadre.pairings.services import rematch_queue, unanswered_matches

from . import mentoring, policy, rota, services
from .forms import (
    AbsenceForm,
    CancelForm,
    ConfirmMatchForm,
    HolidayForm,
    MentorSettingsForm,
    NewcomerFilterForm,
    OneOffSessionForm,
    ScheduleForm,
    SlotForm,
    SwapAnswerForm,
)
from .models import (
    Absence,
    CohortSchedule,
    MentorMatch,
    RoleAssignment,
    Session,
    SessionQuerySet,
    SessionReport,
)
from .templatetags.schedule_text import day_list

PAST_SHOWN = 10


def _is_htmx(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)  # set by HtmxMiddleware
    return isinstance(htmx, HtmxDetails) and bool(htmx) and not htmx.history_restore_request


def _require_schedule_editor(request: AuthenticatedRequest, cohort: Cohort) -> None:
    try:
        services.require_schedule_editor(request.user, cohort)
    except Refused as refusal:
        raise_for_page(refusal)


def _viewer_zone(user: Any) -> str:
    profile = getattr(user, "profile", None)
    return profile.time_zone if profile is not None else "UTC"


def _sessions(cohort: Cohort) -> SessionQuerySet:
    return cohort.sessions.all().prefetch_related(
        Prefetch("roles", queryset=RoleAssignment.objects.select_related("user").order_by("role")),
        Prefetch(
            "absences", queryset=Absence.objects.select_related("user").order_by("user__name")
        ),
    )


@dataclass(frozen=True)
class RotaRow:
    """A session on the schedule page, with what it is to the viewer."""

    session: Session
    my_role: str | None
    i_am_absent: bool
    readable_report: SessionReport | None


def _rota_context(
    request: AuthenticatedRequest, network: Network, cohort: Cohort
) -> dict[str, Any]:
    """Everything the schedule page shows; a fixed number of queries however many sessions,
    members and roles there are."""
    now = timezone.now()
    schedule = CohortSchedule.objects.filter(cohort=cohort).select_related("cohort").first()
    roles = list(schedule.roles) if schedule else []
    upcoming = list(_sessions(cohort).upcoming(now).order_by("starts_at"))
    past = list(
        _sessions(cohort).past(now).select_related("report").order_by("-starts_at")[:PAST_SHOWN]
    )[::-1]
    past_total = cohort.sessions.past(now).count()
    members = list(
        cohort.memberships.active()
        .filter(role__in=rota.ROTA_ROLES)
        .select_related("user")
        .order_by("user__name", "user__email")
    )
    totals: dict[int, dict[str, int]] = {m.user_id: dict.fromkeys(roles, 0) for m in members}
    for row in (
        RoleAssignment.objects.filter(session__cohort=cohort, session__cancelled=False)
        .values("user_id", "role")
        .annotate(n=Count("pk"))
    ):
        if row["user_id"] in totals and row["role"] in totals[row["user_id"]]:
            totals[row["user_id"]][row["role"]] = row["n"]
    me = request.user.pk
    # People who see a shared cohort but not its sessions may still read the reports shared
    # with the network.
    readable = set(
        policy.visible_session_reports(request.user, cohort)
        .filter(session__in=[s.pk for s in past])
        .values_list("pk", flat=True)
    )

    def rota_row(session: Session, *, is_past: bool) -> RotaRow:
        report = getattr(session, "report", None) if is_past else None
        return RotaRow(
            session=session,
            my_role=next((a.role for a in session.roles.all() if a.user_id == me), None),
            i_am_absent=any(a.user_id == me for a in session.absences.all()),
            readable_report=report if report and report.pk in readable else None,
        )

    counts = [
        {"user": m.user, "me": m.user_id == me, "counts": [totals[m.user_id][r] for r in roles]}
        for m in members
    ]
    viewer_zone = _viewer_zone(request.user)
    can_swap = policy.can_swap_roles(request.user, cohort)
    swaps = services.swaps_for(request.user, cohort) if can_swap else []
    for swap in swaps:
        if swap.partner_id == me:  # the role they would take in exchange, for one sentence
            # my_role is set here for the template only; the model declares no such field.
            swap.my_role = next((a.role for a in swap.session.roles.all() if a.user_id == me), "")  # type: ignore[attr-defined]
    return {
        "skipped": services.skipped_days(schedule, now) if schedule else [],
        "swaps_to_me": [s for s in swaps if s.partner_id == me],
        "swaps_by_me": [s for s in swaps if s.asked_by_id == me],
        "can_swap": can_swap,
        "network": network,
        "cohort": cohort,
        "schedule": schedule,
        "roles": roles,
        "upcoming": [rota_row(s, is_past=False) for s in upcoming],
        "past": [rota_row(s, is_past=True) for s in past],
        "past_hidden": max(0, past_total - len(past)),
        "counts": counts,
        "viewer_zone": viewer_zone,
        "other_zone": viewer_zone != cohort.time_zone,
        "can_edit": policy.can_edit_schedule(request.user, cohort),
        "can_mark_absence": policy.can_mark_absence(request.user, cohort),
        "can_open_sessions": policy.can_view_session(request.user, cohort),
    }


@login_required
@require_GET
@cohort_page
def schedule_page(request: AuthenticatedRequest, network: Network, cohort: Cohort) -> HttpResponse:
    return render(request, "schedule/page.html", _rota_context(request, network, cohort))


@login_required
@require_POST
@cohort_page
def absence_toggle(
    request: AuthenticatedRequest, network: Network, cohort: Cohort, session: int
) -> HttpResponse:
    """Mark or withdraw my absence from an upcoming session; the rota follows (signals)."""
    try:
        found = services.upcoming_session(request.user, cohort, session=session)
        if services.absence_of(request.user, found) is not None:
            services.withdraw_absence(request.user, cohort, session=session)
            messages.success(
                request,
                gettext("You will come on %(day)s; the rota is updated.") % {"day": _when(found)},
            )
        else:
            form = AbsenceForm(request.POST)
            note = form.cleaned_data["note"] if form.is_valid() else ""
            services.mark_absent(request.user, cohort, session=session, note=note)
            messages.success(
                request,
                gettext("You are marked absent on %(day)s; the rota is updated.")
                % {"day": _when(found)},
            )
    except Refused as refusal:
        raise_for_page(refusal)
        messages.warning(request, gettext(refusal.message))
    if _is_htmx(request):
        return render(request, "schedule/page.html#rota", _rota_context(request, network, cohort))
    return redirect("schedule:page", network.slug, cohort.slug)


def _when(session: Session) -> str:
    local = timezone.localtime(session.starts_at, zoneinfo.ZoneInfo(session.cohort.time_zone))
    return date_format(local, "l j F")


@login_required
@require_http_methods(["GET", "POST"])
@cohort_page
def schedule_edit(request: AuthenticatedRequest, network: Network, cohort: Cohort) -> HttpResponse:
    _require_schedule_editor(request, cohort)
    schedule = services.schedule_of(cohort)
    form = ScheduleForm(request.POST or None, schedule=schedule)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.update_schedule(request.user, cohort, **form.cleaned_data)
        except Refused as refusal:
            show_on_form(form, refusal)
        else:
            messages.success(
                request, gettext("Schedule saved; the upcoming sessions and the rota are updated.")
            )
            skipped = services.skipped_days(saved)
            if skipped:
                messages.info(
                    request, gettext("No session on %(days)s.") % {"days": day_list(skipped)}
                )
            return redirect("schedule:page", network.slug, cohort.slug)
    return render(
        request,
        "schedule/edit.html",
        {
            "network": network,
            "cohort": cohort,
            "form": form,
            "one_off_form": OneOffSessionForm(
                time_zone=cohort.time_zone, initial={"minutes": cohort.session_minutes}
            ),
            "has_schedule": schedule.pk is not None,
            "schedule": schedule,
            "skipped": services.skipped_days(schedule),
            "holidays": services.holidays_of(cohort, since=cohort.today()),
        },
    )


@login_required
@require_POST
@cohort_page
def one_off_add(request: AuthenticatedRequest, network: Network, cohort: Cohort) -> HttpResponse:
    _require_schedule_editor(request, cohort)
    form = OneOffSessionForm(request.POST, time_zone=cohort.time_zone)
    if form.is_valid():
        try:
            services.add_one_off_session(
                request.user,
                cohort,
                starts_at=form.cleaned_data["starts_at"],
                minutes=form.cleaned_data["minutes"],
                title=form.cleaned_data["title"],
                on_holiday=form.cleaned_data["on_holiday"],
            )
        except Refused as refusal:
            show_on_form(form, refusal)
    if form.errors:
        schedule = services.schedule_of(cohort)
        return render(
            request,
            "schedule/edit.html",
            {
                "network": network,
                "cohort": cohort,
                "form": ScheduleForm(schedule=schedule),
                "one_off_form": form,
                "has_schedule": schedule.pk is not None,
                "schedule": schedule,
                "skipped": services.skipped_days(schedule),
                "holidays": services.holidays_of(cohort, since=cohort.today()),
            },
            status=400,
        )
    messages.success(
        request,
        gettext("“%(title)s” added; the rota is updated.") % {"title": form.cleaned_data["title"]},
    )
    return redirect("schedule:page", network.slug, cohort.slug)


@login_required
@require_POST
@cohort_page
def session_cancel(
    request: AuthenticatedRequest, network: Network, cohort: Cohort, session: int
) -> HttpResponse:
    """Cancel an upcoming session (cancelled=on) or hold it again; its roles move to the
    other sessions."""
    _require_schedule_editor(request, cohort)
    form = CancelForm(request.POST)
    form.is_valid()
    try:
        found = services.cancel_session(
            request.user,
            cohort,
            session=session,
            cancelled=bool(form.cleaned_data.get("cancelled")),
        )
    except Refused as refusal:
        raise_for_page(refusal)
        messages.warning(request, gettext(refusal.message))
    else:
        done = (
            gettext("The session on %(day)s is cancelled.")
            if found.cancelled
            else gettext("The session on %(day)s is back on.")
        )
        messages.success(request, done % {"day": _when(found)})
    return redirect("schedule:page", network.slug, cohort.slug)


# --- holidays -------------------------------------------------------------------------------


def _holidays_page(
    request: AuthenticatedRequest, network: Network, cohort: Cohort, form: HolidayForm
) -> dict[str, Any]:
    return {
        "network": network,
        "cohort": cohort,
        "form": form,
        "holidays": services.holidays_of(cohort, since=cohort.today()),
        "schedule": services.schedule_of(cohort),
        "organizes": policy.can_edit_network_holidays(request.user, network),
    }


@login_required
@require_http_methods(["GET", "POST"])
@cohort_page
def holidays(request: AuthenticatedRequest, network: Network, cohort: Cohort) -> HttpResponse:
    """The days the cohort does not meet: the network's (organizers list them) and its own
    (its hosts list them)."""
    _require_schedule_editor(request, cohort)
    organizes = policy.can_edit_network_holidays(request.user, network)
    form = HolidayForm(request.POST or None, network_wide=organizes)
    if request.method == "POST" and form.is_valid():
        try:
            holiday = services.add_holiday(
                request.user,
                cohort,
                on=form.cleaned_data["on"],
                name=form.cleaned_data["name"],
                network_wide=form.cleaned_data.get("network_wide", False),
            )
        except Refused as refusal:
            show_on_form(form, refusal)
        else:
            whose = network.name if holiday.network_wide else cohort.name
            messages.success(
                request,
                gettext(
                    "%(holiday)s is a holiday for %(whose)s; sessions that fell on it moved to "
                    "the next meeting date."
                )
                % {"holiday": holiday, "whose": whose},
            )
            return redirect("schedule:holidays", network.slug, cohort.slug)
    return render(
        request,
        "schedule/holidays.html",
        _holidays_page(request, network, cohort, form),
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
@cohort_page
def holiday_remove(
    request: AuthenticatedRequest, network: Network, cohort: Cohort, holiday: int
) -> HttpResponse:
    try:
        found = services.remove_holiday(request.user, cohort, holiday=holiday)
    except Refused as refusal:
        raise_for_page(refusal)
        raise
    messages.success(
        request,
        gettext("%(holiday)s is no longer a holiday; the schedule is updated.")
        % {"holiday": found},
    )
    return redirect("schedule:holidays", network.slug, cohort.slug)


# --- swapping roles -------------------------------------------------------------------------


@login_required
@require_POST
@cohort_page
def swap_answer(
    request: AuthenticatedRequest, network: Network, cohort: Cohort, swap: int
) -> HttpResponse:
    """Accept or decline a request to take someone's role, or withdraw one's own."""
    form = SwapAnswerForm(request.POST)
    action = form.cleaned_data["action"] if form.is_valid() else ""
    try:
        if action == "withdraw":
            found = services.withdraw_swap(request.user, cohort, swap=swap)
            messages.success(
                request,
                gettext("Your request to %(partner)s is withdrawn.") % {"partner": found.partner},
            )
        elif action in ("accept", "decline"):
            found = services.answer_swap(request.user, cohort, swap=swap, accept=action == "accept")
            if action == "accept":
                messages.success(
                    request,
                    gettext("You are now %(role)s on %(day)s; %(other)s has been told.")
                    % {"role": found.role, "day": _when(found.session), "other": found.asked_by},
                )
            else:
                messages.success(
                    request,
                    gettext("Declined; %(other)s has been told.") % {"other": found.asked_by},
                )
        else:
            messages.error(request, gettext("Choose to accept, decline or withdraw."))
    except Refused as refusal:
        raise_for_page(refusal)
        messages.warning(request, gettext(refusal.message))
    return redirect("schedule:page", network.slug, cohort.slug)


# --- the slot finder ------------------------------------------------------------------------


@login_required
@require_GET
@cohort_page
def slots(request: AuthenticatedRequest, network: Network, cohort: Cohort) -> HttpResponse:
    return render(
        request,
        "schedule/slots.html",
        {
            "network": network,
            "cohort": cohort,
            "slots": rota.find_cohort_slots(cohort),
            "member_count": cohort.memberships.active().count(),
            "can_edit": policy.can_edit_schedule(request.user, cohort),
        },
    )


@login_required
@require_POST
@cohort_page
def slot_use(request: AuthenticatedRequest, network: Network, cohort: Cohort) -> HttpResponse:
    _require_schedule_editor(request, cohort)
    form = SlotForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Pick one of the suggested slots."))
        return redirect("schedule:slots", network.slug, cohort.slug)
    schedule = services.use_slot(request.user, cohort, start=form.cleaned_data["start"])
    messages.success(
        request,
        gettext("The cohort now meets on %(weekday)ss at %(time)s (%(zone)s).")
        % {
            "weekday": schedule.get_weekday_display(),
            "time": f"{schedule.local_time:%H:%M}",
            "zone": cohort.time_zone,
        },
    )
    return redirect("schedule:page", network.slug, cohort.slug)


# --- mentors --------------------------------------------------------------------------------

NetworkView = Callable[..., HttpResponse]


def network_page(view: NetworkView) -> NetworkView:
    """Turn the `network` slug into a network the user belongs to, or 404."""

    @wraps(view)
    def wrapper(request: HttpRequest, network: str, **kwargs: Any) -> HttpResponse:
        return view(request, get_network_or_404(request.user, network), **kwargs)

    return wrapper


def _require_mentoring_manager(request: AuthenticatedRequest, network: Network) -> None:
    try:
        services.require_mentoring_manager(request.user, network)
    except Refused as refusal:
        raise_for_page(refusal)


@login_required
@require_GET
@network_page
def mentors(request: AuthenticatedRequest, network: Network) -> HttpResponse:
    _require_mentoring_manager(request, network)
    days_form = NewcomerFilterForm(request.GET or None)
    days = mentoring.DEFAULT_NEWCOMER_DAYS
    if days_form.is_valid() and days_form.cleaned_data["days"]:
        days = days_form.cleaned_data["days"]
    proposals = services.propose_matches(request.user, network, days=days)
    current = list(
        MentorMatch.objects.current()
        .filter(network=network)
        .select_related("mentor", "newcomer", "confirmed_by")
        .order_by("mentor__name", "newcomer__name")
    )
    return render(
        request,
        "schedule/mentors.html",
        {
            "network": network,
            "proposals": proposals,
            "current": current,
            # Follow-through on matches is cadre.pairings' (its one figure and flags).
            "met": met(MeetingCheck.objects.filter(mentor_match__in=current)),
            "unanswered": unanswered_matches(network),
            "rematch_queue": rematch_queue(network),
            "days": days,
            "days_form": days_form,
        },
    )


@login_required
@require_POST
@network_page
def mentor_confirm(request: AuthenticatedRequest, network: Network) -> HttpResponse:
    _require_mentoring_manager(request, network)
    form = ConfirmMatchForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Pick a proposed match to confirm."))
        return redirect("mentors:list", network.slug)
    try:
        match = services.confirm_match(request.user, network, **form.cleaned_data)
    except Refused as refusal:
        raise_for_page(refusal)
        messages.error(request, gettext(refusal.message))
    else:
        messages.success(
            request,
            mentoring.matched(match),
        )
    return redirect("mentors:list", network.slug)


@login_required
@require_POST
@network_page
def mentor_match_end(request: AuthenticatedRequest, network: Network, match: int) -> HttpResponse:
    try:
        found = services.end_match(request.user, network, match=match)
    except Refused as refusal:
        raise_for_page(refusal)
        raise
    messages.success(
        request,
        gettext("%(mentor)s no longer mentors %(newcomer)s.")
        % {"mentor": found.mentor, "newcomer": found.newcomer},
    )
    return redirect("mentors:list", network.slug)


@login_required
@require_POST
@network_page
def mentor_settings(request: AuthenticatedRequest, network: Network, user: int) -> HttpResponse:
    try:
        services.mentor_places_of(request.user, network, mentor=user)
        form = MentorSettingsForm(request.POST)
        back = (
            "mentors:list" if policy.can_manage_mentoring(request.user, network) else "mentors:mine"
        )
        if not form.is_valid():
            for error in form.errors.get("capacity", []):
                messages.error(request, gettext("Capacity: %(error)s") % {"error": error})
            return redirect(back, network.slug)
        found = services.set_mentor_places(request.user, network, mentor=user, **form.cleaned_data)
    except Refused as refusal:
        raise_for_page(refusal)
        raise
    messages.success(
        request,
        gettext("%(mentor)s takes up to %(capacity)s.")
        % {"mentor": found.membership.user, "capacity": form.cleaned_data["capacity"]},
    )
    return redirect(back, network.slug)


@login_required
@require_GET
@network_page
def mentors_mine(request: AuthenticatedRequest, network: Network) -> HttpResponse:
    try:
        my_mentor, mentees = services.my_mentoring(request.user, network)
    except Refused as refusal:
        raise_for_page(refusal)
        raise
    role = network_role(request.user, network)
    settings_form = None
    if role == Role.MENTOR:
        load = next(
            (m for m in mentoring.mentor_loads(network) if m.user.pk == request.user.pk), None
        )
        if load is not None:
            settings_form = MentorSettingsForm(
                initial={"capacity": load.settings.capacity, "accepting": load.settings.accepting}
            )
    return render(
        request,
        "schedule/mentors_mine.html",
        {
            "network": network,
            "role": role,
            "my_mentor": my_mentor,
            "mentees": mentees,
            "settings_form": settings_form,
            "manages": policy.can_manage_mentoring(request.user, network),
            "settings_url": reverse("mentors:settings", args=[network.slug, request.user.pk]),
        },
    )
