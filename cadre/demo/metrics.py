"""The demo's metrics: every active cohort measures two or three things (cycle time,
stakeholder satisfaction, and for some a quality measure) with about a year of weekly
observations drifting from the baseline towards the target, and names one network member
outside the cohort as its data reporter. The network itself tracks one adoption metric.

Observations are bulk-created, a few queries in all, so the 10,000-person demo stays quick.
Randomness comes from a local generator, never the builder's."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from cadre.cohorts.models import Cohort, CohortMembership, CohortStatus
from cadre.metrics.models import Direction, Metric, MetricKind, MetricReporter, Observation
from cadre.networks.models import Network, NetworkMembership, Role

if TYPE_CHECKING:
    from cadre.demo.builder import Builder

WEEKS = 52
SEED = "cadre-demo-metrics"

# name, kind, unit, direction, baseline, target, noise
COHORT_METRICS = [
    ("Lead time for changes", MetricKind.CYCLE_TIME, "days", Direction.LOWER, 9.0, 4.0, 1.0),
    (
        "Stakeholder satisfaction",
        MetricKind.SATISFACTION,
        "points of 10",
        Direction.HIGHER,
        6.2,
        8.0,
        0.5,
    ),
    ("Reviews passed first time", MetricKind.QUALITY, "%", Direction.HIGHER, 55.0, 80.0, 6.0),
]


class MetricsBuilder:
    def __init__(self, builder: Builder) -> None:
        self.b = builder
        self.rng = random.Random(SEED)
        self.noise: dict[int, float] = {}  # metric object id -> spread of its weekly values

    def build(self, network: Network) -> int:
        cohorts = list(
            Cohort.objects.filter(network=network, status=CohortStatus.ACTIVE).order_by("slug")
        )
        members: dict[int, set[int]] = {c.pk: set() for c in cohorts}
        for cohort_id, user_id in (
            CohortMembership.objects.active()
            .filter(cohort__in=cohorts)
            .values_list("cohort_id", "user_id")
        ):
            members[cohort_id].add(user_id)
        analysts = list(
            NetworkMembership.objects.filter(network=network, role=Role.MEMBER)
            .order_by("user__email")
            .values_list("user_id", flat=True)[:40]
        )
        organizer = (
            NetworkMembership.objects.filter(network=network, role=Role.ORGANIZER)
            .order_by("user__email")
            .values_list("user_id", flat=True)
            .first()
        )
        metrics: list[Metric] = []
        for i, cohort in enumerate(cohorts):
            for spec in COHORT_METRICS[: 3 if i % 3 == 0 else 2]:
                metrics.append(self._metric(network, cohort, spec, organizer))
        metrics.append(
            self._metric(
                network,
                None,
                (
                    "Members active each week",
                    MetricKind.ADOPTION,
                    "%",
                    Direction.HIGHER,
                    48.0,
                    70.0,
                    3.0,
                ),
                organizer,
            )
        )
        self.b.bulk(Metric, metrics)
        grants = []
        for cohort in cohorts:
            reporter = next((u for u in analysts if u not in members[cohort.pk]), None)
            if reporter is not None:
                grants.append(
                    MetricReporter(
                        network=network, cohort=cohort, user_id=reporter, granted_by_id=organizer
                    )
                )
        self.b.bulk(MetricReporter, grants)
        observations = [obs for metric in metrics for obs in self._series(metric)]
        self.b.bulk(Observation, observations)
        rows = len(metrics) + len(grants) + len(observations)
        self.b.step("metrics and observations", rows)
        return rows

    def _metric(
        self,
        network: Network,
        cohort: Cohort | None,
        spec: tuple[str, Any, str, Any, float, float, float],
        organizer: int | None,
    ) -> Metric:
        name, kind, unit, direction, baseline, target, noise = spec
        metric = Metric(
            network=network,
            cohort=cohort,
            name=name,
            kind=kind,
            unit=unit,
            direction=direction,
            baseline=Decimal(str(baseline)),
            target=Decimal(str(target)),
            created_by_id=organizer,
            created_at=self.b.ago(7 * WEEKS + 7),
        )
        self.noise[id(metric)] = noise
        return metric

    def _series(self, metric: Metric) -> list[Observation]:
        """A weekly value moving most of the way from the baseline to the target, with noise."""
        start, goal = float(metric.baseline or 0), float(metric.target)
        noise = self.noise[id(metric)]
        reach = self.rng.uniform(0.5, 1.1)  # some cohorts get there, some do not
        result = []
        for week in range(WEEKS):
            progress = reach * week / (WEEKS - 1)
            value = start + (goal - start) * progress + self.rng.gauss(0, noise)
            result.append(
                Observation(
                    metric=metric,
                    value=Decimal(f"{max(value, 0):.1f}"),
                    observed_on=self.b.day(7 * (WEEKS - 1 - week)),
                    created_at=self.b.ago(7 * (WEEKS - 1 - week)),
                )
            )
        return result
