"""Who may download a cohort's data: its hosts and the network's organizers, the people who
may change its charter. Each gets exactly the rows the pages let them open
(`cadre.transfer.cohort.READABLE`)."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from cadre.cohorts.models import Cohort
from cadre.cohorts.policy import can_edit_charter
from cadre.networks.policy import Person

EXPORT_IS_FOR_HOSTS = gettext_noop(
    "Only the cohort's hosts and the network's organizers export its data."
)


def can_export_cohort(user: Person, cohort: Cohort) -> bool:
    return can_edit_charter(user, cohort)
