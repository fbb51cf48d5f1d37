"""A cohort's data export in the API: the same document as the export page's JSON."""

from typing import Any

from django.http import HttpRequest
from ninja import Router

from cadre.api import errors
from cadre.api.routers import require_conduct, user_of
from cadre.cohorts.policy import get_cohort_or_404
from cadre.transfer.cohort import export_cohort
from cadre.transfer.policy import can_export_cohort

router = Router(tags=["exports"])


@router.get(
    "/networks/{slug}/cohorts/{cohort}/export",
    response={200: dict[str, Any]},
    summary="A cohort's data (hosts and organizers)",
    description="For each kind of record of the cohort, exactly the rows the caller may open "
    "on the pages (private rows, coaching sessions they did not sit in and feedback not "
    "shared with them stay out; skill assessments only as growth means); people by id and "
    "name. The same document as the export page's JSON download.",
)
def cohort_export(request: HttpRequest, slug: str, cohort: str) -> Any:
    user = user_of(request)
    found = get_cohort_or_404(user, slug, cohort)
    require_conduct(request, found.network)
    if not can_export_cohort(user, found):
        raise errors.forbidden(
            "Only the cohort's hosts and the network's organizers export its data."
        )
    return export_cohort(found, user)
