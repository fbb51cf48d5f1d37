"""The cohort board: commitments, completions and kudos, progress updates and blockers with
offers of help, and experiments.

Pages reuse `cohort_page` (404 for people who may not see the cohort, the code-of-conduct
gate) and then ask cadre.accountability.policy whether the board is theirs to see: the
cohort's active members and the network's organizers. Every write goes through
cadre.accountability.services, which holds the rules: taking part is for members (403 for
organizers); private commitments and experiments are their owner's alone (404 for others)."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from itertools import groupby
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from cadre.accounts.http import AuthenticatedRequest
from cadre.cohorts.models import Cohort
from cadre.cohorts.views import cohort_page
from cadre.engine.linting import CommitmentLint
from cadre.lib.rules import Refused, show_on_form
from cadre.networks.contributions import item_sections
from cadre.networks.models import Network
from cadre.people.models import ProfileSkill

from . import policy, services
from .contributions import board_sections
from .forms import (
    CommitmentForm,
    ExperimentForm,
    HelpOfferForm,
    ProgressUpdateForm,
    StatusForm,
    rewrite_form,
)
from .models import (
    Blocker,
    Commitment,
    CommitmentStatus,
    Experiment,
    HelpOffer,
    Kudos,
)

RECENT_COMPLETIONS = 10
HELPER_LEVEL = 3


def _is_htmx(request: HttpRequest) -> bool:
    htmx: HtmxDetails | None = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.history_restore_request


# `cohort_page`, then 404 for people who see the cohort but not its board (network members of
# a cohort shared with the network).
board_page = cohort_page(require=policy.can_view_board)


def answers_refusals(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A service's "no" that is not about the form's input as the page's own: 403 with the
    sentence for `forbidden` (and `conflict`), 404 for `not_found`. Refusals about the input
    (`invalid`) are the view's to show on its form."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except Refused as refused:
            if refused.kind == "not_found":
                raise Http404(refused.message) from None
            if refused.kind == "invalid":
                raise
            raise PermissionDenied(refused.message) from None

    return wrapper


def _require_member(request: AuthenticatedRequest, cohort: Cohort) -> None:
    services.require_member(request.user, cohort)


@dataclass(frozen=True)
class BoardBlocker:
    """An open blocker as the viewer sees it on the board."""

    blocker: Blocker
    mine: bool  # the viewer posted it
    i_offered: bool  # the viewer has offered help with it


@dataclass(frozen=True)
class BoardCompletion:
    """A commitment done, shown under "Recently done" with its kudos."""

    commitment: Commitment
    kudos_count: int
    i_gave: bool  # the viewer gave it kudos


@dataclass(frozen=True)
class BoardCommitment:
    """An open commitment on the board, and whether it is past its due date."""

    commitment: Commitment
    overdue: bool


def _blockers(
    request: AuthenticatedRequest, cohort: Cohort
) -> tuple[list[BoardBlocker], list[BoardBlocker]]:
    """Open blockers: (those matching the viewer's skills, the rest). A match is a skill of
    the blocker the viewer rates 3 ("can do it on my own") or more; never their own."""
    me = request.user
    blockers = list(
        policy.visible_blockers(me, cohort)
        .unresolved()
        .select_related("update__author")
        .prefetch_related(
            "skills", Prefetch("offers", queryset=HelpOffer.objects.select_related("helper"))
        )
    )
    strong = (
        set(
            ProfileSkill.objects.filter(
                profile__user=me, level__gte=HELPER_LEVEL, skill__network=cohort.network
            ).values_list("skill_id", flat=True)
        )
        if blockers
        else set()
    )
    matching: list[BoardBlocker] = []
    rest: list[BoardBlocker] = []
    for blocker in blockers:
        row = BoardBlocker(
            blocker,
            mine=blocker.update.author_id == me.pk,
            i_offered=any(o.helper_id == me.pk for o in blocker.offers.all()),
        )
        matched = any(s.pk in strong for s in blocker.skills.all())
        (matching if matched and not row.mine else rest).append(row)
    return matching, rest


def _completions(request: AuthenticatedRequest, cohort: Cohort) -> list[BoardCompletion]:
    """The cohort's latest commitments done, with their kudos: read for the ones shown only,
    so the cost does not grow with every commitment the cohort ever finished."""
    me = request.user
    done = list(
        policy.visible_commitments(me, cohort)
        .completed()
        .select_related("owner")
        .order_by("-completed_at", "-pk")[:RECENT_COMPLETIONS]
    )
    givers: dict[int, set[int]] = defaultdict(set)
    if done:
        kudos = Kudos.objects.filter(commitment__in=done).values_list("commitment_id", "giver_id")
        for commitment_id, giver_id in kudos:
            givers[commitment_id].add(giver_id)
    return [
        BoardCompletion(c, kudos_count=len(givers[c.pk]), i_gave=me.pk in givers[c.pk])
        for c in done
    ]


def _board_context(
    request: AuthenticatedRequest, network: Network, cohort: Cohort
) -> dict[str, Any]:
    """Everything the board shows, in a fixed number of queries however many people,
    commitments and blockers there are."""
    me = request.user
    today = cohort.today()
    open_commitments = list(
        policy.visible_commitments(me, cohort)
        .open()
        .select_related("owner")
        .order_by("owner__name", "owner_id", "due_on", "pk")
    )
    people = [
        {
            "owner": owner,
            "commitments": [BoardCommitment(c, overdue=c.is_overdue(today)) for c in items],
        }
        for owner, items in groupby(open_commitments, key=lambda c: c.owner)
    ]
    matching, other_blockers = _blockers(request, cohort)
    return {
        "network": network,
        "cohort": cohort,
        "today": today,
        "people": people,
        "completions": _completions(request, cohort),
        "matching_blockers": matching,
        "other_blockers": other_blockers,
        "experiments": list(
            policy.visible_experiments(me, cohort).running().select_related("owner", "skill")
        ),
        "can_take_part": policy.can_take_part(me, cohort),
    }


@login_required
@require_http_methods(["GET"])
@board_page
def board(request: AuthenticatedRequest, network: Network, cohort: Cohort) -> HttpResponse:
    context = {
        **_board_context(request, network, cohort),
        "sections": board_sections(request.user, cohort),
    }
    return render(request, "accountability/board.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@board_page
@answers_refusals
def commitment_new(request: AuthenticatedRequest, network: Network, cohort: Cohort) -> HttpResponse:
    """Write a commitment, through services.make_commitment: one with problems comes back
    with what is missing and a rewrite, and is saved only when `keep it anyway` is ticked;
    one without a due date is refused."""
    _require_member(request, cohort)
    made, form, lint = commitment_form(request, cohort)
    if made is not None:
        messages.success(request, _("Your commitment is on the board."))
        return redirect("accountability:board", network.slug, cohort.slug)
    return render(
        request,
        "accountability/commitment_form.html",
        {"network": network, "cohort": cohort, "form": form, "lint": lint},
    )


def commitment_form(
    request: AuthenticatedRequest, cohort: Cohort, *, initial: dict[str, Any] | None = None
) -> tuple[Commitment | None, CommitmentForm, CommitmentLint | None]:
    """The commitment form's round trip, shared by the board and coaching's next step:
    (the commitment made or None, the form to show, what the check said). "Use this rewrite"
    shows the form again with the rewrite in place, not saved."""
    if request.method != "POST":
        return None, CommitmentForm(initial=initial), None
    if request.POST.get("use_rewrite", "").strip():
        return None, rewrite_form(cohort, request.POST), None
    form = CommitmentForm(request.POST)
    if not form.is_valid():
        return None, form, None
    try:
        made = services.make_commitment(cohort=cohort, owner=request.user, **form.commitment())
    except services.CommitmentRefused as refused:
        show_on_form(form, refused)
        return None, form, refused.check.lint
    return made, form, None


def _commitment_context(request: AuthenticatedRequest, commitment: Commitment) -> dict[str, Any]:
    me = request.user
    cohort = commitment.cohort
    kudos = list(commitment.kudos.select_related("giver"))
    return {
        "network": cohort.network,
        "cohort": cohort,
        "commitment": commitment,
        "kudos": kudos,
        "kudos_givers": ", ".join(str(k.giver) for k in kudos),
        "updates": list(
            commitment.updates.select_related("author", "blocker").order_by("-created_at")
        ),
        "status_form": StatusForm(initial={"evidence": commitment.evidence}),
        "can_close": policy.can_set_commitment_status(me, commitment, CommitmentStatus.DONE),
        "can_mark_missed": policy.can_set_commitment_status(
            me, commitment, CommitmentStatus.MISSED
        ),
    }


@login_required
@require_http_methods(["GET"])
@board_page
def commitment_detail(
    request: AuthenticatedRequest, network: Network, cohort: Cohort, pk: int
) -> HttpResponse:
    commitment = policy.get_commitment_or_404(request.user, cohort, pk)
    return render(
        request, "accountability/commitment.html", _commitment_context(request, commitment)
    )


@login_required
@require_POST
@board_page
@answers_refusals
def commitment_status(
    request: AuthenticatedRequest, network: Network, cohort: Cohort, pk: int
) -> HttpResponse:
    """Done (with evidence), missed or dropped, or open again."""
    commitment = policy.get_commitment_or_404(request.user, cohort, pk)
    form = StatusForm(request.POST)
    services.check_status_change(request.user, commitment, status=request.POST.get("status", ""))
    if form.is_valid():
        try:
            services.set_commitment_status(
                request.user,
                commitment,
                status=form.cleaned_data["status"],
                evidence=form.cleaned_data["evidence"],
            )
        except Refused as refused:
            if refused.kind != "invalid":
                raise
            show_on_form(form, refused)
        else:
            if commitment.status == CommitmentStatus.DONE:
                messages.success(request, _("Done: well done! Your cohort can see it."))
            else:
                messages.success(
                    request,
                    _("Marked %(status)s.") % {"status": commitment.get_status_display().lower()},
                )
            return redirect("accountability:commitment", network.slug, cohort.slug, pk)
    context = {**_commitment_context(request, commitment), "status_form": form}
    return render(request, "accountability/commitment.html", context, status=422)


@login_required
@require_POST
@board_page
@answers_refusals
def kudos_give(
    request: AuthenticatedRequest, network: Network, cohort: Cohort, pk: int
) -> HttpResponse:
    """Kudos for a peer's completed commitment; never for your own."""
    _require_member(request, cohort)
    commitment = policy.get_commitment_or_404(request.user, cohort, pk)
    services.give_kudos(request.user, commitment)
    if _is_htmx(request):
        context = _board_context(request, network, cohort)
        return render(request, "accountability/board.html#completions", context)
    return redirect("accountability:board", network.slug, cohort.slug)


@login_required
@require_http_methods(["GET", "POST"])
@board_page
@answers_refusals
def update_new(request: AuthenticatedRequest, network: Network, cohort: Cohort) -> HttpResponse:
    """Done / remaining / blocker, about one of my open commitments or free-standing."""
    _require_member(request, cohort)
    kwargs = {
        "commitments": services.update_commitments(request.user, cohort),
        "skills": network.skills.active(),
    }
    initial = {"commitment": request.GET.get("commitment")}
    form = (
        ProgressUpdateForm(request.POST, **kwargs)
        if request.method == "POST"
        else ProgressUpdateForm(initial=initial, **kwargs)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.post_update(request.user, cohort, **form.update())
        except Refused as refused:
            if refused.kind != "invalid":
                raise
            show_on_form(form, refused)
        else:
            messages.success(request, _("Your update is on the board."))
            return redirect("accountability:board", network.slug, cohort.slug)
    return render(
        request,
        "accountability/update_form.html",
        {"network": network, "cohort": cohort, "form": form},
    )


@login_required
@require_POST
@board_page
@answers_refusals
def offer_help(
    request: AuthenticatedRequest, network: Network, cohort: Cohort, pk: int
) -> HttpResponse:
    """A peer offers help with a blocker; the first offer is timed."""
    _require_member(request, cohort)
    blocker = policy.get_blocker_or_404(request.user, cohort, pk)
    form = HelpOfferForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    services.offer_help(request.user, blocker, message=message)
    if _is_htmx(request):
        context = _board_context(request, network, cohort)
        return render(request, "accountability/board.html#blockers", context)
    messages.success(
        request, _("%(person)s will see your offer.") % {"person": blocker.update.author}
    )
    return redirect("accountability:board", network.slug, cohort.slug)


@login_required
@require_POST
@board_page
@answers_refusals
def offer_accept(
    request: AuthenticatedRequest, network: Network, cohort: Cohort, pk: int
) -> HttpResponse:
    """The blocked person accepts an offer; the blocker is resolved."""
    offer = policy.get_offer_or_404(request.user, cohort, pk)
    services.accept_offer(request.user, offer)
    if _is_htmx(request):
        context = _board_context(request, network, cohort)
        return render(request, "accountability/board.html#blockers", context)
    messages.success(
        request,
        _("You accepted %(person)s’s help; the blocker is resolved.") % {"person": offer.helper},
    )
    return redirect("accountability:board", network.slug, cohort.slug)


# --- experiments ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
@board_page
def experiment_list(
    request: AuthenticatedRequest, network: Network, cohort: Cohort
) -> HttpResponse:
    experiments = policy.visible_experiments(request.user, cohort).select_related("owner", "skill")
    return render(
        request,
        "accountability/experiments.html",
        {
            "network": network,
            "cohort": cohort,
            "experiments": list(experiments),
            "can_take_part": policy.can_take_part(request.user, cohort),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@board_page
@answers_refusals
def experiment_new(request: AuthenticatedRequest, network: Network, cohort: Cohort) -> HttpResponse:
    _require_member(request, cohort)
    instance = Experiment(cohort=cohort, owner=request.user)
    return _experiment_form(request, network, cohort, instance)


@login_required
@require_http_methods(["GET", "POST"])
@board_page
@answers_refusals
def experiment_edit(
    request: AuthenticatedRequest, network: Network, cohort: Cohort, pk: int
) -> HttpResponse:
    experiment = policy.get_experiment_or_404(request.user, cohort, pk)
    services.check_experiment_change(request.user, experiment)
    return _experiment_form(request, network, cohort, experiment)


def _experiment_form(
    request: AuthenticatedRequest, network: Network, cohort: Cohort, instance: Experiment
) -> HttpResponse:
    skills = network.skills.offered([instance.skill_id] if instance.skill_id else [])
    data = request.POST if request.method == "POST" else None
    form = ExperimentForm(data, instance=instance, skills=skills)
    if request.method == "POST" and form.is_valid():
        try:
            if instance.pk is None:
                experiment = services.start_experiment(request.user, cohort, **form.cleaned_data)
            else:
                experiment = services.change_experiment(request.user, instance, **form.cleaned_data)
        except Refused as refused:
            if refused.kind != "invalid":
                raise
            show_on_form(form, refused)
        else:
            messages.success(request, _("Experiment saved."))
            return redirect("accountability:experiment", network.slug, cohort.slug, experiment.pk)
    return render(
        request,
        "accountability/experiment_form.html",
        {"network": network, "cohort": cohort, "form": form, "experiment": instance},
    )


@login_required
@require_http_methods(["GET"])
@board_page
def experiment_detail(
    request: AuthenticatedRequest, network: Network, cohort: Cohort, pk: int
) -> HttpResponse:
    experiment = policy.get_experiment_or_404(request.user, cohort, pk)
    return render(
        request,
        "accountability/experiment.html",
        {
            "network": network,
            "cohort": cohort,
            "experiment": experiment,
            "can_edit": services.may_change_experiment(request.user, experiment),
            "sections": item_sections(request.user, experiment),
        },
    )
