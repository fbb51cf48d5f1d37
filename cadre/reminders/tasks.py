"""Background work of reminders: `cadre worker` enqueues a scan every few minutes and a
worker runs it; each reminder goes out once however many scans run."""

from datetime import datetime

from django_tasks import task

from .sending import send_due


@task()
def send_due_reminders(now: str | None = None) -> int:
    """Send every reminder due at `now` (ISO 8601; default: the time the task runs) that has
    not been sent; returns how many this run sent."""
    return send_due(datetime.fromisoformat(now) if now else None)
