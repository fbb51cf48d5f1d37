"""A cohort's data export page: /n/<network>/c/<cohort>/export/."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from cadre.accounts.http import AuthenticatedRequest
from cadre.cohorts.models import Cohort
from cadre.cohorts.views import cohort_page
from cadre.networks.models import Network
from cadre.transfer.cohort import as_json, export_cohort
from cadre.transfer.policy import can_export_cohort
from cadre.transfer.sheets import ZIP_TYPE, cohort_spreadsheets, zip_name


@login_required
@cohort_page
def cohort_export(request: AuthenticatedRequest, network: Network, cohort: Cohort) -> HttpResponse:
    if not can_export_cohort(request.user, cohort):
        raise Http404("No such page.")
    wanted = request.GET.get("format")
    if wanted not in (None, "json", "csv"):
        return HttpResponse(
            _("Unknown format: choose json or csv."), status=400, content_type="text/plain"
        )
    if wanted is None:
        return render(
            request, "transfer/cohort_export.html", {"network": network, "cohort": cohort}
        )
    if wanted == "json":
        document = export_cohort(cohort, request.user)
        response = HttpResponse(as_json(document), content_type="application/json")
        response["Content-Disposition"] = (
            f'attachment; filename="{network.slug}-{cohort.slug}.json"'
        )
    else:
        response = HttpResponse(
            cohort_spreadsheets(request.user, cohort=cohort), content_type=ZIP_TYPE
        )
        response["Content-Disposition"] = f'attachment; filename="{zip_name(cohort)}"'
    return response
