"""Who belongs to a network, and in which role: the core every other app's policy stands on.

The network is the boundary: only its members see anything of it. Admins and organizers run
it. People who have not accepted the network's current code of conduct are sent to accept it
before they see cohort content.

What a person is in each network is read once per request and kept on the user object
(`remembered`/`forget`), so a page that asks many questions about one network costs one
query; so is the network a request's URL names, so the page and its header look it up once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeAlias

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from .models import ORGANIZING_ROLES, CodeOfConductAcceptance, Network, NetworkMembership, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from cadre.accounts.models import User

    Person: TypeAlias = User | AnonymousUser
else:
    Person: TypeAlias = Any

_CACHE_ATTR = "_cadre_permission_cache"


def remembered(user: Person) -> dict[str, Any]:
    """The per-request cache of access facts about `user` (kept on the user object)."""
    cache = getattr(user, _CACHE_ATTR, None)
    if cache is None:
        cache = {}
        setattr(user, _CACHE_ATTR, cache)
    return cache


def forget(user: Person) -> None:
    """Drop what was cached about `user` (after their memberships change)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def network_roles(user: Person) -> dict[int, str]:
    """network id -> role, for every network the user belongs to."""
    if not user.is_authenticated:
        return {}
    cache = remembered(user)
    if "network_roles" not in cache:
        # No ordering: the model's would join the networks and the people to sort a dict.
        cache["network_roles"] = dict(
            NetworkMembership.objects.filter(user=user).order_by().values_list("network_id", "role")
        )
    return cache["network_roles"]


def network_role(user: Person, network: Network) -> str | None:
    return network_roles(user).get(network.pk)


def can_view_network(user: Person, network: Network) -> bool:
    return network_role(user, network) is not None


def can_manage_network(user: Person, network: Network) -> bool:
    """Admins and organizers run the network: invitations, cohorts, the code of conduct."""
    return network_role(user, network) in ORGANIZING_ROLES


def can_administer_network(user: Person, network: Network) -> bool:
    return network_role(user, network) == Role.ADMIN


def can_edit_network_settings(user: Person, network: Network) -> bool:
    """A network's settings and skill taxonomy are its admins' (organizers run cohorts and
    invitations, not the network itself)."""
    return can_administer_network(user, network)


def is_organizer_anywhere(user: Person) -> bool:
    return any(role in ORGANIZING_ROLES for role in network_roles(user).values())


def visible_networks(user: Person) -> QuerySet[Network]:
    """The networks `user` belongs to (the instance check is `can_view_network`)."""
    if not user.is_authenticated:
        return Network.objects.none()
    return Network.objects.filter(memberships__user=user)


def is_network_insider(user: Person, network: Network) -> bool:
    """Admins, organizers, members and mentors: the people inside a network. Partners are
    outside it and see only what is shared with their groups."""
    return network_role(user, network) not in (None, Role.PARTNER)


def insider_network_ids(user: Person) -> list[int]:
    """The networks `user` is an insider of: `is_network_insider` as a list of ids."""
    return [pk for pk, role in network_roles(user).items() if role != Role.PARTNER]


def can_view_directory(user: Person, network: Network) -> bool:
    """The network's people are for its insiders; partners do not see the directory."""
    return is_network_insider(user, network)


def must_accept_conduct(user: Person, network: Network) -> bool:
    """True when the network has a code of conduct whose current version `user` has not
    accepted yet."""
    if not user.is_authenticated:
        return False
    cache = remembered(user)
    key = f"conduct:{network.pk}"
    if key not in cache:
        # The current version and whether `user` accepted it, in one query.
        accepted = CodeOfConductAcceptance.objects.filter(code=OuterRef("pk"), user=user)
        current = (
            network.codes_of_conduct_newest_first()
            .annotate(accepted=Exists(accepted))
            .values_list("accepted", flat=True)
            .first()
        )
        cache[key] = current is not None and not current
    return bool(cache[key])


def find_network(user: Person, slug: str) -> Network | None:
    """The network at `slug` if `user` is in it, else None (`get_network_or_404` without the
    404). Looked up once per request: the page's view and its header (cadre.navigation) both
    ask."""
    cache = remembered(user)
    key = f"network:{slug}"
    if key not in cache:
        cache[key] = Network.objects.filter(slug=slug).order_by().first()
    network: Network | None = cache[key]
    return network if network is not None and can_view_network(user, network) else None


def get_network_or_404(user: Person, slug: str) -> Network:
    """The network, or 404 for anyone who is not in it (an outsider cannot tell whether the
    network exists)."""
    network = find_network(user, slug)
    if network is None:
        raise Http404("No such network.")
    return network
