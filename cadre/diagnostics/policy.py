"""Who may see and take part in a cohort's skill diagnostics.

A cohort's targets, rounds, gap map and growth are for its active members (who see each
other's self-assessed levels) and the network's organizers; sharing the cohort with the
network does not share them, and mentors or partners see them only as members of the cohort.
Target skills and rounds are set by the cohort's hosts and the network's organizers. The
cohort's learners (its active members and hosts, not its mentors or observers, nor organizers
outside it) assess themselves and each other. A member's growth is for the member, the
cohort's hosts and the organizers; so is every suggestion, while a member sees those they are
part of.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404

from cadre.cohorts.models import Cohort
from cadre.cohorts.policy import (
    can_edit_charter,
    cohort_role,
    get_cohort_or_404,
    is_cohort_member,
)
from cadre.networks.policy import Person, can_manage_network

from .models import LEARNING_ROLES

if TYPE_CHECKING:
    from .analysis import Suggestions


def can_view_diagnostics(user: Person, cohort: Cohort) -> bool:
    return is_cohort_member(user, cohort) or can_manage_network(user, cohort.network)


def get_diagnostics_cohort_or_404(user: Person, network_slug: str, cohort_slug: str) -> Cohort:
    cohort = get_cohort_or_404(user, network_slug, cohort_slug)
    if not can_view_diagnostics(user, cohort):
        raise Http404("No such page.")
    return cohort


def can_manage_diagnostics(user: Person, cohort: Cohort) -> bool:
    """Target skills and assessment rounds: the cohort's hosts and the network's organizers."""
    return can_edit_charter(user, cohort)


def can_assess(user: Person, cohort: Cohort) -> bool:
    """Self- and peer assessments are for the cohort's learners; the list of them is
    `cadre.diagnostics.models.learners`, the same roles."""
    return cohort_role(user, cohort) in LEARNING_ROLES


def can_view_growth_of(user: Person, cohort: Cohort, subject_id: int) -> bool:
    """A member's growth (their levels per round and their peer means): the member, the
    cohort's hosts and the network's organizers."""
    if not can_view_diagnostics(user, cohort):
        return False
    return user.pk == subject_id or can_manage_diagnostics(user, cohort)


def visible_suggestions(user: Person, cohort: Cohort, suggestions: Suggestions) -> Suggestions:
    """Hosts and organizers see every skill-share and mentor suggestion; a member sees those
    they are part of."""
    if can_manage_diagnostics(user, cohort):
        return suggestions
    return suggestions.involving(user.pk)
