"""Metrics pages, for a cohort (/n/<network>/c/<cohort>/metrics/) and for the whole network
(/n/<network>/metrics/). The same view functions serve both; `in_cohort` and `in_network`
turn the URL's slugs into a `Scope` through the permission layer (404 for people who may not
see the metrics, the code-of-conduct gate next).

Who may do what is cadre.lib.permissions' metrics section: the board's viewers read a
cohort's metrics, network members read network metrics, hosts and organizers define them,
members and named data reporters record observations."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import wraps
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from cadre.cohorts.models import Cohort, CohortMembership
from cadre.engine import safecsv
from cadre.lib import charts, permissions
from cadre.lib.numbers import number
from cadre.networks.models import Network
from cadre.people.models import Seniority

from . import builtins, figures, importing
from .forms import CsvUploadForm, MetricForm, ObservationForm, ReporterForm
from .models import Metric, MetricReporter, Observation, weekly_means

CHART_WEEKS = 52
FOLLOW_THROUGH_WEEKS = 12
OBSERVATIONS_PER_PAGE = 50


@dataclass(frozen=True)
class Scope:
    """Where the metrics live: a cohort, or the network itself (cohort None)."""

    network: Network
    cohort: Cohort | None

    def url(self, name: str, *args: Any) -> str:
        if self.cohort is not None:
            return reverse(
                f"metrics_cohort:{name}", args=[self.network.slug, self.cohort.slug, *args]
            )
        return reverse(f"metrics:{name}", args=[self.network.slug, *args])

    def can_define(self, user: Any) -> bool:
        if self.cohort is not None:
            return permissions.can_define_cohort_metrics(user, self.cohort)
        return permissions.can_define_network_metrics(user, self.network)

    def metrics(self, user: Any) -> Any:
        if self.cohort is not None:
            return permissions.visible_cohort_metrics(user, self.cohort)
        return permissions.visible_network_metrics(user, self.network)


View = Callable[..., HttpResponse]


def _conduct_gate(request: HttpRequest, network: Network) -> HttpResponse | None:
    if not permissions.must_accept_conduct(request.user, network):
        return None
    back = request.get_full_path() if request.method in ("GET", "HEAD") else ""
    target = reverse("networks:conduct", args=[network.slug])
    if back:
        target += "?next=" + quote(back)
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(target)
    return redirect(target)


def in_cohort(view: View) -> View:
    """The view for a cohort's metrics: /n/<network>/c/<cohort>/metrics/..."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, network: str, cohort: str, **kwargs: Any) -> HttpResponse:
        found = permissions.get_metrics_cohort_or_404(request.user, network, cohort)
        return _conduct_gate(request, found.network) or view(
            request, Scope(found.network, found), **kwargs
        )

    return wrapper


def in_network(view: View) -> View:
    """The view for the network's own metrics: /n/<network>/metrics/..."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, network: str, **kwargs: Any) -> HttpResponse:
        found = permissions.get_metrics_network_or_404(request.user, network)
        return _conduct_gate(request, found) or view(request, Scope(found, None), **kwargs)

    return wrapper


def _is_htmx(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def _forbidden(request: HttpRequest, scope: Scope, message: str) -> HttpResponse:
    return render(
        request,
        "metrics/problem.html",
        {
            "network": scope.network,
            "cohort": scope.cohort,
            "scope_url": scope.url("index"),
            "message": message,
        },
        status=403,
    )


def _metric_or_404(request: HttpRequest, scope: Scope, pk: int) -> Metric:
    metric = (
        Metric.objects.select_related("network", "cohort__network")
        .filter(pk=pk, network=scope.network, cohort=scope.cohort)
        .first()
    )
    if metric is None or not permissions.can_view_metric(request.user, metric):
        raise Http404("No such metric.")
    return metric


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def metric_chart(
    metric: Metric, weekly: list[tuple[date, Any, int]], *, small: bool = False
) -> charts.Chart:
    """The metric's weekly means against its target (and baseline)."""
    unit = metric.unit
    return charts.line_chart(
        [charts.Series(metric.name, [(w, float(v)) for w, v, _ in weekly])],
        title=f"{metric.name}: weekly mean in {unit}",
        y_label=unit,
        x_label="Week starting",
        per="week",
        unit=unit,
        target=float(metric.target),
        baseline=_number(metric.baseline),
        width=560 if small else 720,
        height=240 if small else 300,
    )


def chart_since(today: date | None = None) -> date:
    return builtins.monday(today or timezone.localdate()) - timedelta(weeks=CHART_WEEKS - 1)


def _csv_response(chart: charts.Chart, filename: str) -> HttpResponse:
    response = HttpResponse(chart.to_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


# --- built-in metrics and composition ------------------------------------------------------


def follow_through_chart(cohort: Cohort, today: date | None = None) -> charts.Chart:
    """Commitments due each week, stacked: done, and not done (missed or still open): the
    parts of follow-through (cadre.metrics.figures.FOLLOW_THROUGH)."""
    weeks = builtins.week_range(today, FOLLOW_THROUGH_WEEKS)
    counts = builtins.follow_through_counts(cohort, weeks, today)
    done = [counts.get(w, (0, 0))[0] for w in weeks]
    not_done = [counts.get(w, (0, 0))[1] - counts.get(w, (0, 0))[0] for w in weeks]
    return charts.bar_chart(
        [w.strftime("%-d %b") for w in weeks],
        [
            charts.BarSeries("Done", done),
            charts.BarSeries("Missed or still open", not_done),
        ],
        title=f"Commitments due by week, the last {FOLLOW_THROUGH_WEEKS} weeks",
        y_label="commitments",
        x_label="Week starting",
        stacked=True,
        width=720,
    )


def builtin_chart(series: builtins.BuiltinSeries) -> charts.Chart:
    return charts.line_chart(
        [charts.Series(series.name, series.points)],
        title=f"{series.name} by week ({series.unit})",
        y_label=series.unit,
        x_label="Week starting",
        per="week",
        unit=series.unit,
        width=560,
        height=240,
    )


def composition_chart(cohort: Cohort) -> charts.Chart:
    """Active members by function, stacked by seniority (one grouped query)."""
    rows = (
        CohortMembership.objects.active()
        .filter(cohort=cohort)
        .values("user__profile__function", "user__profile__seniority")
        .annotate(n=Count("pk"))
    )
    counts: dict[tuple[str, str], int] = {}
    for r in rows:
        key = ((r["user__profile__function"] or "Not given"), (r["user__profile__seniority"] or ""))
        counts[key] = counts.get(key, 0) + r["n"]
    functions = sorted({f for f, _ in counts}, key=lambda f: (f == "Not given", f.lower()))
    levels = [(value, label) for value, label in Seniority.choices] + [("", "Not given")]
    series = [
        charts.BarSeries(label, [counts.get((f, value), 0) for f in functions])
        for value, label in levels
        if any(counts.get((f, value)) for f in functions)
    ]
    return charts.bar_chart(
        functions,
        series,
        title="Members by function and seniority",
        y_label="members",
        x_label="Function",
        stacked=True,
        width=720,
    )


ACROSS_CHART = 10
Across = list[tuple[Cohort, figures.CohortFigures]]


def across_chart(rows: Across) -> charts.Chart:
    """The cohorts with the lowest follow-through, with their attendance beside it."""
    shown = [(c, f) for c, f in rows if f.follow_through.value is not None][:ACROSS_CHART]
    window = figures.RECENT.name
    return charts.bar_chart(
        [c.name for c, _ in shown],
        [
            charts.BarSeries(
                f"{figures.FOLLOW_THROUGH.name} (%)",
                [f.follow_through.value or 0 for _, f in shown],
            ),
            charts.BarSeries(
                f"{figures.ATTENDANCE.name} (%)", [f.attendance.value or 0 for _, f in shown]
            ),
        ],
        title=f"Lowest follow-through, {window}",
        y_label="%",
        x_label="Cohort",
        width=720,
    )


def across_csv(rows: Across) -> str:
    """Every cohort's figures over the window, printed as everywhere else (rates in per cent
    with the unit in the column's name)."""
    window = figures.RECENT.name
    out = io.StringIO()
    writer = safecsv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "Cohort",
            f"Commitments due, {window}",
            f"{figures.FOLLOW_THROUGH.name}, {window} (%)",
            f"{figures.ATTENDANCE.name}, {window} (%)",
            f"{figures.HELP_OFFERED.name}, {window}",
            f"{figures.ACTIVE_MEMBERS.name}, today",
        ]
    )
    writer.writerows(
        [
            c.name,
            number(f.follow_through.whole or 0),
            "" if f.follow_through.value is None else number(f.follow_through.value),
            "" if f.attendance.value is None else number(f.attendance.value),
            number(f.help_offered),
            number(f.active_members),
        ]
        for c, f in rows
    )
    return out.getvalue()


def _builtin_charts(scope: Scope, found: figures.CohortFigures | None) -> list[dict[str, Any]]:
    """Each built-in series with its chart, and for those that are cohort figures the
    figure over its window (the headline above the weekly chart)."""
    if scope.cohort is None or found is None:
        return []
    headline = {
        "attendance": found.attendance,
        "follow-through": found.follow_through,
        "help-offered": found.help_offered,
    }
    return [
        {"series": series, "chart": builtin_chart(series), "figure": headline.get(series.key)}
        for series in builtins.all_builtins(scope.cohort)
    ]


# --- pages ---------------------------------------------------------------------------------


def _cards(request: HttpRequest, scope: Scope) -> list[dict[str, Any]]:
    """Each visible metric with its latest value and chart: three queries for any number."""
    user = request.user
    metrics = list(scope.metrics(user).select_related("network", "cohort__network").with_latest())
    weekly = weekly_means([m.pk for m in metrics], chart_since())
    grants = {m.pk for m in metrics if permissions.can_record_observation(user, m)}
    cards = []
    for m in metrics:
        cards.append(
            {
                "metric": m,
                "chart": metric_chart(m, weekly[m.pk], small=True),
                "meets": m.meets_target(m.latest_value),
                "can_record": m.pk in grants,
                "form": ObservationForm(metric=m, auto_id=f"id_m{m.pk}_%s"),
            }
        )
    return cards


@require_http_methods(["GET"])
def index(request: HttpRequest, scope: Scope) -> HttpResponse:
    user = request.user
    builtin = scope.cohort is not None and permissions.can_view_builtin_metrics(user, scope.cohort)
    found = figures.of_cohort(scope.cohort) if builtin and scope.cohort is not None else None
    context: dict[str, Any] = {
        "network": scope.network,
        "cohort": scope.cohort,
        "scope": scope,
        "index_url": scope.url("index"),
        "new_url": scope.url("new"),
        "cards": _cards(request, scope),
        "can_define": scope.can_define(user),
        "builtin_charts": _builtin_charts(scope, found),
        "figures": found,
    }
    if scope.cohort is None and permissions.can_manage_network(user, scope.network):
        rows = builtins.across_cohorts(scope.network)
        if request.GET.get("format") == "csv":
            response = HttpResponse(across_csv(rows), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = 'attachment; filename="cohorts.csv"'
            return response
        context["across"] = rows[:50]
        context["across_count"] = len(rows)
        context["across_chart"] = across_chart(rows)
        context["window"] = figures.RECENT
    if scope.cohort is not None and builtin:
        context["follow_through"] = follow_through_chart(scope.cohort)
        context["composition"] = composition_chart(scope.cohort)
        context["reporters"] = list(
            MetricReporter.objects.filter(cohort=scope.cohort).select_related("user")
        )
    return render(request, "metrics/index.html", context)


@require_http_methods(["GET"])
def builtin_csv(request: HttpRequest, scope: Scope, key: str) -> HttpResponse:
    """The numbers behind a built-in chart (or the follow-through and composition charts)."""
    cohort = scope.cohort
    if cohort is None or not permissions.can_view_builtin_metrics(request.user, cohort):
        raise Http404("No such chart.")
    if key == "follow-through-by-week":
        chart = follow_through_chart(cohort)
    elif key == "composition":
        chart = composition_chart(cohort)
    elif key in builtins.BUILTINS:
        chart = builtin_chart(builtins.BUILTINS[key](cohort, builtins.week_range()))
    else:
        raise Http404("No such chart.")
    return _csv_response(chart, f"{cohort.slug}-{key}")


@require_http_methods(["GET", "POST"])
def metric_new(request: HttpRequest, scope: Scope) -> HttpResponse:
    if not scope.can_define(request.user):
        return _forbidden(request, scope, "Only hosts and organizers define metrics here.")
    form = MetricForm(request.POST or None, network=scope.network, cohort=scope.cohort)
    if request.method == "POST" and form.is_valid():
        metric = form.save(commit=False)
        metric.created_by = request.user
        metric.save()
        messages.success(request, f"“{metric.name}” is now measured here.")
        return redirect(scope.url("detail", metric.pk))
    return render(
        request,
        "metrics/metric_form.html",
        {
            "network": scope.network,
            "cohort": scope.cohort,
            "scope": scope,
            "form": form,
            "index_url": scope.url("index"),
            "metric": None,
        },
    )


@require_http_methods(["GET", "POST"])
def metric_edit(request: HttpRequest, scope: Scope, pk: int) -> HttpResponse:
    metric = _metric_or_404(request, scope, pk)
    if not permissions.can_define_metric(request.user, metric):
        return _forbidden(request, scope, "Only hosts and organizers change metrics here.")
    form = MetricForm(
        request.POST or None, instance=metric, network=scope.network, cohort=scope.cohort
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Metric saved.")
        return redirect(scope.url("detail", metric.pk))
    return render(
        request,
        "metrics/metric_form.html",
        {
            "network": scope.network,
            "cohort": scope.cohort,
            "scope": scope,
            "form": form,
            "index_url": scope.url("index"),
            "metric": metric,
        },
    )


def _detail_context(
    request: HttpRequest,
    scope: Scope,
    metric: Metric,
    *,
    form: ObservationForm | None = None,
    upload_form: CsvUploadForm | None = None,
    upload_errors: list[importing.RowError] | None = None,
) -> dict[str, Any]:
    user = request.user
    weekly = metric.weekly(chart_since())
    observations = metric.observations.select_related(
        "person", "recorded_by", "metric__cohort"
    ).order_by("-observed_on", "-pk")
    page = Paginator(observations, OBSERVATIONS_PER_PAGE).get_page(request.GET.get("page"))
    can_define = permissions.can_define_metric(user, metric)
    for obs in page.object_list:
        obs.metric = metric
        obs.editable = can_define or permissions.can_edit_observation(user, obs)
    latest = next(iter(page.object_list), None) if page.number == 1 else None
    return {
        "network": scope.network,
        "cohort": scope.cohort,
        "scope": scope,
        "index_url": scope.url("index"),
        "metric": metric,
        "chart": metric_chart(metric, weekly),
        "latest": latest,
        "meets": metric.meets_target(latest.value if latest else None),
        "page": page,
        "can_define": can_define,
        "can_record": permissions.can_record_observation(user, metric),
        "form": form or ObservationForm(metric=metric),
        "upload_form": upload_form or CsvUploadForm(),
        "upload_errors": upload_errors,
        "reporters": list(metric.reporters.select_related("user")) if can_define else [],
        "reporter_form": ReporterForm(network=scope.network, metric=metric) if can_define else None,
        "csv_columns": ",".join(importing.COLUMNS),
        "max_rows": importing.MAX_ROWS,
    }


@require_http_methods(["GET"])
def metric_detail(request: HttpRequest, scope: Scope, pk: int) -> HttpResponse:
    metric = _metric_or_404(request, scope, pk)
    if request.GET.get("format") == "csv":
        return _csv_response(metric_chart(metric, metric.weekly(chart_since())), f"metric-{pk}")
    return render(request, "metrics/detail.html", _detail_context(request, scope, metric))


@require_http_methods(["GET"])
def metric_csv(request: HttpRequest, scope: Scope, pk: int) -> HttpResponse:
    """The weekly numbers the chart drew."""
    metric = _metric_or_404(request, scope, pk)
    return _csv_response(metric_chart(metric, metric.weekly(chart_since())), f"metric-{pk}")


@require_POST
def record(request: HttpRequest, scope: Scope, pk: int) -> HttpResponse:
    metric = _metric_or_404(request, scope, pk)
    if not permissions.can_record_observation(request.user, metric):
        return _forbidden(request, scope, "You may read this metric but not record it.")
    form = ObservationForm(request.POST, metric=metric)
    htmx = _is_htmx(request)
    if form.is_valid():
        observation = form.apply(Observation(metric=metric, recorded_by=request.user))
        observation.save()
        done = (
            f"Recorded {number(observation.value, metric.unit)} "
            f"for {observation.observed_on:%-d %b %Y}."
        )
        if htmx:  # the chart, the latest value and a fresh form, in place
            context = _detail_context(request, scope, metric)
            return render(request, "metrics/detail.html#live", {**context, "recorded": done})
        messages.success(request, done)
        back_to_index = request.POST.get("next") == "index"
        return redirect(scope.url("index") if back_to_index else scope.url("detail", pk))
    context = _detail_context(request, scope, metric, form=form)
    if htmx:  # htmx swaps only successful answers; the errors are shown in the form
        return render(request, "metrics/detail.html#live", context)
    return render(request, "metrics/detail.html", context, status=422)


@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, scope: Scope, pk: int) -> HttpResponse:
    """A CSV of observations: every row is checked and nothing is saved unless all are good."""
    metric = _metric_or_404(request, scope, pk)
    if not permissions.can_record_observation(request.user, metric):
        return _forbidden(request, scope, "You may read this metric but not record it.")
    form = CsvUploadForm(request.POST or None, request.FILES or None)
    errors: list[importing.RowError] | None = None
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        if upload_file.size > importing.MAX_BYTES:
            errors = [
                importing.RowError(
                    1, "-", f"The file is larger than {importing.MAX_BYTES // 1024} KB."
                )
            ]
        else:
            try:
                saved = importing.import_csv(metric, upload_file.read(), request.user)
            except importing.ImportFailed as exc:
                errors = exc.errors
            else:
                messages.success(request, f"Recorded {len(saved)} observations from the file.")
                return redirect(scope.url("detail", pk))
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "metrics/upload.html",
        {
            "network": scope.network,
            "cohort": scope.cohort,
            "scope": scope,
            "metric": metric,
            "form": form,
            "errors": errors,
            "index_url": scope.url("index"),
            "csv_columns": ",".join(importing.COLUMNS),
            "max_rows": importing.MAX_ROWS,
        },
        status=status,
    )


def _observation_or_404(request: HttpRequest, scope: Scope, pk: int) -> Observation:
    observation = (
        Observation.objects.select_related("metric__network", "metric__cohort__network", "person")
        .filter(pk=pk, metric__network=scope.network, metric__cohort=scope.cohort)
        .first()
    )
    if observation is None or not permissions.can_view_metric(request.user, observation.metric):
        raise Http404("No such observation.")
    return observation


@require_http_methods(["GET", "POST"])
def observation_edit(request: HttpRequest, scope: Scope, pk: int) -> HttpResponse:
    observation = _observation_or_404(request, scope, pk)
    metric = observation.metric
    if not permissions.can_edit_observation(request.user, observation):
        return _forbidden(
            request, scope, "Only whoever recorded it, hosts and organizers change an observation."
        )
    initial = {
        "observed_on": observation.observed_on.isoformat(),
        "value": f"{observation.value.normalize():f}",
        "person_email": observation.person.email if observation.person else "",
        "note": observation.note,
    }
    form = ObservationForm(request.POST or None, metric=metric, initial=initial)
    if request.method == "POST" and form.is_valid():
        form.apply(observation).save()
        messages.success(request, "Observation saved.")
        return redirect(scope.url("detail", metric.pk))
    return render(
        request,
        "metrics/observation_form.html",
        {
            "network": scope.network,
            "cohort": scope.cohort,
            "scope": scope,
            "metric": metric,
            "observation": observation,
            "form": form,
            "index_url": scope.url("index"),
        },
        status=422 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def observation_delete(request: HttpRequest, scope: Scope, pk: int) -> HttpResponse:
    observation = _observation_or_404(request, scope, pk)
    metric = observation.metric
    if not permissions.can_edit_observation(request.user, observation):
        return _forbidden(
            request, scope, "Only whoever recorded it, hosts and organizers delete an observation."
        )
    if request.method == "POST":
        observation.delete()
        messages.success(request, "Observation deleted.")
        return redirect(scope.url("detail", metric.pk))
    return render(
        request,
        "metrics/observation_delete.html",
        {
            "network": scope.network,
            "cohort": scope.cohort,
            "scope": scope,
            "metric": metric,
            "observation": observation,
            "index_url": scope.url("index"),
        },
    )


@require_POST
def reporter_add(request: HttpRequest, scope: Scope, pk: int | None = None) -> HttpResponse:
    """Name a data reporter for one metric (pk) or, in a cohort, for all its metrics."""
    metric = _metric_or_404(request, scope, pk) if pk is not None else None
    allowed = (
        permissions.can_define_metric(request.user, metric)
        if metric is not None
        else scope.cohort is not None and scope.can_define(request.user)
    )
    if not allowed:
        return _forbidden(request, scope, "Only hosts and organizers name data reporters.")
    cohort = scope.cohort if metric is None else None
    form = ReporterForm(request.POST, network=scope.network, cohort=cohort, metric=metric)
    back = scope.url("detail", pk) if metric is not None else scope.url("index") + "#reporters"
    if form.is_valid():
        MetricReporter.objects.create(
            network=scope.network,
            cohort=cohort,
            metric=metric,
            user=form.user,
            granted_by=request.user,
        )
        messages.success(request, f"{form.user.name} may now record observations here.")
    else:
        messages.error(request, " ".join(form.errors.get("email", ["Check the e-mail."])))
    return redirect(back)


@require_POST
def reporter_remove(request: HttpRequest, scope: Scope, grant: int) -> HttpResponse:
    found = (
        MetricReporter.objects.select_related("metric__cohort", "metric__network", "user")
        .filter(pk=grant, network=scope.network)
        .first()
    )
    if found is None:
        raise Http404("No such data reporter.")
    if found.metric is not None:
        if found.metric.cohort_id != (scope.cohort.pk if scope.cohort else None):
            raise Http404("No such data reporter.")
        allowed = permissions.can_define_metric(request.user, found.metric)
        back = scope.url("detail", found.metric_id)
    else:
        if scope.cohort is None or found.cohort_id != scope.cohort.pk:
            raise Http404("No such data reporter.")
        allowed = scope.can_define(request.user)
        back = scope.url("index") + "#reporters"
    if not allowed:
        return _forbidden(request, scope, "Only hosts and organizers name data reporters.")
    found.delete()
    messages.success(request, f"{found.user.name} is no longer a data reporter here.")
    return redirect(back)
