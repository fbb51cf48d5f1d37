"""Every write of the metrics app, for the pages and the API alike: defining and changing a
metric, recording observations (one, many, or a CSV file), changing and deleting one, and
naming data reporters. Each checks who may (`cadre.metrics.policy`) and the rules, and
raises `cadre.lib.rules.Refused` with the sentence people see.

The `check_*` functions are the permission half on its own, for a page that shows a form
before anything is sent."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadre.accounts.models import User
from cadre.cohorts.models import Cohort
from cadre.lib.rules import Refused
from cadre.networks.models import Network
from cadre.networks.policy import Person

from . import importing, policy
from .models import Direction, Metric, MetricKind, MetricReporter, Observation

# The fields of a metric that people set (the form's and the API's names alike).
METRIC_FIELDS = ("name", "kind", "unit", "direction", "target", "baseline", "description")


def _refusal(exc: ValidationError) -> Refused:
    """A model's full_clean() errors as one refusal; errors about the whole object go under
    `body`."""
    fields = {
        ("body" if name == "__all__" else name): list(messages)
        for name, messages in exc.message_dict.items()
    }
    first = next(iter(fields.values()))[0]
    return Refused(first, fields=fields)


# --- metrics -----------------------------------------------------------------------------------


def check_can_define(user: Person, *, network: Network, cohort: Cohort | None) -> None:
    if not policy.can_define_metrics(user, network, cohort):
        if cohort is not None:
            message = _("Only the cohort's hosts and the organizers define its metrics.")
        else:
            message = _("Only the network's organizers define network metrics.")
        raise Refused(message, kind="forbidden")


def check_can_change(user: Person, metric: Metric) -> None:
    if not policy.can_define_metric(user, metric):
        raise Refused(_("Only hosts and organizers change this metric."), kind="forbidden")


def _check_name(metric: Metric) -> None:
    """A metric's name is unique in its cohort (or among the network's own metrics),
    whatever the case."""
    same = Metric.objects.filter(
        network=metric.network, cohort=metric.cohort, name__iexact=metric.name
    ).exclude(pk=metric.pk)
    if same.exists():
        if metric.cohort is not None:
            message = _("This cohort already has a metric called “%(name)s”.")
        else:
            message = _("This network already has a metric called “%(name)s”.")
        raise Refused(message % {"name": metric.name}, field="name")


def _save(metric: Metric) -> Metric:
    if isinstance(metric.name, str):
        metric.name = metric.name.strip()
        _check_name(metric)
    try:
        metric.full_clean(validate_constraints=False)
    except ValidationError as exc:
        raise _refusal(exc) from None
    metric.save()
    return metric


def define_metric(
    user: Person,
    *,
    network: Network,
    cohort: Cohort | None,
    name: str,
    unit: str,
    direction: Direction | str,
    target: Decimal,
    kind: MetricKind | str = MetricKind.CUSTOM,
    baseline: Decimal | None = None,
    description: str = "",
) -> Metric:
    """A new metric of `cohort` (or of the network itself, cohort None)."""
    check_can_define(user, network=network, cohort=cohort)
    metric = Metric(
        network=network,
        cohort=cohort,
        name=name,
        kind=kind,
        unit=unit,
        direction=direction,
        target=target,
        baseline=baseline,
        description=description,
        created_by=user if user.is_authenticated else None,
    )
    return _save(metric)


def change_metric(user: Person, metric: Metric, *, changes: Mapping[str, Any]) -> Metric:
    """Set the given fields (METRIC_FIELDS) of `metric`; the others are kept."""
    check_can_change(user, metric)
    unknown = set(changes) - set(METRIC_FIELDS)
    if unknown:
        raise ValueError(f"Not a metric field: {', '.join(sorted(unknown))}")
    for key, value in changes.items():
        setattr(metric, key, value)
    _save(metric)
    metric.refresh_from_db()  # the stored decimals, as the list shows them
    return metric


# --- observations ------------------------------------------------------------------------------


def check_can_record(user: Person, metric: Metric) -> None:
    if not policy.can_record_observation(user, metric):
        raise Refused(_("You may read this metric but not record it."), kind="forbidden")


def check_can_edit_observation(
    user: Person, observation: Observation, *, deleting: bool = False
) -> None:
    if not policy.can_edit_observation(user, observation):
        if deleting:
            message = _("Only whoever recorded it, hosts and organizers delete an observation.")
        else:
            message = _("Only whoever recorded it, hosts and organizers change an observation.")
        raise Refused(message, kind="forbidden")


def _row(day: date | str, value: Decimal | float | str, person_email: str, note: str) -> dict:
    return {
        "date": day.isoformat() if isinstance(day, date) else day,
        "value": value,
        "person_email": person_email,
        "note": note,
    }


def _checked_one(metric: Metric, row: Mapping[str, Any], recorded_by: User | None) -> Observation:
    try:
        (observation,) = importing.check_rows(metric, [row], recorded_by, first_row=0)
    except importing.ImportFailed as exc:
        fields = importing.as_fields(exc.errors, "")
        raise Refused(exc.errors[0].message, fields=fields) from None
    return observation


def record_observation(
    user: User,
    metric: Metric,
    *,
    day: date | str,
    value: Decimal | float | str,
    person_email: str = "",
    note: str = "",
) -> Observation:
    """One observation of `metric`, recorded by `user`. A refusal about one input names it
    as the API does (`date`, `value`, `person_email`, `note`)."""
    check_can_record(user, metric)
    observation = _checked_one(metric, _row(day, value, person_email, note), user)
    observation.save()
    return observation


def record_observations(
    user: User, metric: Metric, *, rows: Sequence[Mapping[str, Any]]
) -> list[Observation]:
    """Many observations (`date`, `value`, `person_email`, `note` each), all or nothing: if
    any is bad the refusal lists every problem under `items.<n>.<column>` (0-based)."""
    check_can_record(user, metric)
    try:
        checked = importing.check_rows(metric, rows, user, first_row=0)
    except importing.ImportFailed as exc:
        raise importing.ImportFailed(exc.errors, fields_under="items") from None
    return importing.record(checked)


def upload_observations(user: User, metric: Metric, *, data: bytes) -> list[Observation]:
    """The observations of a CSV file, all or nothing (importing.ImportFailed lists every
    problem by row and column)."""
    check_can_record(user, metric)
    return importing.import_csv(metric, data, user)


def change_observation(
    user: Person,
    observation: Observation,
    *,
    day: date | str,
    value: Decimal | float | str,
    person_email: str = "",
    note: str = "",
) -> Observation:
    check_can_edit_observation(user, observation)
    checked = _checked_one(
        observation.metric, _row(day, value, person_email, note), observation.recorded_by
    )
    for field in ("observed_on", "value", "person", "note"):
        setattr(observation, field, getattr(checked, field))
    observation.save()
    return observation


def delete_observation(user: Person, observation: Observation) -> None:
    check_can_edit_observation(user, observation, deleting=True)
    observation.delete()


# --- data reporters ----------------------------------------------------------------------------

NAMING_REPORTERS = gettext_lazy("Only hosts and organizers name data reporters.")


def check_can_name_reporters(
    user: Person, *, network: Network, cohort: Cohort | None, metric: Metric | None
) -> None:
    """A grant is for one metric, or for every metric of a cohort; who defines those names
    their data reporters."""
    if metric is not None:
        allowed = policy.can_define_metric(user, metric)
    else:
        allowed = cohort is not None and policy.can_define_metrics(user, network, cohort)
    if not allowed:
        raise Refused(str(NAMING_REPORTERS), kind="forbidden")


def name_reporter(
    user: Person,
    *,
    network: Network,
    cohort: Cohort | None = None,
    metric: Metric | None = None,
    email: str,
) -> MetricReporter:
    """Let the person with `email` (in the network) record observations of `metric`, or of
    every metric of `cohort`."""
    check_can_name_reporters(user, network=network, cohort=cohort, metric=metric)
    email = email.strip()
    person = (
        get_user_model()
        .objects.filter(email__iexact=email, network_memberships__network=network)
        .first()
    )
    if person is None:
        raise Refused(
            _("“%(email)s” is not in %(network)s; invite them to the network first.")
            % {"email": email, "network": network.name},
            field="email",
        )
    grants = MetricReporter.objects.filter(user=person)
    grants = grants.filter(metric=metric) if metric is not None else grants.filter(cohort=cohort)
    if grants.exists():
        raise Refused(
            _("%(name)s is already a data reporter here.") % {"name": person.name}, field="email"
        )
    with transaction.atomic():
        grant = MetricReporter.objects.create(
            network=network,
            cohort=None if metric is not None else cohort,
            metric=metric,
            user=person,
            granted_by=user if user.is_authenticated else None,
        )
    return grant


def remove_reporter(user: Person, grant: MetricReporter) -> None:
    if not policy.can_remove_reporter(user, grant):
        raise Refused(str(NAMING_REPORTERS), kind="forbidden")
    grant.delete()
