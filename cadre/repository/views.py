"""The library of a network: its items (case studies, templates, learnings), promoting an
experiment or a session report to a case study, copying a template into a cohort, "I used
this", and the partner groups items are shared with.

Who may read and change what is decided in cadre.repository.policy, and every change is a
service (cadre.repository.services). The library pages are for
the network's people (partners included: they see only what is shared with their groups)
behind the code-of-conduct gate; a public item's page is open to anyone, signed in or not.
Items someone may not read answer 404; things they may read but not change answer 403."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from cadre.accountability.forms import ExperimentForm
from cadre.accountability.models import Experiment
from cadre.accountability.policy import can_take_part, can_view_board, can_view_private_item
from cadre.accounts.http import AuthenticatedRequest
from cadre.accounts.models import User
from cadre.cohorts.forms import CharterForm
from cadre.cohorts.models import (
    Cohort,
    CohortMembership,
    CohortRole,
)
from cadre.cohorts.policy import (
    can_edit_charter,
    can_view_cohort,
    visible_cohorts,
)
from cadre.lib.rules import Refused, raise_for_page, show_on_form
from cadre.networks.models import ORGANIZING_ROLES, Network
from cadre.networks.policy import (
    Person,
    can_view_network,
    get_network_or_404,
    is_network_insider,
    must_accept_conduct,
)
from cadre.repository import policy, services
from cadre.schedule import policy as schedule_policy
from cadre.schedule.models import Session

from . import content
from .forms import CohortChoiceForm, ItemForm, PartnerGroupForm, ReuseForm, SessionChoiceForm
from .models import ItemKind, RepositoryItem, Reuse, TemplateKind

PAGE_SIZE = 20
SOURCE_CHOICES = 30


def _is_htmx(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)  # set by HtmxMiddleware
    return isinstance(htmx, HtmxDetails) and bool(htmx) and not htmx.history_restore_request


def _conduct_redirect(request: HttpRequest, network: Network) -> HttpResponse:
    back = (
        request.get_full_path() if request.method in ("GET", "HEAD") else network.get_absolute_url()
    )
    return redirect(reverse("networks:conduct", args=[network.slug]) + "?next=" + quote(back))


def library_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The network from the URL for its people (404 for anyone else), after the
    code-of-conduct gate."""

    @wraps(view)
    def wrapper(request: HttpRequest, network: str, **kwargs: Any) -> HttpResponse:
        found = get_network_or_404(request.user, network)
        if not policy.can_view_library(request.user, found):
            raise Http404("No such page.")
        if must_accept_conduct(request.user, found):
            return _conduct_redirect(request, found)
        return view(request, found, **kwargs)

    return wrapper


def _item_or_404(request: HttpRequest, network: Network, pk: int) -> RepositoryItem:
    return policy.get_repository_item_or_404(request.user, network.slug, pk)


def _forbidden(request: HttpRequest, network: Network, message: str) -> HttpResponse:
    """403 with the reason in words, so people know what would make it possible."""
    return render(
        request, "repository/problem.html", {"network": network, "message": message}, status=403
    )


def _require_edit(request: HttpRequest, item: RepositoryItem) -> None:
    try:
        services.require_item_editor(request.user, item)
    except Refused as refusal:
        raise_for_page(refusal)


def _my_cohorts(user: Person) -> QuerySet[Cohort]:
    """The cohorts `user` is an active member of, in any network: where a reuse may be."""
    if not user.is_authenticated:
        return Cohort.objects.none()
    mine = CohortMembership.objects.active().filter(user=user).values("cohort")
    return Cohort.objects.filter(pk__in=mine).select_related("network").order_by("name")


def _charter_cohorts(user: User) -> QuerySet[Cohort]:
    """Cohorts whose charter `user` may change: those they host, and every cohort of the
    networks they organize."""
    from cadre.networks.models import NetworkMembership

    hosted = CohortMembership.objects.active().filter(user=user, role=CohortRole.HOST)
    organized = NetworkMembership.objects.filter(user=user, role__in=ORGANIZING_ROLES)
    return (
        (
            Cohort.objects.filter(pk__in=hosted.values("cohort"))
            | Cohort.objects.filter(network__in=organized.values("network"))
        )
        .select_related("network")
        .order_by("network__name", "name")
    )


def _runnable_sessions(user: Person) -> list[Session]:
    """Upcoming sessions whose agenda `user` may edit (checked one by one by permissions,
    over a bounded list)."""
    if not user.is_authenticated:
        return []
    cohort_ids = set(_my_cohorts(user).values_list("pk", flat=True))
    cohort_ids |= set(_charter_cohorts(user).values_list("pk", flat=True))
    sessions = (
        Session.objects.upcoming()
        .held()
        .filter(cohort_id__in=cohort_ids)
        .select_related("cohort__network")
        .prefetch_related("roles")
        .order_by("starts_at")[:50]
    )
    return [s for s in sessions if schedule_policy.can_run_session(user, s)]


# --- the library page -----------------------------------------------------------------------


@login_required
@require_GET
@library_page
def item_list(request: AuthenticatedRequest, network: Network) -> HttpResponse:
    """Items the viewer may read, newest first, filtered by kind, skill and origin cohort."""
    me = request.user
    visible = policy.visible_repository_items(me, network)
    items = visible
    kind = request.GET.get("kind", "")
    if kind in ItemKind.values:
        items = items.filter(kind=kind)
    skill = network.skills.filter(slug=request.GET.get("skill", "")).first()
    if skill is not None:
        items = items.filter(skills=skill)
    cohorts = Cohort.objects.filter(pk__in=visible.values("origin_cohort")).order_by("name")
    cohort = cohorts.filter(slug=request.GET.get("cohort", "")).first()
    if cohort is not None:
        items = items.filter(origin_cohort=cohort)
    items = items.select_related("network", "origin_cohort", "author").prefetch_related("skills")
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    return render(
        request,
        "repository/list.html",
        {
            "network": network,
            "page": page,
            "kinds": ItemKind.choices,
            "skills": network.skills.order_by("name"),
            "cohorts": cohorts,
            "kind": kind if kind in ItemKind.values else "",
            "skill": skill,
            "cohort": cohort,
            "can_add": policy.can_add_repository_item(me, network),
            "can_manage_partners": policy.can_manage_partner_groups(me, network),
            "is_insider": is_network_insider(me, network),
        },
    )


# --- one item -------------------------------------------------------------------------------


def _detail_context(request: HttpRequest, item: RepositoryItem, **extra: Any) -> dict[str, Any]:
    me = request.user
    network = item.network
    inside = can_view_network(me, network)
    reuses: list[Reuse] = []
    if policy.can_see_reusers(me, network):
        reuses = list(
            policy.visible_reuses(me)
            .filter(item=item)
            .select_related("user", "cohort")
            .order_by("-created_at")
        )
    mine = list(item.reuses.filter(user=me).select_related("cohort")) if me.is_authenticated else []
    return {
        # `network` drives the navigation; only people of the network get it.
        "network": network if inside else None,
        "item_network": network,
        "item": item,
        "show_author": policy.can_see_item_author(me, network),
        "rows": content.case_study_rows(item.data) if item.kind == ItemKind.CASE_STUDY else [],
        "blocks": item.data.get("blocks", []) if item.template_kind == TemplateKind.AGENDA else [],
        "template_fields": [
            (
                str(content.TEMPLATE_FIELD_LABELS.get(k, k.replace("_", " ").capitalize())),
                ", ".join(map(str, v)) if isinstance(v, list) else str(v),
            )
            for k, v in item.data.items()
            if item.kind == ItemKind.TEMPLATE and k != "blocks"
        ],
        "skills": list(item.skills.all()),
        # Which groups an item is shared with is the network's business, not a partner's.
        "groups": list(item.partner_groups.all()) if is_network_insider(me, network) else [],
        "reuses": reuses,
        "my_reuses": mine,
        "reuse_form": ReuseForm(cohorts=_my_cohorts(me)) if me.is_authenticated else None,
        "can_edit": policy.can_edit_repository_item(me, item),
        "can_copy": me.is_authenticated and item.kind == ItemKind.TEMPLATE,
        **extra,
    }


@require_GET
def item_detail(request: HttpRequest, network: str, pk: int) -> HttpResponse:
    """Public items are open to anyone; the rest to those who may read them, behind the
    code-of-conduct gate. Anonymous visitors of anything else are asked to sign in (whether
    or not the item exists, so nothing leaks)."""
    item = (
        RepositoryItem.objects.select_related("network", "author", "origin_cohort")
        .filter(network__slug=network, pk=pk)
        .first()
    )
    if item is None or item.visibility != "public":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        item = policy.get_repository_item_or_404(request.user, network, pk)
        if must_accept_conduct(request.user, item.network):
            return _conduct_redirect(request, item.network)
    return render(request, "repository/item.html", _detail_context(request, item))


def _item_form_page(
    request: HttpRequest,
    network: Network,
    form: ItemForm,
    *,
    heading: str,
    source: str = "",
    item: RepositoryItem | None = None,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    return render(
        request,
        "repository/item_form.html",
        {
            "network": network,
            "form": form,
            "heading": heading,
            "source": source,
            "item": item,
            **extra,
        },
        status=status,
    )


def _template_source(request: AuthenticatedRequest) -> tuple[dict[str, Any], str, Cohort | None]:
    """Initial values of a template saved from a session's agenda, a cohort's charter or an
    experiment the viewer may see: (initial, a sentence naming the source, origin cohort)."""
    me = request.user
    if value := request.GET.get("from_session"):
        session = Session.objects.select_related("cohort__network").filter(pk=_int(value)).first()
        if session is None or not schedule_policy.can_view_session(me, session.cohort):
            raise Http404("No such session.")
        return (
            {
                "kind": ItemKind.TEMPLATE,
                "template_kind": TemplateKind.AGENDA,
                "title": gettext("Agenda: %(session)s of %(cohort)s")
                % {"session": session.label, "cohort": session.cohort.name},
                "data": content.agenda_data(session),
            },
            gettext(
                "Starting from the agenda of %(session)s (%(cohort)s). Edit anything before "
                "you save."
            )
            % {"session": session.label, "cohort": session.cohort.name},
            session.cohort,
        )
    if value := request.GET.get("from_charter"):
        cohort = Cohort.objects.select_related("network").filter(pk=_int(value)).first()
        charter = cohort.current_charter() if cohort is not None else None
        if cohort is None or charter is None or not can_view_cohort(me, cohort):
            raise Http404("No such charter.")
        return (
            {
                "kind": ItemKind.TEMPLATE,
                "template_kind": TemplateKind.CHARTER,
                "title": gettext("Charter of %(cohort)s") % {"cohort": cohort.name},
                "data": content.charter_data(charter),
            },
            gettext(
                "Starting from the charter of %(cohort)s (version %(version)s). Edit anything "
                "before you save."
            )
            % {"cohort": cohort.name, "version": charter.version},
            cohort,
        )
    if value := request.GET.get("from_experiment"):
        experiment = (
            Experiment.objects.select_related("cohort__network").filter(pk=_int(value)).first()
        )
        if experiment is None or not can_view_private_item(me, experiment):
            raise Http404("No such experiment.")
        return (
            {
                "kind": ItemKind.TEMPLATE,
                "template_kind": TemplateKind.EXPERIMENT_PLAN,
                "title": gettext("Experiment plan: %(title)s") % {"title": experiment.title},
                "data": content.experiment_plan_data(experiment),
            },
            gettext("Starting from the experiment “%(title)s”. Edit anything before you save.")
            % {"title": experiment.title},
            experiment.cohort,
        )
    kind = request.GET.get("kind", "")
    return ({"kind": kind} if kind in ItemKind.values else {}), "", None


def _int(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise Http404("No such source.") from None


def _sources(request: AuthenticatedRequest, network: Network) -> dict[str, Any]:
    """What the viewer may save as a template: recent sessions, charters and experiments of
    the cohorts whose boards they see (bounded lists)."""
    me = request.user
    cohorts = [
        c
        for c in visible_cohorts(me, network).order_by("name")[:SOURCE_CHOICES]
        if can_view_board(me, c)
    ]
    sessions = (
        Session.objects.filter(cohort__in=cohorts, agenda__isnull=False)
        .distinct()
        .select_related("cohort")
        .order_by("-starts_at")[:SOURCE_CHOICES]
    )
    experiments = (
        Experiment.objects.visible_to(me)
        .filter(cohort__in=cohorts)
        .select_related("cohort")
        .order_by("-starts_on")[:SOURCE_CHOICES]
    )
    return {
        "source_cohorts": cohorts,
        "source_sessions": list(sessions),
        "source_experiments": list(experiments),
    }


@login_required
@require_http_methods(["GET", "POST"])
@library_page
def item_new(request: AuthenticatedRequest, network: Network) -> HttpResponse:
    """A new item; "save as template" starts it from an agenda, a charter or an experiment."""
    try:
        services.require_item_writer(request.user, network)
    except Refused as refusal:
        raise_for_page(refusal)
    initial, source, origin = _template_source(request)
    if origin is not None and origin.network_id != network.pk:
        raise Http404("No such source.")
    item = RepositoryItem(network=network, author=request.user, origin_cohort=origin)
    if request.method == "POST":
        form = ItemForm(request.POST, instance=item, network=network)
        if form.is_valid():
            try:
                saved = services.create_item(
                    request.user, network, origin_cohort=origin, **form.cleaned_data
                )
            except Refused as refusal:
                show_on_form(form, refusal)
            else:
                messages.success(
                    request, gettext("“%(title)s” is in the library.") % {"title": saved.title}
                )
                return redirect(saved)
        return _item_form_page(
            request,
            network,
            form,
            heading=gettext("Add to the library"),
            source=source,
            status=422,
            **_sources(request, network),
        )
    form = ItemForm(initial=initial, instance=item, network=network)
    return _item_form_page(
        request,
        network,
        form,
        heading=gettext("Add to the library"),
        source=source,
        **_sources(request, network),
    )


@login_required
@require_http_methods(["GET", "POST"])
@library_page
def item_edit(request: AuthenticatedRequest, network: Network, pk: int) -> HttpResponse:
    item = _item_or_404(request, network, pk)
    _require_edit(request, item)
    if request.method == "POST":
        form = ItemForm(request.POST, instance=item, network=network)
        if form.is_valid():
            try:
                saved = services.update_item(request.user, item, **form.cleaned_data)
            except Refused as refusal:
                show_on_form(form, refusal)
            else:
                messages.success(request, gettext("Saved."))
                return redirect(saved)
        return _item_form_page(
            request,
            network,
            form,
            heading=gettext("Edit “%(title)s”") % {"title": item.title},
            item=item,
            status=422,
        )
    form = ItemForm(instance=item, network=network)
    return _item_form_page(
        request,
        network,
        form,
        heading=gettext("Edit “%(title)s”") % {"title": item.title},
        item=item,
    )


@login_required
@require_http_methods(["GET", "POST"])
@library_page
def item_delete(request: AuthenticatedRequest, network: Network, pk: int) -> HttpResponse:
    item = _item_or_404(request, network, pk)
    _require_edit(request, item)
    if request.method == "POST":
        services.delete_item(request.user, item)
        messages.success(
            request, gettext("“%(title)s” was deleted from the library.") % {"title": item.title}
        )
        return redirect("repository:list", network.slug)
    return render(request, "repository/item_delete.html", {"network": network, "item": item})


# --- "I used this" --------------------------------------------------------------------------


def _reuse_target(request: HttpRequest, network: str, pk: int) -> RepositoryItem:
    """The item for a reuse: anyone signed in who may read it (a partner too), behind the
    gate for non-public items."""
    item = policy.get_repository_item_or_404(request.user, network, pk)
    if item.visibility != "public" and must_accept_conduct(request.user, item.network):
        raise PermissionDenied(gettext("Accept the network’s code of conduct first."))
    return item


def _reuse_answer(
    request: HttpRequest, item: RepositoryItem, form: ReuseForm | None = None, status: int = 200
) -> HttpResponse:
    item.refresh_from_db(fields=["reuse_count"])
    if _is_htmx(request):
        context = _detail_context(request, item)
        if form is not None:
            context["reuse_form"] = form
        return render(request, "repository/item.html#reuse", context, status=status)
    if form is not None and form.errors:
        return render(
            request,
            "repository/item.html",
            _detail_context(request, item, reuse_form=form),
            status=status,
        )
    return redirect(item)


@login_required
@require_POST
def reuse(request: AuthenticatedRequest, network: str, pk: int) -> HttpResponse:
    item = _reuse_target(request, network, pk)
    form = ReuseForm(request.POST, cohorts=_my_cohorts(request.user))
    if not form.is_valid():
        return _reuse_answer(request, item, form, status=422)
    cohort = form.cleaned_data["cohort"]
    counted = services.record_reuse(
        request.user,
        item,
        cohort=cohort.pk if cohort else None,
        note=form.cleaned_data["note"],
    )
    if counted:
        messages.success(request, gettext("Thanks: your use is counted."))
    elif cohort:
        messages.info(
            request,
            gettext("You had already said you used it in %(cohort)s.") % {"cohort": cohort.name},
        )
    else:
        messages.info(request, gettext("You had already said you used it."))
    return _reuse_answer(request, item)


@login_required
@require_POST
def reuse_undo(request: AuthenticatedRequest, network: str, pk: int) -> HttpResponse:
    item = _reuse_target(request, network, pk)
    cohort_id = request.POST.get("cohort") or None
    cohort = _int(cohort_id) if cohort_id else None
    if services.undo_reuse(request.user, item, cohort=cohort):
        messages.success(request, gettext("Your use is no longer counted."))
    return _reuse_answer(request, item)


# --- promotion ------------------------------------------------------------------------------


def _promotion_refused(request: HttpRequest, network: Network, refusal: Refused) -> HttpResponse:
    """Already a case study: go to it. Not allowed: say why on the page (403)."""
    if refusal.kind == "conflict" and refusal.detail:
        messages.info(request, refusal.message)
        return redirect(RepositoryItem.objects.get(pk=refusal.detail["item"]))
    if refusal.kind == "forbidden":
        return _forbidden(request, network, refusal.message)
    raise_for_page(refusal)
    raise refusal


def _promote(
    request: HttpRequest,
    network: Network,
    promote: Callable[..., RepositoryItem],
    *,
    source_label: str,
    data: dict[str, Any],
    initial: dict[str, Any],
) -> HttpResponse:
    item = RepositoryItem(network=network, kind=ItemKind.CASE_STUDY, data=data)
    if request.method == "POST":
        form = ItemForm(request.POST, instance=item, network=network, kind=ItemKind.CASE_STUDY)
        if form.is_valid():
            try:
                saved = promote(**form.cleaned_data)
            except Refused as refusal:
                if refusal.kind != "invalid":
                    return _promotion_refused(request, network, refusal)
                show_on_form(form, refusal)
            else:
                messages.success(
                    request,
                    gettext("“%(title)s” is now a case study in the library.")
                    % {"title": saved.title},
                )
                return redirect(saved)
        status = 422
    else:
        form = ItemForm(initial=initial, instance=item, network=network, kind=ItemKind.CASE_STUDY)
        status = 200
    return _item_form_page(
        request,
        network,
        form,
        heading=gettext("Promote to a case study"),
        source=source_label,
        status=status,
        promoted_rows=content.case_study_rows(data),
    )


@login_required
@require_http_methods(["GET", "POST"])
@library_page
def promote_experiment(request: AuthenticatedRequest, network: Network, pk: int) -> HttpResponse:
    me = request.user
    try:
        experiment = services.experiment_to_promote(me, network, experiment=pk)
    except Refused as refusal:
        return _promotion_refused(request, network, refusal)

    def promote(**values: Any) -> RepositoryItem:
        return services.promote_experiment(me, network, experiment=pk, **values)

    return _promote(
        request,
        network,
        promote,
        source_label=gettext(
            "Starting from the experiment “%(title)s” of %(cohort)s. Edit anything before you save."
        )
        % {"title": experiment.title, "cohort": experiment.cohort.name},
        data=content.experiment_data(experiment),
        initial=services.experiment_defaults(experiment),
    )


@login_required
@require_http_methods(["GET", "POST"])
@library_page
def promote_report(request: AuthenticatedRequest, network: Network, pk: int) -> HttpResponse:
    me = request.user
    try:
        report = services.report_to_promote(me, network, report=pk)
    except Refused as refusal:
        return _promotion_refused(request, network, refusal)

    def promote(**values: Any) -> RepositoryItem:
        return services.promote_report(me, network, report=pk, **values)

    session = report.session
    return _promote(
        request,
        network,
        promote,
        source_label=gettext(
            "Starting from the report of %(session)s (%(cohort)s). Edit anything before you save."
        )
        % {"session": session.label, "cohort": session.cohort.name},
        data=content.report_data(report),
        initial=services.report_defaults(report),
    )


# --- copying a template into a cohort -------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def copy_template(request: AuthenticatedRequest, network: str, pk: int) -> HttpResponse:
    """One step from a template to a cohort: an agenda onto an upcoming session, a charter as
    the cohort's next version, an experiment plan as a new experiment."""
    item = _reuse_target(request, network, pk)
    try:
        services.template_to_copy(item)
    except Refused as refusal:
        raise_for_page(refusal)
    if item.template_kind == TemplateKind.AGENDA:
        return _copy_agenda(request, item)
    if item.template_kind == TemplateKind.CHARTER:
        return _copy_charter(request, item)
    return _copy_experiment(request, item)


def _copy_page(
    request: HttpRequest, item: RepositoryItem, status: int = 200, **extra: Any
) -> HttpResponse:
    context = {
        "network": item.network if can_view_network(request.user, item.network) else None,
        "item": item,
        **extra,
    }
    return render(request, "repository/copy.html", context, status=status)


def _copy_agenda(request: AuthenticatedRequest, item: RepositoryItem) -> HttpResponse:
    sessions = _runnable_sessions(request.user)
    allowed = Session.objects.filter(pk__in=[s.pk for s in sessions]).select_related(
        "cohort__network"
    )
    form = SessionChoiceForm(request.POST or None, sessions=allowed)
    if request.method == "POST" and form.is_valid():
        session: Session = form.cleaned_data["session"]
        try:
            services.copy_agenda(request.user, item, session=session.pk)
        except Refused as refusal:
            show_on_form(form, refusal)
        else:
            messages.success(
                request,
                gettext("The agenda of %(session)s now follows “%(title)s”.")
                % {"session": session.label, "title": item.title},
            )
            return redirect(
                "schedule:session", session.cohort.network.slug, session.cohort.slug, session.pk
            )
    status = 422 if request.method == "POST" else 200
    return _copy_page(
        request,
        item,
        status=status,
        form=form,
        empty=not sessions,
        nothing=gettext("There is no upcoming session you run to copy it into."),
    )


def _chosen_cohort(request: HttpRequest, cohorts: QuerySet[Cohort]) -> Cohort | None:
    value = request.POST.get("cohort") or request.GET.get("cohort")
    if not value:
        return None
    cohort = cohorts.filter(pk=_int(value)).first()
    if cohort is None:
        raise Http404("No such cohort.")
    return cohort


def _copy_charter(request: AuthenticatedRequest, item: RepositoryItem) -> HttpResponse:
    """Choose a cohort, then the charter form prefilled with the template over the current
    charter; saving adds the next version through the charter form's own rules."""
    cohorts = _charter_cohorts(request.user)
    cohort = _chosen_cohort(request, cohorts)
    if cohort is None or not can_edit_charter(request.user, cohort):
        return _copy_page(
            request,
            item,
            choose=CohortChoiceForm(cohorts=cohorts),
            empty=not cohorts.exists(),
            nothing=gettext("There is no cohort whose charter you may change to copy it into."),
        )
    previous = cohort.current_charter()
    based_on = previous.version if previous else None
    if request.method == "POST" and "mission" in request.POST:
        form = CharterForm(request.POST, previous=previous)
        if form.is_valid():
            try:
                charter = services.copy_charter(
                    request.user,
                    item,
                    cohort=cohort,
                    based_on=_version(request.POST.get("based_on")),
                    values=form.charter_values(),
                )
            except Refused as refusal:
                raise_for_page(refusal)
                based_on = (refusal.detail or {}).get("current_version", based_on)
                show_on_form(form, refusal)
            else:
                messages.success(
                    request,
                    gettext("Charter version %(version)s of %(cohort)s saved from “%(title)s”.")
                    % {"version": charter.version, "cohort": cohort.name, "title": item.title},
                )
                return redirect(cohort)
        status = 422
    else:
        form = CharterForm(previous=previous, initial=content.charter_initial(item, previous))
        status = 200
    return _copy_page(request, item, status=status, cohort=cohort, form=form, based_on=based_on)


def _version(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _copy_experiment(request: AuthenticatedRequest, item: RepositoryItem) -> HttpResponse:
    """Choose one of my cohorts, then the experiment form prefilled with the plan; saving goes
    through the experiment form's validation."""
    cohorts = _my_cohorts(request.user)
    cohort = _chosen_cohort(request, cohorts)
    if cohort is None or not can_take_part(request.user, cohort):
        return _copy_page(
            request,
            item,
            choose=CohortChoiceForm(cohorts=cohorts),
            empty=not cohorts.exists(),
            nothing=gettext("There is no cohort you take part in to copy it into."),
        )
    instance = Experiment(cohort=cohort, owner=request.user)
    skills = cohort.network.skills.all()
    if request.method == "POST" and "hypothesis" in request.POST:
        form = ExperimentForm(request.POST, instance=instance, skills=skills)
        if form.is_valid():
            experiment = services.copy_experiment(
                request.user, item, experiment=form.save(commit=False)
            )
            messages.success(
                request,
                gettext("Your experiment “%(experiment)s” starts from “%(title)s”.")
                % {"experiment": experiment.title, "title": item.title},
            )
            return redirect(
                "accountability:experiment", cohort.network.slug, cohort.slug, experiment.pk
            )
        status = 422
    else:
        initial = {k: v for k, v in item.data.items() if k in content.EXPERIMENT_PLAN_FIELDS}
        form = ExperimentForm(instance=instance, skills=skills, initial=initial)
        status = 200
    return _copy_page(request, item, status=status, cohort=cohort, form=form)


# --- partner groups -------------------------------------------------------------------------


def _require_partner_admin(request: HttpRequest, network: Network) -> None:
    if not policy.can_manage_partner_groups(request.user, network):
        raise Http404("No such page.")


@login_required
@require_http_methods(["GET", "POST"])
@library_page
def partner_groups(request: AuthenticatedRequest, network: Network) -> HttpResponse:
    _require_partner_admin(request, network)
    form = PartnerGroupForm(request.POST or None, network=network)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.create_partner_group(request.user, network, **form.cleaned_data)
        except Refused as refusal:
            show_on_form(form, refusal)
        else:
            messages.success(
                request, gettext("Partner group “%(name)s” created.") % {"name": group.name}
            )
            return redirect("repository:partners", network.slug)
    groups = network.partner_groups.prefetch_related("members").order_by("name")
    return render(
        request,
        "repository/partners.html",
        {"network": network, "groups": groups, "form": form},
        status=422 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
@library_page
def partner_group_edit(request: AuthenticatedRequest, network: Network, pk: int) -> HttpResponse:
    _require_partner_admin(request, network)
    try:
        group = services.partner_group_of(request.user, network, group=pk)
    except Refused as refusal:
        raise_for_page(refusal)
        raise
    if request.method == "POST" and request.POST.get("delete"):
        services.delete_partner_group(request.user, group)
        messages.success(
            request, gettext("Partner group “%(name)s” deleted.") % {"name": group.name}
        )
        return redirect("repository:partners", network.slug)
    form = PartnerGroupForm(request.POST or None, instance=group, network=network)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_partner_group(request.user, group, **form.cleaned_data)
        except Refused as refusal:
            show_on_form(form, refusal)
        else:
            messages.success(request, gettext("Partner group saved."))
            return redirect("repository:partners", network.slug)
    return render(
        request,
        "repository/partner_form.html",
        {"network": network, "group": group, "form": form},
        status=422 if form.errors else 200,
    )
