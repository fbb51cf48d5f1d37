"""A cohort's data export in the API: the same document as the export page's JSON, and the
same zip of spreadsheets as its CSV download."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router

from cadre.api import errors
from cadre.api.routers import require_conduct, user_of
from cadre.cohorts.policy import get_cohort_or_404
from cadre.transfer.cohort import export_cohort
from cadre.transfer.policy import EXPORT_IS_FOR_HOSTS, can_export_cohort
from cadre.transfer.sheets import ZIP_TYPE, cohort_spreadsheets, zip_name

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
        raise errors.forbidden(EXPORT_IS_FOR_HOSTS)
    return export_cohort(found, user)


@router.get(
    "/networks/{slug}/cohorts/{cohort}/export/csv",
    response={200: None},
    summary="A cohort's data as spreadsheets (hosts and organizers)",
    description="A zip of CSV files (members, sessions, attendance, commitments, updates, "
    "experiments, metrics) with people by name and e-mail, human column names and ISO dates, "
    "holding exactly the rows the caller may open on the pages. The same zip as the export "
    "page's CSV download.",
    openapi_extra={
        "responses": {
            200: {
                "description": "The zip of CSV files.",
                "content": {ZIP_TYPE: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def cohort_export_csv(request: HttpRequest, slug: str, cohort: str) -> HttpResponse:
    user = user_of(request)
    found = get_cohort_or_404(user, slug, cohort)
    require_conduct(request, found.network)
    response = HttpResponse(cohort_spreadsheets(user, cohort=found), content_type=ZIP_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{zip_name(found)}"'
    return response
