"""Background work of webhooks: `send_webhooks` is enqueued when a transaction that queued
deliveries commits, and by `cadre worker` every minute for retries that came due."""

from django_tasks import task

from .sending import send_due


@task()
def send_webhooks() -> int:
    """Send every webhook delivery whose time has come; returns how many were received."""
    return send_due()
