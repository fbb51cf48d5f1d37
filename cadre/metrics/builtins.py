"""Metrics Cadre computes itself from what the cohort already records, week by week:
attendance, commitment follow-through, experiments completed, help offered and how long a
blocker waits for its first offer, peer-coaching sessions held, and reuse of the cohort's
repository items.

Each function costs one aggregate query (grouped by week in SQL) whatever the data size.
Only cohort-visible commitments, experiments and blockers are counted: a member's private
items stay out of the cohort's numbers."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, F, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from cadre.accountability.models import (
    Blocker,
    Commitment,
    CommitmentStatus,
    Experiment,
    HelpOffer,
    Outcome,
    Visibility,
)
from cadre.cohorts.models import Cohort
from cadre.repository.models import Reuse
from cadre.schedule.models import Attendance, AttendanceStatus

WEEKS = 26


@dataclass
class BuiltinSeries:
    key: str
    name: str
    unit: str
    higher_is_better: bool
    # (Monday of the week, value or None when the week has nothing to measure)
    points: list[tuple[date, float | None]]

    @property
    def latest(self) -> float | None:
        values = [v for _, v in self.points if v is not None]
        return values[-1] if values else None


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_range(today: date | None = None, weeks: int = WEEKS) -> list[date]:
    """The Mondays of the last `weeks` weeks, this week last."""
    this = monday(today or timezone.localdate())
    return [this - timedelta(weeks=weeks - 1 - i) for i in range(weeks)]


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _since(weeks: list[date]) -> datetime:
    """The start of the first week, as an aware datetime: comparing a datetime column with it
    uses its index, where `__date__gte` would convert every row first."""
    return _start_of(weeks[0])


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def attendance_rate(cohort: Cohort, weeks: list[date]) -> BuiltinSeries:
    """Share of recorded attendance marked present, by the week the session started (%)."""
    rows = (
        Attendance.objects.filter(
            session__cohort=cohort,
            session__cancelled=False,
            session__starts_at__gte=_since(weeks),
        )
        .annotate(week=TruncWeek("session__starts_at"))
        .values("week")
        .annotate(total=Count("pk"), present=Count("pk", filter=Q(status=AttendanceStatus.PRESENT)))
    )
    by_week = {_as_date(r["week"]): 100 * r["present"] / r["total"] for r in rows if r["total"]}
    return BuiltinSeries(
        "attendance", "Attendance rate", "%", True, [(w, by_week.get(w)) for w in weeks]
    )


def follow_through(cohort: Cohort, weeks: list[date], today: date | None = None) -> BuiltinSeries:
    """Of the commitments due in a week (up to today), the share done on or before the due
    date (%). Dropped commitments are not counted as due."""
    counts = follow_through_counts(cohort, weeks, today)
    by_week = {w: 100 * done / due for w, (done, due) in counts.items() if due}
    return BuiltinSeries(
        "follow-through",
        "Commitments done on time",
        "%",
        True,
        [(w, by_week.get(w)) for w in weeks],
    )


def follow_through_counts(
    cohort: Cohort, weeks: list[date], today: date | None = None
) -> dict[date, tuple[int, int]]:
    """week -> (done on time, due): the numbers behind the follow-through bars."""
    today = today or timezone.localdate()
    rows = (
        Commitment.objects.filter(
            cohort=cohort,
            visibility=Visibility.COHORT,
            due_on__gte=_since(weeks),
            due_on__lte=today,
        )
        .exclude(status=CommitmentStatus.DROPPED)
        .annotate(week=TruncWeek("due_on"))
        .values("week")
        .annotate(
            due=Count("pk"),
            on_time=Count(
                "pk",
                filter=Q(status=CommitmentStatus.DONE, completed_at__date__lte=F("due_on")),
            ),
        )
    )
    return {_as_date(r["week"]): (r["on_time"], r["due"]) for r in rows}


def _weekly_count(queryset: Any, field: str, weeks: list[date]) -> dict[date, int]:
    rows = queryset.annotate(week=TruncWeek(field)).values("week").annotate(n=Count("pk"))
    return {_as_date(r["week"]): r["n"] for r in rows}


def experiments_completed(cohort: Cohort, weeks: list[date]) -> BuiltinSeries:
    """Experiments closed (succeeded, failed or inconclusive: failed ones count), by the
    week they ended."""
    found = Experiment.objects.filter(
        cohort=cohort, visibility=Visibility.COHORT, ends_on__gte=_since(weeks)
    ).exclude(outcome=Outcome.RUNNING)
    by_week = _weekly_count(found, "ends_on", weeks)
    return BuiltinSeries(
        "experiments",
        "Experiments completed",
        "experiments",
        True,
        [(w, float(by_week.get(w, 0))) for w in weeks],
    )


def _cohort_blockers(cohort: Cohort) -> Q:
    return Q(update__cohort=cohort) & (
        Q(update__commitment__isnull=True) | Q(update__commitment__visibility=Visibility.COHORT)
    )


def help_offered(cohort: Cohort, weeks: list[date]) -> BuiltinSeries:
    """Offers of help made on the cohort's blockers, by week."""
    found = HelpOffer.objects.filter(
        Q(blocker__update__cohort=cohort)
        & (
            Q(blocker__update__commitment__isnull=True)
            | Q(blocker__update__commitment__visibility=Visibility.COHORT)
        ),
        created_at__gte=_since(weeks),
    )
    by_week = _weekly_count(found, "created_at", weeks)
    return BuiltinSeries(
        "help-offered",
        "Offers of help",
        "offers",
        True,
        [(w, float(by_week.get(w, 0))) for w in weeks],
    )


def time_to_first_offer(cohort: Cohort, weeks: list[date]) -> BuiltinSeries:
    """Median hours from a blocker being posted to its first offer of help, by the week the
    blocker was posted. Median is not portable SQL, so one query fetches the pairs and the
    median is taken here."""
    pairs = Blocker.objects.filter(
        _cohort_blockers(cohort),
        first_offer_at__isnull=False,
        created_at__gte=_since(weeks),
    ).values_list("created_at", "first_offer_at")
    waits: dict[date, list[float]] = defaultdict(list)
    for created, offered in pairs:
        waits[monday(timezone.localtime(created).date())].append(
            (offered - created).total_seconds() / 3600
        )
    return BuiltinSeries(
        "time-to-first-offer",
        "Median time to first offer of help",
        "hours",
        False,
        [(w, statistics.median(waits[w]) if waits.get(w) else None) for w in weeks],
    )


def repository_reuse(cohort: Cohort, weeks: list[date]) -> BuiltinSeries:
    """Times the repository items that came from this cohort were reused, by week."""
    found = Reuse.objects.filter(item__origin_cohort=cohort, created_at__gte=_since(weeks))
    by_week = _weekly_count(found, "created_at", weeks)
    return BuiltinSeries(
        "reuse",
        "Reuse of the cohort’s repository items",
        "reuses",
        True,
        [(w, float(by_week.get(w, 0))) for w in weeks],
    )


def coaching_sessions(cohort: Cohort, weeks: list[date]) -> BuiltinSeries:
    """Peer-coaching sessions opened in the cohort, by the week they were opened (a count
    only: what was said stays with the people in the session)."""
    from cadre.coaching.models import CoachingSession

    found = CoachingSession.objects.filter(cohort=cohort, created_at__gte=_since(weeks))
    by_week = _weekly_count(found, "created_at", weeks)
    return BuiltinSeries(
        "coaching",
        "Coaching sessions held",
        "sessions",
        True,
        [(w, float(by_week.get(w, 0))) for w in weeks],
    )


BUILTINS: dict[str, Callable[[Cohort, list[date]], BuiltinSeries]] = {
    "attendance": attendance_rate,
    "follow-through": follow_through,
    "experiments": experiments_completed,
    "help-offered": help_offered,
    "time-to-first-offer": time_to_first_offer,
    "reuse": repository_reuse,
    "coaching": coaching_sessions,
}


def all_builtins(cohort: Cohort, today: date | None = None) -> list[BuiltinSeries]:
    """Every built-in metric of the cohort over the last WEEKS weeks (one query each)."""
    weeks = week_range(today)
    return [compute(cohort, weeks) for compute in BUILTINS.values()]


@dataclass
class CohortSnapshot:
    cohort: Cohort
    attendance: float | None  # % present of recorded, over the period
    follow_through: float | None  # % of due commitments done on time
    due: int


def across_cohorts(network: Any, weeks: int = 4, today: date | None = None) -> list[CohortSnapshot]:
    """Attendance and follow-through of every active cohort of `network` over the last
    `weeks` weeks, lowest follow-through first (where drift shows). Three queries however
    many cohorts."""
    from cadre.cohorts.models import CohortStatus

    today = today or timezone.localdate()
    since = monday(today) - timedelta(weeks=weeks - 1)
    cohorts = list(
        Cohort.objects.filter(network=network, status=CohortStatus.ACTIVE).select_related("network")
    )
    attendance = {
        r["session__cohort_id"]: 100 * r["present"] / r["total"]
        for r in Attendance.objects.filter(
            session__cohort__in=cohorts,
            session__cancelled=False,
            session__starts_at__gte=_start_of(since),
        )
        .values("session__cohort_id")
        .annotate(total=Count("pk"), present=Count("pk", filter=Q(status=AttendanceStatus.PRESENT)))
        if r["total"]
    }
    commitments = {
        r["cohort_id"]: (r["on_time"], r["due"])
        for r in Commitment.objects.filter(
            cohort__in=cohorts,
            visibility=Visibility.COHORT,
            due_on__gte=since,
            due_on__lte=today,
        )
        .exclude(status=CommitmentStatus.DROPPED)
        .values("cohort_id")
        .annotate(
            due=Count("pk"),
            on_time=Count(
                "pk",
                filter=Q(status=CommitmentStatus.DONE, completed_at__date__lte=F("due_on")),
            ),
        )
    }
    rows = []
    for cohort in cohorts:
        on_time, due = commitments.get(cohort.pk, (0, 0))
        rows.append(
            CohortSnapshot(
                cohort, attendance.get(cohort.pk), 100 * on_time / due if due else None, due
            )
        )
    rows.sort(key=lambda r: (r.follow_through is None, r.follow_through or 0, r.cohort.name))
    return rows
