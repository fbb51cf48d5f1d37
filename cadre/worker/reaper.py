"""Tasks whose worker died. django-tasks' database backend marks a task RUNNING when a worker
claims it and nothing else: if that worker is killed, the task would stay RUNNING for ever.
`cadre worker` beats (cadre.worker.models.Beat); here, a task whose worker stopped or fell
silent is either queued again, when it is safe to run twice, or failed with the reason.

Every task of Cadre is listed in POLICIES, and a test fails when one is missing, so a new
task is classified on purpose."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cadre.chat.tasks import queue_session_notices, send_chat
from cadre.delivery.tasks import deliver_queued
from cadre.formation.proposals import give_up_run
from cadre.formation.tasks import announce_publication, run_formation
from cadre.health.tasks import (
    refresh_changed_health,
    refresh_network_health,
    refresh_stale_health,
)
from cadre.metrics.tasks import refresh_weekly_figures
from cadre.pairings.tasks import ask_due_meeting_checks
from cadre.reminders.tasks import queue_due_reminders, sync_invitations
from cadre.rotations.tasks import announce_coffee_round, generate_due_rounds
from cadre.webhooks.tasks import send_webhooks

from .models import Beat
from .tasks import prune_worker_records

logger = logging.getLogger(__name__)

# A task started by a worker that never beat (an old-style `db_worker`) is presumed lost
# after this long; no task of Cadre runs anywhere near it.
UNKNOWN_WORKER_AFTER = timedelta(hours=2)


class WorkerLost(Exception):
    """Recorded as the failure of a task whose worker stopped while running it."""


@dataclass(frozen=True)
class OnAbandon:
    """What to do with a task whose worker died: queue it again up to `retries` times (only
    for tasks that are safe to run twice), then fail it; `give_up(args, reason)` lets the
    task's owner show the failure (a formation run says why it stopped)."""

    retries: int
    give_up: Callable[[list[Any], str], None] | None = None


def _give_up_formation(args: list[Any], reason: str) -> None:
    give_up_run(int(args[0]), reason)


POLICIES: dict[str, OnAbandon] = {
    # Every one of these is idempotent: it rewrites what it computes, or its messages are
    # keyed in the outbox, so running it twice does no harm.
    queue_due_reminders.module_path: OnAbandon(retries=3),
    deliver_queued.module_path: OnAbandon(retries=3),
    send_webhooks.module_path: OnAbandon(retries=3),
    send_chat.module_path: OnAbandon(retries=3),
    queue_session_notices.module_path: OnAbandon(retries=3),
    generate_due_rounds.module_path: OnAbandon(retries=3),
    announce_coffee_round.module_path: OnAbandon(retries=3),
    announce_publication.module_path: OnAbandon(retries=3),
    refresh_stale_health.module_path: OnAbandon(retries=3),
    refresh_changed_health.module_path: OnAbandon(retries=3),
    refresh_network_health.module_path: OnAbandon(retries=3),
    refresh_weekly_figures.module_path: OnAbandon(retries=3),  # rewrites from the facts
    prune_worker_records.module_path: OnAbandon(retries=3),
    ask_due_meeting_checks.module_path: OnAbandon(retries=3),
    sync_invitations.module_path: OnAbandon(retries=3),
    # A formation run starts over from its inputs, once; when that worker is lost too, the
    # run is failed so the organizer sees why rather than a run that never ends.
    run_formation.module_path: OnAbandon(retries=1, give_up=_give_up_formation),
}


def _abandoned(task: DBTaskResult, gone: set[str], known: set[str], now: datetime) -> bool:
    worker = task.worker_ids[-1] if task.worker_ids else ""
    if worker in gone:
        return True
    started = task.started_at or task.enqueued_at
    return worker not in known and started < now - UNKNOWN_WORKER_AFTER


def reap_tasks(now: datetime | None = None) -> tuple[int, int]:
    """Re-queue or fail the RUNNING tasks whose worker is gone; returns (re-queued, failed)."""
    now = now or timezone.now()
    running = list(DBTaskResult.objects.running())
    if not running:
        return 0, 0
    gone = set(Beat.objects.gone(now).values_list("worker_id", flat=True))
    known = set(Beat.objects.values_list("worker_id", flat=True))
    requeued = failed = 0
    for task in running:
        if not _abandoned(task, gone, known, now):
            continue
        policy = POLICIES.get(task.task_path, OnAbandon(retries=0))
        runs = len(task.worker_ids)
        worker = task.worker_ids[-1] if task.worker_ids else "an unknown worker"
        with transaction.atomic():
            still = DBTaskResult.objects.select_for_update().filter(pk=task.pk, status="RUNNING")
            if runs <= policy.retries:
                if still.update(status="READY", started_at=None, run_after=now):
                    requeued += 1
                    logger.warning(
                        "Task %s (%s) lost its worker %s; queued again (run %s of %s)",
                        task.pk,
                        task.task_path,
                        worker,
                        runs + 1,
                        policy.retries + 1,
                    )
                continue
            if not still.exists():
                continue
            reason = f"The worker running this task ({worker}) stopped before it finished" + (
                f", {runs} times; it was not started again."
                if policy.retries
                else "; it is not safe to run twice, so it was not started again."
            )
            task.set_failed(WorkerLost(reason))
            failed += 1
            logger.error("Task %s (%s) failed: %s", task.pk, task.task_path, reason)
            # In the same transaction, so that nobody sees the task failed and what it was
            # doing still running (and a crash here leaves neither half recorded).
            if policy.give_up is not None:
                try:
                    with transaction.atomic():
                        policy.give_up(task.args_kwargs.get("args", []), reason)
                except Exception:
                    logger.exception("Could not record the failure of task %s", task.pk)
    return requeued, failed
