"""The figures Cadre shows about a cohort, each defined here once, with the window it covers.

| figure | what is counted | shown over |
|---|---|---|
| Attendance | of the attendance marks on the cohort's held (not cancelled) sessions that started in the window, the share marked present; excused marks count in neither part | last 4 weeks |
| Follow-through | of the commitments the cohort can see that fell due in the window (up to today), dropped ones left out, the share marked done | last 4 weeks |
| Offers of help | offers of help made in the window on the blockers the cohort can see | last 4 weeks |
| Active members | people in the cohort today, in any role; those who left are not counted | today |

`RECENT` (the last 4 weeks up to now) is the window of the health pages, the metrics pages,
the member's home and the API; the impact report reads the same figures over the cohort's
whole life (`WHOLE`, "since the start"). Wherever a figure is printed its window is printed
beside it ("Attendance, last 4 weeks: 46.4%"), through `Value.label`.

The weekly built-in metrics (cadre.metrics.builtins) count with the same querysets
(`attendance_marks`, `due_commitments`, `help_offers`), a week at a time. Only what the cohort
itself can see counts: private commitments, and blockers raised about them, stay out.

Each function reads any number of cohorts in one query.

Reading a cohort's whole history on every page would cost more as the history grows, so the
complete weeks are counted once: cadre.metrics.weekly writes each cohort's counts per complete
week (CohortWeek) with the querysets below, and the figures read those rows for the complete
weeks inside a window and count only the rest live (the current week, the partial week a window
starts in, and every week of a cohort whose facts changed since its rows were written). The
sums are the same as counting everything live (cadre/metrics/tests/test_weekly.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models import Value as SqlValue
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadre.accountability.models import Commitment, CommitmentStatus, HelpOffer, Visibility
from cadre.cohorts.models import CohortMembership
from cadre.lib.numbers import percent
from cadre.networks.contributions import NetworkHome
from cadre.schedule.models import Attendance, AttendanceStatus

# --- windows ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """A stretch of time ending `ends_days_ago` days before now: the last `days` days, or
    everything up to then when `days` is None."""

    days: int | None
    name: str | Promise  # printed beside the figure: "last 4 weeks", in the reader's language
    ends_days_ago: int = 0

    def end(self, now: datetime) -> datetime:
        return now - timedelta(days=self.ends_days_ago)

    def start(self, now: datetime) -> datetime | None:
        """The instant the window starts after (exclusive); None for all time."""
        if self.days is None:
            return None
        return self.end(now) - timedelta(days=self.days)

    def before(self) -> Window:
        """The window of the same length just before this one (for "up 5 points" trends)."""
        if self.days is None:
            raise ValueError("A window over all time has nothing before it.")
        return Window(
            self.days,
            format_lazy(gettext_lazy("the {weeks} weeks before"), weeks=self.days // 7),
            self.ends_days_ago + self.days,
        )

    def instants(self, field: str, now: datetime) -> Q:
        """`field` (a date-time) inside the window: after its start, up to its end."""
        start = self.start(now)
        within = Q(**{f"{field}__lte": self.end(now)})
        return within & Q(**{f"{field}__gt": start}) if start is not None else within

    def days_in(self, field: str, now: datetime) -> Q:
        """`field` (a date) on one of the window's days: the day after its start to its end."""
        start = self.start(now)
        within = Q(**{f"{field}__lte": _local_date(self.end(now))})
        return within & Q(**{f"{field}__gt": _local_date(start)}) if start is not None else within


def _local_date(instant: datetime) -> date:
    return timezone.localdate(instant) if timezone.is_aware(instant) else instant.date()


RECENT = Window(28, gettext_lazy("last 4 weeks"))
WHOLE = Window(None, gettext_lazy("since the start"))
TODAY = Window(0, gettext_lazy("today"))


# --- what is counted --------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    key: str
    name: str | Promise  # in the reader's language; CSV files write them in English
    unit: str  # "%" for rates; empty for counts
    definition: str | Promise  # one sentence, for the pages' captions and the API's description
    parts: str | Promise = ""  # how the parts of a rate read: "{part} of {whole} marks present"


ATTENDANCE = Figure(
    "attendance",
    gettext_lazy("Attendance"),
    "%",
    gettext_lazy(
        "Of the attendance marks on the cohort's held sessions that started in the window, the "
        "share marked present; excused marks count in neither part."
    ),
    gettext_lazy("{part} of {whole} marks present"),
)
FOLLOW_THROUGH = Figure(
    "follow_through",
    gettext_lazy("Follow-through"),
    "%",
    gettext_lazy(
        "Of the commitments the cohort can see that fell due in the window (up to today), "
        "dropped ones left out, the share marked done."
    ),
    gettext_lazy("{part} of {whole} due done"),
)
HELP_OFFERED = Figure(
    "help_offered",
    gettext_lazy("Offers of help"),
    "",
    gettext_lazy("Offers of help made in the window on the blockers the cohort can see."),
)
ACTIVE_MEMBERS = Figure(
    "active_members",
    gettext_lazy("Active members"),
    "",
    gettext_lazy("People in the cohort today, in any role; those who left are not counted."),
)
FIGURES = (ATTENDANCE, FOLLOW_THROUGH, HELP_OFFERED, ACTIVE_MEMBERS)


@dataclass(frozen=True)
class Value:
    """One figure of one cohort over one window: per cent (one decimal) for a rate, with the
    counts it was worked out from; a whole number for a count."""

    figure: Figure
    window: Window
    value: float | int | None
    part: int | None = None
    whole: int | None = None

    @property
    def unit(self) -> str:
        return self.figure.unit

    @property
    def count(self) -> int:
        """The value of a count (offers of help, active members): a whole number, never
        missing."""
        assert isinstance(self.value, int), f"{self.figure.name} is not a count"
        return self.value

    @property
    def label(self) -> str:
        """ "Attendance, last 4 weeks"."""
        return _("%(figure)s, %(window)s") % {
            "figure": self.figure.name,
            "window": self.window.name,
        }

    @property
    def parts(self) -> str:
        """ "13 of 28 marks present" for a rate; empty for a count or when nothing counted."""
        if not self.figure.parts or not self.whole:
            return ""
        return str(self.figure.parts).format(part=self.part, whole=self.whole)


@dataclass(frozen=True)
class CohortFigures:
    attendance: Value
    follow_through: Value
    help_offered: Value
    active_members: Value

    def __iter__(self) -> Any:
        return iter((self.attendance, self.follow_through, self.help_offered, self.active_members))


def _rate(figure: Figure, window: Window, part: int, whole: int) -> Value:
    return Value(figure, window, percent(part, whole), part, whole)


class CohortIds(list[int]):
    """Cohort ids that the database can also find by a query (`among`, a QuerySet of the
    cohorts' pk): the queries below match them with it as a subquery, where a list of many ids
    would cost the ORM a step per id. The ids themselves are the list. Made for one request:
    which of their weeks are stored is read once, however many figures are asked about them."""

    def __init__(self, ids: Iterable[int], among: QuerySet[Any]) -> None:
        super().__init__(ids)
        self.among = among
        # Which of their weeks are stored (cohort id -> CohortWeeks.through), once read.
        self.throughs: dict[int, date] | None = None


def _in(cohort_ids: Iterable[int]) -> Any:
    """What a query matches cohort ids with: the subquery of CohortIds, else the ids."""
    return cohort_ids.among if isinstance(cohort_ids, CohortIds) else list(cohort_ids)


def attendance_marks(cohort_ids: Iterable[int]) -> QuerySet[Attendance]:
    """The marks attendance counts: present or absent, on sessions that were not cancelled."""
    return Attendance.objects.filter(
        session__cohort_id__in=_in(cohort_ids),
        session__cancelled=False,
        status__in=[AttendanceStatus.PRESENT, AttendanceStatus.ABSENT],
    )


PRESENT = Q(status=AttendanceStatus.PRESENT)


def due_commitments(cohort_ids: Iterable[int], today: date) -> QuerySet[Commitment]:
    """The commitments follow-through counts: the cohort can see them, they were not dropped,
    and they fell due today or earlier."""
    return Commitment.objects.filter(
        cohort_id__in=_in(cohort_ids),
        visibility=Visibility.COHORT,
        due_on__isnull=False,
        due_on__lte=today,
    ).exclude(status=CommitmentStatus.DROPPED)


DONE = Q(status=CommitmentStatus.DONE)


def help_offers(cohort_ids: Iterable[int], *, by_date: bool = False) -> QuerySet[HelpOffer]:
    """Offers of help on blockers the cohort can see (free-standing updates, or updates about
    commitments the cohort can see).

    `by_date`, for many cohorts over a short window: the same offers, with the cohort matched
    in a form no index serves (its id plus 0), so that the database starts from the window's
    offers (the index on their date) rather than from every update of every cohort, whose
    number grows with the network and its history (SQLite's planner takes the cohort index
    otherwise)."""
    seen = Q(blocker__update__commitment__isnull=True) | Q(
        blocker__update__commitment__visibility=Visibility.COHORT
    )
    if by_date:
        return (
            HelpOffer.objects.alias(offer_cohort=F("blocker__update__cohort_id") + SqlValue(0))
            .filter(seen, offer_cohort__in=_in(cohort_ids))
            .order_by()
        )
    return HelpOffer.objects.filter(seen, blocker__update__cohort_id__in=_in(cohort_ids))


# --- the figures, for many cohorts at once ------------------------------------------------------


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def start_of(day: date) -> datetime:
    """Midnight at the start of `day`, in the current time zone (where weeks start)."""
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


# The complete weeks [first Monday or None for all time, Monday after the last) whose rows
# (CohortWeek) a window may read, per cohort.
Span = tuple[date | None, date]


def complete_weeks(window: Window, now: datetime) -> Span:
    """The complete weeks wholly inside `window`: every instant after its start and up to its
    end, and every day of them among its days. Whatever lies outside them is counted live."""
    hi = monday(_local_date(window.end(now)))
    start = window.start(now)
    return (None if start is None else monday(_local_date(start)) + timedelta(weeks=1), hi)


def _stored_spans(
    ids: list[int], windows: Sequence[Window], now: datetime
) -> list[dict[int, Span]]:
    """For each window: cohort id -> the weeks read from CohortWeek, for the cohorts whose rows
    are current (written, and no fact changed since). One query."""
    from .models import CohortWeeks

    throughs = ids.throughs if isinstance(ids, CohortIds) else None
    if throughs is None:
        current = CohortWeeks.objects.filter(
            cohort_id__in=_in(ids), through__isnull=False, changed_at__isnull=True
        ).values_list("cohort_id", "through")
        throughs = {pk: through for pk, through in current if through is not None}
        if isinstance(ids, CohortIds):  # the same cohorts asked about again: read once
            ids.throughs = throughs
    found = []
    for window in windows:
        lo, hi = complete_weeks(window, now)
        spans = {}
        for pk, through in throughs.items():
            top = min(hi, through)
            if lo is None or lo < top:
                spans[pk] = (lo, top)
        found.append(spans)
    return found


def _in_weeks(field: str, span: Span, instant: bool) -> Q:
    """`field` (a date-time when `instant`, else a date) inside the weeks of `span`."""
    lo, hi = span
    bound = start_of if instant else (lambda day: day)
    inside = Q(**{f"{field}__lt": bound(hi)})
    return inside & Q(**{f"{field}__gte": bound(lo)}) if lo is not None else inside


def _live(
    ids: list[int], group: str, field: str, instant: bool, inside: Q, spans: dict[int, Span]
) -> Q:
    """Inside the window and not in the weeks read from the stored rows."""
    by_span: dict[Span, list[int]] = {}
    for pk in ids:
        if pk in spans:
            by_span.setdefault(spans[pk], []).append(pk)
    every = [pk for pk in ids if pk not in spans]
    if not every and len(by_span) == 1:  # the usual case: every cohort's weeks are stored
        return inside & ~_in_weeks(field, next(iter(by_span)), instant)
    live = Q(**{f"{group}__in": every}) if every else Q(pk__in=[])
    for span, pks in by_span.items():
        live |= Q(**{f"{group}__in": pks}) & ~_in_weeks(field, span, instant)
    return inside & live


# The key of the one row a `total` count returns: every cohort asked about, taken together.
ALL = 0


def _counts(
    found: QuerySet[Any],
    group: str,
    windows: Sequence[Window],
    inside: Callable[[Window], Q],
    hit: Q,
    live: Callable[[int, Q], Q],
    total: bool = False,
) -> list[dict[int, tuple[int, int]]]:
    """For each window: cohort id -> (rows that hit, rows) inside it and outside the weeks read
    from the stored rows, in one query; with `total`, one row (key ALL) for every cohort."""
    counted: dict[str, Any] = {}
    if len(windows) == 1:
        # One window (every page but the health snapshots'): the rows read are the rows
        # counted, so the window is written once, not again in each count, a third of the
        # work of building the query.
        found = found.filter(live(0, inside(windows[0])))
        counted = {"whole0": Count("pk"), "part0": Count("pk", filter=hit) if hit else Count("pk")}
    else:
        any_window = Q(pk__in=[])
        for i, window in enumerate(windows):
            within = live(i, inside(window))
            any_window |= within
            counted[f"whole{i}"] = Count("pk", filter=within)
            counted[f"part{i}"] = Count("pk", filter=within & hit)
        # Only the rows some window counts are read (the windows' bounds let the indexes on
        # (cohort, date) find them), however long the cohorts' history.
        found = found.filter(any_window)
    if total:
        row = found.aggregate(**counted)
        return [{ALL: (row[f"part{i}"], row[f"whole{i}"])} for i in range(len(windows))]
    rows = list(found.values(group).annotate(**counted))
    return [{r[group]: (r[f"part{i}"], r[f"whole{i}"]) for r in rows} for i in range(len(windows))]


STORED = ("marks", "present", "due", "done", "offers")


def _stored(
    ids: list[int],
    spans: list[dict[int, Span]],
    total: bool = False,
    names: Sequence[str] = STORED,
) -> list[dict[int, dict[str, int]]]:
    """For each window: cohort id -> the sums of its stored weekly counts (`names`) in its
    span, in one query; with `total`, one entry (key ALL) summed over every cohort."""
    from django.db.models import Sum

    from .models import CohortWeek

    found: list[dict[int, dict[str, int]]] = [{} for _ in spans]
    wanted = {pk for s in spans for pk in s}
    if not wanted:
        return found
    sums: dict[str, Any] = {}
    first: date | None = date.max
    for i, s in enumerate(spans):
        by_span: dict[Span, list[int]] = {}
        for pk, span in s.items():
            by_span.setdefault(span, []).append(pk)
        for lo, _hi in by_span:
            first = None if lo is None or first is None else min(first, lo)
        if len(by_span) == 1:  # the usual case: one span for every cohort
            inside = _in_weeks("week", next(iter(by_span)), instant=False)
            if len(s) < len(wanted):  # another window reads weeks of cohorts this one does not
                inside &= Q(cohort_id__in=list(s))
        else:
            inside = Q(pk__in=[])
            for span, pks in by_span.items():
                inside |= Q(cohort_id__in=pks) & _in_weeks("week", span, instant=False)
        for name in names:
            sums[f"{name}{i}"] = Sum(name) if len(spans) == 1 else Sum(name, filter=inside)
    # Every cohort asked about has stored weeks (the usual case): match them as they were given.
    rows = CohortWeek.objects.filter(
        cohort_id__in=_in(ids) if len(wanted) == len(ids) else sorted(wanted)
    )
    if len(spans) == 1:  # one window: its weeks are the rows read, not a filter on each sum
        rows = rows.filter(inside)
    if first is not None:  # only the weeks some span reads, however long the history
        rows = rows.filter(week__gte=first)
    if total:
        row = rows.aggregate(**sums)
        for i in range(len(spans)):
            if spans[i]:
                found[i][ALL] = {name: row[f"{name}{i}"] or 0 for name in names}
        return found
    for r in rows.values("cohort_id").annotate(**sums):
        for i in range(len(spans)):
            found[i][r["cohort_id"]] = {name: r[f"{name}{i}"] or 0 for name in names}
    return found


def _due_counts(
    ids: list[int],
    windows: Sequence[Window],
    now: datetime,
    spans: list[dict[int, Span]],
    total: bool = False,
) -> list[dict[int, tuple[int, int]]]:
    """Per window: cohort id -> (done, due) counted live, outside the stored weeks."""
    return _counts(
        due_commitments(ids, _local_date(now)),
        "cohort_id",
        windows,
        lambda w: w.days_in("due_on", now),
        DONE,
        lambda i, inside: _live(ids, "cohort_id", "due_on", False, inside, spans[i]),
        total,
    )


def _attendance(
    ids: list[int],
    windows: Sequence[Window],
    now: datetime,
    spans: list[dict[int, Span]],
    stored: list[dict[int, dict[str, int]]],
    total: bool = False,
) -> list[dict[int, Value]]:
    field = "session__starts_at"
    counts = _counts(
        attendance_marks(ids),
        "session__cohort_id",
        windows,
        lambda w: w.instants(field, now),
        PRESENT,
        lambda i, inside: _live(ids, "session__cohort_id", field, True, inside, spans[i]),
        total,
    )
    return [
        {
            i: _rate(ATTENDANCE, w, *_add(c.get(i, (0, 0)), s.get(i), "present", "marks"))
            for i in _keys(ids, total)
        }
        for w, c, s in zip(windows, counts, stored, strict=True)
    ]


def _keys(ids: list[int], total: bool) -> list[int]:
    return [ALL] if total else ids


def _add(
    live: tuple[int, int], stored: dict[str, int] | None, part: str, whole: str
) -> tuple[int, int]:
    if stored is None:
        return live
    return live[0] + stored[part], live[1] + stored[whole]


def _follow_through(
    ids: list[int],
    windows: Sequence[Window],
    now: datetime,
    spans: list[dict[int, Span]],
    stored: list[dict[int, dict[str, int]]],
    total: bool = False,
) -> list[dict[int, Value]]:
    counts = _due_counts(ids, windows, now, spans, total)
    return [
        {
            i: _rate(FOLLOW_THROUGH, w, *_add(c.get(i, (0, 0)), s.get(i), "done", "due"))
            for i in _keys(ids, total)
        }
        for w, c, s in zip(windows, counts, stored, strict=True)
    ]


def _help_offered(
    ids: list[int],
    windows: Sequence[Window],
    now: datetime,
    spans: list[dict[int, Span]],
    stored: list[dict[int, dict[str, int]]],
    total: bool = False,
) -> list[dict[int, Value]]:
    group = "blocker__update__cohort_id"
    counts = _counts(
        help_offers(ids, by_date=total and all(w.days is not None for w in windows)),
        group,
        windows,
        lambda w: w.instants("created_at", now),
        Q(),
        lambda i, inside: _live(ids, group, "created_at", True, inside, spans[i]),
        total,
    )
    return [
        {
            i: Value(HELP_OFFERED, w, _add(c.get(i, (0, 0)), s.get(i), "offers", "offers")[1])
            for i in _keys(ids, total)
        }
        for w, c, s in zip(windows, counts, stored, strict=True)
    ]


def _figures(
    ids: list[int], windows: Sequence[Window], now: datetime, total: bool = False
) -> tuple[list[dict[int, Value]], list[dict[int, Value]], list[dict[int, Value]]]:
    """Attendance, follow-through and offers of help: the complete weeks the stored rows hold
    are read from them (cadre.metrics.weekly writes them with the querysets above), the rest
    of each window is counted live. At most five queries. With `total`, one entry (key ALL):
    the cohorts taken together."""
    spans = _stored_spans(ids, windows, now)
    stored = _stored(ids, spans, total)
    return (
        _attendance(ids, windows, now, spans, stored, total),
        _follow_through(ids, windows, now, spans, stored, total),
        _help_offered(ids, windows, now, spans, stored, total),
    )


def active_members(cohort_ids: Iterable[int]) -> dict[int, Value]:
    ids = list(cohort_ids)
    rows = dict(
        CohortMembership.objects.active()
        .filter(cohort_id__in=ids)
        .values("cohort_id")
        .annotate(n=Count("pk"))
        .values_list("cohort_id", "n")
    )
    return {i: Value(ACTIVE_MEMBERS, TODAY, rows.get(i, 0)) for i in ids}


def add_card_figures(home: NetworkHome) -> None:
    """Each cohort card on the network home shows its active members, as every page does."""
    members = active_members(card.cohort.pk for card in home.cards)
    for card in home.cards:
        card.figures["active_members"] = members[card.cohort.pk]


def over(
    cohort_ids: Iterable[int], windows: Sequence[Window], now: datetime | None = None
) -> list[dict[int, CohortFigures]]:
    """For each of `windows`: cohort id -> its figures over that window (active members are
    today's in every one). At most six queries for any number of cohorts and windows."""
    now = now or timezone.now()
    ids = list(cohort_ids)
    att, fol, offers = _figures(ids, windows, now)
    members = active_members(ids)
    return [
        {i: CohortFigures(att[n][i], fol[n][i], offers[n][i], members[i]) for i in ids}
        for n in range(len(windows))
    ]


def together(
    cohort_ids: Iterable[int], window: Window = RECENT, now: datetime | None = None
) -> CohortFigures:
    """The figures of `cohort_ids` taken together (a network's totals): attendance over all
    their marks, follow-through over all their commitments due, their offers of help, and
    their active members summed (a person in two cohorts counts in each, as in the cohorts'
    rows). The same definitions as each cohort's figures, read the same way; at most six
    queries, each answering one row, for any number of cohorts."""
    now = now or timezone.now()
    ids = cohort_ids if isinstance(cohort_ids, CohortIds) else list(cohort_ids)
    att, fol, offers = _figures(ids, [window], now, total=True)
    members = CohortMembership.objects.active().filter(cohort_id__in=_in(ids)).count()
    return CohortFigures(
        att[0][ALL], fol[0][ALL], offers[0][ALL], Value(ACTIVE_MEMBERS, TODAY, members)
    )


def follow_through_parts(
    cohort_ids: Iterable[int], window: Window = RECENT, now: datetime | None = None
) -> dict[int, tuple[int, int]]:
    """cohort id -> (done, due) over `window`, the parts of each cohort's follow-through and
    nothing else: what ordering many cohorts by it needs, as plain numbers. Three queries."""
    now = now or timezone.now()
    ids = cohort_ids if isinstance(cohort_ids, CohortIds) else list(cohort_ids)
    spans = _stored_spans(ids, [window], now)
    stored = _stored(ids, spans, names=("due", "done"))
    counts = _due_counts(ids, [window], now, spans)[0]
    return {i: _add(counts.get(i, (0, 0)), stored[0].get(i), "done", "due") for i in ids}


def for_cohorts(
    cohort_ids: Iterable[int], window: Window = RECENT, now: datetime | None = None
) -> dict[int, CohortFigures]:
    """cohort id -> its figures over `window`, in at most six queries for any number of
    cohorts."""
    return over(cohort_ids, [window], now)[0]


def of_cohort(cohort: Any, window: Window = RECENT, now: datetime | None = None) -> CohortFigures:
    return for_cohorts([cohort.pk], window, now)[cohort.pk]
