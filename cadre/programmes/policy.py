"""Who sees and does what with programmes. Built on the core (`cadre.networks.policy`) and
the schedule's rule for changing a cohort's sessions (`cadre.schedule.policy`).

- A network's programmes are read (and exported) by its insiders: admins, organizers,
  members and mentors. The week a session follows shows on that session's page to whoever
  sees the session, who is an insider too.
- Importing a programme, or adding one that ships with Cadre, is for organizers.
- Laying a programme onto a cohort's schedule is for whoever changes that schedule: the
  cohort's hosts and the network's organizers.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from cadre.cohorts.models import Cohort
from cadre.networks.models import Network
from cadre.networks.policy import Person, can_manage_network, is_network_insider
from cadre.schedule.policy import can_edit_schedule

from .models import Programme


def can_view_programmes(user: Person, network: Network) -> bool:
    """The network's programmes: its insiders (partners see none)."""
    return is_network_insider(user, network)


def visible_programmes(user: Person, network: Network) -> QuerySet[Programme]:
    """`can_view_programmes` as a filter: all the network's programmes, or none."""
    if not can_view_programmes(user, network):
        return Programme.objects.none()
    return Programme.objects.filter(network=network)


def can_view_programme(user: Person, programme: Programme) -> bool:
    return can_view_programmes(user, programme.network)


def can_manage_programmes(user: Person, network: Network) -> bool:
    """Importing programmes into the network: its organizers."""
    return can_manage_network(user, network)


def can_apply_programme(user: Person, cohort: Cohort) -> bool:
    """Laying a programme onto a cohort's schedule: whoever changes the schedule."""
    return can_edit_schedule(user, cohort)


def get_programme_or_404(user: Person, network: Network, pk: int) -> Programme:
    found = visible_programmes(user, network).filter(pk=pk).first()
    if found is None:
        raise Http404("No such programme.")
    return found
