"""A cohort's impact report: the page /n/<network>/c/<cohort>/impact/ and its PDF.

Both wrap `cohort_page` (404 for people who may not see the cohort, the code-of-conduct gate)
and then ask cadre.impact.policy whether the report is theirs to read. Both are built from
the same `gather(...)`, so the page, the PDF and the API never disagree."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cadre.accounts.http import AuthenticatedRequest
from cadre.cohorts.models import Cohort
from cadre.cohorts.views import CohortView, cohort_page
from cadre.metrics.builtins import amount
from cadre.networks.models import Network

from .charts import metric_charts, skill_chart
from .pdf import render_pdf
from .policy import can_view_impact_report
from .report import gather


def impact_page(view: CohortView) -> CohortView:
    """Signed in, `cohort_page`, then 404 for people who see the cohort but not its report
    (partners and mentors of a cohort they are not in, unless it is shared)."""
    gated = cohort_page(require=can_view_impact_report)(view)
    return login_required(require_GET(gated))


@impact_page
def report(request: AuthenticatedRequest, network: Network, cohort: Cohort) -> HttpResponse:
    found = gather(cohort, viewer=request.user)
    context = {
        "network": network,
        "cohort": cohort,
        "report": found,
        "metric_charts": metric_charts(found.metrics),
        "skill_chart": skill_chart(found.skills),
        "weekly_hours": amount(found.purpose.weekly_hours, "hours"),
        "hours_together": amount(found.sessions.hours, "hours"),
    }
    return render(request, "impact/report.html", context)


@impact_page
def report_pdf(request: AuthenticatedRequest, network: Network, cohort: Cohort) -> HttpResponse:
    found = gather(cohort, viewer=request.user)
    response = HttpResponse(render_pdf(found), content_type="application/pdf")
    filename = f"{network.slug}-{cohort.slug}-impact-{found.generated_on:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
