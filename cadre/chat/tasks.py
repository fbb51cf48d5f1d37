"""Background work of chat: `send_chat` is enqueued when a transaction that queued notices
commits, and by `cadre worker` every minute for retries that came due; `queue_session_notices`
runs every five minutes."""

from django_tasks import task

from . import services
from .sending import send_due


@task()
def send_chat() -> int:
    """Post every chat notice whose time has come; returns how many were posted."""
    return send_due()


@task()
def queue_session_notices() -> int:
    """Queue "starts soon" for the sessions within the lead time of cohorts with a channel."""
    return services.queue_session_notices()
