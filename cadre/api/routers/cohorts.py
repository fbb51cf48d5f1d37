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
    CohortStatusIn,
    ErrorOut,
    Id,
    MemberIn,
    MemberMoveIn,
    MemberRoleIn,
    MembershipOut,
)
from cadre.cohorts import policy, services
from cadre.cohorts.models import Charter, Cohort, CohortMembership, CohortStatus
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
def cohorts(request: HttpRequest, slug: str, include_archived: bool = False) -> QuerySet[Cohort]:
    """The network's cohorts that you may open: yours, those shared with the network, and all
    of them for organizers. Archived cohorts only with include_archived=true."""
    user = user_of(request)
    network = network_policy.get_network_or_404(user, slug)
    require_conduct(request, network)
    found = policy.visible_cohorts(user, network)
    if not include_archived:
        found = found.exclude(status=CohortStatus.ARCHIVED)
    return found.select_related("network").order_by("name", "pk")


@router.post(
    "/networks/{slug}/cohorts",
    response={201: CohortOut},
    summary="Start a cohort (organizers)",
)
def create_cohort(request: HttpRequest, slug: str, payload: CohortIn) -> Status[Cohort]:
    user = user_of(request)
    network = network_policy.get_network_or_404(user, slug)
    require_conduct(request, network)
    fields = payload.model_dump()
    hosts = services.people_by_ids(network, fields.pop("hosts"))
    return Status(201, services.create_cohort(user, network, hosts=hosts, **fields))


@router.get(COHORT, response={200: CohortOut}, summary="A cohort")
def cohort_detail(request: HttpRequest, slug: str, cohort: str) -> Cohort:
    return _cohort(request, slug, cohort)


@router.patch(COHORT, response={200: CohortOut, 409: ErrorOut}, summary="Change a cohort")
def update_cohort(request: HttpRequest, slug: str, cohort: str, payload: CohortPatch) -> Cohort:
    """Changes only the fields sent: organizers every field, the cohort's hosts its objective,
    outcomes, cadence, time zone, session length and start date. A status change follows the
    lifecycle (as POST .../status)."""
    found = _cohort(request, slug, cohort)
    changes = payload.model_dump(exclude_unset=True)
    hosts = changes.pop("hosts", None)
    return services.update_cohort(
        user_of(request),
        found,
        hosts=None if hosts is None else services.people_by_ids(found.network, hosts),
        **changes,
    )


@router.post(
    COHORT + "/status", response={200: CohortOut, 409: ErrorOut}, summary="Change a cohort's status"
)
def change_status(request: HttpRequest, slug: str, cohort: str, payload: CohortStatusIn) -> Cohort:
    """Organizers: forming → active, active ↔ paused, active or paused → completed, completed →
    archived, and archived → completed. Any other move is refused (409) with the reason."""
    found = _cohort(request, slug, cohort)
    return services.change_status(user_of(request), found, status=payload.status)


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


@router.post(
    COHORT + "/memberships",
    response={201: MembershipOut, 409: ErrorOut},
    summary="Add a person of the network to the cohort (organizers)",
)
def add_member(
    request: HttpRequest, slug: str, cohort: str, payload: MemberIn
) -> Status[CohortMembership]:
    """As member or host. Someone who left the cohort before gets their place back."""
    found = _cohort(request, slug, cohort)
    person = services.find_person(found.network, payload.user_id)
    return Status(
        201, services.add_member(user_of(request), found, person=person, role=payload.role)
    )


@router.delete(
    COHORT + "/memberships/{user_id}",
    response={200: MembershipOut, 409: ErrorOut, 422: ErrorOut},
    summary="Remove a member from the cohort (organizers)",
)
def remove_member(request: HttpRequest, slug: str, cohort: str, user_id: Id) -> CohortMembership:
    """Ends the membership today (left_on); it, the person's commitments and updates are kept.
    Answers with the ended membership."""
    found = _cohort(request, slug, cohort)
    person = services.find_person(found.network, user_id)
    return services.remove_member(user_of(request), found, person=person)


@router.patch(
    COHORT + "/memberships/{user_id}",
    response={200: MembershipOut, 409: ErrorOut, 422: ErrorOut},
    summary="Change a member's role (organizers)",
)
def change_role(
    request: HttpRequest, slug: str, cohort: str, user_id: Id, payload: MemberRoleIn
) -> CohortMembership:
    found = _cohort(request, slug, cohort)
    person = services.find_person(found.network, user_id)
    return services.change_role(user_of(request), found, person=person, role=payload.role)


@router.post(
    COHORT + "/memberships/{user_id}/move",
    response={200: MembershipOut, 409: ErrorOut, 422: ErrorOut},
    summary="Move a member to another cohort of the network (organizers)",
)
def move_member(
    request: HttpRequest, slug: str, cohort: str, user_id: Id, payload: MemberMoveIn
) -> CohortMembership:
    """They leave this cohort today and join the other as a member; what they wrote here stays
    here. Answers with the new membership."""
    found = _cohort(request, slug, cohort)
    person = services.find_person(found.network, user_id)
    to = services.find_cohort(found.network, payload.to)
    return services.move_member(user_of(request), found, person=person, to=to)
