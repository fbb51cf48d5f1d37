"""Metrics pages, for a cohort (/n/<network>/c/<cohort>/metrics/) and for the whole network
(/n/<network>/metrics/). The same view functions serve both; `in_cohort` and `in_network`
turn the URL's slugs into a `Scope` through the permission layer (404 for people who may not
see the metrics, the code-of-conduct gate next).

Who may do what is cadre.metrics.policy (the board's viewers read a cohort's metrics,
network members read network metrics, hosts and organizers define them, members and named
data reporters record observations); every write is a call to cadre.metrics.services, whose
refusals these pages show."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails

from cadre.accounts.http import AuthenticatedRequest
from cadre.cohorts.models import Cohort
from cadre.lib.charts import Chart
from cadre.lib.number_filter import number_filter
from cadre.lib.rules import Refused, show_on_form
from cadre.networks.models import Network
from cadre.networks.policy import can_manage_network, must_accept_conduct

from . import builtins, figures, importing, policy, services
from .charts import (
    COMPOSITION,
    FOLLOW_THROUGH_BY_WEEK,
    across_chart,
    across_csv,
    builtin_chart,
    chart_since,
    cohort_chart,
    composition_chart,
    english,
    follow_through_chart_of,
    metric_chart,
)
from .forms import CsvUploadForm, MetricForm, ObservationForm, ReporterForm, record_fields
from .models import Metric, MetricReporter, Observation, weekly_means

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
        return policy.can_define_metrics(user, self.network, self.cohort)

    def metrics(self, user: Any) -> Any:
        return policy.visible_metrics(user, self.network, self.cohort)


View = Callable[..., HttpResponse]


def _conduct_gate(request: HttpRequest, network: Network) -> HttpResponse | None:
    if not must_accept_conduct(request.user, network):
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
        found = policy.get_metrics_cohort_or_404(request.user, network, cohort)
        return _conduct_gate(request, found.network) or view(
            request, Scope(found.network, found), **kwargs
        )

    return wrapper


def in_network(view: View) -> View:
    """The view for the network's own metrics: /n/<network>/metrics/..."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, network: str, **kwargs: Any) -> HttpResponse:
        found = policy.get_metrics_network_or_404(request.user, network)
        return _conduct_gate(request, found) or view(request, Scope(found, None), **kwargs)

    return wrapper


def _is_htmx(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)  # set by HtmxMiddleware
    return isinstance(htmx, HtmxDetails) and bool(htmx) and not htmx.history_restore_request


def _forbidden(request: AuthenticatedRequest, scope: Scope, refusal: Refused) -> HttpResponse:
    return render(
        request,
        "metrics/problem.html",
        {
            "network": scope.network,
            "cohort": scope.cohort,
            "scope_url": scope.url("index"),
            "message": refusal.message,
        },
        status=403,
    )


def _metric_or_404(request: AuthenticatedRequest, scope: Scope, pk: int) -> Metric:
    return policy.get_metric_or_404(request.user, scope.network, pk, cohort=scope.cohort)


def _csv_response(chart: Chart, filename: str) -> HttpResponse:
    response = HttpResponse(chart.to_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


# --- built-in metrics ------------------------------------------------------------------------


def _builtin_charts(
    scope: Scope, found: figures.CohortFigures | None, every: list[builtins.BuiltinSeries]
) -> list[dict[str, Any]]:
    """Each built-in series with its chart (and the numbers, with a link to them as CSV), and
    for those that are cohort figures the figure over its window (the headline above the
    weekly chart)."""
    if found is None:
        return []

    def csv_url(key: str) -> str:
        return scope.url("builtin_csv", key)

    headline = {
        "attendance": found.attendance,
        "follow-through": found.follow_through,
        "help-offered": found.help_offered,
    }
    return [
        {
            "series": series,
            "chart": builtin_chart(series).figure(csv_url(series.key)),
            "figure": headline.get(series.key),
            "latest": builtins.amount(series.latest_week[1], series.unit)
            if series.latest_week
            else "",
        }
        for series in every
    ]


# --- pages ---------------------------------------------------------------------------------


def _cards(request: AuthenticatedRequest, scope: Scope) -> list[dict[str, Any]]:
    """Each visible metric with its latest value and chart: three queries for any number."""
    user = request.user
    # In the order of their ids, as the page has always listed them: the query used to count
    # each metric's observations (grouped, so Meta.ordering did not apply), which nothing read.
    metrics = list(scope.metrics(user).with_latest().order_by("pk"))
    for m in metrics:  # the scope's own network and cohort: they are the metrics' places
        m.network, m.cohort = scope.network, scope.cohort
    weekly = weekly_means([m.pk for m in metrics], chart_since())
    grants = {m.pk for m in metrics if policy.can_record_observation(user, m)}
    cards = []
    for m in metrics:
        cards.append(
            {
                "metric": m,
                "chart": metric_chart(m, weekly[m.pk], small=True).figure(
                    m.get_absolute_url() + "csv/"
                ),
                "meets": m.meets_target(m.latest_value),
                "can_record": m.pk in grants,
                "fields": record_fields(m) if m.pk in grants else "",
            }
        )
    return cards


@require_http_methods(["GET"])
def index(request: AuthenticatedRequest, scope: Scope) -> HttpResponse:
    user = request.user
    builtin = scope.cohort is not None and policy.can_view_builtin_metrics(user, scope.cohort)
    found = figures.of_cohort(scope.cohort) if builtin and scope.cohort is not None else None
    every: list[builtins.BuiltinSeries] = []
    follow_through_counts: dict[Any, tuple[int, int]] = {}
    if builtin and scope.cohort is not None:
        every, follow_through_counts = builtins.all_builtins_with_counts(scope.cohort)
    context: dict[str, Any] = {
        "network": scope.network,
        "cohort": scope.cohort,
        "scope": scope,
        "index_url": scope.url("index"),
        "new_url": scope.url("new"),
        "cards": _cards(request, scope),
        "can_define": scope.can_define(user),
        "builtin_charts": _builtin_charts(scope, found, every),
        "figures": found,
    }
    if scope.cohort is None and can_manage_network(user, scope.network):
        if request.GET.get("format") == "csv":
            rows = builtins.across_cohorts(scope.network)
            response = HttpResponse(across_csv(rows), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = 'attachment; filename="cohorts.csv"'
            return response
        # A page of the cohorts at a time, so the page costs the same however many there are.
        across = builtins.across_page(scope.network, request.GET.get("page"))
        context["across"] = across
        context["across_chart"] = across_chart(across.lowest).figure()
        context["window"] = figures.RECENT
    if scope.cohort is not None and builtin:
        context["follow_through"] = follow_through_chart_of(follow_through_counts).figure(
            scope.url("builtin_csv", FOLLOW_THROUGH_BY_WEEK)
        )
        context["composition"] = composition_chart(scope.cohort).figure(
            scope.url("builtin_csv", COMPOSITION)
        )
    if scope.cohort is not None and builtin and context["can_define"]:  # listed only then
        context["reporters"] = list(
            MetricReporter.objects.filter(cohort=scope.cohort).select_related("user")
        )
    return render(request, "metrics/index.html", context)


@require_http_methods(["GET"])
def builtin_csv(request: AuthenticatedRequest, scope: Scope, key: str) -> HttpResponse:
    """The numbers behind a built-in chart (or the follow-through and composition charts)."""
    cohort = scope.cohort
    if cohort is None or not policy.can_view_builtin_metrics(request.user, cohort):
        raise Http404("No such chart.")
    try:
        chart = english(cohort_chart, cohort, key)
    except Refused as refusal:
        raise Http404(refusal.message) from None
    return _csv_response(chart, f"{cohort.slug}-{key}")


@require_http_methods(["GET", "POST"])
def metric_new(request: AuthenticatedRequest, scope: Scope) -> HttpResponse:
    try:
        services.check_can_define(request.user, network=scope.network, cohort=scope.cohort)
    except Refused as refusal:
        return _forbidden(request, scope, refusal)
    form = MetricForm(request.POST or None, network=scope.network, cohort=scope.cohort)
    if request.method == "POST" and form.is_valid():
        try:
            metric = services.define_metric(
                request.user,
                network=scope.network,
                cohort=scope.cohort,
                **{k: form.cleaned_data[k] for k in services.METRIC_FIELDS},
            )
        except Refused as refusal:
            show_on_form(form, refusal)
        else:
            messages.success(
                request, _("“%(metric)s” is now measured here.") % {"metric": metric.name}
            )
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
def metric_edit(request: AuthenticatedRequest, scope: Scope, pk: int) -> HttpResponse:
    metric = _metric_or_404(request, scope, pk)
    try:
        services.check_can_change(request.user, metric)
    except Refused as refusal:
        return _forbidden(request, scope, refusal)
    form = MetricForm(
        request.POST or None, instance=metric, network=scope.network, cohort=scope.cohort
    )
    if request.method == "POST" and form.is_valid():
        changes = {k: form.cleaned_data[k] for k in services.METRIC_FIELDS}
        try:
            services.change_metric(request.user, metric, changes=changes)
        except Refused as refusal:
            show_on_form(form, refusal)
        else:
            messages.success(request, _("Metric saved."))
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
    request: AuthenticatedRequest,
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
    can_define = policy.can_define_metric(user, metric)
    for obs in page.object_list:
        obs.metric = metric
        obs.editable = can_define or policy.can_edit_observation(user, obs)
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
        "can_record": policy.can_record_observation(user, metric),
        "form": form or ObservationForm(metric=metric),
        "upload_form": upload_form or CsvUploadForm(),
        "upload_errors": upload_errors,
        "reporters": list(metric.reporters.select_related("user")) if can_define else [],
        "reporter_form": ReporterForm() if can_define else None,
        "csv_columns": ",".join(importing.COLUMNS),
        "max_rows": importing.MAX_ROWS,
    }


@require_http_methods(["GET"])
def metric_detail(request: AuthenticatedRequest, scope: Scope, pk: int) -> HttpResponse:
    metric = _metric_or_404(request, scope, pk)
    if request.GET.get("format") == "csv":
        return _csv_response(
            english(metric_chart, metric, metric.weekly(chart_since())), f"metric-{pk}"
        )
    return render(request, "metrics/detail.html", _detail_context(request, scope, metric))


@require_http_methods(["GET"])
def metric_csv(request: AuthenticatedRequest, scope: Scope, pk: int) -> HttpResponse:
    """The weekly numbers the chart drew."""
    metric = _metric_or_404(request, scope, pk)
    return _csv_response(
        english(metric_chart, metric, metric.weekly(chart_since())), f"metric-{pk}"
    )


@require_POST
def record(request: AuthenticatedRequest, scope: Scope, pk: int) -> HttpResponse:
    metric = _metric_or_404(request, scope, pk)
    try:
        services.check_can_record(request.user, metric)
    except Refused as refusal:
        return _forbidden(request, scope, refusal)
    form = ObservationForm(request.POST, metric=metric)
    htmx = _is_htmx(request)
    observation = None
    if form.is_valid():
        try:
            observation = services.record_observation(
                request.user, metric, **form.observation_fields()
            )
        except Refused as refusal:
            show_on_form(form, refusal)
    if observation is not None:
        done = _("Recorded %(value)s for %(day)s.") % {
            "value": number_filter(observation.value, metric.unit),
            "day": date_format(observation.observed_on, "j M Y"),
        }
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
def upload(request: AuthenticatedRequest, scope: Scope, pk: int) -> HttpResponse:
    """A CSV of observations: every row is checked and nothing is saved unless all are good."""
    metric = _metric_or_404(request, scope, pk)
    try:
        services.check_can_record(request.user, metric)
    except Refused as refusal:
        return _forbidden(request, scope, refusal)
    form = CsvUploadForm(request.POST or None, request.FILES or None)
    errors: list[importing.RowError] | None = None
    if request.method == "POST" and form.is_valid():
        # One byte over the limit is enough for the service to refuse the file as too large.
        data = form.cleaned_data["file"].read(importing.MAX_BYTES + 1)
        try:
            saved = services.upload_observations(request.user, metric, data=data)
        except importing.ImportFailed as exc:
            errors = exc.errors
        else:
            messages.success(
                request,
                ngettext(
                    "Recorded %(count)s observation from the file.",
                    "Recorded %(count)s observations from the file.",
                    len(saved),
                )
                % {"count": len(saved)},
            )
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


def _observation_or_404(request: AuthenticatedRequest, scope: Scope, pk: int) -> Observation:
    observation = (
        Observation.objects.select_related("metric__network", "metric__cohort__network", "person")
        .filter(pk=pk, metric__network=scope.network, metric__cohort=scope.cohort)
        .first()
    )
    if observation is None or not policy.can_view_metric(request.user, observation.metric):
        raise Http404("No such observation.")
    return observation


@require_http_methods(["GET", "POST"])
def observation_edit(request: AuthenticatedRequest, scope: Scope, pk: int) -> HttpResponse:
    observation = _observation_or_404(request, scope, pk)
    metric = observation.metric
    try:
        services.check_can_edit_observation(request.user, observation)
    except Refused as refusal:
        return _forbidden(request, scope, refusal)
    initial = {
        "observed_on": observation.observed_on.isoformat(),
        "value": f"{observation.value.normalize():f}",
        "person_email": observation.person.email if observation.person else "",
        "note": observation.note,
    }
    form = ObservationForm(request.POST or None, metric=metric, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_observation(request.user, observation, **form.observation_fields())
        except Refused as refusal:
            show_on_form(form, refusal)
        else:
            messages.success(request, _("Observation saved."))
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
def observation_delete(request: AuthenticatedRequest, scope: Scope, pk: int) -> HttpResponse:
    observation = _observation_or_404(request, scope, pk)
    metric = observation.metric
    try:
        services.check_can_edit_observation(request.user, observation, deleting=True)
    except Refused as refusal:
        return _forbidden(request, scope, refusal)
    if request.method == "POST":
        services.delete_observation(request.user, observation)
        messages.success(request, _("Observation deleted."))
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
def reporter_add(
    request: AuthenticatedRequest, scope: Scope, pk: int | None = None
) -> HttpResponse:
    """Name a data reporter for one metric (pk) or, in a cohort, for all its metrics."""
    metric = _metric_or_404(request, scope, pk) if pk is not None else None
    cohort = scope.cohort if metric is None else None
    try:
        services.check_can_name_reporters(
            request.user, network=scope.network, cohort=cohort, metric=metric
        )
    except Refused as refusal:
        return _forbidden(request, scope, refusal)
    form = ReporterForm(request.POST)
    back = scope.url("detail", pk) if metric is not None else scope.url("index") + "#reporters"
    if not form.is_valid():
        errors = form.errors.get("email", [_("Check the e-mail.")])
        messages.error(request, " ".join(str(error) for error in errors))
        return redirect(back)
    try:
        grant = services.name_reporter(
            request.user,
            network=scope.network,
            cohort=cohort,
            metric=metric,
            email=form.cleaned_data["email"],
        )
    except Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request, _("%(name)s may now record observations here.") % {"name": grant.user.name}
        )
    return redirect(back)


def _reporter_in_scope(grant: MetricReporter, scope: Scope) -> bool:
    """A grant on one metric belongs to that metric's page; a cohort-wide one to the cohort's."""
    if grant.metric is not None:
        return grant.metric.cohort_id == (scope.cohort.pk if scope.cohort else None)
    return scope.cohort is not None and grant.cohort_id == scope.cohort.pk


@require_POST
def reporter_remove(request: AuthenticatedRequest, scope: Scope, grant: int) -> HttpResponse:
    found = (
        MetricReporter.objects.select_related(
            "metric__cohort", "metric__network", "network", "cohort", "user"
        )
        .filter(pk=grant, network=scope.network)
        .first()
    )
    if found is None or not _reporter_in_scope(found, scope):
        raise Http404("No such data reporter.")
    if found.metric is not None:
        back = scope.url("detail", found.metric_id)
    else:
        back = scope.url("index") + "#reporters"
    try:
        services.remove_reporter(request.user, found)
    except Refused as refusal:
        return _forbidden(request, scope, refusal)
    messages.success(
        request, _("%(name)s is no longer a data reporter here.") % {"name": found.user.name}
    )
    return redirect(back)
