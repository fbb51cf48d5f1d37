"""Skill diagnostics pages: the gap map with suggestions, target skills, rounds, the
self-assessment, peer assessments, growth charts and their CSV files.

Pages reuse `cohort_page` (404 for people who may not see the cohort, then the
code-of-conduct gate) and then ask cadre.diagnostics.policy whether diagnostics are theirs to
see: the cohort's active members and the network's organizers, 404 for everyone else.
Changing targets and rounds is for hosts and organizers, assessing for the cohort's learners
(403 for the others who can see the page): every write is a call to
cadre.diagnostics.services, whose refusals these pages show."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext, ngettext, pgettext
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.middleware import HtmxDetails

from cadre.accounts.http import AuthenticatedRequest
from cadre.cohorts.models import Cohort
from cadre.cohorts.views import cohort_page
from cadre.engine import safecsv
from cadre.lib.charts import Chart, StepSeries, step_chart
from cadre.lib.rules import Refused, show_on_form
from cadre.networks.models import Network

from . import policy, services
from .analysis import CohortData
from .forms import PeerAssessmentForm, RoundForm, SelfAssessmentForm, TargetSkillsForm
from .models import MAX_LEVEL, AssessmentRound


def _is_htmx(request: HttpRequest) -> bool:
    htmx: HtmxDetails | None = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.history_restore_request


# `cohort_page`, then 404 for people who see the cohort but not its diagnostics (network
# members and mentors of a cohort shared with the network).
diagnostics_page = cohort_page(require=policy.can_view_diagnostics)


def _require_manager(request: AuthenticatedRequest, cohort: Cohort) -> None:
    try:
        services.check_can_manage(request.user, cohort)
    except Refused as refusal:
        raise PermissionDenied(refusal.message) from None


def _require_learner(request: AuthenticatedRequest, cohort: Cohort) -> None:
    try:
        services.check_can_assess(request.user, cohort)
    except Refused as refusal:
        raise PermissionDenied(refusal.message) from None


def _base(
    request: AuthenticatedRequest, network: Network, cohort: Cohort, data: CohortData | None = None
) -> dict[str, Any]:
    """What every diagnostics page shows; `data`, when the page loaded it, answers which round
    is open without reading the targets and rounds again."""
    me = request.user
    can_assess = policy.can_assess(me, cohort)
    return {
        "network": network,
        "cohort": cohort,
        "can_manage": policy.can_manage_diagnostics(me, cohort),
        "can_assess": can_assess,
        # The assessment pages answer "nothing to assess yet" without an open round.
        "open_round": _open_round(cohort, data)[0] if can_assess else None,
    }


def _growth_chart(
    data: CohortData, title: str, series: list[StepSeries], target: int, extra: list[StepSeries]
) -> Chart:
    """Levels per round against the target, always on the 0 to MAX_LEVEL scale so charts side
    by side compare; the table repeats the target per round after any `extra` columns."""
    return step_chart(
        [r.label for r in data.rounds],
        series,
        title=title,
        y_label=gettext("level"),
        x_label=gettext("Round"),
        target=target,
        y_bounds=(0.0, float(MAX_LEVEL)),
        extra_columns=[*extra, StepSeries(gettext("Target"), [float(target)] * len(data.rounds))],
        width=460,
        height=240,
    )


def cohort_charts(data: CohortData) -> list[Chart]:
    """A chart per target skill of the cohort's average per round; its table also has the
    number of answers behind each average."""
    return [
        _growth_chart(
            data,
            gettext("%(skill)s: cohort average") % {"skill": s.target.skill.name},
            [StepSeries(gettext("Cohort average"), s.values)],
            s.target.target_level,
            [StepSeries(gettext("Answers"), [float(c) for c in s.counts])],
        )
        for s in data.cohort_growth()
    ]


def member_charts(data: CohortData, subject: Any) -> list[Chart]:
    """A chart per target skill of one member's self level and peer mean per round."""
    return [
        _growth_chart(
            data,
            f"{s.target.skill.name}: {subject.name or subject.email}",
            [
                StepSeries(gettext("Self"), s.values),
                StepSeries(gettext("Peer mean"), s.peer_values),
            ],
            s.target.target_level,
            [],
        )
        for s in data.growth_of(subject.pk)
    ]


# --- the gap map ----------------------------------------------------------------------------


@login_required
@require_GET
@diagnostics_page
def overview(request: AuthenticatedRequest, network: Network, cohort: Cohort) -> HttpResponse:
    """The gap map: every learner against every target skill, who needs what, who can teach
    what, and the suggestions (all of them for hosts and organizers, one's own for members)."""
    data = CohortData.load(cohort)
    rows = data.rows()
    suggestions = policy.visible_suggestions(request.user, cohort, data.suggestions(rows))
    base = _base(request, network, cohort, data)
    current = base["open_round"]
    context = {
        **base,
        "data": data,
        "rows": rows,
        "by_skill": data.needs_and_teachers(rows),
        "suggestions": suggestions,
        "current_round": current,
        "answered": current is not None
        and any(
            (current.number, t.skill_id, request.user.pk) in data.self_levels for t in data.targets
        ),
    }
    return render(request, "diagnostics/overview.html", context)


@login_required
@require_GET
@diagnostics_page
def gap_map_csv(request: AuthenticatedRequest, network: Network, cohort: Cohort) -> HttpResponse:
    data = CohortData.load(cohort)
    response, writer = _csv(f"{cohort.slug}-gap-map.csv")
    writer.writerow(
        ["member", "skill", "target", "self_level", "round", "peer_mean", "peers", "gap"]
    )
    round_labels = {r.number: r.label for r in data.rounds}
    for row in data.rows():
        for c in row.cells:
            writer.writerow(
                [
                    row.user.name or row.user.email,
                    c.target.skill.name,
                    c.target.target_level,
                    _blank(c.level),
                    round_labels.get(c.round_number or 0, ""),
                    _blank(c.peer_mean),
                    c.peer_count if c.peer_mean is not None else "",
                    _blank(c.gap),
                ]
            )
    return response


# --- targets and rounds ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@diagnostics_page
def targets(request: AuthenticatedRequest, network: Network, cohort: Cohort) -> HttpResponse:
    """Choose the skills of the network's taxonomy the cohort builds, and the level for each."""
    _require_manager(request, cohort)
    form = TargetSkillsForm(request.POST or None, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.set_targets(request.user, cohort, targets=form.targets())
        except Refused as refusal:
            show_on_form(form, refusal)
        else:
            messages.success(
                request,
                ngettext(
                    "The cohort now builds %(count)s target skill.",
                    "The cohort now builds %(count)s target skills.",
                    len(saved),
                )
                % {"count": len(saved)},
            )
            return redirect("diagnostics:overview", network.slug, cohort.slug)
    return render(
        request,
        "diagnostics/targets.html",
        {**_base(request, network, cohort), "form": form},
        status=422 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
@diagnostics_page
def rounds(request: AuthenticatedRequest, network: Network, cohort: Cohort) -> HttpResponse:
    """The cohort's rounds; hosts and organizers open the next one here."""
    form = None
    if policy.can_manage_diagnostics(request.user, cohort):
        count = cohort.assessment_rounds.count()
        names = [
            pgettext("assessment round", "Start"),
            pgettext("assessment round", "Midpoint"),
            pgettext("assessment round", "End"),
        ]
        initial = {"label": names[min(count, 2)]}
        form = RoundForm(request.POST or None, initial=initial)
    elif request.method == "POST":
        _require_manager(request, cohort)
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            opened = services.open_round(request.user, cohort, **form.cleaned_data)
        except Refused as refusal:
            show_on_form(form, refusal)
        else:
            messages.success(
                request,
                opened.open_sentence(),
            )
            return redirect("diagnostics:rounds", network.slug, cohort.slug)
    all_rounds = list(AssessmentRound.objects.filter(cohort=cohort).order_by("number"))
    current = AssessmentRound.objects.filter(cohort=cohort).current()
    return render(
        request,
        "diagnostics/rounds.html",
        {
            **_base(request, network, cohort),
            "rounds": all_rounds,
            "current_round": current,
            "form": form,
        },
        status=422 if form is not None and form.is_bound else 200,
    )


# --- assessing ------------------------------------------------------------------------------


def _open_round(
    cohort: Cohort, data: CohortData | None = None
) -> tuple[AssessmentRound | None, list[Any]]:
    """The round members assess themselves in now, and the target skills (None while there
    is nothing to assess)."""
    try:
        if data is not None:
            now = services.open_round_among(data.targets, data.rounds)
        else:
            now = services.open_round_for_assessing(cohort)
    except Refused:
        return None, []
    return now.round, now.targets


def _open_round_or_problem(
    request: AuthenticatedRequest, network: Network, cohort: Cohort
) -> services.OpenRound | HttpResponse:
    """The round open for assessing, or the page that says there is nothing to assess yet."""
    try:
        return services.open_round_for_assessing(cohort)
    except Refused as refusal:
        return render(
            request,
            "cohorts/problem.html",
            {
                "network": network,
                "cohort": cohort,
                "title": gettext("Nothing to assess yet"),
                "message": refusal.message,
            },
            status=409,
        )


@login_required
@require_http_methods(["GET", "POST"])
@diagnostics_page
def self_assessment(
    request: AuthenticatedRequest, network: Network, cohort: Cohort
) -> HttpResponse:
    """My levels in every target skill for the open round, in one form; sending it again
    updates them."""
    _require_learner(request, cohort)
    now = _open_round_or_problem(request, network, cohort)
    if isinstance(now, HttpResponse):
        return now
    current, target_list = now.round, now.targets
    form = SelfAssessmentForm(
        request.POST or None, round=current, targets=target_list, user=request.user
    )
    saved = False
    if request.method == "POST" and form.is_valid():
        try:
            services.save_self_assessment(request.user, cohort, levels=form.levels())
        except Refused as refusal:
            show_on_form(form, refusal)
        else:
            saved = True
    if saved:
        if not _is_htmx(request):
            messages.success(
                request,
                gettext("Your self-assessment for “%(round)s” is saved.")
                % {"round": current.label},
            )
            return redirect("diagnostics:me", network.slug, cohort.slug)
        form = SelfAssessmentForm(round=current, targets=target_list, user=request.user)
    context = {**_base(request, network, cohort), "form": form, "round": current, "saved": saved}
    template = "diagnostics/self_assessment.html"
    if _is_htmx(request):
        template += "#assessment-form"
    # htmx swaps only successful answers, so a form with errors comes back as 200 to it.
    status = 422 if request.method == "POST" and not saved and not _is_htmx(request) else 200
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
@diagnostics_page
def peer_assessment(
    request: AuthenticatedRequest, network: Network, cohort: Cohort
) -> HttpResponse:
    """Assess another member of the cohort, when the open round allows it."""
    _require_learner(request, cohort)
    now = _open_round_or_problem(request, network, cohort)
    if isinstance(now, HttpResponse):
        return now
    current, target_list = now.round, now.targets
    try:
        services.check_peer_round(now)
    except Refused as refusal:
        raise PermissionDenied(refusal.message) from None
    peer_ids = [p.pk for p in services.peers_of(request.user, cohort)]
    from cadre.accounts.models import User

    peers = User.objects.filter(pk__in=peer_ids).order_by("name", "email")
    initial = {"subject": request.GET.get("subject")}
    form = PeerAssessmentForm(
        request.POST or None, initial=initial, round=current, peers=peers, targets=target_list
    )
    if request.method == "POST" and form.is_valid():
        try:
            assessment, _ = services.assess_peer(request.user, cohort, **form.assessment())
        except Refused as refusal:
            show_on_form(form, refusal)
        else:
            messages.success(
                request,
                gettext("Thank you: your view of %(person)s’s %(skill)s is saved.")
                % {"person": assessment.subject, "skill": assessment.skill},
            )
            return redirect("diagnostics:peer", network.slug, cohort.slug)
    given = list(
        current.assessments.filter(assessor=request.user)
        .exclude(subject=request.user)
        .select_related("subject", "skill")
        .order_by("subject__name", "skill__name")
    )
    return render(
        request,
        "diagnostics/peer_assessment.html",
        {**_base(request, network, cohort), "form": form, "round": current, "given": given},
        status=422 if form.is_bound else 200,
    )


# --- growth -------------------------------------------------------------------------------


@login_required
@require_GET
@diagnostics_page
def cohort_growth(request: AuthenticatedRequest, network: Network, cohort: Cohort) -> HttpResponse:
    """The cohort's average per skill per round against the target, as charts and tables."""
    data = CohortData.load(cohort)
    return render(
        request,
        "diagnostics/growth.html",
        {**_base(request, network, cohort, data), "data": data, "charts": cohort_charts(data)},
    )


@login_required
@require_GET
@diagnostics_page
def cohort_growth_csv(
    request: AuthenticatedRequest, network: Network, cohort: Cohort
) -> HttpResponse:
    data = CohortData.load(cohort)
    response, writer = _csv(f"{cohort.slug}-growth.csv")
    writer.writerow(["skill", "target", "round", "round_label", "average_level", "answers"])
    for s in data.cohort_growth():
        for r, value, count in zip(data.rounds, s.values, s.counts, strict=True):
            writer.writerow(
                [
                    s.target.skill.name,
                    s.target.target_level,
                    r.number,
                    r.label,
                    _blank(value),
                    count,
                ]
            )
    return response


def _subject_or_404(
    request: AuthenticatedRequest, cohort: Cohort, data: CohortData, user_id: int
) -> Any:
    subject = data.growth_subject(request.user, user_id)
    if subject is None:
        raise Http404("No such member.")
    return subject


@login_required
@require_GET
@diagnostics_page
def my_growth(request: AuthenticatedRequest, network: Network, cohort: Cohort) -> HttpResponse:
    _require_learner(request, cohort)
    return redirect("diagnostics:member", network.slug, cohort.slug, request.user.pk)


@login_required
@require_GET
@diagnostics_page
def member_growth(
    request: AuthenticatedRequest, network: Network, cohort: Cohort, user_id: int
) -> HttpResponse:
    """One member's levels per skill across rounds, with the peer mean where at least two
    peers gave one; for the member, the cohort's hosts and the network's organizers."""
    data = CohortData.load(cohort)
    subject = _subject_or_404(request, cohort, data, user_id)
    return render(
        request,
        "diagnostics/member.html",
        {
            **_base(request, network, cohort, data),
            "data": data,
            "subject": subject,
            "is_me": subject.pk == request.user.pk,
            "charts": member_charts(data, subject),
            "peer_notes": peer_notes(data, subject.pk),
        },
    )


def peer_notes(data: CohortData, subject_id: int) -> list[tuple[str, list[str]]]:
    """The latest round's peer notes about the subject, per skill, without names and in
    alphabetical order, and only where at least PEER_MEAN_MIN peers assessed the skill."""
    from .models import Assessment

    if not data.rounds:
        return []
    last = data.rounds[-1]
    shown = [
        t for t in data.targets if data.peer_mean(last.number, t.skill_id, subject_id) is not None
    ]
    if not shown:
        return []
    found = (
        Assessment.objects.peer_assessments()
        .filter(round=last, skill_id__in=[t.skill_id for t in shown], subject_id=subject_id)
        .exclude(note="")
        .values_list("skill_id", "note")
    )
    by_skill: dict[int, list[str]] = {}
    for skill_id, note in found:
        by_skill.setdefault(skill_id, []).append(note)
    return [(t.skill.name, sorted(by_skill[t.skill_id])) for t in shown if t.skill_id in by_skill]


@login_required
@require_GET
@diagnostics_page
def member_growth_csv(
    request: AuthenticatedRequest, network: Network, cohort: Cohort, user_id: int
) -> HttpResponse:
    data = CohortData.load(cohort)
    subject = _subject_or_404(request, cohort, data, user_id)
    name = slugify(subject.name) or str(subject.pk)
    response, writer = _csv(f"{cohort.slug}-{name}-growth.csv")
    writer.writerow(["skill", "target", "round", "round_label", "self_level", "peer_mean"])
    for s in data.growth_of(subject.pk):
        for r, value, peer in zip(data.rounds, s.values, s.peer_values, strict=True):
            writer.writerow(
                [
                    s.target.skill.name,
                    s.target.target_level,
                    r.number,
                    r.label,
                    _blank(value),
                    _blank(peer),
                ]
            )
    return response


# --- helpers -----------------------------------------------------------------------------


def _csv(filename: str) -> tuple[HttpResponse, Any]:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response, safecsv.writer(response)


def _blank(value: Any) -> Any:
    return "" if value is None else value
