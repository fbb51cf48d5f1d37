"""Who may see a cohort's health and the network's, and change how it is judged.

A cohort's drift signals, with names, are for its hosts, the facilitator of its next session
and the network's organizers; they also refresh it (the facilitator excepted). Its active
members see a summary without names: numbers and signal summaries, never who missed what.
Every cohort's health side by side, refreshing them all, and the network's thresholds are for
the network's admins and organizers. Sharing a cohort with the network shares none of this.
"""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone

from cadre.cohorts.models import Cohort
from cadre.cohorts.policy import get_cohort_or_404, is_cohort_host, is_cohort_member
from cadre.networks.models import Network
from cadre.networks.policy import Person, can_manage_network, remembered

# The session role whose holder, at the cohort's next session, watches its health too.
FACILITATOR = "facilitator"


def is_next_facilitator(user: Person, cohort: Cohort) -> bool:
    """Whether `user`, an active member, facilitates the cohort's next held session."""
    if not is_cohort_member(user, cohort):
        return False
    cache = remembered(user)
    key = f"next_facilitator:{cohort.pk}"
    if key not in cache:
        from cadre.schedule.models import RoleAssignment, Session

        upcoming = (
            Session.objects.held()
            .filter(cohort=cohort, starts_at__gt=timezone.now())
            .order_by("starts_at")
            .values("pk")[:1]
        )
        cache[key] = RoleAssignment.objects.filter(
            session__in=upcoming, role=FACILITATOR, user=user
        ).exists()
    return bool(cache[key])


def can_refresh_cohort_health(user: Person, cohort: Cohort) -> bool:
    return can_manage_network(user, cohort.network) or is_cohort_host(user, cohort)


def can_view_cohort_health(user: Person, cohort: Cohort) -> bool:
    """The drift signals of a cohort, names included."""
    return can_refresh_cohort_health(user, cohort) or is_next_facilitator(user, cohort)


def can_view_health_summary(user: Person, cohort: Cohort) -> bool:
    """The cohort's health without names."""
    return is_cohort_member(user, cohort) or can_view_cohort_health(user, cohort)


def get_health_cohort_or_404(user: Person, network_slug: str, cohort_slug: str) -> Cohort:
    """The cohort, or 404 for anyone who may not see even its member-safe health summary."""
    cohort = get_cohort_or_404(user, network_slug, cohort_slug)
    if not can_view_health_summary(user, cohort):
        raise Http404("No such page.")
    return cohort


def can_view_network_health(user: Person, network: Network) -> bool:
    """Every cohort's health side by side (cadre.health.overview.snapshots lists them), and
    refreshing them all: admins and organizers."""
    return can_manage_network(user, network)


def can_edit_health_settings(user: Person, network: Network) -> bool:
    return can_manage_network(user, network)
