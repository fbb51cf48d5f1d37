"""The network's view of cohort health for organizers: every cohort's snapshot side by side
(sortable, filterable by intake, health status and function), four-week trends, the most
reused repository items and mentors' load. Read from the snapshots, so the page costs the
same few queries for ten cohorts or a thousand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.db.models import Count, F, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from cadre.formation.models import FormationRun, Intake
from cadre.lib.number_filter import number_filter
from cadre.networks.models import Network, NetworkMembership, Role
from cadre.pairings.figures import Met, met_by_kind
from cadre.pairings.models import Kind, MeetingCheck
from cadre.pairings.services import unanswered_matches
from cadre.repository.policy import visible_repository_items
from cadre.schedule.models import MentorMatch

from . import drift
from .facts import TRACKED
from .models import CohortHealth, HealthStatus

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

SORTS: dict[str, Any] = {
    "name": "cohort__name",
    "status": "status",
    "attendance": "attendance_rate",
    "follow_through": "follow_through",
    "help_offered": "help_offered",
    "blockers": "open_blockers",
    "updates": "updates_recent",
    "last_update": "last_update_at",
    "members": "members",
}
DEFAULT_SORT = "status"
TOP_ITEMS = 5
TOP_MENTORS = 10


@dataclass(frozen=True)
class Trend:
    """A figure over the last four weeks against the four before, with an arrow and words,
    so the direction never rests on colour alone. Rates are in per cent, so their change is
    in percentage points. Each reading is worked out once (a page asks for the arrow twice)."""

    now: float | None
    before: float | None
    unit: str = "%"

    @cached_property
    def change(self) -> float | None:
        if self.now is None or self.before is None:
            return None
        return self.now - self.before

    @cached_property
    def arrow(self) -> str:
        change = self.change
        if change is None:
            return ""
        return "▲" if change > 0.5 else "▼" if change < -0.5 else "▶"

    @cached_property
    def words(self) -> str:
        change = self.change
        if change is None:
            return _("no earlier data")
        if abs(change) <= 0.5:
            return _("steady")
        size = number_filter(abs(change))
        if self.unit == "%":
            if change > 0:
                return _("up %(size)s points") % {"size": size}
            return _("down %(size)s points") % {"size": size}
        return (_("up %(size)s") if change > 0 else _("down %(size)s")) % {"size": size}

    @cached_property
    def value(self) -> str:
        return number_filter(self.now, self.unit)


@dataclass(frozen=True)
class Filters:
    sort: str = DEFAULT_SORT
    descending: bool = False
    intake: str = ""
    status: str = ""
    function: str = ""

    @classmethod
    def from_query(cls, query: Any) -> Filters:
        raw = (query.get("sort") or DEFAULT_SORT).strip()
        key = raw.lstrip("-")
        if key not in SORTS:
            key, raw = DEFAULT_SORT, DEFAULT_SORT
        status = query.get("status", "")
        return cls(
            sort=key,
            descending=raw.startswith("-"),
            intake=query.get("intake", "").strip(),
            status=status if status in HealthStatus.values else "",
            function=query.get("function", "").strip()[:80],
        )

    def sort_param(self, key: str) -> str:
        """The value of `sort` for the link on column `key`: flips the current column."""
        if key == self.sort and not self.descending:
            return "-" + key
        return key


def followed(network: Network) -> QuerySet[CohortHealth]:
    """Snapshots of the network's running cohorts (one that stopped keeps its last snapshot,
    but is no longer listed)."""
    return CohortHealth.objects.filter(network=network, cohort__status__in=TRACKED)


def cohort_ids_of_intake(network: Network, slug: str) -> set[int] | None:
    """The cohorts published from intake `slug` (None for an unknown intake)."""
    intake = Intake.objects.filter(network=network, slug=slug).first()
    if intake is None:
        return None
    ids: set[int] = set()
    for published in FormationRun.objects.filter(intake=intake).values_list(
        "published_cohorts", flat=True
    ):
        ids.update(int(i) for i in published or [])
    return ids


def snapshots(network: Network, filters: Filters) -> QuerySet[CohortHealth]:
    rows = followed(network).select_related("cohort__network")
    if filters.intake:
        ids = cohort_ids_of_intake(network, filters.intake)
        rows = rows.filter(cohort_id__in=ids or [])
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.function:
        rows = rows.filter(main_function__iexact=filters.function)
    field = SORTS[filters.sort]
    if filters.sort == "status":
        # Worst first: drifting, watch, ok.
        rank = {drift.DRIFTING: 0, drift.WATCH: 1, drift.OK: 2}
        from django.db.models import Case, When

        order = Case(
            *(When(status=s, then=Value(r)) for s, r in rank.items()),
            output_field=IntegerField(),
        )
        expression = order.desc() if filters.descending else order.asc()
        return rows.order_by(expression, "cohort__name")
    expression = (
        F(field).desc(nulls_last=True) if filters.descending else F(field).asc(nulls_last=True)
    )
    return rows.order_by(expression, "cohort__name")


def status_counts(network: Network) -> dict[str, int]:
    counts = dict(
        followed(network).values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return {s: counts.get(s, 0) for s in HealthStatus.values}


def function_choices(network: Network) -> list[str]:
    return list(
        followed(network)
        .exclude(main_function="")
        .order_by("main_function")
        .values_list("main_function", flat=True)
        .distinct()
    )


def most_reused(user: Any, network: Network) -> list[Any]:
    items = visible_repository_items(user, network).filter(reuse_count__gt=0)
    # Each item's link names its network: read with the items, not once per item.
    return list(items.select_related("network").order_by("-reuse_count", "title")[:TOP_ITEMS])


@dataclass(frozen=True)
class MentorLoad:
    name: str
    mentees: int
    capacity: int
    accepting: bool

    @property
    def over(self) -> bool:
        return self.mentees > self.capacity

    @property
    def words(self) -> str:
        if self.over:
            return _("over capacity")
        if self.mentees == self.capacity:
            return _("full")
        return _("%(count)s free") % {"count": self.capacity - self.mentees}


class _Mentees(TypedDict):
    """What `mentor_load` annotates on each mentor's membership."""

    mentees: int


def mentor_load(network: Network) -> list[MentorLoad]:
    """The mentors with the most current mentees first, against their capacity."""
    current = (
        MentorMatch.objects.current()
        .filter(network=network, mentor_id=OuterRef("user_id"))
        .values("mentor_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # The stubs forget a custom queryset's annotations when it is iterated; they are there.
    rows = cast(
        "list[WithAnnotations[NetworkMembership, _Mentees]]",
        list(
            NetworkMembership.objects.filter(network=network, role=Role.MENTOR)
            .select_related("user", "mentor_settings")
            .annotate(mentees=Coalesce(Subquery(current, output_field=IntegerField()), 0))
            .order_by("-mentees", "user__name")[:TOP_MENTORS]
        ),
    )
    loads = []
    for m in rows:
        settings = getattr(m, "mentor_settings", None)
        loads.append(
            MentorLoad(
                m.user.name or m.user.email,
                m.mentees,
                settings.capacity if settings else 2,
                settings.accepting if settings else True,
            )
        )
    return loads


@dataclass(frozen=True)
class FollowThrough:
    """Meetings that happened (cadre.pairings.figures) over the last FOLLOW_THROUGH_DAYS,
    by kind of pairing, and the mentors who have not answered a new mentee."""

    rows: list[tuple[str, Met]]
    unanswered: list[MentorMatch]


FOLLOW_THROUGH_DAYS = 56


def follow_through(network: Network, now: datetime | None = None) -> FollowThrough:
    since = (now or timezone.now()) - timedelta(days=FOLLOW_THROUGH_DAYS)
    checks = MeetingCheck.objects.filter(network=network, asked_at__gte=since)
    by_kind = met_by_kind(checks)
    return FollowThrough(
        rows=[(str(label), by_kind[kind]) for kind, label in Kind.choices if kind in by_kind],
        unanswered=unanswered_matches(network, now),
    )
