"""/networks/{slug}/cohorts: cohorts, their versioned charters and their rosters. Everything
here is cohort content, so it waits for the code of conduct to be accepted. The order of
checks is the same everywhere: find what the person may see (404 otherwise), then the code
of conduct, then whether they may change it (403)."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.http import HttpRequest
from django.utils import timezone
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
from cadre.cohorts.models import Charter, Cohort, CohortMembership
from cadre.lib import permissions

router = Router(tags=["cohorts"])

COHORT = "/networks/{slug}/cohorts/{cohort}"


def _cohort(request: HttpRequest, slug: str, cohort: str) -> Cohort:
    """The cohort if the person may open it (404 otherwise), once they accepted the code."""
    found = permissions.get_cohort_or_404(user_of(request), slug, cohort)
    require_conduct(request, found.network)
    return found


def _slug_taken(network_id: int, slug: str, exclude_pk: int | None = None) -> bool:
    return Cohort.objects.filter(network_id=network_id, slug=slug).exclude(pk=exclude_pk).exists()


def _apply(cohort: Cohort, changes: dict[str, Any]) -> None:
    """Set the changes on `cohort` and run the model's validators; 422 if any fail."""
    if "outcomes" in changes:
        outcomes = changes["outcomes"]
        changes["outcomes"] = (
            "\n".join(line.strip() for line in outcomes if line.strip()) if outcomes else ""
        )
    for name, value in changes.items():
        setattr(cohort, name, value)
    problems: dict[str, list[str]] = {}
    try:
        cohort.full_clean(exclude=["network"], validate_unique=False, validate_constraints=False)
    except DjangoValidationError as exc:
        problems.update(errors.invalid_from_django(exc).fields or {})
    if "slug" in changes and _slug_taken(cohort.network_id, cohort.slug, cohort.pk):
        problems.setdefault("slug", []).append(
            f"{cohort.network.name} already has a cohort with the slug “{cohort.slug}”."
        )
    if problems:
        raise errors.invalid(problems)


def _save(cohort: Cohort) -> None:
    try:
        with transaction.atomic():
            cohort.save()
    except IntegrityError:
        # Someone took the slug between the check and the save.
        raise errors.invalid(
            {"slug": [f"{cohort.network.name} already has a cohort with this slug."]}
        ) from None


# --- cohorts -----------------------------------------------------------------------------


@router.get("/networks/{slug}/cohorts", response={200: list[CohortOut]}, summary="Cohorts")
@paginate(Pagination)
def cohorts(request: HttpRequest, slug: str) -> QuerySet[Cohort]:
    """The network's cohorts that you may open: yours, those shared with the network, and all
    of them for organizers."""
    user = user_of(request)
    network = permissions.get_network_or_404(user, slug)
    require_conduct(request, network)
    return (
        permissions.visible_cohorts(user, network).select_related("network").order_by("name", "pk")
    )


@router.post(
    "/networks/{slug}/cohorts",
    response={201: CohortOut},
    summary="Start a cohort (organizers)",
)
def create_cohort(request: HttpRequest, slug: str, payload: CohortIn) -> Status[Cohort]:
    user = user_of(request)
    network = permissions.get_network_or_404(user, slug)
    require_conduct(request, network)
    if not permissions.can_manage_network(user, network):
        raise errors.forbidden(f"Only the organizers of {network.name} start cohorts.")
    cohort = Cohort(network=network)
    _apply(cohort, payload.model_dump())
    _save(cohort)
    return Status(201, cohort)


@router.get(COHORT, response={200: CohortOut}, summary="A cohort")
def cohort_detail(request: HttpRequest, slug: str, cohort: str) -> Cohort:
    return _cohort(request, slug, cohort)


@router.patch(COHORT, response={200: CohortOut}, summary="Change a cohort")
def update_cohort(request: HttpRequest, slug: str, cohort: str, payload: CohortPatch) -> Cohort:
    """Changes only the fields sent (organizers)."""
    found = _cohort(request, slug, cohort)
    if not permissions.can_edit_cohort(user_of(request), found):
        raise errors.forbidden("Only the network's organizers change a cohort's settings.")
    _apply(found, payload.model_dump(exclude_unset=True))
    _save(found)
    return found


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
    """Charters are never edited: each change is a new version, numbered one past the last."""
    user = user_of(request)
    found = _cohort(request, slug, cohort)
    if not permissions.can_edit_charter(user, found):
        raise errors.forbidden(
            "Only the cohort's hosts and the network's organizers change the charter."
        )
    if payload.next_review_on <= timezone.localdate():
        raise errors.invalid({"next_review_on": ["The next review must be a date in the future."]})
    formats = list(dict.fromkeys(f.value for f in payload.learning_formats))
    with transaction.atomic():
        # Lock the cohort so two editors saving at once get consecutive versions.
        Cohort.objects.select_for_update().filter(pk=found.pk).first()
        latest = found.charters.aggregate(latest=Max("version"))["latest"] or 0
        charter = Charter.objects.create(
            cohort=found,
            version=latest + 1,
            mission=payload.mission,
            weekly_hours=payload.weekly_hours,
            learning_formats=formats,
            project_kinds=payload.project_kinds,
            norms=payload.norms,
            next_review_on=payload.next_review_on,
            change_note=payload.change_note,
            created_by=user,
        )
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
