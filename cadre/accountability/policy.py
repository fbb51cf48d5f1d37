"""Who sees and does what on a cohort's board: commitments, kudos, progress updates,
blockers and offers of help, experiments.

- The board is for the cohort's active members and the network's organizers, even when the
  cohort is shared with the network (`can_view_board`, `get_board_cohort_or_404`).
- Taking part (commitments, updates, offers of help, kudos, experiments) is for the cohort's
  active members (`can_take_part`); organizers read only.
- A private commitment or experiment is its owner's alone, organizers included out; an update
  (and its blocker) about a private commitment is private with it. Each rule is written once
  as a filter (`*_q`, `visible_*`) with the instance check beside it, and the lookups below
  find an object through the filter, so a list and a detail page can never disagree.
- A commitment's status is its owner's to change; hosts and organizers may also mark a
  cohort commitment missed (`can_set_commitment_status`).

Built on the core: `cadre.networks.policy` and `cadre.cohorts.policy`.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from cadre.cohorts.models import Cohort
from cadre.cohorts.policy import can_edit_charter, get_cohort_or_404, is_cohort_member
from cadre.networks.policy import Person, can_manage_network

from .models import (
    Blocker,
    BlockerQuerySet,
    Commitment,
    CommitmentQuerySet,
    CommitmentStatus,
    Experiment,
    ExperimentQuerySet,
    HelpOffer,
    ProgressUpdate,
    ProgressUpdateQuerySet,
    Visibility,
)

# --- the board ------------------------------------------------------------------------------


def can_view_board(user: Person, cohort: Cohort) -> bool:
    """A cohort's board (commitments, updates, blockers, experiments) is for its active
    members and the network's organizers, even when the cohort is shared with the network."""
    return is_cohort_member(user, cohort) or can_manage_network(user, cohort.network)


def can_take_part(user: Person, cohort: Cohort) -> bool:
    """Making commitments, posting updates, offering help, giving kudos and running
    experiments is for the cohort's active members."""
    return is_cohort_member(user, cohort)


def get_board_cohort_or_404(user: Person, network_slug: str, cohort_slug: str) -> Cohort:
    cohort = get_cohort_or_404(user, network_slug, cohort_slug)
    if not can_view_board(user, cohort):
        raise Http404("No such page.")
    return cohort


# --- private commitments and experiments ---------------------------------------------------


def shown_q(user: Person, path: str = "") -> Q:
    """A commitment or experiment (at `path`) that `user` may see on a board they see: a
    cohort one, or their own. The instance check is `is_shown`."""
    return Q(**{f"{path}visibility": Visibility.COHORT}) | Q(**{f"{path}owner_id": user.pk})


def is_shown(user: Person, item: Commitment | Experiment) -> bool:
    """`shown_q` for one commitment or experiment."""
    return item.visibility == Visibility.COHORT or bool(
        user.is_authenticated and item.owner_id == user.pk
    )


def can_view_private_item(user: Person, item: Commitment | Experiment) -> bool:
    """A commitment or experiment: cohort ones for whoever sees the board, private ones for
    their owner alone (organizers included out)."""
    if item.visibility == Visibility.PRIVATE:
        return is_shown(user, item)
    return can_view_board(user, item.cohort)


def visible_commitments(user: Person, cohort: Cohort) -> CommitmentQuerySet:
    """The cohort's commitments `user` may see: `can_view_private_item` as a filter."""
    if not can_view_board(user, cohort):
        return Commitment.objects.none()
    return Commitment.objects.filter(cohort=cohort).filter(shown_q(user))


def visible_experiments(user: Person, cohort: Cohort) -> ExperimentQuerySet:
    """The cohort's experiments `user` may see: `can_view_private_item` as a filter."""
    if not can_view_board(user, cohort):
        return Experiment.objects.none()
    return Experiment.objects.filter(cohort=cohort).filter(shown_q(user))


def get_commitment_or_404(user: Person, cohort: Cohort, pk: int) -> Commitment:
    commitment = (
        visible_commitments(user, cohort)
        .select_related("owner", "cohort__network")
        .filter(pk=pk)
        .first()
    )
    if commitment is None:
        raise Http404("This cohort has no such commitment.")
    return commitment


def get_experiment_or_404(user: Person, cohort: Cohort, pk: int) -> Experiment:
    experiment = (
        visible_experiments(user, cohort)
        .select_related("owner", "skill", "cohort__network")
        .filter(pk=pk)
        .first()
    )
    if experiment is None:
        raise Http404("This cohort has no such experiment.")
    return experiment


# --- progress updates, blockers and offers of help -----------------------------------------


def update_shown_q(user: Person, path: str = "") -> Q:
    """A progress update (at `path`) that `user` may see on a board they see: one about no
    commitment or a cohort commitment, or their own (updates about a private commitment are
    private with it)."""
    return (
        Q(**{f"{path}commitment__isnull": True})
        | Q(**{f"{path}commitment__visibility": Visibility.COHORT})
        | Q(**{f"{path}author_id": user.pk})
    )


def visible_updates(user: Person, cohort: Cohort) -> ProgressUpdateQuerySet:
    if not can_view_board(user, cohort):
        return ProgressUpdate.objects.none()
    return ProgressUpdate.objects.filter(cohort=cohort).filter(update_shown_q(user))


def visible_blockers(user: Person, cohort: Cohort) -> BlockerQuerySet:
    """The cohort's blockers whose update `user` may see."""
    if not can_view_board(user, cohort):
        return Blocker.objects.none()
    return Blocker.objects.filter(update__cohort=cohort).filter(update_shown_q(user, "update__"))


def get_blocker_or_404(user: Person, cohort: Cohort, pk: int) -> Blocker:
    blocker = (
        visible_blockers(user, cohort)
        .select_related("update__author")
        .prefetch_related("skills", "offers__helper")
        .filter(pk=pk)
        .first()
    )
    if blocker is None:
        raise Http404("This cohort has no such blocker.")
    return blocker


def get_offer_or_404(user: Person, cohort: Cohort, pk: int) -> HelpOffer:
    """An offer of help with a blocker `user` may see."""
    offer = (
        HelpOffer.objects.select_related("blocker__update", "helper")
        .filter(pk=pk, blocker__in=visible_blockers(user, cohort))
        .first()
    )
    if offer is None:
        raise Http404("This cohort has no such offer.")
    return offer


# --- commitment status ----------------------------------------------------------------------


def can_set_commitment_status(user: Person, commitment: Commitment, status: str) -> bool:
    """The owner closes or reopens their commitment; hosts and organizers may also mark a
    cohort commitment missed."""
    if commitment.owner_id == user.pk and can_take_part(user, commitment.cohort):
        return True
    return status == CommitmentStatus.MISSED and can_edit_charter(user, commitment.cohort)
