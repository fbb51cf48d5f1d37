"""The cohort page, its versioned charter and each member's learning statement.

Every view is wrapped in `cohort_page`, which finds the cohort through the permission layer
(404 for anyone who may not see it) and sends people who still have to accept the network's
code of conduct there first."""

from collections.abc import Callable
from functools import wraps
from typing import Any, overload
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from cadre.accounts.http import AuthenticatedRequest
from cadre.accounts.models import User
from cadre.lib.rules import Refused, raise_for_page, show_on_form
from cadre.networks import policy as network_policy
from cadre.networks.models import Network
from cadre.networks.policy import Person

from . import closing, policy, services
from .contributions import roster_sections
from .forms import AddMemberForm, CharterForm, CohortForm, MoveForm, RoleForm, StatementForm
from .models import (
    STATUS_MEANINGS,
    Charter,
    CharterAcknowledgement,
    Cohort,
    CohortMembership,
    CohortStatus,
    MembershipPeriod,
    Turnover,
)

CohortView = Callable[..., HttpResponse]
# A question of an app's policy about one cohort: may this user see this part of it?
CohortPredicate = Callable[[Person, Cohort], bool]


@overload
def cohort_page(view: CohortView, /) -> CohortView: ...


@overload
def cohort_page(*, require: CohortPredicate) -> Callable[[CohortView], CohortView]: ...


def cohort_page(
    view: CohortView | None = None, /, *, require: CohortPredicate | None = None
) -> CohortView | Callable[[CohortView], CohortView]:
    """Turn the `network` and `cohort` slugs from the URL into objects the user may see, or
    404; redirect to the code of conduct while the user has not accepted its current
    version.

    `@cohort_page(require=can_view_board)`, with a rule from the feature app's policy, also
    answers 404 (after the conduct gate) to people who see the cohort but not that part of it,
    so an app's pages share one gate instead of each wrapping this one again."""

    def decorate(view: CohortView) -> CohortView:
        @wraps(view)
        def wrapper(
            request: AuthenticatedRequest, network: str, cohort: str, **kwargs: Any
        ) -> HttpResponse:
            found = policy.get_cohort_or_404(request.user, network, cohort)
            if network_policy.must_accept_conduct(request.user, found.network):
                # After accepting, come back here; a form post cannot be replayed by a
                # redirect, so those come back to the cohort page instead.
                back = (
                    request.get_full_path()
                    if request.method in ("GET", "HEAD")
                    else found.get_absolute_url()
                )
                target = (
                    reverse("networks:conduct", args=[found.network.slug]) + "?next=" + quote(back)
                )
                if request.htmx:
                    return HttpResponseClientRedirect(target)
                return redirect(target)
            if require is not None and not require(request.user, found):
                raise Http404("No such page.")
            return view(request, found.network, found, **kwargs)

        return wrapper

    return decorate if view is None else decorate(view)


def _problem(
    request: HttpRequest,
    network: Network,
    cohort: Cohort,
    *,
    title: str,
    message: str,
    status: int,
) -> HttpResponse:
    return render(
        request,
        "cohorts/problem.html",
        {"network": network, "cohort": cohort, "title": title, "message": message},
        status=status,
    )


def _refused(
    request: HttpRequest,
    network: Network,
    cohort: Cohort,
    refusal: Refused,
    *,
    title: str = "",
) -> HttpResponse:
    """A service's refusal as a page: 403 when the person may not, 400 otherwise."""
    title = title or _("Not something you can do here")
    if refusal.kind == "forbidden":
        title, status = _("Not something you can do here"), 403
    else:
        status = 404 if refusal.kind == "not_found" else 400
    return _problem(request, network, cohort, title=title, message=refusal.message, status=status)


def _ack_context(user: User, cohort: Cohort, charter: Charter | None) -> dict[str, Any]:
    """What the acknowledgement banner needs: whether `user` still has to acknowledge the
    current charter version."""
    needs_ack = (
        charter is not None
        and policy.is_cohort_member(user, cohort)
        and not charter.acknowledgements.filter(user=user).exists()
    )
    return {"charter": charter, "needs_ack": needs_ack}


@login_required
@require_GET
@cohort_page
def cohort_detail(request: AuthenticatedRequest, network: Network, cohort: Cohort) -> HttpResponse:
    charter = (
        cohort.charters.select_related("created_by").order_by("-version").first()
    )  # one query whatever the number of versions
    memberships = (
        CohortMembership.objects.filter(cohort=cohort)
        .select_related("user__profile")
        .order_by("user__name", "user__email")
    )
    if charter is not None:
        memberships = memberships.annotate(
            acknowledged=Exists(
                CharterAcknowledgement.objects.filter(charter=charter, user=OuterRef("user"))
            )
        )
    rows = list(memberships)
    active = [m for m in rows if m.is_active]
    mine = next((m for m in active if m.user_id == request.user.pk), None)
    context = {
        "network": network,
        "cohort": cohort,
        "charter": charter,
        "active": active,
        "past": [m for m in rows if not m.is_active],
        "mine": mine,
        "can_edit_charter": policy.can_edit_charter(request.user, cohort),
        "can_edit_cohort": policy.can_edit_cohort(request.user, cohort),
        "can_manage_cohort": policy.can_manage_cohort(request.user, cohort),
        "review_due": charter is not None and charter.review_due(),
        "needs_ack": (
            charter is not None and mine is not None and not getattr(mine, "acknowledged", False)
        ),
        "acknowledged_count": sum(1 for m in active if getattr(m, "acknowledged", False)),
        **_closing_context(request.user, cohort, mine),
    }
    return render(request, "cohorts/detail.html", context)


def _closing_context(user: User, cohort: Cohort, mine: CohortMembership | None) -> dict[str, Any]:
    """What the cohort page says about its close: the survey to answer, the close page, the
    cohort it renews. (Turnover is on the members and close pages.)"""
    # A survey is only asked once the cohort is over: no query before.
    finished = cohort.status in services.FINISHED
    answer = closing.my_answer(user, cohort) if mine is not None and finished else None
    survey_open = cohort.status == CohortStatus.COMPLETED and policy.can_answer_survey(user, cohort)
    renewed_from = cohort.renewed_from
    return {
        "finished": finished,
        "can_close_cohort": policy.can_close_cohort(user, cohort),
        "survey_open": survey_open,
        "survey_pending": survey_open and answer is None,
        "my_survey_answer": answer,
        "can_view_renewed_from": renewed_from is not None
        and policy.can_view_cohort(user, renewed_from),
    }


@login_required
@require_http_methods(["GET", "POST"])
@cohort_page
def charter_edit(request: AuthenticatedRequest, network: Network, cohort: Cohort) -> HttpResponse:
    try:
        services.require_charter_editor(request.user, cohort)
    except Refused as refusal:
        return _refused(request, network, cohort, refusal)
    previous = cohort.current_charter()
    based_on = previous.version if previous else None
    conflict = False
    if request.method == "POST":
        form = CharterForm(request.POST, previous=previous)
        if form.is_valid():
            try:
                charter = services.save_charter(
                    request.user,
                    cohort,
                    based_on=_version_param(request.POST.get("based_on")),
                    **form.charter_values(),
                )
            except services.CharterChanged as refusal:
                conflict, based_on = True, refusal.current_version
                show_on_form(form, refusal)
            except Refused as refusal:
                show_on_form(form, refusal)
            else:
                messages.success(
                    request,
                    _("Charter version %(version)s saved. Members will be asked to acknowledge it.")
                    % {"version": charter.version},
                )
                return redirect(cohort)
    else:
        form = CharterForm(previous=previous)
    return render(
        request,
        "cohorts/charter_edit.html",
        {
            "network": network,
            "cohort": cohort,
            "form": form,
            "previous": previous,
            "based_on": based_on,
            "conflict": conflict,
        },
    )


@login_required
@require_GET
@cohort_page
def charter_history(
    request: AuthenticatedRequest, network: Network, cohort: Cohort
) -> HttpResponse:
    charters = list(cohort.charters.select_related("created_by").order_by("-version"))
    return render(
        request,
        "cohorts/charter_history.html",
        {
            "network": network,
            "cohort": cohort,
            "charters": charters,
            "default_from": charters[1].version if len(charters) > 1 else None,
            "default_to": charters[0].version if charters else None,
        },
    )


def _version_param(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if number > 0 else None


def _diff_rows(lines: list[str]) -> list[tuple[str, str]]:
    """unified_diff lines as (kind, text): kind is "del", "add", "same" or "gap"."""
    rows: list[tuple[str, str]] = []
    for line in lines:
        if line.startswith("@@"):
            if rows:  # a gap between two hunks; the first hunk starts at the top
                rows.append(("gap", "…"))
        elif line.startswith("-"):
            rows.append(("del", line[1:]))
        elif line.startswith("+"):
            rows.append(("add", line[1:]))
        else:
            rows.append(("same", line[1:]))
    return rows


@login_required
@require_GET
@cohort_page
def charter_diff(request: AuthenticatedRequest, network: Network, cohort: Cohort) -> HttpResponse:
    raw_from, raw_to = request.GET.get("from"), request.GET.get("to")
    old_number, new_number = _version_param(raw_from), _version_param(raw_to)
    if old_number is None or new_number is None:
        return _problem(
            request,
            network,
            cohort,
            title=_("Which versions?"),
            message=_(
                "Pick two charter versions to compare: both “from” and “to” must be "
                "version numbers such as 1 or 2."
            ),
            status=400,
        )
    if old_number == new_number:
        return _problem(
            request,
            network,
            cohort,
            title=_("Which versions?"),
            message=_("Both sides are version %(version)s; pick two different versions.")
            % {"version": old_number},
            status=400,
        )
    found = {
        c.version: c
        for c in cohort.charters.select_related("created_by").filter(
            version__in=[old_number, new_number]
        )
    }
    missing = [n for n in (old_number, new_number) if n not in found]
    if missing:
        return _problem(
            request,
            network,
            cohort,
            title=_("No such version"),
            message=_("This cohort’s charter has no version %(version)s.")
            % {"version": missing[0]},
            status=404,
        )
    older, newer = found[old_number], found[new_number]
    fields = [
        {"label": d.label, "changed": d.changed, "after": d.after, "rows": _diff_rows(d.lines)}
        for d in newer.diff(older)
    ]
    return render(
        request,
        "cohorts/charter_diff.html",
        {
            "network": network,
            "cohort": cohort,
            "older": older,
            "newer": newer,
            "changed": [f for f in fields if f["changed"]],
            "unchanged": [f for f in fields if not f["changed"]],
        },
    )


@login_required
@require_POST
@cohort_page
def charter_acknowledge(
    request: AuthenticatedRequest, network: Network, cohort: Cohort
) -> HttpResponse:
    try:
        done = services.acknowledge_charter(
            request.user, cohort, version=_version_param(request.POST.get("version"))
        )
    except Refused as refusal:
        return _refused(request, network, cohort, refusal, title=_("No charter yet"))
    charter, stale = done.charter, done.stale
    if request.htmx:
        context = {
            "network": network,
            "cohort": cohort,
            **_ack_context(request.user, cohort, charter),
            "just_acknowledged": not stale,
            "stale": stale,
        }
        return render(request, "cohorts/detail.html#ack_banner", context)
    if stale:
        messages.warning(
            request,
            _(
                "The charter changed to version %(version)s since you opened it. Read it, "
                "then acknowledge this version."
            )
            % {"version": charter.version},
        )
    else:
        messages.success(
            request,
            _("You acknowledged version %(version)s of the charter.")
            % {"version": charter.version},
        )
    return redirect(cohort)


@login_required
@require_http_methods(["GET", "POST"])
@cohort_page
def statement_edit(request: AuthenticatedRequest, network: Network, cohort: Cohort) -> HttpResponse:
    try:
        membership = services.own_membership(request.user, cohort)
    except Refused as refusal:
        return _refused(request, network, cohort, refusal)
    if request.method == "POST":
        form = StatementForm(request.POST, instance=membership)
        if form.is_valid():
            services.write_statement(
                request.user,
                cohort,
                learning_statement=form.cleaned_data["learning_statement"],
            )
            messages.success(request, _("Your learning statement is saved."))
            return redirect(cohort)
    else:
        form = StatementForm(instance=membership)
    return render(
        request,
        "cohorts/statement_edit.html",
        {"network": network, "cohort": cohort, "form": form},
    )


# --- the cohort's lifecycle: create, settings, status, members ------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def cohort_new(request: AuthenticatedRequest, network: str) -> HttpResponse:
    """Start a cohort by hand (the network's organizers)."""
    found = network_policy.get_network_or_404(request.user, network)
    if network_policy.must_accept_conduct(request.user, found):
        target = reverse("networks:conduct", args=[found.slug])
        return redirect(target + "?next=" + quote(request.path))
    if not network_policy.can_manage_network(request.user, found):
        raise PermissionDenied(services.ORGANIZERS_START_COHORTS.format(network=found.name))
    people = services.network_people(found)
    form = CohortForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            cohort = services.create_cohort(request.user, found, **form.values())
        except Refused as refusal:
            show_on_form(form, refusal)
        else:
            messages.success(
                request,
                _(
                    "%(cohort)s is set up and forming. Add its members, then make it active "
                    "when it starts meeting."
                )
                % {"cohort": cohort.name},
            )
            return redirect(cohort)
    return render(request, "cohorts/cohort_form.html", {"network": found, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
@cohort_page(require=policy.can_edit_cohort)
def cohort_edit(request: AuthenticatedRequest, network: Network, cohort: Cohort) -> HttpResponse:
    """The cohort's settings: every field for organizers, the HOST_EDITABLE ones for hosts."""
    full = policy.can_manage_cohort(request.user, cohort)
    form = CohortForm(
        request.POST or None,
        people=services.network_people(network),
        cohort=cohort,
        host_ids=services.host_ids(cohort),
        full=full,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_cohort(request.user, cohort, **form.values())
        except Refused as refusal:
            cohort.refresh_from_db()
            show_on_form(form, refusal)
        else:
            messages.success(request, _("The cohort’s settings are saved."))
            return redirect(cohort)
    return render(
        request,
        "cohorts/cohort_form.html",
        {"network": network, "cohort": cohort, "form": form, "full": full},
    )


@login_required
@require_http_methods(["GET", "POST"])
@cohort_page(require=policy.can_manage_cohort)
def cohort_status(request: AuthenticatedRequest, network: Network, cohort: Cohort) -> HttpResponse:
    """Move the cohort along forming → active (↔ paused) → completed → archived."""
    problem = None
    if request.method == "POST":
        try:
            services.change_status(request.user, cohort, status=request.POST.get("status", ""))
        except Refused as refusal:
            raise_for_page(refusal)
            problem = refusal.message
            cohort.refresh_from_db()
        else:
            messages.success(
                request,
                _("%(cohort)s is now %(status)s.")
                % {"cohort": cohort.name, "status": cohort.get_status_display().lower()},
            )
            return redirect(cohort)
    choices = [
        {"value": status, "label": CohortStatus(status).label, "meaning": STATUS_MEANINGS[status]}
        for status in services.NEXT_STATUSES.get(cohort.status, ())
    ]
    return render(
        request,
        "cohorts/status.html",
        {"network": network, "cohort": cohort, "choices": choices, "problem": problem},
        status=400 if problem else 200,
    )


def _roster_context(
    request: AuthenticatedRequest, network: Network, cohort: Cohort, **extra: Any
) -> dict[str, Any]:
    rows = list(
        CohortMembership.objects.filter(cohort=cohort)
        .select_related("user")
        .order_by("user__name", "user__email")
    )
    active = [m for m in rows if m.is_active]
    candidates = services.network_people(network).exclude(pk__in=[m.user_id for m in active])
    others = Cohort.objects.filter(network=network).exclude(pk=cohort.pk)
    others = others.exclude(status__in=services.FINISHED).order_by("name")
    return {
        "network": network,
        "cohort": cohort,
        "active": active,
        "past": [m for m in rows if not m.is_active],
        "open": cohort.status not in services.FINISHED,
        "add_form": extra.pop("add_form", None) or AddMemberForm(people=candidates),
        "move_cohorts": list(others),
        "roles": services.ROSTER_ROLES,
        "sections": roster_sections(request.user, cohort),
        "turnovers": list(Turnover.objects.filter(cohort=cohort).select_related("left", "joined")),
        "earlier": list(
            MembershipPeriod.objects.filter(cohort=cohort)
            .select_related("user")
            .order_by("user__name", "joined_on")
        ),
        **extra,
    }


@login_required
@require_GET
@cohort_page(require=policy.can_manage_cohort)
def members(request: AuthenticatedRequest, network: Network, cohort: Cohort) -> HttpResponse:
    """The roster to manage: add, remove, move, and change roles (the network's organizers)."""
    return render(request, "cohorts/members.html", _roster_context(request, network, cohort))


def _roster_problem(
    request: AuthenticatedRequest, network: Network, cohort: Cohort, refusal: Refused, **extra: Any
) -> HttpResponse:
    raise_for_page(refusal)
    context = _roster_context(request, network, cohort, problem=refusal.message, **extra)
    return render(request, "cohorts/members.html", context, status=400)


@login_required
@require_POST
@cohort_page(require=policy.can_manage_cohort)
def member_add(request: AuthenticatedRequest, network: Network, cohort: Cohort) -> HttpResponse:
    form = AddMemberForm(request.POST, people=services.network_people(network))
    if not form.is_valid():
        context = _roster_context(request, network, cohort, add_form=form)
        return render(request, "cohorts/members.html", context, status=400)
    person = form.cleaned_data["person"]
    try:
        services.add_member(request.user, cohort, person=person, role=form.cleaned_data["role"])
    except Refused as refusal:
        return _roster_problem(request, network, cohort, refusal)
    messages.success(
        request,
        _("%(person)s is now in %(cohort)s.") % {"person": person.name, "cohort": cohort.name},
    )
    return redirect("cohorts:members", network.slug, cohort.slug)


def _person(network: Network, user: int) -> User:
    try:
        return services.find_person(network, user)
    except Refused:
        raise Http404("No such person.") from None


@login_required
@require_http_methods(["GET", "POST"])
@cohort_page(require=policy.can_manage_cohort)
def member_remove(
    request: AuthenticatedRequest, network: Network, cohort: Cohort, user: int
) -> HttpResponse:
    """Ask once ("what happens"), then take the person off the roster."""
    person = _person(network, user)
    membership = CohortMembership.objects.active().filter(cohort=cohort, user=person).first()
    if membership is None:
        raise Http404("No such member.")
    if request.method == "POST":
        try:
            services.remove_member(request.user, cohort, person=person)
        except Refused as refusal:
            return _roster_problem(request, network, cohort, refusal)
        messages.success(
            request,
            _(
                "%(person)s has left %(cohort)s. Their commitments and updates stay on "
                "the cohort’s board."
            )
            % {"person": person.name, "cohort": cohort.name},
        )
        return redirect("cohorts:members", network.slug, cohort.slug)
    return render(
        request,
        "cohorts/member_remove.html",
        {"network": network, "cohort": cohort, "membership": membership, "person": person},
    )


@login_required
@require_POST
@cohort_page(require=policy.can_manage_cohort)
def member_move(
    request: AuthenticatedRequest, network: Network, cohort: Cohort, user: int
) -> HttpResponse:
    person = _person(network, user)
    form = MoveForm(request.POST, cohorts=Cohort.objects.filter(network=network))
    if not form.is_valid():
        refusal = Refused(
            services.MOVE_WITHIN_NETWORK.format(network=network.name, person=person.name)
        )
        return _roster_problem(request, network, cohort, refusal)
    to = form.cleaned_data["to"]
    try:
        services.move_member(request.user, cohort, person=person, to=to)
    except Refused as refusal:
        return _roster_problem(request, network, cohort, refusal)
    messages.success(
        request,
        _("%(person)s moved to %(to)s. What they wrote in %(cohort)s stays there.")
        % {"person": person.name, "to": to.name, "cohort": cohort.name},
    )
    return redirect("cohorts:members", network.slug, cohort.slug)


@login_required
@require_POST
@cohort_page(require=policy.can_manage_cohort)
def member_role(
    request: AuthenticatedRequest, network: Network, cohort: Cohort, user: int
) -> HttpResponse:
    person = _person(network, user)
    form = RoleForm(request.POST)
    role = form.cleaned_data["role"] if form.is_valid() else request.POST.get("role", "")
    try:
        membership = services.change_role(request.user, cohort, person=person, role=role)
    except Refused as refusal:
        return _roster_problem(request, network, cohort, refusal)
    messages.success(
        request,
        _("%(person)s is now a %(role)s of %(cohort)s.")
        % {
            "person": person.name,
            "role": membership.get_role_display().lower(),
            "cohort": cohort.name,
        },
    )
    return redirect("cohorts:members", network.slug, cohort.slug)
