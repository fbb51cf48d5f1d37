"""Closing a cohort: the close page (impact report, survey results, renew, graduate, next
intake), the end-of-cohort survey members answer, and the two closing steps. The services
are in closing.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cadre.accounts.http import AuthenticatedRequest
from cadre.lib.forms import ANSWER_SAVED
from cadre.lib.rules import Refused, raise_for_page, show_on_form
from cadre.networks.models import Network

from . import closing, policy
from .contributions import close_sections
from .forms import RenewForm, SurveyForm
from .models import Cohort, CohortStatus
from .views import _refused, cohort_page


def _renew_suggestion(cohort: Cohort) -> dict[str, str]:
    n = 2
    while True:
        slug = f"{cohort.slug[:55]}-{n}"
        if not Cohort.objects.filter(network_id=cohort.network_id, slug=slug).exists():
            return {"name": f"{cohort.name} ({n})"[:120], "slug": slug}
        n += 1


def _close_context(
    request: AuthenticatedRequest, network: Network, cohort: Cohort, **extra: object
) -> dict[str, object]:
    return {
        "network": network,
        "cohort": cohort,
        "completed": cohort.status == CohortStatus.COMPLETED,
        "finished": cohort.status in (CohortStatus.COMPLETED, CohortStatus.ARCHIVED),
        "results": closing.survey_results(request.user, cohort),
        "questions": closing.SURVEY_QUESTIONS,
        "can_close": policy.can_manage_cohort(request.user, cohort),
        "renew_form": extra.pop("renew_form", None) or RenewForm(initial=_renew_suggestion(cohort)),
        "renewals": list(cohort.renewals.order_by("created_at")),
        "graduates": cohort.active_memberships().filter(graduated_on__isnull=False).count(),
        "turnover": closing.turnover_count(cohort),
        "sections": close_sections(request.user, cohort),
        **extra,
    }


@login_required
@require_http_methods(["GET"])
@cohort_page(require=policy.can_close_cohort)
def close(request: AuthenticatedRequest, network: Network, cohort: Cohort) -> HttpResponse:
    """The close step, for the cohort's hosts and the network's organizers."""
    return render(request, "cohorts/close.html", _close_context(request, network, cohort))


@login_required
@require_POST
@cohort_page(require=policy.can_close_cohort)
def renew(request: AuthenticatedRequest, network: Network, cohort: Cohort) -> HttpResponse:
    form = RenewForm(request.POST)
    if form.is_valid():
        try:
            renewal = closing.renew_cohort(
                request.user,
                cohort,
                name=form.cleaned_data["name"],
                slug=form.cleaned_data["slug"],
            )
        except Refused as refusal:
            raise_for_page(refusal)
            show_on_form(form, refusal)
        else:
            messages.success(
                request,
                _(
                    "%(renewal)s is set up and forming, with the same people as "
                    "%(cohort)s. Make it active when it starts meeting."
                )
                % {"renewal": renewal.name, "cohort": cohort.name},
            )
            return redirect(renewal)
    context = _close_context(request, network, cohort, renew_form=form)
    return render(request, "cohorts/close.html", context, status=400)


@login_required
@require_POST
@cohort_page(require=policy.can_close_cohort)
def graduate(request: AuthenticatedRequest, network: Network, cohort: Cohort) -> HttpResponse:
    try:
        closing.graduate_cohort(request.user, cohort)
    except Refused as refusal:
        return _refused(request, network, cohort, refusal)
    messages.success(
        request,
        _("%(cohort)s has graduated: its members are graduates and it is archived.")
        % {"cohort": cohort.name},
    )
    return redirect("cohorts:close", network.slug, cohort.slug)


@login_required
@require_http_methods(["GET", "POST"])
@cohort_page(require=policy.can_answer_survey)
def survey(request: AuthenticatedRequest, network: Network, cohort: Cohort) -> HttpResponse:
    """The end-of-cohort survey: a member answers once and changes it until the archive."""
    answer = closing.my_answer(request.user, cohort)
    editable = cohort.status == CohortStatus.COMPLETED
    if request.method == "POST":
        form = SurveyForm(request.POST)
        if form.is_valid():
            try:
                closing.answer_survey(request.user, cohort, **form.cleaned_data)
            except Refused as refusal:
                raise_for_page(refusal)
                show_on_form(form, refusal)
            else:
                messages.success(request, gettext(ANSWER_SAVED))
                return redirect(cohort)
    else:
        initial = (
            {
                "value": answer.value,
                "changed": answer.changed,
                "keep_or_change": answer.keep_or_change,
                "join_again": answer.join_again,
            }
            if answer
            else None
        )
        form = SurveyForm(initial=initial)
    return render(
        request,
        "cohorts/survey.html",
        {
            "network": network,
            "cohort": cohort,
            "form": form,
            "answer": answer,
            "editable": editable,
        },
        status=400 if form.errors else 200,
    )
