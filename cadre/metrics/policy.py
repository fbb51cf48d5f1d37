"""Who may read, define and record metrics.

A cohort's metrics are board content: its active members and the network's organizers read
them all (sharing the cohort with the network does not share them). A network's own metrics
are read by its insiders (admins, organizers, members, mentors), not by partners. The
cohort's hosts and the network's organizers define a cohort's metrics and name its data
reporters; the organizers define the network's.

A data reporter (a `MetricReporter` grant, for one metric or for every metric of one cohort)
reads and records the metrics granted, nothing else, while they are still in the network.
Observations of a cohort metric are recorded by its active members, its data reporters and
the organizers; of a network metric by the organizers and its data reporters. Whoever
recorded an observation may change it while they still may record; those who define the
metric may change any.

Each read rule is one decision (`_readable`) that both the list (`visible_metrics`) and the
instance check (`can_view_metric`) use, so a list and a detail page never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404

from cadre.accountability.policy import can_view_board
from cadre.cohorts.models import Cohort
from cadre.cohorts.policy import can_edit_charter, is_cohort_member
from cadre.networks.models import Network
from cadre.networks.policy import (
    Person,
    can_manage_network,
    can_view_directory,
    get_network_or_404,
    network_role,
    remembered,
)

if TYPE_CHECKING:
    from .models import Metric, MetricReporter, Observation


# --- data reporters --------------------------------------------------------------------------


@dataclass(frozen=True)
class Grants:
    """The metrics a data reporter was granted: single metrics, and every metric of cohorts."""

    metric_ids: frozenset[int]
    cohort_ids: frozenset[int]
    metric_cohort_ids: frozenset[int]  # the cohorts of the single metrics

    def q(self) -> Q:
        return Q(pk__in=sorted(self.metric_ids)) | Q(cohort_id__in=sorted(self.cohort_ids))

    def covers(self, metric: Metric) -> bool:
        """`q()` for one metric."""
        return metric.pk in self.metric_ids or metric.cohort_id in self.cohort_ids

    def in_cohort(self, cohort: Cohort) -> bool:
        return cohort.pk in self.cohort_ids or cohort.pk in self.metric_cohort_ids


NO_GRANTS = Grants(frozenset(), frozenset(), frozenset())


def _grants(user: Person, network: Network) -> Grants:
    """The data-reporter grants of `user` that count in `network`: none once they have left
    it. One query per request."""
    if not user.is_authenticated or network_role(user, network) is None:
        return NO_GRANTS
    cache = remembered(user)
    if "metric_grants" not in cache:
        from .models import MetricReporter

        cache["metric_grants"] = list(
            MetricReporter.objects.filter(user=user).values_list(
                "metric_id", "metric__cohort_id", "cohort_id"
            )
        )
    rows = cache["metric_grants"]
    return Grants(
        metric_ids=frozenset(m for m, _, _ in rows if m is not None),
        cohort_ids=frozenset(c for _, _, c in rows if c is not None),
        metric_cohort_ids=frozenset(mc for _, mc, _ in rows if mc is not None),
    )


def is_cohort_reporter(user: Person, cohort: Cohort) -> bool:
    """A data reporter for the cohort or for at least one of its metrics."""
    return _grants(user, cohort.network).in_cohort(cohort)


# --- reading metrics ---------------------------------------------------------------------------


def can_view_builtin_metrics(user: Person, cohort: Cohort) -> bool:
    """What Cadre computes from the board and the sessions (attendance, follow-through,
    composition) is board content: not for data reporters who are not members."""
    return can_view_board(user, cohort)


def can_view_network_metrics(user: Person, network: Network) -> bool:
    """Network-level metrics are read by the network's members, mentors and organizers."""
    return can_view_directory(user, network)


def _readable(user: Person, network: Network, cohort: Cohort | None) -> Grants | None:
    """Which metrics of a place (a cohort, or the network itself) `user` may read: None for
    all of them, or only those their grants cover."""
    if cohort is not None and can_view_board(user, cohort):
        return None
    if cohort is None and can_view_network_metrics(user, network):
        return None
    return _grants(user, network)


def visible_metrics(user: Person, network: Network, cohort: Cohort | None) -> QuerySet[Metric]:
    """The metrics of a cohort (or of the network itself, cohort None) `user` may read."""
    from .models import Metric

    metrics = Metric.objects.filter(network=network, cohort=cohort)
    grants = _readable(user, network, cohort)
    return metrics if grants is None else metrics.filter(grants.q())


def can_view_metric(user: Person, metric: Metric) -> bool:
    """`visible_metrics` for one metric."""
    grants = _readable(user, metric.network, metric.cohort)
    return grants is None or grants.covers(metric)


class Place(Enum):
    ANY = "any"


def get_metric_or_404(
    user: Person, network: Network, pk: int, *, cohort: Cohort | None | Place = Place.ANY
) -> Metric:
    """The metric `pk` of `network` (of `cohort`, or of the network itself when cohort is
    None; of any of its places with Place.ANY), or 404 for people who may not read it."""
    from .models import Metric

    metrics = Metric.objects.select_related("network", "cohort__network").filter(
        network=network, pk=pk
    )
    if cohort is not Place.ANY:
        metrics = metrics.filter(cohort=cohort)
    metric = metrics.first()
    if metric is None or not can_view_metric(user, metric):
        raise Http404("No such metric.")
    return metric


def visible_cohort_metrics(user: Person, cohort: Cohort) -> QuerySet[Metric]:
    """The cohort's metrics `user` may read: all for the board's viewers, the granted ones
    for a data reporter."""
    return visible_metrics(user, cohort.network, cohort)


def visible_network_metrics(user: Person, network: Network) -> QuerySet[Metric]:
    """The network-level metrics `user` may read."""
    return visible_metrics(user, network, None)


def get_metrics_cohort_or_404(user: Person, network_slug: str, cohort_slug: str) -> Cohort:
    """The cohort for its metrics pages: the board's viewers and its data reporters (who need
    not see the cohort otherwise); 404 for everyone else."""
    cohort = (
        Cohort.objects.select_related("network")
        .filter(network__slug=network_slug, slug=cohort_slug)
        .first()
    )
    if cohort is None:
        raise Http404("No such page.")
    if not (can_view_board(user, cohort) or is_cohort_reporter(user, cohort)):
        raise Http404("No such page.")
    return cohort


def get_metrics_network_or_404(user: Person, slug: str) -> Network:
    """The network for its metrics pages: members, mentors and organizers, and the data
    reporters of a network metric; 404 for partners and outsiders."""
    network = get_network_or_404(user, slug)
    if not can_view_network_metrics(user, network) and not (
        visible_network_metrics(user, network).exists()
    ):
        raise Http404("No such page.")
    return network


# --- defining metrics and recording observations ---------------------------------------------


def can_define_metrics(user: Person, network: Network, cohort: Cohort | None) -> bool:
    """A cohort's metrics (and its data reporters): the cohort's hosts and the organizers.
    The network's own metrics: the organizers."""
    if cohort is not None:
        return can_edit_charter(user, cohort)
    return can_manage_network(user, network)


def can_define_metric(user: Person, metric: Metric) -> bool:
    return can_define_metrics(user, metric.network, metric.cohort)


def can_record_observation(user: Person, metric: Metric) -> bool:
    """A cohort metric: its active members, its data reporters and the organizers. A network
    metric: the organizers and its data reporters (members only read it)."""
    if _grants(user, metric.network).covers(metric):
        return True
    if metric.cohort is not None and is_cohort_member(user, metric.cohort):
        return True
    return can_manage_network(user, metric.network)


def can_edit_observation(user: Person, observation: Observation) -> bool:
    """Whoever recorded it (while they still may record), and those who define the metric."""
    metric = observation.metric
    if can_define_metric(user, metric):
        return True
    return (
        user.is_authenticated
        and observation.recorded_by_id == user.pk
        and can_record_observation(user, metric)
    )


def can_remove_reporter(user: Person, grant: MetricReporter) -> bool:
    """Those who define the metric (a grant for one) or the cohort's metrics (a cohort grant)."""
    if grant.metric is not None:
        return can_define_metric(user, grant.metric)
    return can_define_metrics(user, grant.network, grant.cohort)
