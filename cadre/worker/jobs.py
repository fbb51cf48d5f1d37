"""The periodic jobs `cadre worker` runs, each a zero-argument task queued every `every`.
Whatever the number of workers, each job is queued once per interval (`PeriodicRun` is the
claim), and not at all while its previous run is still waiting or running."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django_tasks_db.models import DBTaskResult

from cadre.chat.tasks import queue_session_notices, send_chat
from cadre.delivery.tasks import deliver_queued
from cadre.health.tasks import refresh_changed_health, refresh_stale_health
from cadre.metrics.tasks import refresh_weekly_figures
from cadre.pairings.tasks import ask_due_meeting_checks
from cadre.reminders.tasks import queue_due_reminders, sync_invitations
from cadre.rotations.tasks import generate_due_rounds
from cadre.webhooks.tasks import send_webhooks

from .models import PeriodicRun
from .tasks import prune_worker_records


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    task: Any  # a django_tasks Task that takes no arguments

    @property
    def path(self) -> str:
        return str(self.task.module_path)


# In the order a batch run queues them: what queues messages before what sends them.
JOBS: tuple[Job, ...] = (
    Job("queue-reminders", timedelta(minutes=5), queue_due_reminders),
    Job("sync-invitations", timedelta(minutes=5), sync_invitations),
    Job("generate-rounds", timedelta(minutes=15), generate_due_rounds),
    Job("ask-meeting-checks", timedelta(hours=1), ask_due_meeting_checks),
    Job("refresh-changed-health", timedelta(seconds=30), refresh_changed_health),
    Job("refresh-stale-health", timedelta(minutes=10), refresh_stale_health),
    Job("refresh-weekly-figures", timedelta(minutes=5), refresh_weekly_figures),
    Job("deliver-messages", timedelta(minutes=1), deliver_queued),
    Job("send-webhooks", timedelta(minutes=1), send_webhooks),
    Job("queue-chat-session-notices", timedelta(minutes=5), queue_session_notices),
    Job("send-chat", timedelta(minutes=1), send_chat),
    Job("prune-worker-records", timedelta(hours=6), prune_worker_records),
)


def _waiting_or_running(job: Job) -> bool:
    return DBTaskResult.objects.filter(
        Q(status="READY") | Q(status="RUNNING"), task_path=job.path
    ).exists()


def queue_if_due(job: Job, now: datetime) -> bool:
    """Queue `job` when its interval has passed since any worker last queued it; True when
    this call queued it."""
    PeriodicRun.objects.get_or_create(name=job.name)
    with transaction.atomic():
        won = (
            PeriodicRun.objects.filter(name=job.name)
            .filter(Q(last_at__isnull=True) | Q(last_at__lte=now - job.every))
            .update(last_at=now)
        )
        if not won or _waiting_or_running(job):
            return False
        job.task.enqueue()
    return True


def queue_due_jobs(now: datetime) -> list[str]:
    """Queue every job that is due; returns the names queued. One read decides which jobs
    look due, so a tick where none is due writes nothing."""
    last = last_queued()
    looks_due = [job for job in JOBS if (at := last[job.name]) is None or now - at >= job.every]
    return [job.name for job in looks_due if queue_if_due(job, now)]


def queue_all_jobs() -> None:
    """Queue every job now, whatever its interval (`cadre worker --batch`)."""
    for job in JOBS:
        job.task.enqueue()


def last_queued() -> dict[str, datetime | None]:
    """Job name -> when it was last queued by any worker (None: never)."""
    found = dict(PeriodicRun.objects.values_list("name", "last_at"))
    return {job.name: found.get(job.name) for job in JOBS}
