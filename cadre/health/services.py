"""Every write of cohort health, for the pages and the API alike: refreshing one cohort's
snapshot, queueing the whole network's, and changing the network's thresholds. Each checks
who may (`cadre.health.policy`) and raises `cadre.lib.rules.Refused` with the sentence
people see."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cadre.cohorts.models import Cohort
from cadre.lib.rules import Refused
from cadre.networks.models import Network
from cadre.networks.policy import Person

from . import facts, policy, tasks
from .models import CohortHealth, HealthSettings


def refresh_cohort(user: Person, cohort: Cohort) -> CohortHealth:
    """Recompute the cohort's snapshot now."""
    if not policy.can_refresh_cohort_health(user, cohort):
        raise Refused(
            _("Only the cohort’s hosts and the network’s organizers refresh it."), kind="forbidden"
        )
    if cohort.status not in facts.TRACKED:
        raise Refused(_("Only running cohorts have a health snapshot."), kind="conflict")
    return facts.refresh_cohort(cohort)


def _check_organizer(user: Person, network: Network) -> None:
    if not policy.can_edit_health_settings(user, network):
        raise Refused(
            _("Only the network's admins and organizers change thresholds."), kind="forbidden"
        )


def refresh_network(user: Person, network: Network) -> None:
    """Queue every running cohort of the network for the worker to recompute."""
    if not policy.can_view_network_health(user, network):
        raise Refused(_("Only the network's admins and organizers refresh it."), kind="forbidden")
    tasks.refresh_network_health.enqueue(network.pk)


def change_settings(user: Person, network: Network, *, values: Mapping[str, int]) -> HealthSettings:
    """Set the network's thresholds (HealthSettings.FIELDS; the others are kept), then queue
    every cohort to be recomputed with them."""
    _check_organizer(user, network)
    unknown = set(values) - set(HealthSettings.FIELDS)
    if unknown:
        raise ValueError(f"Not a threshold: {', '.join(sorted(unknown))}")
    current = HealthSettings.for_network(network)
    for name, value in values.items():
        setattr(current, name, value)
    try:
        current.full_clean(exclude=["network"])
    except ValidationError as exc:
        fields = {
            ("body" if name == "__all__" else name): list(messages)
            for name, messages in exc.message_dict.items()
        }
        raise Refused(next(iter(fields.values()))[0], fields=fields) from None
    with transaction.atomic():
        current.save()
    tasks.refresh_network_health.enqueue(network.pk)
    return current
