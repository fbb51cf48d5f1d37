"""Sending what the outbox holds: claim, send outside any transaction, record.

Each run claims a few due messages in a short committed transaction (status "sending",
stamped with this process's claim), then hands each to the mail server with no transaction
open, so a slow or stalled server never holds a database lock, and records the outcome in a
second short transaction:

- sent: the message is done and no run picks it again;
- failed: the claim is released and the message waits `backoff(attempts)` before the next
  try; after MAX_ATTEMPTS it is marked failed with the server's last answer. A failure stops
  the run (the rest of its claim is released untouched) so an unreachable server costs one
  timeout per run, not one per message.

A process that dies mid-run leaves its claimed messages "sending"; `reap` puts them back in
the queue once LEASE has passed. Only the message that was being handed over at that moment
can then go out twice; every other one goes exactly once (docs/reminders.md)."""

from __future__ import annotations

import logging
import os
import socket
import uuid
from datetime import datetime, timedelta
from email import encoders
from email.mime.base import MIMEBase
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from .models import Message, Status

logger = logging.getLogger(__name__)

BATCH = 20
MAX_ATTEMPTS = 8
# Far longer than any SMTP exchange can last (EMAIL_TIMEOUT is 20 s per operation): 10 minutes
# unless CADRE_OUTBOX_LEASE_SECONDS says otherwise.
LEASE = timedelta(seconds=settings.CADRE_OUTBOX_LEASE_SECONDS)
# Sent messages hold what people wrote and who they are; they are kept this long, to show
# whether an e-mail went out, then deleted.
KEEP_SENT = timedelta(days=90)


class InsideTransaction(RuntimeError):
    """Sending inside a transaction would hold its locks for the whole SMTP exchange."""


def backoff(attempts: int) -> timedelta:
    """How long a message waits after its `attempts`-th failed try: 1, 2, 4, … minutes,
    at most 6 hours."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), timedelta(hours=6))


def claimant() -> str:
    """A name for this run's claim, unique across processes and machines."""
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def in_transaction() -> bool:
    """True inside a transaction of our own (a test's wrapping transaction does not count:
    the test stands in for a process that commits). Every queue that sends (the outbox,
    webhooks, chat) refuses to send inside one: it would hold its locks while the other side
    answers."""
    connection = transaction.get_connection()
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def claim_rows(
    due: QuerySet[Any], *, waiting: str, sending: str, now: datetime, by: str, limit: int
) -> list[int]:
    """Claim up to `limit` rows of `due` (a queue's rows due now, with `status`,
    `next_attempt_at`, `attempts`, `claimed_at` and `claimed_by`) for `by`, committed before
    anything is sent; returns the ids looked at (read back those `claimed_by` is `by`)."""
    with transaction.atomic():
        # PostgreSQL: pass over rows another worker is claiming instead of waiting for it.
        ids = list(
            due.order_by("next_attempt_at", "pk")
            .select_for_update(skip_locked=True, of=("self",))
            .values_list("pk", flat=True)[:limit]
        )
        if ids:
            # The conditional update is the claim on every database (SQLite has no row locks).
            due.model._default_manager.filter(pk__in=ids, status=waiting).update(
                status=sending, claimed_at=now, claimed_by=by, attempts=F("attempts") + 1
            )
    return ids


def claim(now: datetime, by: str, limit: int = BATCH) -> list[Message]:
    """Claim up to `limit` due messages for `by`, committed before anything is sent."""
    ids = claim_rows(
        Message.objects.ready(now),
        waiting=Status.QUEUED,
        sending=Status.SENDING,
        now=now,
        by=by,
        limit=limit,
    )
    return list(Message.objects.filter(pk__in=ids, claimed_by=by, status=Status.SENDING))


def _method(calendar: str) -> str:
    for line in calendar.splitlines():
        if line.upper().startswith("METHOD:"):
            return line.split(":", 1)[1].strip().upper()
    return "PUBLISH"


def email_of(message: Message) -> EmailMessage:
    if not message.calendar:
        return EmailMessage(
            subject=message.subject, body=message.body, to=[message.to], headers=message.headers
        )
    # An invitation as calendar programs expect it (RFC 6047): the text, the same iTIP object
    # as a text/calendar alternative naming its method (Outlook and Gmail show their
    # accept/decline buttons from it), and as an .ics attachment for the programs that only
    # open attachments.
    method = _method(message.calendar)
    email = EmailMultiAlternatives(
        subject=message.subject, body=message.body, to=[message.to], headers=message.headers
    )
    email.attach_alternative(message.calendar, f"text/calendar; method={method}")
    attachment = MIMEBase("application", "ics")
    attachment.set_payload(message.calendar.encode())
    encoders.encode_base64(attachment)
    attachment.add_header("Content-Disposition", "attachment", filename="invite.ics")
    email.attach(attachment)
    return email


def hand_over(connection: Any, email: EmailMessage) -> None:
    """The edge where a message leaves Cadre (tests replace it to simulate a failure)."""
    connection.send_messages([email])


def _sent(message: Message, by: str) -> None:
    Message.objects.filter(pk=message.pk, claimed_by=by, status=Status.SENDING).update(
        status=Status.SENT, sent_at=timezone.now(), last_error=""
    )


def _failed(message: Message, by: str, error: BaseException) -> None:
    reason = f"{type(error).__name__}: {error}"[:1000]
    mine = Message.objects.filter(pk=message.pk, claimed_by=by, status=Status.SENDING)
    if message.attempts >= MAX_ATTEMPTS:
        mine.update(status=Status.FAILED, last_error=reason, claimed_by="")
        logger.error("Gave up on message %s to %s: %s", message.pk, message.to, reason)
    else:
        wait = backoff(message.attempts)
        mine.update(
            status=Status.QUEUED,
            next_attempt_at=timezone.now() + wait,
            last_error=reason,
            claimed_by="",
        )
        logger.warning(
            "Could not send message %s to %s (%s); retrying in %s",
            message.pk,
            message.to,
            reason,
            wait,
        )


def _release(messages: list[Message], by: str) -> None:
    """Give back claimed messages that were not tried, without counting an attempt."""
    Message.objects.filter(
        pk__in=[m.pk for m in messages], claimed_by=by, status=Status.SENDING
    ).update(status=Status.QUEUED, claimed_by="", attempts=F("attempts") - 1)


def deliver_due(limit: int | None = None) -> int:
    """Send queued messages that are due, until none is left (or `limit` were tried) or the
    mail server fails; returns how many were sent. Never call it inside a transaction."""
    if in_transaction():
        raise InsideTransaction("Messages are sent outside any transaction.")
    by = claimant()
    sent = tried = 0
    connection = None
    try:
        while limit is None or tried < limit:
            batch = claim(timezone.now(), by, BATCH if limit is None else min(BATCH, limit - tried))
            if not batch:
                break
            for index, message in enumerate(batch):
                tried += 1
                try:
                    if connection is None:
                        connection = get_connection()
                        connection.open()
                    hand_over(connection, email_of(message))
                except Exception as error:
                    _failed(message, by, error)
                    _release(batch[index + 1 :], by)
                    return sent
                _sent(message, by)
                sent += 1
    finally:
        if connection is not None:
            try:
                connection.close()
            except Exception:
                logger.warning("Could not close the mail connection cleanly", exc_info=True)
        if sent:
            logger.info("Sent %s messages", sent)
    return sent


def reap(now: datetime | None = None) -> int:
    """Put back in the queue the messages whose sender died while holding them."""
    now = now or timezone.now()
    count = Message.objects.abandoned(now, LEASE).update(
        status=Status.QUEUED, claimed_by="", next_attempt_at=now
    )
    if count:
        logger.warning("Re-queued %s messages whose sending process stopped", count)
    return count


def prune(now: datetime | None = None) -> int:
    """Delete messages sent more than KEEP_SENT ago; returns how many."""
    now = now or timezone.now()
    deleted, _ = Message.objects.filter(status=Status.SENT, sent_at__lt=now - KEEP_SENT).delete()
    return deleted
