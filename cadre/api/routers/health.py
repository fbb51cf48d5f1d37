"""Cohort health: a cohort's snapshot, the network's overview and the network's thresholds.
The same policy (cadre.health.policy), services and snapshots as the pages: a cohort's signals with names for its
hosts, the next session's facilitator and organizers, a summary without names for its
members, 404 for everyone else; the overview and the settings are the organizers'."""

from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from cadre.api import errors
from cadre.api.routers import Pagination, require_conduct, user_of
from cadre.api.schemas import FigureOut, Int32
from cadre.cohorts.models import Cohort
from cadre.health import overview, policy, services
from cadre.health.models import CohortHealth, HealthSettings
from cadre.networks.models import Network
from cadre.networks.policy import get_network_or_404

router = Router(tags=["health"])


class SignalOut(Schema):
    code: str = Field(
        ...,
        description="blockers_unanswered, attendance_falling, commitments_missed, no_updates, "
        "roles_not_rotating or charter_review_overdue.",
    )
    severity: str = Field(..., description="warning or alert.")
    title: str
    message: str = Field(..., description="May name people; the summary for cohort members.")
    action: str
    since: date | None
    numbers: dict[str, float]


class NumbersOut(Schema):
    """The figures of cadre.metrics.figures (as `figures` lists them) over the last 4 weeks,
    and over the 4 weeks before (`_prev`); rates in per cent."""

    members: int = Field(..., description="Active members today.")
    attendance_rate: float | None = Field(
        ..., description="Per cent present of the present and absent marks, last 4 weeks."
    )
    attendance_prev: float | None = Field(..., description="The same, the 4 weeks before.")
    follow_through: float | None = Field(
        ..., description="Per cent done of the commitments due (not dropped), last 4 weeks."
    )
    follow_through_prev: float | None
    help_offered: int = Field(..., description="Offers of help made, last 4 weeks.")
    help_offered_prev: int
    updates_recent: int = Field(..., description="Progress updates posted, last 4 weeks.")
    updates_prev: int
    open_blockers: int
    last_update_at: datetime | None


class CohortHealthOut(Schema):
    cohort: str
    name: str
    status: str = Field(..., description="ok, watch or drifting.")
    detail: str = Field(..., description="full (names included) or summary (no names).")
    computed_at: datetime
    numbers: NumbersOut
    figures: list[FigureOut] = Field(
        ..., description="The cohort's figures, each with its window, as of computed_at."
    )
    signals: list[SignalOut]


class OverviewFilters(Schema):
    sort: str = Field(
        "status",
        description="name, status, attendance, follow_through, help_offered, updates, "
        "blockers, last_update or members; a leading - sorts descending.",
    )
    status: str = Field("", description="ok, watch or drifting.")
    intake: str = Field("", description="Cohorts published from this intake (its slug).")
    function: str = Field("", description="Cohorts whose members are mostly of this function.")


class SettingsIO(Schema):
    attendance_window: Int32
    attendance_drop_points: Int32
    missed_in_a_row: Int32
    blocker_wait_hours: Int32
    update_gap_days: Int32
    role_repeat: Int32
    charter_grace_days: Int32


def _out(snapshot: CohortHealth, full: bool) -> dict[str, Any]:
    signals = [{**s, "message": s["message"] if full else s["summary"]} for s in snapshot.signals]
    return {
        "cohort": snapshot.cohort.slug,
        "name": snapshot.cohort.name,
        "status": snapshot.status,
        "detail": "full" if full else "summary",
        "computed_at": snapshot.computed_at,
        "numbers": snapshot,
        "figures": list(snapshot.figures()),
        "signals": signals,
    }


def _organizer_network(request: HttpRequest, slug: str) -> Network:
    user = user_of(request)
    network = get_network_or_404(user, slug)
    if not policy.can_view_network_health(user, network):
        raise errors.not_found("No such network health.")
    require_conduct(request, network)
    return network


@router.get(
    "/networks/{slug}/cohorts/{cohort}/health",
    response={200: CohortHealthOut},
    summary="A cohort's health",
)
def cohort_health(request: HttpRequest, slug: str, cohort: str) -> dict[str, Any]:
    user = user_of(request)
    found: Cohort = policy.get_health_cohort_or_404(user, slug, cohort)
    require_conduct(request, found.network)
    snapshot = CohortHealth.objects.select_related("cohort").filter(cohort=found).first()
    if snapshot is None:
        raise errors.not_found("This cohort's health has not been computed yet.")
    return _out(snapshot, policy.can_view_cohort_health(user, found))


class _Lazy:
    """Lets the paginator slice the QuerySet before the rows are turned into dicts."""

    def __init__(self, rows: QuerySet[CohortHealth]) -> None:
        self.rows = rows

    def count(self) -> int:
        return self.rows.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, part: slice) -> list[dict[str, Any]]:
        return [_out(s, True) for s in self.rows[part]]


@router.get(
    "/networks/{slug}/health",
    response={200: list[CohortHealthOut]},
    summary="Every cohort's health (organizers)",
)
@paginate(Pagination)
def network_health(request: HttpRequest, slug: str, filters: Query[OverviewFilters]) -> _Lazy:
    network = _organizer_network(request, slug)
    query = filters.dict()
    rows = overview.snapshots(network, overview.Filters.from_query(query))
    return _Lazy(rows)


@router.get(
    "/networks/{slug}/health/settings",
    response={200: SettingsIO},
    summary="The network's drift thresholds",
)
def get_settings(request: HttpRequest, slug: str) -> HealthSettings:
    network = _organizer_network(request, slug)
    return HealthSettings.for_network(network)


@router.put(
    "/networks/{slug}/health/settings",
    response={200: SettingsIO},
    summary="Change the network's drift thresholds",
)
def put_settings(request: HttpRequest, slug: str, data: SettingsIO) -> HealthSettings:
    network = _organizer_network(request, slug)
    return services.change_settings(user_of(request), network, values=data.dict())
