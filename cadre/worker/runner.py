"""The parts of `cadre worker` besides running tasks: the heartbeat, queueing periodic jobs
and reaping what dead processes left behind. They run in a thread beside django-tasks'
database worker (the command) or once, in order, for `cadre worker --batch`."""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import datetime, timedelta

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone
from django.utils.crypto import get_random_string

from cadre.chat.sending import reap as reap_chat
from cadre.delivery.sending import reap as reap_messages
from cadre.webhooks.sending import reap as reap_webhooks

from .jobs import queue_due_jobs
from .models import Beat
from .reaper import reap_tasks

logger = logging.getLogger(__name__)

# Seconds between heartbeats and looks at the periodic jobs (5), and how often each worker
# reaps (a minute); settings, so that a test of killed workers can shorten them.
TICK = float(settings.CADRE_WORKER_BEAT_SECONDS)
REAP_EVERY = timedelta(seconds=settings.CADRE_WORKER_REAP_SECONDS)


def new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(8)}"


def beat(worker_id: str, now: datetime | None = None) -> None:
    """Record that worker `worker_id` is alive."""
    now = now or timezone.now()
    updated = Beat.objects.filter(worker_id=worker_id).update(beat_at=now, stopped_at=None)
    if not updated:
        Beat.objects.create(
            worker_id=worker_id,
            hostname=socket.gethostname()[:255],
            pid=os.getpid(),
            started_at=now,
            beat_at=now,
        )


def stopped(worker_id: str) -> None:
    """Record that worker `worker_id` stopped: tasks it still held are reaped at once."""
    Beat.objects.filter(worker_id=worker_id).update(stopped_at=timezone.now())


def reap(now: datetime | None = None) -> None:
    # The messages, webhooks and chat notices a dead process held go back to their queues
    # first, so that the tasks queued again below find them there.
    reap_messages(now)
    reap_webhooks(now)
    reap_chat(now)
    reap_tasks(now)


class Ticker(threading.Thread):
    """Beats, queues due periodic jobs and reaps, every TICK seconds until stopped."""

    def __init__(self, worker_id: str, tick: float = TICK) -> None:
        super().__init__(name="cadre-worker-ticker", daemon=True)
        self.worker_id = worker_id
        self.tick = tick
        self.halt = threading.Event()
        self.last_reap: datetime | None = None

    def once(self, now: datetime | None = None) -> None:
        now = now or timezone.now()
        beat(self.worker_id, now)
        queued = queue_due_jobs(now)
        if queued:
            logger.debug("Queued %s", ", ".join(queued))
        if self.last_reap is None or now - self.last_reap >= REAP_EVERY:
            self.last_reap = now
            reap(now)

    def run(self) -> None:
        while not self.halt.is_set():
            try:
                self.once()
            except Exception:
                # A database hiccup must not stop the heartbeat for good: try again next tick.
                logger.exception("The worker's periodic tick failed")
            finally:
                close_old_connections()
            self.halt.wait(self.tick)

    def stop(self) -> None:
        self.halt.set()
        self.join(timeout=self.tick + 5)
