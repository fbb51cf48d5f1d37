"""Who may read a cohort's impact report (the page, its PDF and the API alike).

The report counts and lists only cohort-visible items; it is for whoever sees the cohort's
board (its active members and the network's organizers) and, when the cohort is shared with
the network, also for the network's members and mentors, whom it is written to inform. Never
for partners outside the cohort.
"""

from __future__ import annotations

from django.http import Http404

from cadre.accountability.policy import can_view_board
from cadre.cohorts.models import Cohort
from cadre.cohorts.policy import can_view_cohort, get_cohort_or_404
from cadre.networks.policy import Person


def can_view_impact_report(user: Person, cohort: Cohort) -> bool:
    if can_view_board(user, cohort):
        return True
    return cohort.shared_with_network and can_view_cohort(user, cohort)


def get_impact_cohort_or_404(user: Person, network_slug: str, cohort_slug: str) -> Cohort:
    cohort = get_cohort_or_404(user, network_slug, cohort_slug)
    if not can_view_impact_report(user, cohort):
        raise Http404("No such page.")
    return cohort
