"""Background work of delivery: `deliver_queued` is enqueued when a transaction that queued
messages commits, and by `cadre worker` every minute for retries that came due."""

from django_tasks import task

from .sending import deliver_due


@task()
def deliver_queued() -> int:
    """Send every queued message whose time has come; returns how many were sent."""
    return deliver_due()
