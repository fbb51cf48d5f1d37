"""Keeping health snapshots current: when the facts a snapshot summarises change, the cohort
is marked changed, and the worker recomputes the marked cohorts a little later.

Why signals rather than calls in each write path: the writes live in the feature apps
(accountability, schedule, cohorts), below health in the layers, so they may not call health;
and they come through many front doors (pages, the API, the admin, commands, chat). Receivers
registered in health's AppConfig see every save and delete of the models below, whichever door
it came through, without any of those apps knowing health exists. What signals do not see
(queryset `.update()` and `bulk_create`, used for future sessions and rotas) is caught by the
hourly refresh of stale snapshots, which stays.

Cheap on the write path, and never a storm:

- a receiver only remembers the cohort (or the row that leads to it) in memory, without a
  query, in a batch its transaction runs once it commits: the marks are written in a fixed
  number of queries however many rows changed (the demo builder or an import saving
  thousands of rows in one transaction makes one mark per cohort); a rollback discards them;
- a mark keeps the time of the first change (`marked_at`) and of the latest (`changed_at`);
  `refresh_changed` recomputes the cohorts whose first change is at least DEBOUNCE old, then
  clears only the marks with no change after it started, so a change that lands while it runs
  is refreshed next time.

The same marks tell cadre.metrics.weekly that a cohort's stored weekly counts are out of date
(its figures are counted live until the worker writes them again)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db import DEFAULT_DB_ALIAS, DatabaseError
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from cadre.lib.commit_batch import CommitBatch, joined_batch
from cadre.metrics import weekly

logger = logging.getLogger(__name__)

# How long after the first change a cohort waits, so a burst of edits is one refresh.
DEBOUNCE = timedelta(seconds=10)


class _Batch(CommitBatch):
    """The rows one transaction changed, by kind, marked as one when it commits."""

    def __init__(self, using: str) -> None:
        self.using = using
        self.kinds: dict[str, set[int]] = {}

    def add(self, kind: str, pk: int) -> None:
        self.kinds.setdefault(kind, set()).add(pk)

    def run(self) -> None:
        kinds, self.kinds = self.kinds, {}
        if kinds:
            cohorts = _cohorts_of(kinds, self.using)
            mark(cohorts, using=self.using)
            # The same facts are behind the stored weekly counts of the figures.
            weekly.mark_changed(cohorts, using=self.using)


def _remember(kind: str, pk: int | None, using: str) -> None:
    if pk is None:
        return
    # Every write of a transaction joins the one batch it runs on commit (no query here).
    batch = joined_batch("health", lambda: _Batch(using), using)
    if batch is not None:
        batch.add(kind, pk)
        return
    batch = _Batch(using)  # autocommit: the write is committed already
    batch.add(kind, pk)
    try:
        batch()
    except DatabaseError:  # the write stands; the hourly refresh catches up
        logger.exception("Could not mark cohort health changed")


def _cohorts_of(kinds: dict[str, set[int]], using: str) -> set[int]:
    from cadre.accountability.models import Blocker, ProgressUpdate
    from cadre.schedule.models import Session

    ids = set(kinds.get("cohort", ()))
    lookups: list[tuple[Any, str, str]] = [
        (Session, "session", "cohort_id"),
        (ProgressUpdate, "update", "cohort_id"),
        (Blocker, "blocker", "update__cohort_id"),
    ]
    for model, kind, field in lookups:
        if kinds.get(kind):
            # A row deleted with its parent finds nothing here: the parent marked the cohort.
            found = model.objects.using(using).filter(pk__in=kinds[kind])
            ids.update(found.values_list(field, flat=True))
    ids.discard(None)
    return ids


def mark(cohort_ids: Iterable[int], *, now: datetime | None = None, using: str = "default") -> int:
    """Mark cohorts changed at `now` (keeping the time of a first change not refreshed yet)."""
    from cadre.cohorts.models import Cohort

    from .models import HealthChange

    now = now or timezone.now()
    # A cohort deleted in the same transaction has gone: no mark for it.
    existing = list(
        Cohort.objects.using(using).filter(pk__in=list(cohort_ids)).values_list("pk", flat=True)
    )
    if not existing:
        return 0
    HealthChange.objects.using(using).bulk_create(
        [HealthChange(cohort_id=pk, marked_at=now, changed_at=now) for pk in existing],
        update_conflicts=True,
        unique_fields=["cohort"],
        update_fields=["changed_at"],
    )
    return len(existing)


def refresh_changed(now: datetime | None = None) -> int:
    """Recompute the snapshots of the running cohorts whose first change is at least
    DEBOUNCE old, and clear their marks unless they changed again meanwhile. Returns how
    many snapshots were recomputed."""
    from . import facts
    from .models import HealthChange

    now = now or timezone.now()
    due = list(
        HealthChange.objects.filter(marked_at__lte=now - DEBOUNCE).values_list(
            "cohort_id", flat=True
        )
    )
    if not due:
        return 0
    done = facts.refresh(facts.tracked_cohorts().filter(pk__in=due), now)
    HealthChange.objects.filter(cohort_id__in=due, changed_at__lte=now).delete()
    return done


# --- the receivers ---------------------------------------------------------------------------

# model label -> (what the row leads to, the attribute holding its id)
WATCHED = {
    "accountability.Commitment": ("cohort", "cohort_id"),
    "accountability.ProgressUpdate": ("cohort", "cohort_id"),
    "accountability.Blocker": ("update", "update_id"),
    "accountability.HelpOffer": ("blocker", "blocker_id"),
    "schedule.Session": ("cohort", "cohort_id"),
    "schedule.Attendance": ("session", "session_id"),
    "schedule.RoleAssignment": ("session", "session_id"),
    "cohorts.CohortMembership": ("cohort", "cohort_id"),
    "cohorts.Charter": ("cohort", "cohort_id"),
}


def _changed(sender: Any, instance: Any, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    if kwargs.get("raw"):  # loading fixtures
        return
    kind, attribute = WATCHED[sender._meta.label]
    _remember(kind, getattr(instance, attribute, None), using)


def connect() -> None:
    """Called once from HealthConfig.ready()."""
    from django.apps import apps

    for label in WATCHED:
        model = apps.get_model(label)
        uid = f"health-changed-{label}"
        post_save.connect(_changed, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=uid + "-delete")
