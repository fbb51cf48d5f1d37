"""/networks/{slug}/cohorts: cohorts, their versioned charters and their rosters. Everything
here is cohort content, so it waits for the code of conduct to be accepted. The order of
checks is the same everywhere: find what the person may see (404 otherwise), then the code
of conduct, then whether they may change it (403)."""

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from cadre.api import errors
from cadre.api.routers import Pagination, require_conduct, user_of
from cadre.api.schemas import (
    CharterIn,
    CharterOut,
    CohortIn,
    CohortOut,
    CohortPatch,
    MembershipOut,
)
from cadre.cohorts import policy, services
from cadre.cohorts.models import Charter, Cohort, CohortMembership
from cadre.networks import policy as network_policy

router = Router(tags=["cohorts"])

COHORT = "/networks/{slug}/cohorts/{cohort}"


def _cohort(request: HttpRequest, slug: str, cohort: str) -> Cohort:
    """The cohort if the person may open it (404 otherwise), once they accepted the code."""
    found = policy.get_cohort_or_404(user_of(request), slug, cohort)
    require_conduct(request, found.network)
    return found


# --- cohorts -----------------------------------------------------------------------------


@router.get("/networks/{slug}/cohorts", response={200: list[CohortOut]}, summary="Cohorts")
@paginate(Pagination)
def cohorts(request: HttpRequest, slug: str) -> QuerySet[Cohort]:
    """The network's cohorts that you may open: yours, those shared with the network, and all
    of them for organizers."""
    user = user_of(request)
    network = network_policy.get_network_or_404(user, slug)
    require_conduct(request, network)
    return policy.visible_cohorts(user, network).select_related("network").order_by("name", "pk")


@router.post(
    "/networks/{slug}/cohorts",
    response={201: CohortOut},
    summary="Start a cohort (organizers)",
)
def create_cohort(request: HttpRequest, slug: str, payload: CohortIn) -> Status[Cohort]:
    user = user_of(request)
    network = network_policy.get_network_or_404(user, slug)
    require_conduct(request, network)
    return Status(201, services.create_cohort(user, network, **payload.model_dump()))


@router.get(COHORT, response={200: CohortOut}, summary="A cohort")
def cohort_detail(request: HttpRequest, slug: str, cohort: str) -> Cohort:
    return _cohort(request, slug, cohort)


@router.patch(COHORT, response={200: CohortOut}, summary="Change a cohort")
def update_cohort(request: HttpRequest, slug: str, cohort: str, payload: CohortPatch) -> Cohort:
    """Changes only the fields sent (organizers)."""
    found = _cohort(request, slug, cohort)
    return services.update_cohort(user_of(request), found, **payload.model_dump(exclude_unset=True))


# --- charters ----------------------------------------------------------------------------


@router.get(
    COHORT + "/charters",
    response={200: list[CharterOut]},
    summary="Every version of the charter",
)
@paginate(Pagination)
def charters(request: HttpRequest, slug: str, cohort: str) -> QuerySet[Charter]:
    """Newest first."""
    found = _cohort(request, slug, cohort)
    return found.charters.select_related("created_by").order_by("-version")


@router.get(
    COHORT + "/charters/current",
    response={200: CharterOut},
    summary="The current charter",
)
def current_charter(request: HttpRequest, slug: str, cohort: str) -> Charter:
    found = _cohort(request, slug, cohort)
    charter = found.charters.select_related("created_by").order_by("-version").first()
    if charter is None:
        raise errors.not_found(f"{found.name} has no charter yet.")
    return charter


@router.post(
    COHORT + "/charters",
    response={201: CharterOut},
    summary="Save a new version of the charter (hosts, organizers)",
)
def create_charter(
    request: HttpRequest, slug: str, cohort: str, payload: CharterIn
) -> Status[Charter]:
    """Charters are never edited: each change is a new version, numbered one past the last.
    A version that changes nothing is refused, and so is one without a change note once there
    is a version before it."""
    found = _cohort(request, slug, cohort)
    charter = services.save_charter(user_of(request), found, **payload.model_dump())
    return Status(201, charter)


# --- roster ------------------------------------------------------------------------------


@router.get(COHORT + "/memberships", response={200: list[MembershipOut]}, summary="Roster")
@paginate(Pagination)
def memberships(
    request: HttpRequest, slug: str, cohort: str, include_past: bool = False
) -> QuerySet[CohortMembership]:
    """The cohort's current members; with include_past=true also those who left."""
    found = _cohort(request, slug, cohort)
    roster = CohortMembership.objects.filter(cohort=found).select_related("user")
    if not include_past:
        roster = roster.active()
    return roster.order_by("user__name", "pk")
