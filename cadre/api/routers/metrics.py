"""Metrics, their observations, and the numbers behind every metrics chart.

Network-level metrics live under /networks/{slug}/metrics, a cohort's under
/networks/{slug}/cohorts/{cohort}/metrics; one metric (either kind) is
/networks/{slug}/metrics/{id}. The same permission layer as the pages: people who may not
read a metric get 404, the code of conduct comes next, and writing needs the right role
(403), all decided by cadre.metrics.policy and cadre.metrics.services. The bulk endpoint checks every item and saves nothing if any is bad."""

import datetime as dt
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from cadre.api import errors
from cadre.api.routers import Pagination, require_conduct, user_of
from cadre.api.schemas import FigureOut, Id, UserRef
from cadre.cohorts.models import Cohort
from cadre.lib import charts
from cadre.metrics import builtins, figures, importing, policy, services
from cadre.metrics.charts import chart_since, cohort_chart, metric_chart
from cadre.metrics.models import Direction, Metric, MetricKind, Observation
from cadre.networks.models import Network
from cadre.networks.policy import get_network_or_404

router = Router(tags=["metrics"])

NETWORK = "/networks/{slug}/metrics"
COHORT = "/networks/{slug}/cohorts/{cohort}/metrics"
METRIC = NETWORK + "/{pk}"


# --- schemas -------------------------------------------------------------------------------


class MetricOut(Schema):
    id: int
    cohort: str | None = Field(None, description="The cohort's slug; null for a network metric.")
    name: str
    kind: str
    unit: str
    direction: str = Field(..., description="higher or lower: which way is better.")
    target: Decimal
    baseline: Decimal | None
    description: str
    created_at: datetime

    @staticmethod
    def resolve_cohort(obj: Metric) -> str | None:
        cohort = obj.cohort
        return cohort.slug if cohort is not None else None


class MetricIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    kind: MetricKind = MetricKind.CUSTOM
    unit: str = Field(..., min_length=1, max_length=30)
    direction: Direction
    target: Decimal
    baseline: Decimal | None = None
    description: str = ""


class MetricPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    kind: MetricKind | None = None
    unit: str | None = Field(None, min_length=1, max_length=30)
    direction: Direction | None = None
    target: Decimal | None = None
    baseline: Decimal | None = None
    description: str | None = None


class ObservationOut(Schema):
    id: int
    date: date
    value: Decimal
    person: UserRef | None
    note: str
    recorded_by: UserRef | None
    created_at: datetime

    @staticmethod
    def resolve_date(obj: Observation) -> dt.date:  # `date` here is the field above
        return obj.observed_on


class ObservationIn(Schema):
    date: str = Field(..., description="YYYY-MM-DD, not in the future.")
    value: str | float = Field(..., description="A number (a string keeps exact decimals).")
    person_email: str = Field("", description="Whom the value is about, if one person.")
    note: str = Field("", max_length=300)


class BulkIn(Schema):
    items: list[ObservationIn] = Field(
        ..., description=f"At most {importing.MAX_ROWS} observations; all or nothing."
    )


class BulkOut(Schema):
    created: int


class PointOut(Schema):
    week: date
    value: float | None


class BuiltInSeriesOut(Schema):
    key: str
    name: str
    unit: str
    higher_is_better: bool
    points: list[PointOut]


class ChartOut(Schema):
    title: str
    summary: str
    headers: list[str]
    rows: list[list[str]]


# --- helpers -------------------------------------------------------------------------------


def _network(request: HttpRequest, slug: str) -> Network:
    user = user_of(request)
    network = get_network_or_404(user, slug)
    require_conduct(request, network)
    return network


def _cohort(request: HttpRequest, slug: str, cohort: str) -> Cohort:
    try:
        found = policy.get_metrics_cohort_or_404(user_of(request), slug, cohort)
    except Http404:
        raise errors.not_found("No such cohort.") from None
    require_conduct(request, found.network)
    return found


def _metric(request: HttpRequest, slug: str, pk: int) -> Metric:
    """A metric of the network or of any of its cohorts: 404 (not_found) for people who may
    not read it."""
    return policy.get_metric_or_404(user_of(request), _network(request, slug), pk)


def _chart_out(chart: charts.Chart) -> dict[str, Any]:
    return {
        "title": chart.title,
        "summary": chart.summary,
        "headers": chart.headers,
        "rows": chart.rows,
    }


# --- metrics -------------------------------------------------------------------------------


@router.get(NETWORK, response={200: list[MetricOut]}, summary="Network metrics")
@paginate(Pagination)
def network_metrics(request: HttpRequest, slug: str) -> QuerySet[Metric]:
    """The network's own metrics (not those of its cohorts) that you may read."""
    network = _network(request, slug)
    return policy.visible_network_metrics(user_of(request), network).select_related("cohort")


@router.post(NETWORK, response={201: MetricOut}, summary="Define a network metric")
def create_network_metric(request: HttpRequest, slug: str, payload: MetricIn) -> Status[Metric]:
    """For the network's organizers."""
    network = _network(request, slug)
    metric = services.define_metric(
        user_of(request), network=network, cohort=None, **payload.dict()
    )
    return Status(201, metric)


@router.get(COHORT, response={200: list[MetricOut]}, summary="Cohort metrics")
@paginate(Pagination)
def cohort_metrics(request: HttpRequest, slug: str, cohort: str) -> QuerySet[Metric]:
    """The cohort's metrics: all for the board's viewers, the granted ones for a data reporter."""
    found = _cohort(request, slug, cohort)
    return policy.visible_cohort_metrics(user_of(request), found).select_related("cohort")


@router.post(COHORT, response={201: MetricOut}, summary="Define a cohort metric")
def create_cohort_metric(
    request: HttpRequest, slug: str, cohort: str, payload: MetricIn
) -> Status[Metric]:
    """For the cohort's hosts and the network's organizers."""
    found = _cohort(request, slug, cohort)
    metric = services.define_metric(
        user_of(request), network=found.network, cohort=found, **payload.dict()
    )
    return Status(201, metric)


@router.get(METRIC, response={200: MetricOut}, summary="One metric")
def metric(request: HttpRequest, slug: str, pk: Id) -> Metric:
    return _metric(request, slug, pk)


@router.patch(METRIC, response={200: MetricOut}, summary="Change a metric")
def update_metric(request: HttpRequest, slug: str, pk: Id, payload: MetricPatch) -> Metric:
    found = _metric(request, slug, pk)
    changes = payload.dict(exclude_unset=True)
    return services.change_metric(user_of(request), found, changes=changes)


# --- observations --------------------------------------------------------------------------


@router.get(METRIC + "/observations", response={200: list[ObservationOut]}, summary="Observations")
@paginate(Pagination)
def observations(request: HttpRequest, slug: str, pk: Id) -> QuerySet[Observation]:
    """Newest first."""
    found = _metric(request, slug, pk)
    return found.observations.select_related("person", "recorded_by").order_by(
        "-observed_on", "-pk"
    )


@router.post(
    METRIC + "/observations",
    response={201: ObservationOut},
    summary="Record an observation",
)
def create_observation(
    request: HttpRequest, slug: str, pk: Id, payload: ObservationIn
) -> Status[Observation]:
    found = _metric(request, slug, pk)
    observation = services.record_observation(
        user_of(request),
        found,
        day=payload.date,
        value=payload.value,
        person_email=payload.person_email,
        note=payload.note,
    )
    return Status(201, observation)


@router.post(
    METRIC + "/observations/bulk",
    response={201: BulkOut},
    summary="Record many observations",
)
def bulk_observations(request: HttpRequest, slug: str, pk: Id, payload: BulkIn) -> Status[dict]:
    """All or nothing: every item is checked; if any is bad the answer is 422 with
    `fields` like `items.3.date` (0-based) and nothing is saved."""
    found = _metric(request, slug, pk)
    rows = [item.dict() for item in payload.items]
    saved = services.record_observations(user_of(request), found, rows=rows)
    return Status(201, {"created": len(saved)})


# --- chart data ----------------------------------------------------------------------------


@router.get(METRIC + "/chart", response={200: ChartOut}, summary="A metric's chart data")
def metric_chart_data(request: HttpRequest, slug: str, pk: Id) -> dict[str, Any]:
    """The weekly means the metric's chart draws, with its summary sentence."""
    found = _metric(request, slug, pk)
    return _chart_out(metric_chart(found, found.weekly(chart_since())))


def _builtin_cohort(request: HttpRequest, slug: str, cohort: str) -> Cohort:
    found = _cohort(request, slug, cohort)
    if not policy.can_view_builtin_metrics(user_of(request), found):
        raise errors.not_found("No such cohort.")
    return found


@router.get(
    COHORT + "/built-in", response={200: list[BuiltInSeriesOut]}, summary="Built-in metrics"
)
def builtin_metrics(request: HttpRequest, slug: str, cohort: str) -> list[dict[str, Any]]:
    """What Cadre computes from the cohort's own data, by week (Monday), the last 26 weeks:
    attendance, follow-through, experiments completed, help offered, median hours to the
    first offer of help, repository reuse, coaching sessions. A week with nothing to measure
    is null."""
    found = _builtin_cohort(request, slug, cohort)
    return [
        {
            "key": s.key,
            "name": s.name,
            "unit": s.unit,
            "higher_is_better": s.higher_is_better,
            "points": [{"week": w, "value": v} for w, v in s.points],
        }
        for s in builtins.all_builtins(found)
    ]


@router.get(COHORT + "/figures", response={200: list[FigureOut]}, summary="Cohort figures")
def cohort_figures(request: HttpRequest, slug: str, cohort: str) -> list[Any]:
    """Attendance, follow-through and offers of help over the last 4 weeks, and active members
    today: the same figures, with the same windows, as the health, metrics and home pages."""
    found = _builtin_cohort(request, slug, cohort)
    return list(figures.of_cohort(found))


@router.get(COHORT + "/charts/{name}", response={200: ChartOut}, summary="Cohort chart data")
def cohort_chart_data(request: HttpRequest, slug: str, cohort: str, name: str) -> dict[str, Any]:
    """`follow-through-by-week`, `composition`, or a built-in metric's key."""
    found = _builtin_cohort(request, slug, cohort)
    return _chart_out(cohort_chart(found, name))
