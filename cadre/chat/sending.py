"""Posting due notices: claim, call Slack or Teams outside any transaction, record.

As webhooks are sent (cadre.webhooks.sending): each run claims a few due deliveries in a short
committed transaction, posts each with no transaction open and records the outcome.

- Slack: chat.postMessage with the workspace's bot token to the channel (a reply to a click
  goes to the response_url Slack gave); `ok: true` is posted.
- Teams: the Adaptive Card message POSTed to the cohort's Workflows address; a 2xx is posted.
- An error from Slack that no retry can mend (models.PERMANENT: the channel is gone or
  archived, Cadre is not in it, the token was revoked, the message was refused) marks the
  delivery refused at once, with Slack's error in slack_error and what to do in last_error; a refused token (RECONNECT) is also kept on the
  workspace (refuse_token), so the admins' page says to connect it again, and later notices
  to that workspace are refused the same way without calling Slack until it is.
- Anything else (a rate limit, a 5xx, another error from Slack, a refused connection, a
  timeout) waits RETRY_AFTER[attempts - 1] (or longer when Slack says so with Retry-After on a
  429) and is tried again; after MAX_ATTEMPTS (about ten hours) it is failed with the last
  error, shown on the admins' page, where "Retry now" queues it again."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext_noop
from slack_sdk.errors import SlackApiError

from cadre.delivery.sending import claim_rows, claimant, in_transaction

from . import crypto, slackapi
from .models import (
    PERMANENT,
    RECONNECT,
    RECONNECT_HINT,
    Channel,
    ChatDelivery,
    DeliveryStatus,
    SlackWorkspace,
)

logger = logging.getLogger(__name__)

# Marked for the catalogues: a refusal in services.py; the delivery log keeps it in English.
NO_WORKSPACE = gettext_noop("No Slack workspace is connected.")

BATCH = 20
TIMEOUT_SECONDS = 10
# The waits after the 1st to 5th failed tries: six tries over about ten hours.
RETRY_AFTER = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=8),
)
MAX_ATTEMPTS = len(RETRY_AFTER) + 1
LEASE = timedelta(minutes=10)


class InsideTransaction(RuntimeError):
    """Posting inside a transaction would hold its locks while Slack or Teams answers."""


class NotPosted(Exception):
    def __init__(
        self, message: str, retry_after: int | None = None, *, refused_for: str = ""
    ) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        # Slack's error when retrying cannot succeed (a key of PERMANENT): refused at once.
        self.refused_for = refused_for


def claim(now: datetime, by: str, limit: int = BATCH) -> list[ChatDelivery]:
    ids = claim_rows(
        ChatDelivery.objects.due(now),
        waiting=DeliveryStatus.PENDING,
        sending=DeliveryStatus.SENDING,
        now=now,
        by=by,
        limit=limit,
    )
    return list(
        ChatDelivery.objects.filter(
            pk__in=ids, claimed_by=by, status=DeliveryStatus.SENDING
        ).order_by("next_attempt_at", "pk")
    )


def post_json(url: str, payload: object) -> None:
    """POST `payload` as JSON to `url` (the edge where a notice leaves Cadre for Teams, or
    for a Slack response_url); a status other than 2xx is NotPosted."""
    body = json.dumps(payload).encode()
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            status = int(response.status)
    except urllib.error.HTTPError as error:
        retry = error.headers.get("Retry-After") if error.headers else None
        raise NotPosted(
            f"The receiver answered {error.code}.",
            int(retry) if retry and retry.isdigit() else None,
        ) from None
    if not 200 <= status < 300:
        raise NotPosted(f"The receiver answered {status}.")


def refuse_token(workspace_pk: int, reason: str) -> None:
    """Slack no longer takes the workspace's bot token (`reason`, a key of RECONNECT), as it
    answered a post or said by an event (services.slack_token_gone). Kept on the workspace until
    it is connected again: the admins' page asks for that, and post_to_slack sends nothing with
    the token meanwhile."""
    SlackWorkspace.objects.filter(pk=workspace_pk).update(token_refused=reason)


def post_to_slack(delivery: ChatDelivery) -> None:
    if delivery.target.startswith(("https://", "http://")):
        post_json(delivery.target, delivery.payload)
        return
    workspace = SlackWorkspace.objects.filter(network_id=delivery.network_id).first()
    if workspace is None:
        raise NotPosted(NO_WORKSPACE)
    if workspace.token_refused:
        # Slack will refuse the token again: nothing is sent until the workspace is connected
        # again (which clears token_refused); the notice is refused as the first one was.
        refused = workspace.token_refused
        raise NotPosted(
            f"Not sent: Slack refused Cadre's token before ({refused}). "
            + PERMANENT.get(refused, RECONNECT_HINT),
            refused_for=refused,
        )
    token = crypto.decrypt(workspace.token)
    try:
        slackapi.client(token).chat_postMessage(channel=delivery.target, **delivery.payload)
    except SlackApiError as error:
        response = error.response
        retry = response.headers.get("Retry-After") or response.headers.get("retry-after")
        reason = response.get("error") if isinstance(response.data, dict) else None
        answered = f"Slack answered {response.status_code}: {reason or 'no reason given'}."
        hint = PERMANENT.get(str(reason)) if response.status_code < 500 else None
        if hint is not None:
            if reason in RECONNECT:
                refuse_token(workspace.pk, str(reason))
            raise NotPosted(f"{answered} {hint}", refused_for=str(reason)) from None
        raise NotPosted(answered, int(retry) if retry and str(retry).isdigit() else None) from None


def attempt(delivery: ChatDelivery, by: str) -> bool:
    """Post one claimed delivery and record what happened; True when it was posted."""
    error = ""
    retry_after: int | None = None
    refused_for = ""
    try:
        if delivery.channel == Channel.SLACK:
            post_to_slack(delivery)
        else:
            post_json(delivery.target, delivery.payload)
    except NotPosted as problem:
        error, retry_after, refused_for = str(problem), problem.retry_after, problem.refused_for
    except Exception as problem:
        error = f"{type(problem).__name__}: {problem}"
    mine = ChatDelivery.objects.filter(pk=delivery.pk, claimed_by=by, status=DeliveryStatus.SENDING)
    now = timezone.now()
    if not error:
        mine.update(
            status=DeliveryStatus.DELIVERED,
            delivered_at=now,
            last_error="",
            slack_error="",
            claimed_by="",
        )
        return True
    error = error[:1000]
    if refused_for:
        mine.update(
            status=DeliveryStatus.REFUSED,
            last_error=error,
            slack_error=refused_for,
            claimed_by="",
        )
        logger.error("Slack refused chat notice %s: %s", delivery.pk, error)
        return False
    if delivery.attempts >= MAX_ATTEMPTS:
        mine.update(status=DeliveryStatus.FAILED, last_error=error, claimed_by="")
        logger.error("Gave up on chat notice %s: %s", delivery.pk, error)
        return False
    wait = RETRY_AFTER[delivery.attempts - 1]
    if retry_after is not None:
        wait = max(wait, timedelta(seconds=retry_after))
    mine.update(
        status=DeliveryStatus.PENDING, next_attempt_at=now + wait, last_error=error, claimed_by=""
    )
    logger.warning("Could not post chat notice %s (%s); retrying in %s", delivery.pk, error, wait)
    return False


def send_due(limit: int | None = None) -> int:
    """Post the notices that are due; returns how many were posted. Never call it inside a
    transaction."""
    if in_transaction():
        raise InsideTransaction("Chat notices are posted outside any transaction.")
    by = claimant()
    posted = tried = 0
    while limit is None or tried < limit:
        batch = claim(timezone.now(), by, BATCH if limit is None else min(BATCH, limit - tried))
        if not batch:
            break
        for delivery in batch:
            tried += 1
            posted += attempt(delivery, by)
    return posted


def reap(now: datetime | None = None) -> int:
    """Put back deliveries whose posting process died while holding them."""
    now = now or timezone.now()
    return ChatDelivery.objects.filter(
        status=DeliveryStatus.SENDING, claimed_at__lt=now - LEASE
    ).update(status=DeliveryStatus.PENDING, claimed_by="", next_attempt_at=now)
