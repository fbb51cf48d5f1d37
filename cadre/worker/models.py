"""What the background worker leaves in the database: a heartbeat per `cadre worker`
process (for /healthz, the admins' banner and the task reaper) and, per periodic job, when it
was last queued (so several workers queue each job once)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Max, Q
from django.utils import timezone

# A worker beats every few seconds; one silent for this long (2 minutes unless
# CADRE_WORKER_SILENT_SECONDS says otherwise) is gone.
SILENT_AFTER = timedelta(seconds=settings.CADRE_WORKER_SILENT_SECONDS)


class BeatQuerySet(models.QuerySet["Beat"]):
    def gone(self, now: datetime) -> BeatQuerySet:
        """Workers that stopped, or stopped beating."""
        return self.filter(Q(stopped_at__isnull=False) | Q(beat_at__lt=now - SILENT_AFTER))

    def last_beat(self) -> datetime | None:
        """When any worker last showed it was alive."""
        return self.aggregate(last=Max("beat_at"))["last"]


class Beat(models.Model):
    """One `cadre worker` process: it stamps `beat_at` every few seconds while it runs."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    beat_at = models.DateTimeField(default=timezone.now, db_index=True)
    stopped_at = models.DateTimeField(null=True, blank=True)

    objects = BeatQuerySet.as_manager()

    class Meta:
        ordering = ["-beat_at"]

    def __str__(self) -> str:
        return f"worker {self.worker_id} on {self.hostname} (pid {self.pid})"


class PeriodicRun(models.Model):
    """When periodic job `name` was last queued, by any worker."""

    name = models.CharField(max_length=80, primary_key=True)
    last_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} (last queued {self.last_at or 'never'})"
