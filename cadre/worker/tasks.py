"""The worker's own housekeeping."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from cadre.chat.services import prune_signatures
from cadre.delivery.sending import prune as prune_messages

from .models import Beat

KEEP_FINISHED = timedelta(days=7)


@task()
def prune_worker_records() -> int:
    """Delete finished task records and stopped workers' heartbeats older than a week (the
    periodic jobs leave a record per run), sent e-mails older than 90 days, and the Slack
    request signatures too old to be replayed. Returns how many task records were deleted."""
    now = timezone.now()
    cutoff = now - KEEP_FINISHED
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    Beat.objects.filter(beat_at__lt=cutoff).delete()
    prune_messages(now)
    prune_signatures(now)
    return deleted
