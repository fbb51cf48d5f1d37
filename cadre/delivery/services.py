"""Asking for a message to be sent: the one door every part of Cadre uses (reminders,
digests, reports, announcements, invitations, account e-mails).

`queue` writes the message in the caller's transaction, so it exists exactly when the change
it announces was committed, and wakes the worker once that transaction commits. Nothing here
talks to a mail server: cadre.delivery.sending does, outside any transaction."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction

from .models import Message

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Email:
    """One e-mail to queue. `key` names what it is about ("reminder:41", "invitation:7"):
    queueing the same key twice queues one message."""

    key: str
    to: str
    subject: str
    body: str
    user: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    # An iTIP object (text/calendar with a METHOD), sent beside the text: an invitation.
    calendar: str = ""

    def as_message(self) -> Message:
        return Message(
            key=self.key[:200],
            user=self.user if getattr(self.user, "pk", None) else None,
            to=self.to,
            # E-mail headers cannot hold line breaks; a subject is one line.
            subject=" ".join(self.subject.split())[:255],
            body=self.body,
            headers=dict(self.headers),
            calendar=self.calendar,
        )


def queue(email: Email) -> Message | None:
    """Queue `email` to be sent once; None when a message with its key was queued before."""
    message = email.as_message()
    try:
        with transaction.atomic():
            message.save()
    except IntegrityError:
        if Message.objects.filter(key=message.key).exists():
            return None
        raise
    wake_after_commit()
    return message


def queue_many(emails: Iterable[Email], chunk: int = 500) -> int:
    """Queue many e-mails at once (an announcement to a whole round); keys queued before are
    skipped. Returns how many messages were new."""
    pending = {e.key[:200]: e for e in emails}
    added = 0
    keys = list(pending)
    for start in range(0, len(keys), chunk):
        part = keys[start : start + chunk]
        known = set(Message.objects.filter(key__in=part).values_list("key", flat=True))
        rows = [pending[k].as_message() for k in part if k not in known]
        # Another process may have queued some of these since: the database keeps one.
        Message.objects.bulk_create(rows, ignore_conflicts=True)
        added += len(rows)
    if added:
        wake_after_commit()
    return added


def messages_about(keys: Iterable[str]) -> dict[str, Message]:
    """Key -> its message, for the keys that were queued (to show whether each went out)."""
    return {m.key: m for m in Message.objects.filter(key__in=list(keys))}


def _wake() -> None:
    from .tasks import deliver_queued

    try:
        deliver_queued.enqueue()
    except Exception:
        # The worker's periodic sweep sends it anyway, within a minute.
        logger.exception("Could not wake the worker to send queued messages")


def wake_after_commit() -> None:
    """Ask the worker to send what is queued once the current transaction commits (at once
    outside a transaction); one wake per transaction however many messages it queued."""
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        entry[1] is _wake for entry in getattr(connection, "run_on_commit", [])
    ):
        return
    transaction.on_commit(_wake)
