"""Cohort health: a network's thresholds for drift signals, and the precomputed snapshot of
each cohort's health that the pages read (computing it live for every cohort of a large
network would be too slow for a page)."""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cadre.cohorts.models import Cohort
from cadre.metrics import figures
from cadre.networks.models import Network

from . import drift


def _range(low: int, high: int, message: str | Promise) -> list[Any]:
    """`message` says the range ("Choose between {low} and {high} days."), in the language
    of the page that shows it."""
    words = format_lazy(message, low=low, high=high)
    return [MinValueValidator(low, words), MaxValueValidator(high, words)]


DEFAULTS = drift.Thresholds()
IN_SESSIONS = _("Choose between {low} and {high} sessions.")
IN_DAYS = _("Choose between {low} and {high} days.")


class HealthSettings(models.Model):
    """When drift signals fire in one network; the defaults are drift.Thresholds'."""

    network = models.OneToOneField(
        Network, on_delete=models.CASCADE, related_name="health_settings"
    )
    attendance_window = models.PositiveSmallIntegerField(
        _("Recent sessions compared"),
        default=DEFAULTS.attendance_window,
        validators=_range(2, 12, IN_SESSIONS),
        help_text=_("Attendance in the last this-many sessions is compared with the ones before."),
    )
    attendance_drop_points = models.PositiveSmallIntegerField(
        _("Attendance drop (percentage points)"),
        default=DEFAULTS.attendance_drop_points,
        validators=_range(5, 80, _("Choose between {low} and {high} percentage points.")),
        help_text=_("Flag when attendance fell by at least this many points."),
    )
    missed_in_a_row = models.PositiveSmallIntegerField(
        _("Commitments missed in a row"),
        default=DEFAULTS.missed_in_a_row,
        validators=_range(2, 10, _("Choose between {low} and {high} commitments.")),
        help_text=_("Flag a member whose last this-many commitments were all missed."),
    )
    blocker_wait_hours = models.PositiveSmallIntegerField(
        _("Blocker wait (hours)"),
        default=DEFAULTS.blocker_wait_hours,
        validators=_range(12, 336, _("Choose between {low} and {high} hours.")),
        help_text=_("Flag a blocker nobody offered help with for this long."),
    )
    update_gap_days = models.PositiveSmallIntegerField(
        _("Days without an update"),
        default=DEFAULTS.update_gap_days,
        validators=_range(3, 60, IN_DAYS),
        help_text=_("Flag members who posted no progress update for this long."),
    )
    role_repeat = models.PositiveSmallIntegerField(
        _("Sessions in the same role"),
        default=DEFAULTS.role_repeat,
        validators=_range(2, 12, IN_SESSIONS),
        help_text=_("Flag a role the same person held this many sessions running."),
    )
    charter_grace_days = models.PositiveSmallIntegerField(
        _("Charter review grace (days)"),
        default=DEFAULTS.charter_grace_days,
        validators=_range(0, 90, IN_DAYS),
        help_text=_("Flag a charter review this many days after it fell due (0: the day after)."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = _("health settings")

    def __str__(self) -> str:
        return f"Health settings of {self.network}"

    FIELDS = (
        "attendance_window",
        "attendance_drop_points",
        "missed_in_a_row",
        "blocker_wait_hours",
        "update_gap_days",
        "role_repeat",
        "charter_grace_days",
    )

    def thresholds(self) -> drift.Thresholds:
        return drift.Thresholds(**{name: getattr(self, name) for name in self.FIELDS})

    @classmethod
    def for_network(cls, network: Network) -> HealthSettings:
        """The network's settings, unsaved defaults when an organizer never changed them."""
        return cls.objects.filter(network=network).first() or cls(network=network)


class HealthStatus(models.TextChoices):
    OK = drift.OK, _("Healthy")
    WATCH = drift.WATCH, _("Watch")
    DRIFTING = drift.DRIFTING, _("Drifting")


class CohortHealth(models.Model):
    """One cohort's health as of `computed_at`: its signals and its figures (defined in
    cadre.metrics.figures) over the last four weeks and the four before; rates in per cent.
    Rewritten whole by cadre.health.facts.refresh."""

    cohort = models.OneToOneField(Cohort, on_delete=models.CASCADE, related_name="health")
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=HealthStatus.choices, default="ok")
    signals = models.JSONField(default=list, blank=True)
    members = models.PositiveIntegerField(default=0)
    attendance_rate = models.FloatField(null=True, blank=True)
    attendance_prev = models.FloatField(null=True, blank=True)
    follow_through = models.FloatField(null=True, blank=True)
    follow_through_prev = models.FloatField(null=True, blank=True)
    help_offered = models.PositiveIntegerField(default=0)
    help_offered_prev = models.PositiveIntegerField(default=0)
    updates_recent = models.PositiveIntegerField(default=0)
    updates_prev = models.PositiveIntegerField(default=0)
    open_blockers = models.PositiveIntegerField(default=0)
    last_update_at = models.DateTimeField(null=True, blank=True)
    main_function = models.CharField(max_length=80, blank=True)
    functions = models.JSONField(default=list, blank=True)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = _("cohort health")
        indexes = [
            models.Index(fields=["network", "status"]),
            models.Index(fields=["network", "main_function"]),
        ]

    def __str__(self) -> str:
        return f"Health of {self.cohort_id}: {self.status}"

    @property
    def signal_count(self) -> int:
        return len(self.signals)

    def worded_signals(self) -> list[dict[str, Any]]:
        """The signals with their text in the active language (drift.worded)."""
        return [drift.worded(s) for s in self.signals]

    def figures(self) -> figures.CohortFigures:
        """The figures as they were when the snapshot was computed (without their parts)."""
        window = figures.RECENT
        return figures.CohortFigures(
            figures.Value(figures.ATTENDANCE, window, self.attendance_rate),
            figures.Value(figures.FOLLOW_THROUGH, window, self.follow_through),
            figures.Value(figures.HELP_OFFERED, window, self.help_offered),
            figures.Value(figures.ACTIVE_MEMBERS, figures.TODAY, self.members),
        )


class HealthChange(models.Model):
    """A cohort whose health facts changed since its snapshot was computed: the worker's
    `refresh_changed_health` recomputes it once the first change is a little while old, so a
    burst of edits is one refresh (cadre.health.changes)."""

    cohort = models.OneToOneField(
        Cohort, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    marked_at = models.DateTimeField(help_text="The first change not refreshed yet.")
    changed_at = models.DateTimeField(help_text="The latest change.")

    def __str__(self) -> str:
        return f"Cohort {self.cohort_id} changed at {self.changed_at:%Y-%m-%d %H:%M:%S}"
