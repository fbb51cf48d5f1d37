"""Metrics Cadre computes itself from what the cohort already records, week by week:
attendance, commitment follow-through, experiments completed, help offered and how long a
blocker waits for its first offer, peer-coaching sessions held, and reuse of the cohort's
repository items. Attendance, follow-through and offers of help are the figures of
cadre.metrics.figures, counted a week at a time with the same querysets.

Each function costs one aggregate query (grouped by week in SQL) whatever the data size.
Only cohort-visible commitments, experiments and blockers are counted: a member's private
items stay out of the cohort's numbers."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cadre.accountability.models import Blocker, Experiment, Outcome, Visibility
from cadre.cohorts.models import Cohort
from cadre.lib.number_filter import number_filter
from cadre.lib.numbers import percent
from cadre.repository.models import Reuse

from . import figures

WEEKS = 26


@dataclass
class BuiltinSeries:
    key: str
    name: str  # in the language that was active when the series was counted
    unit: str  # "%" or a plural English word ("hours"); `amount` writes it in the reader's
    higher_is_better: bool
    # (Monday of the week, value or None when the week has nothing to measure)
    points: list[tuple[date, float | None]]

    @property
    def latest(self) -> float | None:
        values = [v for _, v in self.points if v is not None]
        return values[-1] if values else None

    @property
    def latest_week(self) -> tuple[date, float] | None:
        """The last week with something to measure, and its value."""
        found = [(w, v) for w, v in self.points if v is not None]
        return found[-1] if found else None


def amount(value: float | int | Decimal | None, unit: str) -> str:
    """`value` with its unit in the active language: "3.5 hours", "1 Treffen", "46,4%"."""
    if value is None or unit == "%" or unit not in UNIT_WORDS:
        return number_filter(value, unit)
    # A fractional amount takes the plural in English, Spanish and German alike ("1.5 hours").
    count = int(value) if float(value).is_integer() else 2
    return UNIT_WORDS[unit](count) % {"amount": number_filter(value)}


def unit_name(unit: str) -> str:
    """The unit as a chart's axis names it, in the active language."""
    return UNIT_WORDS[unit](2).replace("%(amount)s", "").strip() if unit in UNIT_WORDS else unit


UNIT_WORDS: dict[str, Callable[[int], str]] = {
    "experiments": lambda n: ngettext("%(amount)s experiment", "%(amount)s experiments", n),
    "offers": lambda n: ngettext("%(amount)s offer", "%(amount)s offers", n),
    "hours": lambda n: ngettext("%(amount)s hour", "%(amount)s hours", n),
    "reuses": lambda n: ngettext("%(amount)s reuse", "%(amount)s reuses", n),
    "sessions": lambda n: ngettext("%(amount)s session", "%(amount)s sessions", n),
    "meetings": lambda n: ngettext("%(amount)s meeting", "%(amount)s meetings", n),
}


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


def attendance_rate(
    cohort: Cohort, weeks: list[date], now: datetime | None = None
) -> BuiltinSeries:
    """Attendance (cadre.metrics.figures.ATTENDANCE) week by week: of the present and absent
    marks on the held sessions that started that week (up to now), the share present (%)."""
    rows = (
        figures.attendance_marks([cohort.pk])
        .filter(
            session__starts_at__gte=_since(weeks), session__starts_at__lte=now or timezone.now()
        )
        .annotate(week=TruncWeek("session__starts_at"))
        .values("week")
        .annotate(marks=Count("pk"), present=Count("pk", filter=figures.PRESENT))
    )
    by_week = {_as_date(r["week"]): percent(r["present"], r["marks"]) for r in rows}
    return BuiltinSeries(
        "attendance",
        str(figures.ATTENDANCE.name),
        figures.ATTENDANCE.unit,
        True,
        [(w, by_week.get(w)) for w in weeks],
    )


def follow_through(cohort: Cohort, weeks: list[date], today: date | None = None) -> BuiltinSeries:
    """Follow-through (cadre.metrics.figures.FOLLOW_THROUGH) by the week commitments fell
    due: of those due (up to today, dropped ones left out), the share done (%)."""
    return follow_through_of(follow_through_counts(cohort, weeks, today), weeks)


def follow_through_of(counts: dict[date, tuple[int, int]], weeks: list[date]) -> BuiltinSeries:
    """The follow-through series from its counts (`follow_through_counts` over `weeks`)."""
    by_week = {w: percent(done, due) for w, (done, due) in counts.items()}
    return BuiltinSeries(
        "follow-through",
        str(figures.FOLLOW_THROUGH.name),
        figures.FOLLOW_THROUGH.unit,
        True,
        [(w, by_week.get(w)) for w in weeks],
    )


def follow_through_counts(
    cohort: Cohort, weeks: list[date], today: date | None = None
) -> dict[date, tuple[int, int]]:
    """week -> (done, due): the numbers behind the follow-through bars."""
    today = today or timezone.localdate()
    rows = (
        figures.due_commitments([cohort.pk], today)
        .filter(due_on__gte=weeks[0])
        .annotate(week=TruncWeek("due_on"))
        .values("week")
        .annotate(due=Count("pk"), done=Count("pk", filter=figures.DONE))
    )
    return {_as_date(r["week"]): (r["done"], r["due"]) for r in rows}


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
        _("Experiments completed"),
        "experiments",
        True,
        [(w, float(by_week.get(w, 0))) for w in weeks],
    )


def _cohort_blockers(cohort: Cohort) -> Q:
    return Q(update__cohort=cohort) & (
        Q(update__commitment__isnull=True) | Q(update__commitment__visibility=Visibility.COHORT)
    )


def help_offered(cohort: Cohort, weeks: list[date]) -> BuiltinSeries:
    """Offers of help (cadre.metrics.figures.HELP_OFFERED) made each week."""
    found = figures.help_offers([cohort.pk]).filter(created_at__gte=_since(weeks))
    by_week = _weekly_count(found, "created_at", weeks)
    return BuiltinSeries(
        "help-offered",
        str(figures.HELP_OFFERED.name),
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
        assert offered is not None, "the query keeps only blockers with an offer"
        waits[monday(timezone.localtime(created).date())].append(
            (offered - created).total_seconds() / 3600
        )
    return BuiltinSeries(
        "time-to-first-offer",
        _("Median time to first offer of help"),
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
        _("Reuse of the cohort’s repository items"),
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
        _("Coaching sessions held"),
        "sessions",
        True,
        [(w, float(by_week.get(w, 0))) for w in weeks],
    )


def meetings_held(cohort: Cohort, weeks: list[date]) -> BuiltinSeries:
    """Meetings that happened: the cohort's coaching groups and the coffees and mentor
    matches its members were in, where someone answered "we met" (cadre.pairings.figures, the one
    definition), by the week of the first such answer."""
    from cadre.pairings.figures import happened_at
    from cadre.pairings.models import MeetingCheck

    members = cohort.memberships.active().values("user_id")
    theirs = MeetingCheck.objects.filter(network=cohort.network_id, user__in=members)
    # Every check of a pairing one of the cohort's people was in: a pairing happened when
    # anyone of it said so, whichever cohort they are in.
    checks = MeetingCheck.objects.filter(
        Q(cohort=cohort)
        | Q(coffee_group__in=theirs.values("coffee_group"))
        | Q(mentor_match__in=theirs.values("mentor_match")),
        answered_at__gte=_since(weeks),
    )
    by_week: dict[date, int] = defaultdict(int)
    for at in happened_at(checks):
        by_week[monday(_as_date(at))] += 1
    return BuiltinSeries(
        "meetings",
        _("Meetings that happened"),
        "meetings",
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
    "meetings": meetings_held,
}


def all_builtins(cohort: Cohort, today: date | None = None) -> list[BuiltinSeries]:
    """Every built-in metric of the cohort over the last WEEKS weeks (one query each)."""
    weeks = week_range(today)
    return [compute(cohort, weeks) for compute in BUILTINS.values()]


def all_builtins_with_counts(
    cohort: Cohort, today: date | None = None
) -> tuple[list[BuiltinSeries], dict[date, tuple[int, int]]]:
    """`all_builtins`, and the follow-through counts its series was worked out from (week ->
    (done, due), over its WEEKS weeks), for the page that also draws them as bars: one query
    for both."""
    weeks = week_range(today)
    counts = follow_through_counts(cohort, weeks)
    return [
        follow_through_of(counts, weeks) if key == "follow-through" else compute(cohort, weeks)
        for key, compute in BUILTINS.items()
    ], counts


ACROSS_PAGE = 25  # cohorts a page of the network metrics page lists
ACROSS_LOWEST = 10  # cohorts its chart shows


def _lowest_first(value: float | None, name: str) -> tuple[bool, float, str]:
    """The order across cohorts: lowest follow-through first (where drift shows), cohorts with
    nothing due last, then by name."""
    return (value is None, float(value or 0), name)


def _active_cohorts(network: Any) -> Any:
    from cadre.cohorts.models import CohortStatus

    return Cohort.objects.filter(network=network, status=CohortStatus.ACTIVE)


def across_cohorts(
    network: Any, window: figures.Window = figures.RECENT, now: datetime | None = None
) -> list[tuple[Cohort, figures.CohortFigures]]:
    """Every active cohort of `network` with its figures over `window`, in the order of
    `_lowest_first`: the CSV file of all of them. Six queries however many cohorts (the page
    lists them a page at a time: `across_page`)."""
    cohorts = list(_active_cohorts(network).select_related("network"))
    found = figures.for_cohorts([c.pk for c in cohorts], window, now)
    rows = [(c, found[c.pk]) for c in cohorts]
    return sorted(rows, key=lambda row: _lowest_first(row[1].follow_through.value, row[0].name))


@dataclass
class Across:
    """One page of the active cohorts in the order of `_lowest_first`, each with its figures;
    the cohorts with the lowest follow-through (the chart's); and every active cohort's
    figures taken together."""

    page: Page  # of cohort ids; `rows` are its cohorts
    rows: list[tuple[Cohort, figures.CohortFigures]]
    lowest: list[tuple[Cohort, figures.CohortFigures]]
    total: figures.CohortFigures

    @property
    def count(self) -> int:
        return self.page.paginator.count


def across_page(
    network: Any,
    number: Any = 1,
    per_page: int | None = None,
    window: figures.Window = figures.RECENT,
    now: datetime | None = None,
) -> Across:
    """Page `number` (Paginator.get_page's reading: a bad or missing number is the first page,
    one past the end the last) of the active cohorts of `network`. The order needs each
    cohort's follow-through, read as two numbers per cohort (`figures.follow_through_parts`);
    everything else is worked out for the page's cohorts and the chart's only, and the totals
    in queries of one row each: a bounded number of queries (at most 20), and objects built
    for at most per_page + ACROSS_LOWEST cohorts, however many the network has."""
    now = now or timezone.now()
    active = _active_cohorts(network)
    names = dict(active.values_list("pk", "name"))
    every = figures.CohortIds(names, active.values("pk"))
    parts = figures.follow_through_parts(every, window, now)
    order = sorted(names, key=lambda pk: _lowest_first(percent(*parts[pk]), names[pk]))
    page = Paginator(order, per_page or ACROSS_PAGE).get_page(number)
    lowest = [pk for pk in order[:ACROSS_LOWEST] if parts[pk][1]]
    shown = [*page.object_list, *(pk for pk in lowest if pk not in page.object_list)]
    cohorts = Cohort.objects.select_related("network").in_bulk(shown)
    found = figures.for_cohorts(shown, window, now)
    return Across(
        page=page,
        rows=[(cohorts[pk], found[pk]) for pk in page.object_list],
        lowest=[(cohorts[pk], found[pk]) for pk in lowest],
        total=figures.together(every, window, now),
    )
