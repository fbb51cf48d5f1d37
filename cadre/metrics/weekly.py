"""The stored weekly counts behind the cohort figures (CohortWeek, derived data): written here,
read by cadre.metrics.figures for the complete weeks inside a window.

- `refresh` rewrites the weeks of some cohorts from the facts, counting with the figures' own
  querysets (`attendance_marks`, `due_commitments`, `help_offers`) grouped by week, so there is
  one definition of each figure: the stored rows are that definition counted a week at a time.
- `mark_changed` is called when facts of cohorts change (cadre.health.changes sees every save
  and delete of them and calls it once per transaction, after it commits): a marked cohort is
  counted live by the figures until its weeks are written again.
- `refresh_due`, run by the worker every five minutes (cadre.metrics.tasks), writes the weeks
  of the cohorts that are marked, never written, behind by a week that has ended since, or
  written more than a day ago (the backstop for writes the signals do not see: queryset
  `update()`, `bulk_create`, raw SQL).

Until a cohort's weeks are written its figures are counted live: the numbers are the same,
only slower."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.db.models.functions import TruncWeek
from django.utils import timezone

from cadre.cohorts.models import Cohort

from . import figures
from .models import CohortWeek, CohortWeeks

BATCH = 200
MAX_AGE = timedelta(days=1)


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def counts(cohort_ids: list[int], through: date) -> dict[tuple[int, date], dict[str, int]]:
    """(cohort id, Monday) -> the counts of that complete week, for the weeks before
    `through`; three queries for any number of cohorts."""
    before = figures.start_of(through)
    found: dict[tuple[int, date], dict[str, int]] = defaultdict(dict)
    marks = (
        figures.attendance_marks(cohort_ids)
        .filter(session__starts_at__lt=before)
        .annotate(week=TruncWeek("session__starts_at"))
        .values("session__cohort_id", "week")
        .annotate(marks=Count("pk"), present=Count("pk", filter=figures.PRESENT))
    )
    for r in marks:
        row = found[(r["session__cohort_id"], _as_date(r["week"]))]
        row.update(marks=r["marks"], present=r["present"])
    # Every day of a complete week is today or earlier: `due_commitments` keeps them all.
    due = (
        figures.due_commitments(cohort_ids, through)
        .filter(due_on__lt=through)
        .annotate(week=TruncWeek("due_on"))
        .values("cohort_id", "week")
        .annotate(due=Count("pk"), done=Count("pk", filter=figures.DONE))
    )
    for r in due:
        found[(r["cohort_id"], _as_date(r["week"]))].update(due=r["due"], done=r["done"])
    offers = (
        figures.help_offers(cohort_ids)
        .filter(created_at__lt=before)
        .annotate(week=TruncWeek("created_at"))
        .values("blocker__update__cohort_id", "week")
        .annotate(offers=Count("pk"))
    )
    for r in offers:
        found[(r["blocker__update__cohort_id"], _as_date(r["week"]))]["offers"] = r["offers"]
    return found


def refresh(cohort_ids: Iterable[int], now: datetime | None = None) -> int:
    """Rewrite the stored weeks of `cohort_ids` (every complete week up to now); returns how
    many cohorts. Running it twice gives the same rows."""
    now = now or timezone.now()
    through = figures.monday(timezone.localdate(now))
    ids = sorted(set(cohort_ids))
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        # The marker rows exist before the facts are read, so a change committed while this
        # runs marks them and survives (only marks up to `now` are cleared below).
        CohortWeeks.objects.bulk_create(
            [CohortWeeks(cohort_id=pk) for pk in batch], ignore_conflicts=True
        )
        rows = [
            CohortWeek(cohort_id=pk, week=week, **values)
            for (pk, week), values in counts(batch, through).items()
        ]
        with transaction.atomic():
            CohortWeek.objects.filter(cohort_id__in=batch).delete()
            CohortWeek.objects.bulk_create(rows, batch_size=1000)
            CohortWeeks.objects.filter(cohort_id__in=batch).update(through=through, computed_at=now)
            CohortWeeks.objects.filter(cohort_id__in=batch, changed_at__lte=now).update(
                changed_at=None
            )
    return len(ids)


def mark_changed(
    cohort_ids: Iterable[int], *, now: datetime | None = None, using: str = "default"
) -> int:
    """The facts of `cohort_ids` changed: count them live until their weeks are rewritten.
    One query."""
    ids = list(cohort_ids)
    if not ids:
        return 0
    return (
        CohortWeeks.objects.using(using)
        .filter(cohort_id__in=ids)
        .update(changed_at=now or timezone.now())
    )


def due(now: datetime | None = None) -> list[int]:
    """The cohorts whose stored weeks should be written: marked changed, never written,
    missing a week that has ended, or written more than MAX_AGE ago. One query."""
    now = now or timezone.now()
    current = CohortWeeks.objects.filter(
        through__gte=figures.monday(timezone.localdate(now)),
        changed_at__isnull=True,
        computed_at__gte=now - MAX_AGE,
    )
    return list(
        Cohort.objects.exclude(pk__in=current.values("cohort_id"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def refresh_due(now: datetime | None = None) -> int:
    """Rewrite the weeks of every cohort `due` says; returns how many."""
    now = now or timezone.now()
    return refresh(due(now), now)
