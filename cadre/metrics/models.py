"""What a cohort or a network measures: metrics with a unit, a direction, a target and an
optional baseline, the observations recorded against them, and the data-reporter grants that
let a named person (an analyst who owns the data) record observations without being a member
of the cohort.

A metric with a cohort belongs to that cohort; one without belongs to the whole network.
Who may see and change what is decided in cadre.metrics.policy; every write goes through
cadre.metrics.services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Avg, Count, OuterRef, Q, Subquery
from django.db.models.functions import TruncWeek
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadre.cohorts.models import Cohort
from cadre.lib.dates import validate_date_in_range
from cadre.networks.models import Network

# Observations are Decimal(14, 4): values up to ten thousand million, four decimals.
VALUE_LIMIT = Decimal("9999999999")
IN_THE_FUTURE = _("An observation cannot be in the future.")


class MetricKind(models.TextChoices):
    CYCLE_TIME = "cycle_time", _("Cycle time")
    QUALITY = "quality", _("Quality of output")
    SATISFACTION = "satisfaction", _("Stakeholder satisfaction")
    ADOPTION = "adoption", _("Adoption")
    CUSTOM = "custom", _("Custom")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


value_validators = [MinValueValidator(-VALUE_LIMIT), MaxValueValidator(VALUE_LIMIT)]


class MetricQuerySet(models.QuerySet["Metric"]):
    def of_cohort(self, cohort: Cohort) -> MetricQuerySet:
        return self.filter(cohort=cohort)

    def of_network(self, network: Network) -> MetricQuerySet:
        """The network-level metrics (those of no single cohort)."""
        return self.filter(network=network, cohort__isnull=True)

    def with_latest(self) -> MetricQuerySet:
        """Annotate the latest observation's value and date (one query for any number, found
        by the index on the metric's observations by date, however many it has)."""
        latest = Observation.objects.filter(metric=OuterRef("pk")).order_by("-observed_on", "-pk")
        return self.annotate(
            latest_value=Subquery(latest.values("value")[:1]),
            latest_on=Subquery(latest.values("observed_on")[:1]),
        )


class Metric(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="metrics")
    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="metrics",
        help_text=_("Empty for a metric of the whole network."),
    )
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=MetricKind.choices, default=MetricKind.CUSTOM)
    unit = models.CharField(max_length=30, help_text=_("e.g. days, %, points, people."))
    direction = models.CharField(max_length=10, choices=Direction.choices)
    target = models.DecimalField(max_digits=14, decimal_places=4, validators=value_validators)
    baseline = models.DecimalField(
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        validators=value_validators,
        help_text=_("Where you started, if you know it."),
    )
    description = models.TextField(blank=True, help_text=_("How it is measured, in Markdown."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = MetricQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "name"],
                condition=Q(cohort__isnull=False),
                name="unique_metric_name_per_cohort",
                violation_error_message=_("This cohort already has a metric with that name."),
            ),
            models.UniqueConstraint(
                fields=["network", "name"],
                condition=Q(cohort__isnull=True),
                name="unique_metric_name_per_network",
                violation_error_message=_("This network already has a metric with that name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        if self.cohort is not None:
            return reverse(
                "metrics_cohort:detail", args=[self.network.slug, self.cohort.slug, self.pk]
            )
        return reverse("metrics:detail", args=[self.network.slug, self.pk])

    def clean(self) -> None:
        if self.cohort is not None and self.cohort.network_id != self.network_id:
            raise ValidationError(
                {"cohort": [_("The cohort must belong to the metric's network.")]}
            )

    @property
    def higher_is_better(self) -> bool:
        return self.direction == Direction.HIGHER

    def meets_target(self, value: Decimal | None) -> bool | None:
        if value is None:
            return None
        return value >= self.target if self.higher_is_better else value <= self.target

    def weekly(self, since: date | None = None) -> list[tuple[date, Decimal, int]]:
        """(Monday of the week, mean value, number of observations), oldest first; one
        aggregate query however many observations there are."""
        return weekly_means([self.pk], since).get(self.pk, [])


def weekly_means(
    metric_ids: list[int], since: date | None = None
) -> dict[int, list[tuple[date, Decimal, int]]]:
    """Weekly means for several metrics in one query, grouped in SQL."""
    rows = Observation.objects.filter(metric_id__in=metric_ids)
    if since is not None:
        rows = rows.filter(observed_on__gte=since)
    result: dict[int, list[tuple[date, Decimal, int]]] = {pk: [] for pk in metric_ids}
    aggregated = (
        rows.annotate(week=TruncWeek("observed_on"))
        .values("metric_id", "week")
        .annotate(mean=Avg("value"), n=Count("pk"))
        .order_by("metric_id", "week")
    )
    for row in aggregated:
        week = row["week"]
        week = week.date() if hasattr(week, "date") and callable(week.date) else week
        result[row["metric_id"]].append((week, Decimal(str(row["mean"])), row["n"]))
    return result


class Observation(models.Model):
    metric = models.ForeignKey(Metric, on_delete=models.CASCADE, related_name="observations")
    value = models.DecimalField(max_digits=14, decimal_places=4, validators=value_validators)
    observed_on = models.DateField(validators=[validate_date_in_range])
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="metric_observations",
        help_text=_("Whom the value is about, if it is about one person."),
    )
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="metric_observations_recorded",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-observed_on", "-pk"]
        indexes = [models.Index(fields=["metric", "observed_on"])]

    def __str__(self) -> str:
        return f"{self.metric}: {self.value} on {self.observed_on}"

    def clean(self) -> None:
        if self.observed_on and self.observed_on > timezone.localdate():
            raise ValidationError({"observed_on": [IN_THE_FUTURE]})


class MetricReporter(models.Model):
    """A data-reporter grant: `user` may record observations for one metric, or for every
    metric of one cohort, and read those metrics; nothing else of the cohort."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    metric = models.ForeignKey(
        Metric, on_delete=models.CASCADE, null=True, blank=True, related_name="reporters"
    )
    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, null=True, blank=True, related_name="metric_reporters"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="metric_reporter_grants"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["user__name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(metric__isnull=False, cohort__isnull=True)
                | Q(metric__isnull=True, cohort__isnull=False),
                name="reporter_for_one_metric_or_one_cohort",
            ),
            models.UniqueConstraint(
                fields=["metric", "user"],
                condition=Q(metric__isnull=False),
                name="one_metric_grant_per_person",
            ),
            models.UniqueConstraint(
                fields=["cohort", "user"],
                condition=Q(cohort__isnull=False),
                name="one_cohort_grant_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} reports {self.metric or self.cohort}"


class CohortWeek(models.Model):
    """Derived data: one cohort's counts behind the figures (cadre.metrics.figures) for one
    complete week (weeks start on Monday), written by cadre.metrics.weekly from the facts with
    the figures' own querysets, so that a page reads a row per week instead of recounting the
    cohort's whole history. A week with nothing to count has no row."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="+")
    week = models.DateField(
        validators=[validate_date_in_range], help_text="The Monday the week starts on."
    )
    marks = models.PositiveIntegerField(default=0, help_text="Attendance marks counted.")
    present = models.PositiveIntegerField(default=0, help_text="Of them, marked present.")
    due = models.PositiveIntegerField(default=0, help_text="Commitments due, not dropped.")
    done = models.PositiveIntegerField(default=0, help_text="Of them, marked done.")
    offers = models.PositiveIntegerField(default=0, help_text="Offers of help made.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cohort", "week"], name="one_cohort_week")]

    def __str__(self) -> str:
        return f"{self.cohort_id} week of {self.week}"


class CohortWeeks(models.Model):
    """Which of a cohort's weeks `CohortWeek` holds: every week before `through`, unless a
    fact changed since (`changed_at`), when the figures count the cohort live until the worker
    has written its weeks again."""

    cohort = models.OneToOneField(
        Cohort, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    through = models.DateField(
        null=True,
        validators=[validate_date_in_range],
        help_text="The Monday after the last week written; empty: none written yet.",
    )
    computed_at = models.DateTimeField(null=True)
    changed_at = models.DateTimeField(
        null=True, help_text="A fact changed after the weeks were written."
    )

    def __str__(self) -> str:
        return f"{self.cohort_id} weeks before {self.through}"
