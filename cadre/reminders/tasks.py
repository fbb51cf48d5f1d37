"""Background work of reminders: `cadre worker` queues a scan every five minutes; each
reminder is queued once however many scans run, and the outbox sends it."""

from datetime import datetime

from django_tasks import task

from .invitations import sync_all
from .sending import queue_due


@task()
def queue_due_reminders(now: str | None = None) -> int:
    """Queue every reminder due at `now` (ISO 8601; default: the time the task runs) that
    was never queued; returns how many this run queued."""
    return queue_due(datetime.fromisoformat(now) if now else None)


@task()
def sync_invitations() -> int:
    """Send, update and cancel calendar invitations to sessions, coffee groups and mentoring
    pairs (cadre.reminders.invitations); returns how many e-mails it queued. Each e-mail is
    queued once however often this runs."""
    return sync_all()
