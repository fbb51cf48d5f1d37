"""Shared set-up for the metrics tests."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from cadre.metrics.models import Direction, Metric, MetricKind, MetricReporter, Observation
from cadre.testing import make_user


def cohort_metric(cast: Any, name: str = "Recovery time", **fields: Any) -> Metric:
    fields.setdefault("unit", "minutes")
    fields.setdefault("direction", Direction.LOWER)
    fields.setdefault("target", Decimal("30"))
    fields.setdefault("baseline", Decimal("55"))
    fields.setdefault("kind", MetricKind.CYCLE_TIME)
    return Metric.objects.create(network=cast.network, cohort=cast.cohort, name=name, **fields)


def network_metric(cast: Any, name: str = "Members active each week", **fields: Any) -> Metric:
    fields.setdefault("unit", "%")
    fields.setdefault("direction", Direction.HIGHER)
    fields.setdefault("target", Decimal("80"))
    fields.setdefault("kind", MetricKind.ADOPTION)
    return Metric.objects.create(network=cast.network, cohort=None, name=name, **fields)


def observe(metric: Metric, value: Any, days_ago: int = 0, **fields: Any) -> Observation:
    return Observation.objects.create(
        metric=metric,
        value=Decimal(str(value)),
        observed_on=timezone.localdate() - timedelta(days=days_ago),
        **fields,
    )


def make_reporter(cast: Any, *, metric: Metric | None = None, cohort: Any = None) -> Any:
    """Rae, an analyst in the network (a plain member, in no cohort) named data reporter."""
    from allauth.account.models import EmailAddress

    from cadre.networks.models import CodeOfConductAcceptance, NetworkMembership, Role

    user = make_user("rae@northwind.test", "Rae Reporter")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    NetworkMembership.objects.create(network=cast.network, user=user, role=Role.MEMBER)
    CodeOfConductAcceptance.objects.create(code=cast.network.current_code_of_conduct(), user=user)
    MetricReporter.objects.create(network=cast.network, metric=metric, cohort=cohort, user=user)
    return user


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())
