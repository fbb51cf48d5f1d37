"""Who may set up chat: a network's admins, as for its other settings and its webhooks.
A cohort's host or organizer does not map channels: a channel is a place outside Cadre that
people outside the cohort may read, so the person who connected the workspace chooses it.

What Slack people may do in Cadre is not decided here: a Slack user acts as the Cadre person
linked by a verified e-mail address, through the same services and policies as the pages."""

from __future__ import annotations

from django.db.models import QuerySet

from cadre.networks.models import Network
from cadre.networks.policy import Person, can_edit_network_settings

from .models import ChatDelivery


def can_manage_chat(user: Person, network: Network) -> bool:
    return can_edit_network_settings(user, network)


def chat_deliveries_visible_to(user: Person, network: Network) -> QuerySet[ChatDelivery]:
    if not can_manage_chat(user, network):
        return ChatDelivery.objects.none()
    return ChatDelivery.objects.filter(network=network)
