"""Who may see and change a network's webhooks: its admins, like its other settings."""

from __future__ import annotations

from django.db.models import QuerySet

from cadre.networks.models import Network
from cadre.networks.policy import Person, can_edit_network_settings

from .models import Endpoint


def can_manage_webhooks(user: Person, network: Network) -> bool:
    return can_edit_network_settings(user, network)


def endpoints_visible_to(user: Person, network: Network) -> QuerySet[Endpoint]:
    if not can_manage_webhooks(user, network):
        return Endpoint.objects.none()
    return Endpoint.objects.filter(network=network)
