"""Background work of reminders: `cadre worker` queues a scan every five minutes; each
reminder is queued once however many scans run, and the outbox sends it."""

from datetime import datetime

from django_tasks import task

from .sending import queue_due


@task()
def queue_due_reminders(now: str | None = None) -> int:
    """Queue every reminder due at `now` (ISO 8601; default: the time the task runs) that
    was never queued; returns how many this run queued."""
    return queue_due(datetime.fromisoformat(now) if now else None)
