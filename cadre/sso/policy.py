"""Who may set up single sign-on: a network's admins (as for its other settings). Everyone
else in the network gets "not found" from the pages, as the menu shows them no link."""

from __future__ import annotations

from django.db.models import QuerySet

from cadre.networks.models import Network
from cadre.networks.policy import Person, can_edit_network_settings
from cadre.sso.models import IdentityProvider


def can_manage_sso(user: Person, network: Network) -> bool:
    return can_edit_network_settings(user, network)


def can_manage_provider(user: Person, provider: IdentityProvider) -> bool:
    return can_manage_sso(user, provider.network)


def manageable_providers(user: Person, network: Network) -> QuerySet[IdentityProvider]:
    """The providers `user` may manage in `network` (the instance check is
    `can_manage_provider`)."""
    if not can_manage_sso(user, network):
        return IdentityProvider.objects.none()
    return IdentityProvider.objects.filter(network=network)
