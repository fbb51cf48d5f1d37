"""Sending due deliveries: claim, POST outside any transaction, record.

Like the e-mail outbox (cadre.delivery.sending): each run claims a few due deliveries in a
short committed transaction, POSTs each with no transaction open (so a slow receiver never
holds a database lock) and records the outcome in a second short transaction.

- a 2xx answer: delivered;
- anything else (another status, a refused connection, a timeout): the delivery waits
  RETRY_AFTER[attempts - 1] and is tried again; after MAX_ATTEMPTS (about a day) it is
  failed, with the last status code and error, and the admin can retry it from its page.

Each failed try counts against the endpoint (failures_in_a_row, reset by a success); from
FAILING_AFTER on, the endpoint is shown as failing. It is never turned off by itself."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from datetime import datetime, timedelta

from django.db.models import F
from django.utils import timezone

from cadre.delivery.sending import claim_rows, claimant, in_transaction

from . import signing
from .models import Delivery, DeliveryStatus, Endpoint

logger = logging.getLogger(__name__)

BATCH = 20
TIMEOUT_SECONDS = 10
# The waits after the 1st, 2nd, 3rd and 4th failed tries: five tries over about 21 hours.
RETRY_AFTER = (timedelta(minutes=5), timedelta(hours=1), timedelta(hours=4), timedelta(hours=16))
MAX_ATTEMPTS = len(RETRY_AFTER) + 1
FAILING_AFTER = 5
LEASE = timedelta(minutes=10)


class InsideTransaction(RuntimeError):
    """Sending inside a transaction would hold its locks while a receiver answers."""


def claim(now: datetime, by: str, limit: int = BATCH) -> list[Delivery]:
    ids = claim_rows(
        Delivery.objects.due(now),
        waiting=DeliveryStatus.PENDING,
        sending=DeliveryStatus.SENDING,
        now=now,
        by=by,
        limit=limit,
    )
    return list(
        Delivery.objects.select_related("endpoint")
        .filter(pk__in=ids, claimed_by=by, status=DeliveryStatus.SENDING)
        .order_by("next_attempt_at", "pk")
    )


def body_of(delivery: Delivery) -> str:
    return json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True)


def post(url: str, body: str, headers: dict[str, str]) -> int:
    """POST `body` to `url`; the receiver's status code (the edge where an event leaves Cadre)."""
    request = urllib.request.Request(url, data=body.encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def attempt(delivery: Delivery, by: str) -> bool:
    """Send one claimed delivery and record what happened; True when it was received."""
    endpoint = delivery.endpoint
    body = body_of(delivery)
    timestamp = int(timezone.now().timestamp())
    code: int | None = None
    error = ""
    try:
        code = post(
            endpoint.url,
            body,
            signing.headers(endpoint.secret, delivery.message_id, timestamp, body),
        )
        if not 200 <= code < 300:
            error = f"The receiver answered {code}."
    except Exception as problem:
        error = f"{type(problem).__name__}: {problem}"[:1000]
    mine = Delivery.objects.filter(pk=delivery.pk, claimed_by=by, status=DeliveryStatus.SENDING)
    now = timezone.now()
    if not error:
        mine.update(
            status=DeliveryStatus.DELIVERED,
            delivered_at=now,
            last_response_code=code,
            last_error="",
            claimed_by="",
        )
        Endpoint.objects.filter(pk=endpoint.pk).update(failures_in_a_row=0)
        return True
    if delivery.attempts >= MAX_ATTEMPTS:
        mine.update(
            status=DeliveryStatus.FAILED, last_response_code=code, last_error=error, claimed_by=""
        )
        logger.error("Gave up on webhook delivery %s to %s: %s", delivery.pk, endpoint.url, error)
    else:
        wait = RETRY_AFTER[delivery.attempts - 1]
        mine.update(
            status=DeliveryStatus.PENDING,
            next_attempt_at=now + wait,
            last_response_code=code,
            last_error=error,
            claimed_by="",
        )
        logger.warning(
            "Could not deliver webhook %s to %s (%s); retrying in %s",
            delivery.pk,
            endpoint.url,
            error,
            wait,
        )
    Endpoint.objects.filter(pk=endpoint.pk).update(failures_in_a_row=F("failures_in_a_row") + 1)
    return False


def send_due(limit: int | None = None) -> int:
    """Send the deliveries that are due; returns how many were received. Never call it inside
    a transaction."""
    if in_transaction():
        raise InsideTransaction("Webhooks are sent outside any transaction.")
    by = claimant()
    delivered = tried = 0
    while limit is None or tried < limit:
        batch = claim(timezone.now(), by, BATCH if limit is None else min(BATCH, limit - tried))
        if not batch:
            break
        for delivery in batch:
            tried += 1
            delivered += attempt(delivery, by)
    return delivered


def reap(now: datetime | None = None) -> int:
    """Put back deliveries whose sending process died while holding them."""
    now = now or timezone.now()
    return Delivery.objects.filter(
        status=DeliveryStatus.SENDING, claimed_at__lt=now - LEASE
    ).update(status=DeliveryStatus.PENDING, claimed_by="", next_attempt_at=now)
