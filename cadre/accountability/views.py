"""The cohort board: commitments, completions and kudos, progress updates and blockers with
offers of help, and experiments.

Pages reuse `cohort_page` (404 for people who may not see the cohort, the code-of-conduct
gate) and then ask cadre.lib.permissions whether the board is theirs to see: the cohort's
active members and the network's organizers. Taking part is for members (403 for
organizers); private commitments and experiments are their owner's alone (404 for others)."""

from itertools import groupby
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cadre.cohorts.models import Cohort
from cadre.cohorts.views import cohort_page
from cadre.engine.linting import CommitmentLint
from cadre.lib import permissions
from cadre.networks.models import Network
from cadre.people.models import ProfileSkill

from . import services
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
    ProgressUpdate,
)

RECENT_COMPLETIONS = 10
HELPER_LEVEL = 3


def _is_htmx(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


# `cohort_page`, then 404 for people who see the cohort but not its board (network members of
# a cohort shared with the network).
board_page = cohort_page(require=permissions.can_view_board)


def _require_member(request: HttpRequest, cohort: Cohort) -> None:
    if not permissions.can_take_part(request.user, cohort):
        raise PermissionDenied("Only the cohort’s active members take part on its board.")


def _commitment_or_404(request: HttpRequest, cohort: Cohort, pk: int) -> Commitment:
    found = Commitment.objects.select_related("owner", "cohort__network").filter(
        cohort=cohort, pk=pk
    )
    commitment = found.first()
    if commitment is None or not permissions.can_view_private_item(request.user, commitment):
        raise Http404("No such commitment.")
    return commitment


def _experiment_or_404(request: HttpRequest, cohort: Cohort, pk: int) -> Experiment:
    experiment = (
        Experiment.objects.select_related("owner", "skill", "cohort__network")
        .filter(cohort=cohort, pk=pk)
        .first()
    )
    if experiment is None or not permissions.can_view_private_item(request.user, experiment):
        raise Http404("No such experiment.")
    return experiment


def _blockers(request: HttpRequest, cohort: Cohort) -> tuple[list[Blocker], list[Blocker]]:
    """Open blockers: (those matching the viewer's skills, the rest). A match is a skill of
    the blocker the viewer rates 3 ("can do it on my own") or more; never their own."""
    me = request.user
    blockers = list(
        Blocker.objects.unresolved()
        .visible_to(me)
        .filter(update__cohort=cohort)
        .select_related("update__author", "update__commitment")
        .prefetch_related(
            "skills", Prefetch("offers", queryset=HelpOffer.objects.select_related("helper"))
        )
    )
    strong = set(
        ProfileSkill.objects.filter(
            profile__user=me, level__gte=HELPER_LEVEL, skill__network=cohort.network
        ).values_list("skill_id", flat=True)
    )
    matching, rest = [], []
    for blocker in blockers:
        blocker.mine = blocker.update.author_id == me.pk
        blocker.i_offered = any(o.helper_id == me.pk for o in blocker.offers.all())
        blocker.matched = [s for s in blocker.skills.all() if s.pk in strong]
        (matching if blocker.matched and not blocker.mine else rest).append(blocker)
    return matching, rest


def _completions(request: HttpRequest, cohort: Cohort) -> list[Commitment]:
    me = request.user
    done = list(
        Commitment.objects.completed()
        .visible_to(me)
        .filter(cohort=cohort)
        .select_related("owner")
        .annotate(
            kudos_count=Count("kudos"),
            i_gave=Exists(Kudos.objects.filter(commitment=OuterRef("pk"), giver_id=me.pk)),
        )
        .order_by("-completed_at", "-pk")[:RECENT_COMPLETIONS]
    )
    return done


def _board_context(request: HttpRequest, network: Network, cohort: Cohort) -> dict[str, Any]:
    """Everything the board shows, in a fixed number of queries however many people,
    commitments and blockers there are."""
    me = request.user
    today = cohort.today()
    open_commitments = list(
        Commitment.objects.open()
        .visible_to(me)
        .filter(cohort=cohort)
        .select_related("owner")
        .order_by("owner__name", "owner_id", "due_on", "pk")
    )
    for c in open_commitments:
        c.overdue = c.is_overdue(today)
    people = [
        {"owner": owner, "commitments": list(items)}
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
            Experiment.objects.running()
            .visible_to(me)
            .filter(cohort=cohort)
            .select_related("owner", "skill")
        ),
        "can_take_part": permissions.can_take_part(me, cohort),
    }


@login_required
@require_http_methods(["GET"])
@board_page
def board(request: HttpRequest, network: Network, cohort: Cohort) -> HttpResponse:
    return render(request, "accountability/board.html", _board_context(request, network, cohort))


@login_required
@require_http_methods(["GET", "POST"])
@board_page
def commitment_new(request: HttpRequest, network: Network, cohort: Cohort) -> HttpResponse:
    """Write a commitment, through services.make_commitment: one with problems comes back
    with what is missing and a rewrite, and is saved only when `keep it anyway` is ticked;
    one without a due date is refused."""
    _require_member(request, cohort)
    made, form, lint = commitment_form(request, cohort)
    if made is not None:
        messages.success(request, "Your commitment is on the board.")
        return redirect("accountability:board", network.slug, cohort.slug)
    return render(
        request,
        "accountability/commitment_form.html",
        {"network": network, "cohort": cohort, "form": form, "lint": lint},
    )


def commitment_form(
    request: HttpRequest, cohort: Cohort, *, initial: dict[str, Any] | None = None
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
        form.refuse(refused)
        return None, form, refused.check.lint
    return made, form, None


def _commitment_context(request: HttpRequest, commitment: Commitment) -> dict[str, Any]:
    me = request.user
    cohort = commitment.cohort
    return {
        "network": cohort.network,
        "cohort": cohort,
        "commitment": commitment,
        "kudos": list(commitment.kudos.select_related("giver")),
        "updates": list(commitment.updates.select_related("author").order_by("-created_at")),
        "status_form": StatusForm(initial={"evidence": commitment.evidence}),
        "can_close": permissions.can_set_commitment_status(me, commitment, "done"),
        "can_mark_missed": permissions.can_set_commitment_status(me, commitment, "missed"),
    }


@login_required
@require_http_methods(["GET"])
@board_page
def commitment_detail(
    request: HttpRequest, network: Network, cohort: Cohort, pk: int
) -> HttpResponse:
    commitment = _commitment_or_404(request, cohort, pk)
    return render(
        request, "accountability/commitment.html", _commitment_context(request, commitment)
    )


@login_required
@require_POST
@board_page
def commitment_status(
    request: HttpRequest, network: Network, cohort: Cohort, pk: int
) -> HttpResponse:
    """Done (with evidence), missed or dropped, or open again."""
    commitment = _commitment_or_404(request, cohort, pk)
    form = StatusForm(request.POST)
    status = request.POST.get("status", "")
    if not permissions.can_set_commitment_status(request.user, commitment, status):
        raise PermissionDenied("Only the owner changes this commitment.")
    if form.is_valid():
        try:
            commitment.mark(form.cleaned_data["status"], form.cleaned_data["evidence"])
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            if commitment.status == CommitmentStatus.DONE:
                messages.success(request, "Done: well done! Your cohort can see it.")
            else:
                messages.success(request, f"Marked {commitment.get_status_display().lower()}.")
            return redirect("accountability:commitment", network.slug, cohort.slug, pk)
    context = {**_commitment_context(request, commitment), "status_form": form}
    return render(request, "accountability/commitment.html", context, status=422)


@login_required
@require_POST
@board_page
def kudos_give(request: HttpRequest, network: Network, cohort: Cohort, pk: int) -> HttpResponse:
    """Kudos for a peer's completed commitment; never for your own."""
    _require_member(request, cohort)
    commitment = _commitment_or_404(request, cohort, pk)
    if commitment.owner_id == request.user.pk:
        raise PermissionDenied("Kudos are for other people’s commitments.")
    if commitment.status != CommitmentStatus.DONE:
        raise PermissionDenied("Kudos are for commitments that are done.")
    Kudos.objects.get_or_create(commitment=commitment, giver=request.user)
    if _is_htmx(request):
        context = _board_context(request, network, cohort)
        return render(request, "accountability/board.html#completions", context)
    return redirect("accountability:board", network.slug, cohort.slug)


@login_required
@require_http_methods(["GET", "POST"])
@board_page
def update_new(request: HttpRequest, network: Network, cohort: Cohort) -> HttpResponse:
    """Done / remaining / blocker, about one of my open commitments or free-standing."""
    _require_member(request, cohort)
    kwargs = {
        "commitments": Commitment.objects.open().filter(cohort=cohort, owner=request.user),
        "skills": network.skills.all(),
    }
    initial = {"commitment": request.GET.get("commitment")}
    form = (
        ProgressUpdateForm(request.POST, **kwargs)
        if request.method == "POST"
        else ProgressUpdateForm(initial=initial, **kwargs)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            update = ProgressUpdate.objects.create(
                cohort=cohort,
                author=request.user,
                commitment=data["commitment"],
                done=data["done"].strip(),
                remaining=data["remaining"].strip(),
            )
            if data["blocker"].strip():
                blocker = Blocker.objects.create(update=update, text=data["blocker"].strip())
                blocker.skills.set(data["skills"])
        messages.success(request, "Your update is on the board.")
        return redirect("accountability:board", network.slug, cohort.slug)
    return render(
        request,
        "accountability/update_form.html",
        {"network": network, "cohort": cohort, "form": form},
    )


def _blocker_or_404(request: HttpRequest, cohort: Cohort, pk: int) -> Blocker:
    blocker = (
        Blocker.objects.visible_to(request.user)
        .select_related("update__author")
        .filter(update__cohort=cohort, pk=pk)
        .first()
    )
    if blocker is None:
        raise Http404("No such blocker.")
    return blocker


@login_required
@require_POST
@board_page
def offer_help(request: HttpRequest, network: Network, cohort: Cohort, pk: int) -> HttpResponse:
    """A peer offers help with a blocker; the first offer is timed."""
    _require_member(request, cohort)
    blocker = _blocker_or_404(request, cohort, pk)
    form = HelpOfferForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    try:
        blocker.offer(request.user, message)
    except ValidationError as exc:
        raise PermissionDenied(" ".join(exc.messages)) from None
    if _is_htmx(request):
        context = _board_context(request, network, cohort)
        return render(request, "accountability/board.html#blockers", context)
    messages.success(request, f"{blocker.update.author} will see your offer.")
    return redirect("accountability:board", network.slug, cohort.slug)


@login_required
@require_POST
@board_page
def offer_accept(request: HttpRequest, network: Network, cohort: Cohort, pk: int) -> HttpResponse:
    """The blocked person accepts an offer; the blocker is resolved."""
    offer = (
        HelpOffer.objects.select_related("blocker__update", "helper")
        .filter(blocker__update__cohort=cohort, pk=pk)
        .first()
    )
    if (
        offer is None
        or not Blocker.objects.visible_to(request.user).filter(pk=offer.blocker_id).exists()
    ):
        raise Http404("No such offer.")
    if offer.blocker.update.author_id != request.user.pk:
        raise PermissionDenied("Only the person who is blocked accepts offers of help.")
    offer.accept()
    if _is_htmx(request):
        context = _board_context(request, network, cohort)
        return render(request, "accountability/board.html#blockers", context)
    messages.success(request, f"You accepted {offer.helper}’s help; the blocker is resolved.")
    return redirect("accountability:board", network.slug, cohort.slug)


# --- experiments ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
@board_page
def experiment_list(request: HttpRequest, network: Network, cohort: Cohort) -> HttpResponse:
    experiments = (
        Experiment.objects.visible_to(request.user)
        .filter(cohort=cohort)
        .select_related("owner", "skill")
    )
    return render(
        request,
        "accountability/experiments.html",
        {
            "network": network,
            "cohort": cohort,
            "experiments": list(experiments),
            "can_take_part": permissions.can_take_part(request.user, cohort),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@board_page
def experiment_new(request: HttpRequest, network: Network, cohort: Cohort) -> HttpResponse:
    _require_member(request, cohort)
    instance = Experiment(cohort=cohort, owner=request.user)
    return _experiment_form(request, network, cohort, instance)


@login_required
@require_http_methods(["GET", "POST"])
@board_page
def experiment_edit(
    request: HttpRequest, network: Network, cohort: Cohort, pk: int
) -> HttpResponse:
    experiment = _experiment_or_404(request, cohort, pk)
    if experiment.owner_id != request.user.pk or not permissions.can_take_part(
        request.user, cohort
    ):
        raise PermissionDenied("Only the person running the experiment changes it.")
    return _experiment_form(request, network, cohort, experiment)


def _experiment_form(
    request: HttpRequest, network: Network, cohort: Cohort, instance: Experiment
) -> HttpResponse:
    skills = network.skills.all()
    data = request.POST if request.method == "POST" else None
    form = ExperimentForm(data, instance=instance, skills=skills)
    if request.method == "POST" and form.is_valid():
        experiment = form.save()
        messages.success(request, "Experiment saved.")
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
    request: HttpRequest, network: Network, cohort: Cohort, pk: int
) -> HttpResponse:
    experiment = _experiment_or_404(request, cohort, pk)
    return render(
        request,
        "accountability/experiment.html",
        {
            "network": network,
            "cohort": cohort,
            "experiment": experiment,
            "can_edit": experiment.owner_id == request.user.pk
            and permissions.can_take_part(request.user, cohort),
        },
    )
