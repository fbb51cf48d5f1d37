"""Who may read and change the library of a network, and its partner groups. Built on the
core (`cadre.networks.policy`, `cadre.cohorts.policy`).

Public items are for anyone. Network and partner items are for the network's insiders
(admins, organizers, members, mentors); partner items also for the people of the partner
groups they name, who see nothing else of the network but public items. Insiders add items;
the author (while still inside the network) and the organizers change and delete them.
Who wrote an item and who used it name people: only the network's insiders see them.
Partner groups are the organizers'. Concluded experiments and published reports become case
studies by the people named below.

`can_view_repository_item` (one item) asks `visible_repository_items` (the list), and
`visible_reuses` is the list twin of `can_see_reusers`, so a list and a page never disagree.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from cadre.accountability.models import Experiment, Outcome, Visibility
from cadre.cohorts.policy import can_edit_charter, is_cohort_member
from cadre.networks.models import Network
from cadre.networks.policy import (
    Person,
    can_manage_network,
    can_view_directory,
    can_view_network,
    insider_network_ids,
    is_network_insider,
)
from cadre.schedule.models import SessionReport
from cadre.schedule.policy import can_edit_report

from .models import ItemVisibility, RepositoryItem, Reuse

# --- reading items --------------------------------------------------------------------------


def visible_repository_items(
    user: Person, network: Network | None = None
) -> QuerySet[RepositoryItem]:
    """Repository items `user` may read, of one network or of all: public items for anyone;
    network and partner items for the members, mentors and organizers of their network;
    partner items for the people of the partner groups they name. Partners of a network see
    only what is shared with their groups (and public items)."""
    items = RepositoryItem.objects.all()
    if network is not None:
        items = items.filter(network=network)
    q = Q(visibility=ItemVisibility.PUBLIC)
    if user.is_authenticated:
        insiders = insider_network_ids(user)
        if insiders:
            q |= Q(network__in=insiders)
        # An EXISTS on the through table instead of a join to every group member: one row
        # per item, so no DISTINCT over the whole table.
        through = RepositoryItem.partner_groups.through
        in_my_group = through.objects.filter(
            repositoryitem_id=OuterRef("pk"), partnergroup__members=user
        )
        q |= Q(visibility=ItemVisibility.PARTNERS) & Q(Exists(in_my_group))
    return items.filter(q)


def can_view_repository_item(user: Person, item: RepositoryItem) -> bool:
    return visible_repository_items(user, None).filter(pk=item.pk).exists()


def get_repository_item_or_404(user: Person, network_slug: str, pk: int) -> RepositoryItem:
    """The item of that network, or 404 for anyone who may not read it."""
    item = (
        visible_repository_items(user, None)
        .select_related("network", "author", "origin_cohort")
        .filter(network__slug=network_slug, pk=pk)
        .first()
    )
    if item is None:
        raise Http404("No such item.")
    return item


def can_view_library(user: Person, network: Network) -> bool:
    """The library page of a network: its insiders and its partners (who see only the items
    shared with them)."""
    return can_view_network(user, network)


# --- who wrote and who used an item ---------------------------------------------------------


def can_see_item_author(user: Person, network: Network) -> bool:
    """Who wrote a library item is shown to the network's own people, like who used it:
    never to partners, outsiders or anonymous readers of public items, who read the item
    with its origin (network and cohort) only."""
    return is_network_insider(user, network)


def can_see_reusers(user: Person, network: Network) -> bool:
    """Who used an item, and in which cohort, names people: only for those who may see the
    network's directory (never partners, outsiders or anonymous readers of public items)."""
    return can_view_directory(user, network)


def visible_reuses(user: Person) -> QuerySet[Reuse]:
    """The reuses `user` may read (the list twin of can_see_reusers, on an item they may
    read): every reuse of an item of a network whose directory they see, and their own."""
    if not user.is_authenticated:
        return Reuse.objects.none()
    directories = insider_network_ids(user)
    return Reuse.objects.filter(
        Q(item__in=visible_repository_items(user, None))
        & (Q(item__network__in=directories) | Q(user=user))
    )


# --- changing items -------------------------------------------------------------------------


def can_add_repository_item(user: Person, network: Network) -> bool:
    """Insiders write items; partners read what is shared with them."""
    return is_network_insider(user, network)


def can_edit_repository_item(user: Person, item: RepositoryItem) -> bool:
    """The author (while still inside the network) and the network's organizers."""
    if can_manage_network(user, item.network):
        return True
    return bool(
        user.is_authenticated
        and item.author_id == user.pk
        and is_network_insider(user, item.network)
    )


def can_manage_partner_groups(user: Person, network: Network) -> bool:
    return can_manage_network(user, network)


# --- case studies ---------------------------------------------------------------------------


def can_promote_experiment(user: Person, experiment: Experiment) -> bool:
    """A concluded experiment (any outcome but running) becomes a case study by its owner, or
    by the cohort's hosts and the network's organizers when it is a cohort experiment. A
    private experiment is its owner's alone to promote."""
    if not user.is_authenticated or experiment.outcome == Outcome.RUNNING:
        return False
    owns = experiment.owner_id == user.pk and is_cohort_member(user, experiment.cohort)
    if experiment.visibility == Visibility.PRIVATE:
        return owns
    return owns or can_edit_charter(user, experiment.cohort)


def can_promote_report(user: Person, report: SessionReport) -> bool:
    """A published session report becomes a case study by those who may edit it."""
    return bool(report.is_published and can_edit_report(user, report.session))
