"""Is a worker running? Read by /healthz and by the banner network admins see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from .models import Beat

# Longer than any pause of a healthy worker, short enough that reminders are not much late.
QUIET_AFTER = timedelta(minutes=15)


@dataclass(frozen=True)
class WorkerStatus:
    last_beat: datetime | None
    now: datetime

    @property
    def seconds_since(self) -> int | None:
        if self.last_beat is None:
            return None
        return max(0, int((self.now - self.last_beat).total_seconds()))

    @property
    def running(self) -> bool:
        return self.last_beat is not None and self.now - self.last_beat < QUIET_AFTER


def worker_status(now: datetime | None = None) -> WorkerStatus:
    return WorkerStatus(Beat.objects.last_beat(), now or timezone.now())
