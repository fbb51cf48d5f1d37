"""Every change to a network's webhook endpoints, and the recording of events as deliveries.

Events come from cadre.events once the transaction that made them commits (`record_events`):
one Delivery row per active endpoint of the network that subscribes to it. The worker sends them
(cadre.webhooks.sending). Changes to endpoints are the network admins' alone and raise
`cadre.lib.rules.Refused` with the sentence people see."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from cadre.accounts.models import User
from cadre.lib.events import Event
from cadre.lib.rules import Refused
from cadre.networks.models import Network
from cadre.networks.policy import Person

from . import events, signing
from .models import Delivery, DeliveryStatus, Endpoint
from .policy import can_manage_webhooks

logger = logging.getLogger(__name__)

ADMINS_ONLY = gettext_noop("Only the network’s admins set up its webhooks.")
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
URL_RULE = gettext_noop(
    "Give the full address of your receiver, starting with https:// "
    "(http:// only for localhost or 127.0.0.1)."
)
UNKNOWN_EVENT = gettext_noop("Choose events from the catalogue: %(names)s.")


def require_webhook_admin(user: Person, network: Network) -> None:
    if not can_manage_webhooks(user, network):
        raise Refused(gettext(ADMINS_ONLY), kind="forbidden")


def _url(value: str) -> str:
    value = value.strip()
    parts = urlsplit(value)
    local = parts.hostname in LOCAL_HOSTS
    if (
        len(value) > 500
        or not parts.hostname
        or not (parts.scheme == "https" or (parts.scheme == "http" and local))
    ):
        raise Refused(gettext(URL_RULE), field="url")
    return value


def _events(names: Iterable[str]) -> list[str]:
    chosen = sorted({name.strip() for name in names if name.strip()})
    subscribable = [name for name in events.NAMES if name != "webhook.test"]
    if any(name not in subscribable for name in chosen):
        raise Refused(
            gettext(UNKNOWN_EVENT) % {"names": ", ".join(subscribable)}, field="event_types"
        )
    return chosen


def _description(value: str) -> str:
    value = value.strip()
    if len(value) > 200:
        raise Refused(gettext("The description is at most 200 characters."), field="description")
    return value


def create_endpoint(
    by: Person,
    network: Network,
    *,
    url: str,
    description: str = "",
    event_types: Iterable[str] = (),
) -> Endpoint:
    """A new active endpoint with a fresh secret (shown to the admin once, on its page)."""
    require_webhook_admin(by, network)
    return Endpoint.objects.create(
        network=network,
        url=_url(url),
        description=_description(description),
        event_types=_events(event_types),
        secret=signing.new_secret(),
        created_by=by if isinstance(by, User) else None,
    )


def update_endpoint(
    by: Person,
    endpoint: Endpoint,
    *,
    url: str,
    description: str,
    event_types: Iterable[str],
    active: bool,
) -> Endpoint:
    require_webhook_admin(by, endpoint.network)
    endpoint.url = _url(url)
    endpoint.description = _description(description)
    endpoint.event_types = _events(event_types)
    if active and not endpoint.active:
        endpoint.failures_in_a_row = 0
    endpoint.active = active
    endpoint.save()
    return endpoint


def rotate_secret(by: Person, endpoint: Endpoint) -> Endpoint:
    """A new secret; deliveries sent from now on are signed with it."""
    require_webhook_admin(by, endpoint.network)
    endpoint.secret = signing.new_secret()
    endpoint.save(update_fields=["secret"])
    return endpoint


def delete_endpoint(by: Person, endpoint: Endpoint) -> None:
    """The endpoint goes, with its delivery log; nothing more is sent to it."""
    require_webhook_admin(by, endpoint.network)
    endpoint.delete()


def _queue(endpoint: Endpoint, event_type: str, payload: events.Data) -> Delivery:
    return Delivery.objects.create(
        endpoint=endpoint,
        event_type=event_type,
        message_id=f"msg_{uuid.uuid4().hex}",
        payload=payload,
    )


def send_test(by: Person, endpoint: Endpoint) -> Delivery:
    """Queue a `webhook.test` event for this endpoint alone; it goes the same way as the rest."""
    require_webhook_admin(by, endpoint.network)
    payload = events.envelope("webhook.test", events.test(endpoint.network))
    with transaction.atomic():
        delivery = _queue(endpoint, "webhook.test", payload)
        wake_after_commit()
    return delivery


def retry_now(by: Person, delivery: Delivery) -> Delivery:
    """Send a failed (or waiting) delivery again at the next run, with a fresh set of tries."""
    require_webhook_admin(by, delivery.endpoint.network)
    if delivery.status == DeliveryStatus.DELIVERED:
        raise Refused(
            gettext("This delivery was already received; there is nothing to retry."),
            kind="conflict",
        )
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).exclude(status=DeliveryStatus.DELIVERED).update(
            status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=timezone.now(), claimed_by=""
        )
        wake_after_commit()
    delivery.refresh_from_db()
    return delivery


def record_events(happened: Sequence[Event]) -> int:
    """Subscribed to cadre.events: queue one delivery per active endpoint of the event's
    network that subscribes to it; returns how many. The endpoints are read once for all the
    events of a transaction, and a payload is built only for an event some endpoint wants (a
    private item builds none)."""
    endpoints = list(Endpoint.objects.filter(active=True).order_by("pk"))
    if not endpoints:
        return 0
    queued = 0
    with transaction.atomic():
        for event in happened:
            builder = events.BUILDERS.get(event.name)
            wanted = [e for e in endpoints if e.wants(event.name)]
            if builder is None or not wanted:
                continue
            built = builder(event.name, event.pk)
            if built is None:
                continue
            network_id, data = built
            payload = events.envelope(event.name, data)
            for endpoint in wanted:
                if endpoint.network_id == network_id:
                    _queue(endpoint, event.name, payload)
                    queued += 1
        if queued:
            wake_after_commit()
    return queued


def _wake() -> None:
    from .tasks import send_webhooks

    try:
        send_webhooks.enqueue()
    except Exception:
        # The worker's periodic sweep sends them anyway, within a minute.
        logger.exception("Could not wake the worker to send webhooks")


def wake_after_commit() -> None:
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        entry[1] is _wake for entry in getattr(connection, "run_on_commit", [])
    ):
        return
    transaction.on_commit(_wake)
