"""One session: its page (agenda, roles, attendance, notes), editing its agenda, running it
live, its report, and calendar files.

Who may do what is decided in cadre.schedule.policy, and every write is a service
(cadre.schedule.services): people who may not see the session get
404, those who may see it but not change it 403. The code-of-conduct gate comes before any
session content, as on the cohort pages."""

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails

from cadre.accounts.http import AuthenticatedRequest
from cadre.lib import dates
from cadre.lib.rules import Refused, raise_for_page, show_on_form
from cadre.networks.contributions import item_sections
from cadre.networks.policy import can_view_network, must_accept_conduct

from . import calendars, policy, rsvp, services
from .forms import (
    AgendaFormSet,
    AttendanceForm,
    CommitmentCaptureForm,
    NoteForm,
    PublishForm,
    ReportForm,
    SwapForm,
    TitleForm,
    WhereForm,
)
from .models import (
    AgendaBlock,
    AttendanceStatus,
    CalendarToken,
    RoleAssignment,
    RsvpAnswer,
    Session,
    SessionReport,
)

SessionView = Callable[..., HttpResponse]


def _is_htmx(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)  # set by HtmxMiddleware
    return isinstance(htmx, HtmxDetails) and bool(htmx) and not htmx.history_restore_request


def session_page(view: SessionView) -> SessionView:
    """Turn the URL's network, cohort and session into a session whose network the user
    belongs to (404 otherwise), after the code-of-conduct gate. Each view then asks
    permissions whether the person may see (404) or change (403) what it shows."""

    @wraps(view)
    def wrapper(
        request: HttpRequest, network: str, cohort: str, session: int, **kwargs: Any
    ) -> HttpResponse:
        found = (
            Session.objects.select_related("cohort__network", "cohort__schedule")
            .prefetch_related(
                Prefetch(
                    "roles", queryset=RoleAssignment.objects.select_related("user").order_by("role")
                )
            )
            .filter(pk=session, cohort__slug=cohort, cohort__network__slug=network)
            .first()
        )
        if found is None or not can_view_network(request.user, found.cohort.network):
            raise Http404("No such session.")
        if must_accept_conduct(request.user, found.cohort.network):
            back = (
                request.get_full_path()
                if request.method in ("GET", "HEAD")
                else found.cohort.get_absolute_url()
            )
            target = (
                reverse("networks:conduct", args=[found.cohort.network.slug])
                + "?next="
                + quote(back)
            )
            if _is_htmx(request):
                return HttpResponseClientRedirect(target)
            return redirect(target)
        return view(request, found, **kwargs)

    return wrapper


def _require_view(request: AuthenticatedRequest, session: Session) -> None:
    if not policy.can_view_session(request.user, session.cohort):
        raise Http404("No such session.")


def _require_run(request: AuthenticatedRequest, session: Session) -> None:
    _require_view(request, session)
    try:
        services.require_runner(request.user, session)
    except Refused as refusal:
        raise_for_page(refusal)


def _require_report_editor(request: AuthenticatedRequest, session: Session) -> None:
    _require_view(request, session)
    try:
        services.require_report_writer(request.user, session)
    except Refused as refusal:
        raise_for_page(refusal)


def _args(session: Session) -> list[Any]:
    return [session.cohort.network.slug, session.cohort.slug, session.pk]


def _members(session: Session) -> list[Any]:
    return [
        m.user
        for m in session.cohort.memberships.active()
        .select_related("user")
        .order_by("user__name", "user__email")
    ]


def _context(request: AuthenticatedRequest, session: Session) -> dict[str, Any]:
    """What the session page and the run view show, in a fixed number of queries."""
    AgendaBlock.ensure_for(session)
    agenda = list(session.agenda.select_related("presenter").order_by("order", "pk"))
    attendance = {a.user_id: a.status for a in session.attendance.all()}
    absent_notice = set(session.absences.values_list("user_id", flat=True))
    people = [
        {
            "user": u,
            "status": attendance.get(u.pk, ""),
            "notice": u.pk in absent_notice,
            "role": next((a.role for a in session.roles.all() if a.user_id == u.pk), None),
        }
        for u in _members(session)
    ]
    report = SessionReport.objects.filter(session=session).first()
    answers = {r.user_id: r for r in session.rsvps.all()}
    for p in people:
        p["rsvp"] = answers.get(p["user"].pk)
    can_run = policy.can_run_session(request.user, session)
    mine = answers.get(request.user.pk)
    # Counted from what the page already read: the members, their answers and absences.
    expected = rsvp.count(
        [p["user"].pk for p in people],
        {user: r.answer for user, r in answers.items()},
        absent_notice,
    )
    return {
        "network": session.cohort.network,
        "cohort": session.cohort,
        "session": session,
        "agenda": agenda,
        "agenda_total": sum(b.minutes for b in agenda),
        "people": people,
        "statuses": AttendanceStatus.choices,
        "notes": list(session.notes.select_related("author")),
        "report": report,
        "can_run": can_run,
        "expected": expected if can_run else None,
        "my_rsvp": mine,
        "can_rsvp": any(p["user"].pk == request.user.pk for p in people)
        and not session.cancelled
        and not session.is_past(),
        "rsvp_choices": RsvpAnswer.choices,
        "can_edit_report": policy.can_edit_report(request.user, session),
        "can_open_report": policy.can_open_report_page(request.user, session, report),
        "note_form": NoteForm(),
        "commitment_form": CommitmentCaptureForm(),
        "can_edit_title": policy.can_edit_schedule(request.user, session.cohort),
        "title_form": TitleForm(initial={"title": session.title}),
        "where": session.where(),
        "where_form": WhereForm(
            initial={"meeting_url": session.meeting_url, "place": session.place}
        ),
        "can_swap": policy.can_swap_roles(request.user, session.cohort)
        and not session.cancelled
        and not session.is_past()
        and any(a.user_id == request.user.pk for a in session.roles.all()),
    }


@login_required
@require_GET
@session_page
def session_detail(request: AuthenticatedRequest, session: Session) -> HttpResponse:
    _require_view(request, session)
    return render(request, "schedule/session.html", _context(request, session))


@login_required
@require_POST
@session_page
def session_title(request: AuthenticatedRequest, session: Session) -> HttpResponse:
    """Give the session a title (hosts and organizers)."""
    _require_view(request, session)
    form = TitleForm(request.POST)
    try:
        if not form.is_valid():
            raise Refused(str(form.errors["title"][0]), field="title")
        found = services.set_session_title(
            request.user, session.cohort, session=session.pk, title=form.cleaned_data["title"]
        )
    except Refused as refusal:
        raise_for_page(refusal)
        messages.error(request, gettext(refusal.message))
    else:
        messages.success(
            request, gettext("The session is now called “%(title)s”.") % {"title": found.label}
        )
    return redirect("schedule:session", *_args(session))


@login_required
@require_POST
@session_page
def session_where(request: AuthenticatedRequest, session: Session) -> HttpResponse:
    """Give the session its own meeting link and place (hosts and organizers)."""
    _require_view(request, session)
    form = WhereForm(request.POST)
    try:
        if not form.is_valid():
            name, errors = next(iter(form.errors.items()))
            raise Refused(str(errors[0]), field=name)
        services.set_session_where(
            request.user, session.cohort, session=session.pk, **form.cleaned_data
        )
    except Refused as refusal:
        raise_for_page(refusal)
        messages.error(request, gettext(refusal.message))
    else:
        messages.success(request, gettext("Saved where this session meets."))
    return redirect("schedule:session", *_args(session))


@login_required
@require_POST
@session_page
def session_rsvp(request: AuthenticatedRequest, session: Session) -> HttpResponse:
    """Say whether I am coming (the cohort's active members)."""
    _require_view(request, session)
    try:
        found = rsvp.respond(request.user, session, answer=request.POST.get("answer", ""))
    except Refused as refusal:
        raise_for_page(refusal)
        messages.error(request, gettext(refusal.message))
    else:
        messages.success(
            request,
            gettext("Your answer: %(answer)s.") % {"answer": found.get_answer_display().lower()},
        )
    return redirect("schedule:session", *_args(session))


@require_http_methods(["GET", "POST"])
def rsvp_link(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation e-mail's link: no sign-in; it answers for the person it was sent to,
    as often as they like until the session starts."""
    try:
        session, person = rsvp.from_link(token)
    except Refused as refusal:
        return render(
            request, "schedule/rsvp_broken.html", {"message": gettext(refusal.message)}, status=404
        )
    context: dict[str, Any] = {
        "session": session,
        "cohort": session.cohort,
        "person": person,
        "token": token,
        "choices": RsvpAnswer.choices,
        "picked": request.GET.get("answer", ""),
        "current": rsvp.answer_of(person, session),
        "open": policy.can_answer_rsvp(person, session.cohort)
        and not session.cancelled
        and not session.is_past(),
        "closed": gettext(
            rsvp.CLOSED if session.cancelled or session.is_past() else rsvp.NOT_A_MEMBER
        ),
    }
    if request.method == "POST":
        try:
            context["current"] = rsvp.respond_by_link(
                token=token, answer=request.POST.get("answer", "")
            )
        except Refused as refusal:
            context["error"] = gettext(refusal.message)
            return render(request, "schedule/rsvp_link.html", context, status=422)
        context["done"] = True
    return render(request, "schedule/rsvp_link.html", context)


def _swap_people(session: Session, me: int) -> list[tuple[int, str]]:
    """The other members on the rota, with the role each holds in `session`, if any."""
    from .rota import rota_members

    holding = {a.user_id: a.role for a in session.roles.all()}
    ids = [pk for pk in rota_members(session.cohort) if pk != me]
    people = get_user_model().objects.filter(pk__in=ids).order_by("name", "email")
    return [
        (
            u.pk,
            gettext("%(person)s (is %(role)s)") % {"person": u, "role": holding[u.pk]}
            if u.pk in holding
            else gettext("%(person)s (no role that day)") % {"person": u},
        )
        for u in people
    ]


@login_required
@require_http_methods(["GET", "POST"])
@session_page
def swap_ask(request: AuthenticatedRequest, session: Session) -> HttpResponse:
    """Ask another member to take my role in this session (and give me theirs)."""
    _require_view(request, session)
    if not policy.can_swap_roles(request.user, session.cohort):
        raise PermissionDenied(services.SWAP_MEMBERS_ONLY)
    mine = [a.role for a in session.roles.all() if a.user_id == request.user.pk]
    form = SwapForm(request.POST or None, roles=mine, people=_swap_people(session, request.user.pk))
    if request.method == "POST" and form.is_valid():
        try:
            swap = services.ask_swap(
                request.user,
                session.cohort,
                session=session.pk,
                role=form.cleaned_data["role"],
                partner=form.cleaned_data["partner"],
            )
        except Refused as refusal:
            show_on_form(form, refusal)
        else:
            messages.success(
                request,
                gettext(
                    "%(partner)s has been asked to take your role as %(role)s; "
                    "you hold it until they accept."
                )
                % {"partner": swap.partner, "role": swap.role},
            )
            return redirect("schedule:page", session.cohort.network.slug, session.cohort.slug)
    return render(
        request,
        "schedule/swap.html",
        {
            "network": session.cohort.network,
            "cohort": session.cohort,
            "session": session,
            "form": form,
            "my_roles": mine,
            "over": session.is_past() or session.cancelled,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
@session_page
def agenda_edit(request: AuthenticatedRequest, session: Session) -> HttpResponse:
    """Edit the blocks in one go: they must add up to the session's length, or nothing is
    saved."""
    _require_run(request, session)
    AgendaBlock.ensure_for(session)
    members = session.cohort.memberships.active().values("user")
    blocks = session.agenda.order_by("order", "pk")
    form_kwargs = {"members": get_user_model().objects.filter(pk__in=members).order_by("name")}
    if request.method == "POST":
        formset = AgendaFormSet(
            request.POST, queryset=blocks, session=session, form_kwargs=form_kwargs
        )
        confirmed = request.POST.get("confirm_overwrite") == "yes"
        if formset.is_valid():
            # The formset asked the service's check (check_agenda); only the question about
            # a session that already ran remains.
            try:
                services.replace_agenda(
                    request.user, session, blocks=formset.blocks(), confirm_overwrite=confirmed
                )
            except Refused as refusal:
                raise_for_page(refusal)
                messages.warning(request, gettext(refusal.message))
            else:
                if confirmed and session.has_run():
                    messages.success(
                        request,
                        gettext(
                            "Agenda saved. The one it replaced is kept: "
                            "Put back the earlier agenda."
                        ),
                    )
                else:
                    messages.success(request, gettext("Agenda saved."))
                return redirect("schedule:session", *_args(session))
    else:
        formset = AgendaFormSet(queryset=blocks, session=session, form_kwargs=form_kwargs)
    return render(
        request,
        "schedule/agenda_edit.html",
        {
            "network": session.cohort.network,
            "cohort": session.cohort,
            "session": session,
            "formset": formset,
            "ran": session.has_run(),
            "previous": services.previous_agenda(session),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
@session_page
def agenda_restore(request: AuthenticatedRequest, session: Session) -> HttpResponse:
    """Undo: put back the agenda that the last replacement of a past session's agenda took
    the place of."""
    _require_run(request, session)
    try:
        services.restore_agenda(request.user, session)
    except Refused as refusal:
        raise_for_page(refusal)
        messages.warning(request, gettext(refusal.message))
    else:
        messages.success(
            request, gettext("The earlier agenda is back; the one it replaced is kept.")
        )
    return redirect("schedule:session", *_args(session))


@login_required
@require_GET
@session_page
def session_run(request: AuthenticatedRequest, session: Session) -> HttpResponse:
    _require_run(request, session)
    context = {
        **_context(request, session),
        "since": services.since_last_time(request.user, session),
    }
    return render(request, "schedule/run.html", context)


def _run_fragment(
    request: AuthenticatedRequest,
    session: Session,
    part: str,
    capture: dict[str, Any] | None = None,
) -> HttpResponse:
    """The part of the run view that changed (htmx), or the run view again. `capture` is a
    commitment the check sent back to the capture box: without htmx the whole page shows it."""
    if _is_htmx(request):
        context = {**_context(request, session), "capture": capture}
        return render(request, f"schedule/run.html#{part}", context)
    if capture is not None and "done" not in capture:
        context = {**_context(request, session), "capture": capture}
        return render(request, "schedule/run.html", context, status=422)
    return redirect("schedule:run", *_args(session))


@login_required
@require_POST
@session_page
def attendance_set(request: AuthenticatedRequest, session: Session) -> HttpResponse:
    _require_run(request, session)
    form = AttendanceForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, gettext("Pick a member of the cohort and present, absent or excused.")
        )
        return _run_fragment(request, session, "attendance")
    try:
        services.record_attendance(request.user, session, **form.cleaned_data)
    except Refused as refusal:
        if refusal.kind == "forbidden":
            raise_for_page(refusal)
        messages.error(request, gettext(refusal.message))
    return _run_fragment(request, session, "attendance")


@login_required
@require_POST
@session_page
def note_add(request: AuthenticatedRequest, session: Session) -> HttpResponse:
    _require_run(request, session)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.add_note(request.user, session, **form.cleaned_data)
    else:
        messages.error(request, gettext("Write the note first (at most 1000 characters)."))
    return _run_fragment(request, session, "notes")


@login_required
@require_POST
@session_page
def commitment_add(request: AuthenticatedRequest, session: Session) -> HttpResponse:
    """Capture what a member commits to, through the same check as the board: one with
    problems comes back to the box with what is missing and a rewrite ("Use the rewrite"), and
    is captured only with "Capture as said"; one without a due date comes back asking for it."""
    _require_run(request, session)
    form = CommitmentCaptureForm(request.POST)
    owner = None
    if form.is_valid():
        owner = next((u for u in _members(session) if u.pk == form.cleaned_data["owner"]), None)
    if owner is None:
        messages.error(request, gettext("Pick who commits and write what they commit to."))
        return _run_fragment(request, session, "notes")
    data = form.cleaned_data
    commitments = services.commitments()
    if commitments is not None and request.POST.get("use_rewrite", "").strip():
        check = commitments.check_commitment(session.cohort, data["text"], due_on=data["due_on"])
        rewrite = check.lint.rewrite
        due_missing = rewrite is not None and "due" in rewrite.missing
        capture = {
            "owner": owner.pk,
            "text": (rewrite.text if rewrite is not None else "") or data["text"],
            "due_on": None if due_missing else data["due_on"],
            "due_prompt": rewrite.prompt("due") if rewrite is not None else "",
        }
        return _run_fragment(request, session, "notes", capture)
    refusal = commitments.CommitmentRefused if commitments is not None else ()
    try:
        made = services.capture_commitment(
            request.user,
            session,
            owner=owner,
            text=data["text"],
            due_on=data["due_on"],
            keep_anyway=data["keep"],
        )
    except refusal as refused:
        capture = {
            "owner": owner.pk,
            "text": data["text"],
            "due_on": data["due_on"],
            "lint": refused.check.lint,
            "errors": refused.errors,
            "needs_keep": refused.needs_keep,
            "keep": data["keep"],
        }
        return _run_fragment(request, session, "notes", capture)
    if made == "commitment":
        done = gettext("Captured: %(owner)s commits to “%(text)s”.") % {
            "owner": owner,
            "text": data["text"],
        }
        if _is_htmx(request):
            return _run_fragment(request, session, "notes", {"done": done})
        messages.success(request, done)
    return _run_fragment(request, session, "notes")


# --- the report -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@session_page
def report_page(request: AuthenticatedRequest, session: Session) -> HttpResponse:
    """Read the published report; the note-taker, hosts and organizers also edit it."""
    report = SessionReport.objects.filter(session=session).first()
    can_edit = policy.may_write_report(request.user, session)
    if not policy.can_open_report_page(request.user, session, report):
        raise Http404("No such report.")
    form: ReportForm | None
    if request.method == "POST":
        _require_report_editor(request, session)
        form = ReportForm(request.POST, instance=report or SessionReport(session=session))
        if form.is_valid():
            services.save_report(request.user, session, **form.cleaned_data)
            messages.success(request, gettext("Report saved."))
            return redirect("schedule:report", *_args(session))
    else:
        form = ReportForm(instance=report) if can_edit and report else None
    return render(
        request,
        "schedule/report.html",
        {
            "network": session.cohort.network,
            "cohort": session.cohort,
            "session": session,
            "report": report,
            "form": form,
            "can_edit": can_edit,
            "can_open_session": policy.can_view_session(request.user, session.cohort),
            "sections": item_sections(request.user, report) if report else [],
            "publish_form": PublishForm(
                initial={"share_with_network": report.share_with_network if report else False}
            ),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
@session_page
def report_draft(request: AuthenticatedRequest, session: Session) -> HttpResponse:
    """Fill the report's text from the session's data (attendance, roles, notes, insights,
    commitments…); the note-taker then edits it."""
    _require_report_editor(request, session)
    try:
        services.draft_report(request.user, session)
    except Refused as refusal:
        raise_for_page(refusal)
        messages.warning(request, gettext(refusal.message))
    else:
        messages.success(request, gettext("Drafted from the session. Edit it, then publish."))
    return redirect("schedule:report", *_args(session))


@login_required
@require_POST
@session_page
def report_publish(request: AuthenticatedRequest, session: Session) -> HttpResponse:
    _require_report_editor(request, session)
    form = PublishForm(request.POST)
    share = form.is_valid() and form.cleaned_data["share_with_network"]
    if request.POST.get("confirmed") != "yes":
        # Publishing e-mails people and cannot be taken back: ask once, saying who.
        report = SessionReport.objects.filter(session=session).first()
        if report is not None and not report.is_published:
            return render(
                request,
                "schedule/report_confirm.html",
                {
                    "network": session.cohort.network,
                    "cohort": session.cohort,
                    "session": session,
                    "share": share,
                    "recipients": services.report_recipients(session),
                },
            )
    try:
        services.publish_report(request.user, session, share_with_network=share)
    except Refused as refusal:
        raise_for_page(refusal)
        messages.warning(request, gettext(refusal.message))
    else:
        messages.success(
            request, gettext("Report published; the cohort’s members are being e-mailed.")
        )
    return redirect("schedule:report", *_args(session))


# --- calendars ------------------------------------------------------------------------------


def _ics(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
@require_GET
@session_page
def session_ics(request: AuthenticatedRequest, session: Session) -> HttpResponse:
    _require_view(request, session)
    if not dates.in_range(session.starts_at):  # saved before the rule of cadre.lib.dates
        raise Http404("This session's date is outside what a calendar can hold.")
    return _ics(calendars.session_calendar(session, request.user), f"session-{session.pk}.ics")


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The personal feed; the secret token is the only credential, so calendar apps can
    subscribe without signing in."""
    found = CalendarToken.objects.select_related("user").filter(token=token).first()
    if found is None or not found.user.is_active:
        raise Http404("No such calendar.")
    return _ics(calendars.personal_feed(found.user), "cadre.ics")


@login_required
@require_GET
def calendar_page(request: AuthenticatedRequest) -> HttpResponse:
    token = CalendarToken.for_user(request.user)
    url = request.build_absolute_uri(reverse("calendar:feed", args=[token.token]))
    return render(request, "schedule/calendar.html", {"feed_url": url, "token": token})


@login_required
@require_POST
def calendar_regenerate(request: AuthenticatedRequest) -> HttpResponse:
    CalendarToken.for_user(request.user).regenerate()
    messages.success(request, gettext("New calendar address made; the old one no longer works."))
    return redirect("calendar:page")
