"""Who may see and run peer rotations: a cohort's coaching rotation and the network's
virtual-coffee rituals. Built on the core (`cadre.networks.policy`, `cadre.cohorts.policy`).

Coaching rounds are cohort content: whoever may open the cohort sees them; its hosts and the
network's organizers plan them. Virtual coffee is for the network's own people (members,
mentors and organizers, as the directory); partners and outsiders do not see it. Members see
active rituals, organizers paused ones too; only organizers set rituals up and generate
rounds. A person's "please don't pair me with" list is theirs alone
(`PairingExclusion.objects.owned_by`).

`can_view_ritual` (one ritual) and `visible_rituals` (a list) state the same rule, from one
definition (`_sees_paused`), so a list and a detail page never disagree.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from cadre.cohorts.models import Cohort
from cadre.cohorts.policy import can_edit_charter
from cadre.networks.models import Network
from cadre.networks.policy import (
    Person,
    can_manage_network,
    can_view_directory,
    get_network_or_404,
)

from .models import Ritual

# --- coaching rotation ----------------------------------------------------------------------


def can_plan_coaching(user: Person, cohort: Cohort) -> bool:
    """A cohort's coaching rotation is planned by its hosts and the network's organizers."""
    return can_edit_charter(user, cohort)


# --- virtual coffee -------------------------------------------------------------------------


def can_view_rituals(user: Person, network: Network) -> bool:
    """Virtual coffee is for the network's own people: members, mentors and organizers, as
    the directory; partners do not see it."""
    return can_view_directory(user, network)


def can_manage_rituals(user: Person, network: Network) -> bool:
    """Setting rituals up, pausing them and generating rounds: the network's organizers."""
    return can_manage_network(user, network)


def _sees_paused(user: Person, network: Network) -> bool:
    """Paused rituals are seen by those who may make them active again."""
    return can_manage_rituals(user, network)


def can_view_ritual(user: Person, ritual: Ritual) -> bool:
    """Active rituals for the network's people; paused ones too for organizers."""
    if not can_view_rituals(user, ritual.network):
        return False
    return ritual.active or _sees_paused(user, ritual.network)


def visible_rituals(user: Person, network: Network) -> QuerySet[Ritual]:
    """The rituals of `network` that `user` may open: `can_view_ritual` as a filter."""
    if not can_view_rituals(user, network):
        return Ritual.objects.none()
    rituals = Ritual.objects.filter(network=network)
    return rituals if _sees_paused(user, network) else rituals.filter(active=True)


def can_join_ritual(user: Person, ritual: Ritual) -> bool:
    """The network's people join a ritual while it is active."""
    return ritual.active and can_view_rituals(user, ritual.network)


def get_rituals_network_or_404(user: Person, slug: str) -> Network:
    """The network for its coffee pages, or 404 for partners and outsiders."""
    network = get_network_or_404(user, slug)
    if not can_view_rituals(user, network):
        raise Http404("No such page.")
    return network


def get_ritual_or_404(user: Person, network: Network, ritual_id: int) -> Ritual:
    """The ritual of `network`, or 404 for anyone who may not open it."""
    ritual = visible_rituals(user, network).filter(pk=ritual_id).first()
    if ritual is None:
        raise Http404("No such ritual.")
    ritual.network = network
    return ritual
