"""Intakes and cohort formation on the web: members find open intakes and apply; organizers
create intakes, read applications, run formation, adjust the proposal and publish it.

Every view finds the intake through the permission layer (404 for people who may not see
it); organizer pages answer 403 to members who can see the intake but not run it."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from cadre.accounts.http import AuthenticatedRequest
from cadre.lib.rules import Refused, raise_for_page, show_on_form
from cadre.networks.models import Network
from cadre.networks.policy import get_network_or_404
from cadre.people.forms import availability_rows
from cadre.people.models import time_zone_names

from . import criteria as choices
from . import policy, proposals, publishing, services, wording
from .forms import ApplicationForm, IntakeForm, LockForm, MoveForm, PublishForm, RunForm
from .models import FormationRun, Intake, IntakeStatus, RunStatus

APPLICATIONS_PAGE_SIZE = 50

IntakeView = Callable[..., HttpResponse]


def intake_page(view: IntakeView) -> IntakeView:
    """Turn the `network` and `intake` slugs from the URL into objects the user may see, or
    404."""

    @wraps(view)
    def wrapper(
        request: AuthenticatedRequest, network: str, intake: str, **kwargs: Any
    ) -> HttpResponse:
        found = policy.get_intake_or_404(request.user, network, intake)
        return view(request, found.network, found, **kwargs)

    return wrapper


def _require_manager(request: AuthenticatedRequest, network: Network) -> None:
    """The organizers' pages answer 403 (with the reason) to everyone else."""
    try:
        services.require_intake_manager(user=request.user, network=network)
    except Refused as refusal:
        raise_for_page(refusal)
        raise


def _is_htmx(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    if not htmx:
        return False
    return not htmx.history_restore_request


# --- intakes --------------------------------------------------------------------------------


@login_required
@require_GET
def intake_list(request: AuthenticatedRequest, network: str) -> HttpResponse:
    network_obj = get_network_or_404(request.user, network)
    intakes = list(
        policy.visible_intakes(request.user, network_obj)
        .select_related("network")
        .order_by("-opens_on", "title")
    )
    applied = set(
        request.user.applications.filter(intake__in=intakes, withdrawn=False).values_list(
            "intake_id", flat=True
        )
    )
    context = {
        "network": network_obj,
        "intakes": intakes,
        "applied": applied,
        "manages": policy.can_manage_intakes(request.user, network_obj),
    }
    return render(request, "formation/intake_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def intake_create(request: AuthenticatedRequest, network: str) -> HttpResponse:
    network_obj = get_network_or_404(request.user, network)
    _require_manager(request, network_obj)
    form = IntakeForm(request.POST or None, network=network_obj)
    if request.method == "POST" and form.is_valid():
        try:
            intake = services.create_intake(user=request.user, network=network_obj, **form.values())
        except Refused as refusal:
            form.show(refusal)
        else:
            messages.success(
                request,
                _("“%(intake)s” is saved as a draft. Open it when ready.")
                % {"intake": intake.title},
            )
            return redirect(intake)
    return render(
        request,
        "formation/intake_form.html",
        {"network": network_obj, "form": form, "intake": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
@intake_page
def intake_edit(request: AuthenticatedRequest, network: Network, intake: Intake) -> HttpResponse:
    _require_manager(request, network)
    try:
        services.require_changeable(intake)
    except Refused as refusal:
        messages.error(request, refusal.message)
        return redirect(intake)
    form = IntakeForm(request.POST or None, intake=intake, network=network)
    if request.method == "POST" and form.is_valid():
        try:
            intake = services.update_intake(user=request.user, intake=intake, **form.values())
        except Refused as refusal:
            form.show(refusal)
        else:
            messages.success(request, _("The intake is saved."))
            return redirect(intake)
    return render(
        request, "formation/intake_form.html", {"network": network, "form": form, "intake": intake}
    )


# The page's buttons: the status each asks for (services.check_status_change says when it
# may be had) and what the intake is then.
STATUS_ACTIONS = {
    "open": (IntakeStatus.OPEN, gettext_noop("“%(intake)s” is open for applications.")),
    "close": (IntakeStatus.CLOSED, gettext_noop("“%(intake)s” is closed; no more applications.")),
}


@login_required
@require_POST
@intake_page
def intake_status(request: AuthenticatedRequest, network: Network, intake: Intake) -> HttpResponse:
    _require_manager(request, network)
    action = STATUS_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        messages.error(request, _("Choose to open or to close the intake."))
        return redirect(intake)
    status, now = action
    try:
        services.update_intake(user=request.user, intake=intake, status=status)
    except Refused as refusal:
        raise_for_page(refusal)
        messages.error(request, refusal.message)
        return redirect(intake)
    messages.success(request, _(now) % {"intake": intake.title})
    return redirect(intake)


@login_required
@require_GET
@intake_page
def intake_detail(request: AuthenticatedRequest, network: Network, intake: Intake) -> HttpResponse:
    user = request.user
    manages = policy.can_manage_intakes(user, network)
    application = intake.applications.filter(user=user).first()
    context: dict[str, Any] = {
        "network": network,
        "intake": intake,
        "manages": manages,
        "application": application,
        "can_apply": policy.can_apply(user, intake),
    }
    if manages:
        context["application_count"] = intake.active_applications().count()
        context["waiting_count"] = intake.waitlist.count()
        context["latest_run"] = intake.latest_run()
        context["proposal"] = intake.proposal()
        context["run_form"] = RunForm(intake=intake, start=choices.defaults_for(intake))
    return render(request, "formation/intake_detail.html", context)


# --- applying -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@intake_page
def apply(request: AuthenticatedRequest, network: Network, intake: Intake) -> HttpResponse:
    try:
        services.require_applicant(user=request.user, intake=intake)
    except Refused as refusal:
        raise_for_page(refusal)
        raise
    application = intake.applications.filter(user=request.user).first()
    form = ApplicationForm(
        request.POST or None, intake=intake, user=request.user, application=application
    )
    if request.method == "POST" and form.is_valid():
        first = application is None or application.withdrawn
        try:
            services.save_application(user=request.user, intake=intake, **form.values())
        except Refused as refusal:
            if refusal.kind != "conflict":
                show_on_form(form, refusal)
            else:
                # The same person sent it twice at once; the first one is kept.
                messages.warning(request, refusal.message)
                return redirect(intake)
        else:
            messages.success(
                request,
                _("Thank you, your application is in. You can change it until the intake closes.")
                if first
                else _("Your application is updated."),
            )
            return redirect(intake)
    selected = form["availability"].value() or []
    context = {
        "network": network,
        "intake": intake,
        "form": form,
        "application": application,
        "availability_rows": availability_rows(selected),
    }
    return render(request, "formation/apply.html", context)


@login_required
@require_POST
@intake_page
def withdraw(request: AuthenticatedRequest, network: Network, intake: Intake) -> HttpResponse:
    try:
        services.withdraw_application(user=request.user, intake=intake)
    except Refused as refusal:
        if refusal.kind == "not_found":
            raise Http404(refusal.message) from None
        messages.error(request, refusal.message)
        return redirect(intake)
    messages.success(
        request, _("Your application is withdrawn. You can apply again while it is open.")
    )
    return redirect(intake)


# --- organizers: applications and runs -------------------------------------------------------


@login_required
@require_GET
@intake_page
def applications(request: AuthenticatedRequest, network: Network, intake: Intake) -> HttpResponse:
    _require_manager(request, network)
    found = intake.applications.select_related("user__profile").order_by(
        "withdrawn", "submitted_at", "pk"
    )
    page = Paginator(found, APPLICATIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    skill_names = dict(network.skills.values_list("slug", "name"))
    rows = []
    for application in page.object_list:
        rows.append(
            {
                "application": application,
                "profile": getattr(application.user, "profile", None),
                "skills": sorted(
                    (
                        (skill_names.get(slug, slug), level)
                        for slug, level in application.skills.items()
                    ),
                    key=lambda item: (-item[1], item[0]),
                ),
                "hours": len(application.availability),
            }
        )
    context = {"network": network, "intake": intake, "page": page, "rows": rows}
    return render(request, "formation/applications.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@intake_page
def run_start(request: AuthenticatedRequest, network: Network, intake: Intake) -> HttpResponse:
    _require_manager(request, network)
    form = RunForm(request.POST or None, intake=intake, start=choices.defaults_for(intake))
    if request.method == "POST" and form.is_valid():
        try:
            run = proposals.start_run(
                intake,
                request.user,
                seconds=form.cleaned_data["seconds"],
                seed=form.cleaned_data["seed"],
                criteria=form.cleaned_data["criteria"],
            )
        except Refused as refusal:
            raise_for_page(refusal)
            messages.error(request, refusal.message)
            return redirect(intake)
        return redirect(run)
    return render(
        request, "formation/run_start.html", {"network": network, "intake": intake, "form": form}
    )


@login_required
@require_GET
@intake_page
def run_detail(
    request: AuthenticatedRequest, network: Network, intake: Intake, run: int
) -> HttpResponse:
    _require_manager(request, network)
    found = get_object_or_404(FormationRun, pk=run, intake=intake)
    partial = _is_htmx(request)
    if partial and found.status == RunStatus.DONE:
        # The page was polling; show the proposal now that it is there.
        return HttpResponseClientRedirect(_proposal_url(intake))
    context = {
        "network": network,
        "intake": intake,
        "run": found,
        "criteria": choices.of_run(found),
    }
    template = "formation/run.html#progress" if partial else "formation/run.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# --- organizers: the proposal ---------------------------------------------------------------


def _proposal_url(intake: Intake) -> str:
    from django.urls import reverse

    return reverse("formation:proposal", args=[intake.network.slug, intake.slug])


def _current_proposal(intake: Intake) -> FormationRun:
    """The proposal, or the 404 that says there is none yet."""
    try:
        return proposals.current_proposal(intake)
    except Refused as refusal:
        raise_for_page(refusal)
        raise


def _render_proposal(
    request: AuthenticatedRequest,
    network: Network,
    intake: Intake,
    run: FormationRun,
    problem: str = "",
    run_form: RunForm | None = None,
) -> HttpResponse:
    latest = intake.latest_run()
    cohorts = proposals.proposed_cohorts(run, proposals.time_zone_of(request.user))
    context = {
        "network": network,
        "intake": intake,
        "run": run,
        "criteria": choices.of_run(run),
        "explanation": wording.all_in_words(run.result.get("explanation") or []),
        "cohorts": cohorts,
        "cannot_meet": [c for c in cohorts if c.members and not c.can_meet],
        "time_zone": proposals.time_zone_of(request.user),
        "unplaced": proposals.unplaced_count(run),
        "pending_run": latest if latest and not latest.finished else None,
        "run_form": run_form
        or RunForm(
            initial={"seed": run.seed + 1, "seconds": run.seconds},
            intake=intake,
            start=choices.of_run(run),
        ),
        "editable": not intake.is_published,
        "problem": problem,
    }
    template = "formation/proposal.html#cohorts" if _is_htmx(request) else "formation/proposal.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_GET
@intake_page
def proposal(request: AuthenticatedRequest, network: Network, intake: Intake) -> HttpResponse:
    _require_manager(request, network)
    return _render_proposal(request, network, intake, _current_proposal(intake))


def _after_change(
    request: AuthenticatedRequest,
    network: Network,
    intake: Intake,
    run: FormationRun,
    problem: str = "",
) -> HttpResponse:
    if _is_htmx(request):
        # htmx swaps only successful answers, so a refusal comes back as the cards with the
        # reason above them.
        return _render_proposal(request, network, intake, run, problem)
    if problem:
        messages.error(request, problem)
    return redirect("formation:proposal", network.slug, intake.slug)


@login_required
@require_POST
@intake_page
def proposal_move(request: AuthenticatedRequest, network: Network, intake: Intake) -> HttpResponse:
    _require_manager(request, network)
    run = _current_proposal(intake)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return _after_change(
            request, network, intake, run, _("Pick a person and a cohort to move them to.")
        )
    try:
        proposals.move(
            run=run,
            by=request.user,
            application=form.cleaned_data["application"],
            cohort=form.cleaned_data["cohort"],
        )
    except Refused as refusal:
        raise_for_page(refusal)
        return _after_change(request, network, intake, run, refusal.message)
    return _after_change(request, network, intake, run)


@login_required
@require_POST
@intake_page
def proposal_lock(request: AuthenticatedRequest, network: Network, intake: Intake) -> HttpResponse:
    _require_manager(request, network)
    run = _current_proposal(intake)
    form = LockForm(request.POST)
    if not form.is_valid():
        return _after_change(request, network, intake, run, _("Pick a person to lock or unlock."))
    try:
        proposals.set_locked(
            run=run,
            by=request.user,
            application=form.cleaned_data["application"],
            locked=form.cleaned_data["locked"],
        )
    except Refused as refusal:
        raise_for_page(refusal)
        return _after_change(request, network, intake, run, refusal.message)
    return _after_change(request, network, intake, run)


@login_required
@require_POST
@intake_page
def proposal_rerun(request: AuthenticatedRequest, network: Network, intake: Intake) -> HttpResponse:
    _require_manager(request, network)
    run = _current_proposal(intake)
    form = RunForm(request.POST, intake=intake, start=choices.of_run(run))
    if not form.is_valid():
        return _render_proposal(request, network, intake, run, run_form=form)
    try:
        new = proposals.start_run(
            intake,
            request.user,
            seconds=form.cleaned_data["seconds"],
            seed=form.cleaned_data["seed"],
            criteria=form.cleaned_data["criteria"],
            around=run,
        )
    except Refused as refusal:
        raise_for_page(refusal)
        messages.error(request, refusal.message)
        return redirect("formation:proposal", network.slug, intake.slug)
    return redirect(new)


@login_required
@require_http_methods(["GET", "POST"])
@intake_page
def publish(request: AuthenticatedRequest, network: Network, intake: Intake) -> HttpResponse:
    """Name, host and time zone for each proposed cohort, then publish. Cohorts that cannot
    meet are named in a confirmation step before anything is created."""
    _require_manager(request, network)
    run = _current_proposal(intake)
    try:
        publishing.require_unpublished(intake)
    except Refused as refusal:
        messages.error(request, refusal.message)
        return redirect(intake)
    time_zone = proposals.time_zone_of(request.user)
    cohorts = [c for c in proposals.proposed_cohorts(run, time_zone) if c.members]
    form = PublishForm(
        request.POST or None,
        cohorts=cohorts,
        suggested=publishing.suggestions(intake, cohorts),
        hosts={c.number: publishing.host_choices(intake, c) for c in cohorts},
    )
    confirmation = ""
    if request.method == "POST" and form.is_valid():
        try:
            published = publishing.publish(
                intake=intake,
                run=run,
                by=request.user,
                details=form.details(),
                confirm=form.cleaned_data["confirm"],
            )
        except publishing.DetailsProblem as problem:
            # The template says problem.message (DETAILS_REFUSED) above the fields.
            form.add_problems(problem.problems)
        except publishing.CannotMeet as problem:
            confirmation = problem.message
        except Refused as refusal:
            raise_for_page(refusal)
            messages.error(request, refusal.message)
            return redirect(intake)
        else:
            people = sum(len(c.proposed.members) for c in published)
            messages.success(
                request,
                ngettext(
                    "Published %(count)s cohort with %(people)s people. Everyone who applied "
                    "is getting an e-mail with their cohort.",
                    "Published %(count)s cohorts with %(people)s people. Everyone who applied "
                    "is getting an e-mail with their cohort.",
                    len(published),
                )
                % {"count": len(published), "people": people},
            )
            return redirect(intake)
    context = {
        "network": network,
        "intake": intake,
        "run": run,
        "form": form,
        "cannot_meet": [c for c in cohorts if not c.can_meet],
        "confirmation": confirmation,
        "time_zone": time_zone,
        "time_zones": time_zone_names(),
        "details_refused": _(publishing.DETAILS_REFUSED),
        **_who_is_emailed(intake, cohorts),
    }
    return render(request, "formation/publish.html", context)


def _who_is_emailed(intake: Intake, cohorts: list[proposals.ProposedCohort]) -> dict[str, Any]:
    """What the publish page says before anything happens: who gets an e-mail (by cohort)
    and who goes on the waitlist instead (not e-mailed)."""
    placed = {m.user_id for c in cohorts for m in c.members}
    waiting = [
        a.user
        for a in intake.active_applications().select_related("user").order_by("submitted_at", "pk")
        if a.user_id not in placed
    ]
    return {
        "emailed": [(c.number, [m.user.name or m.user.email for m in c.members]) for c in cohorts],
        "emailed_count": len(placed),
        "waitlisted": [u.name or u.email for u in waiting],
    }
