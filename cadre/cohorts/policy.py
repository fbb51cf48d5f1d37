"""Who may see and change a cohort: the cohort half of the core that every feature app's
policy stands on (the network half is `cadre.networks.policy`).

Inside a network, a cohort's content is for the cohort's active members and the network's
organizers, unless the cohort is shared with the network, which lets every network insider
read its charter and roster. Changing a charter is for the cohort's hosts and the network's
organizers; the cohort's settings are the organizers'.

`can_view_cohort` (one cohort) and `visible_cohorts` (a list) state the same rule; the tests
check that they agree.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from cadre.networks.models import Network, Role
from cadre.networks.policy import Person, can_manage_network, network_role, remembered

from .models import Cohort, CohortMembership, CohortRole, CohortStatus


def active_cohort_roles(user: Person) -> dict[int, str]:
    """cohort id -> cohort role, for the cohorts the user is an active member of."""
    if not user.is_authenticated:
        return {}
    cache = remembered(user)
    if "cohort_roles" not in cache:
        # No ordering: the model's would join the cohorts, networks and people to sort a dict.
        cache["cohort_roles"] = dict(
            CohortMembership.objects.active()
            .filter(user=user)
            .order_by()
            .values_list("cohort_id", "role")
        )
    return cache["cohort_roles"]


def cohort_role(user: Person, cohort: Cohort) -> str | None:
    return active_cohort_roles(user).get(cohort.pk)


def is_cohort_member(user: Person, cohort: Cohort) -> bool:
    return cohort_role(user, cohort) is not None


def member_of(user: Person) -> Q:
    """The cohorts `user` is an active member of, as a filter on cohorts: `is_cohort_member`
    for a list, read from the same per-request cache (no subquery)."""
    return Q(pk__in=list(active_cohort_roles(user)))


def is_cohort_host(user: Person, cohort: Cohort) -> bool:
    return cohort_role(user, cohort) == CohortRole.HOST


def can_view_cohort(user: Person, cohort: Cohort) -> bool:
    role = network_role(user, cohort.network)
    if role is None:
        return False
    if is_cohort_member(user, cohort) or can_manage_network(user, cohort.network):
        return True
    return cohort.shared_with_network and role != Role.PARTNER


def visible_cohorts(user: Person, network: Network) -> QuerySet[Cohort]:
    """The cohorts of `network` that `user` may open: `can_view_cohort` as a filter."""
    role = network_role(user, network)
    if role is None:
        return Cohort.objects.none()
    # Through the network's own manager, so every cohort's `network` is `network` without a
    # join or a query (pages link to each cohort).
    cohorts = network.cohorts.all()
    if can_manage_network(user, network):
        return cohorts
    mine = member_of(user)
    if role == Role.PARTNER:
        return cohorts.filter(mine)
    return cohorts.filter(mine | Q(shared_with_network=True))


# What a host may change of their own cohort's settings: how it meets and what it sets out
# to do. Its name, address, visibility, hosts, status and roster are the organizers'.
HOST_EDITABLE = frozenset(
    {"objective", "outcomes", "cadence", "time_zone", "session_minutes", "starts_on"}
)


def can_edit_cohort(user: Person, cohort: Cohort) -> bool:
    """May open the cohort's settings: its hosts (the fields in HOST_EDITABLE) and the
    network's organizers (every field)."""
    return is_cohort_host(user, cohort) or can_manage_cohort(user, cohort)


def can_manage_cohort(user: Person, cohort: Cohort) -> bool:
    """The cohort's name, visibility, hosts, status and roster: the network's organizers."""
    return can_manage_network(user, cohort.network)


def can_edit_charter(user: Person, cohort: Cohort) -> bool:
    return is_cohort_host(user, cohort) or can_manage_network(user, cohort.network)


def find_cohort(user: Person, network_slug: str, cohort_slug: str) -> Cohort | None:
    """The cohort (with its network) if `user` may open it, else None (`get_cohort_or_404`
    without the 404). Looked up once per request: the page's view and its header
    (cadre.navigation) both ask."""
    cache = remembered(user)
    key = f"cohort:{network_slug}/{cohort_slug}"
    if key not in cache:
        cache[key] = (
            Cohort.objects.select_related("network")
            .filter(network__slug=network_slug, slug=cohort_slug)
            .order_by()
            .first()
        )
    cohort: Cohort | None = cache[key]
    return cohort if cohort is not None and can_view_cohort(user, cohort) else None


def get_cohort_or_404(user: Person, network_slug: str, cohort_slug: str) -> Cohort:
    """The cohort, or 404 for anyone who may not open it."""
    cohort = find_cohort(user, network_slug, cohort_slug)
    if cohort is None:
        raise Http404("No such cohort.")
    return cohort


# --- closing a cohort: the close page, the end-of-cohort survey ------------------------------


def can_close_cohort(user: Person, cohort: Cohort) -> bool:
    """The close page (impact report, survey results, renew, graduate or a next intake): the
    cohort's hosts and the network's organizers. Renewing and graduating are the organizers'
    (`can_manage_cohort`), as the roster and status are."""
    return is_cohort_host(user, cohort) or can_manage_cohort(user, cohort)


def can_answer_survey(user: Person, cohort: Cohort) -> bool:
    """The end-of-cohort survey is for the cohort's members (hosts too), once it has
    finished; an archived cohort's answers are read, no longer changed."""
    return is_cohort_member(user, cohort) and cohort.status in (
        CohortStatus.COMPLETED,
        CohortStatus.ARCHIVED,
    )


def can_read_survey_results(user: Person, cohort: Cohort) -> bool:
    """The survey's results, without names: the cohort's hosts and the network's organizers.
    Each member reads their own answer and nobody else's."""
    return can_close_cohort(user, cohort)
