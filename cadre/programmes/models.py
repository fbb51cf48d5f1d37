"""A programme: a multi-week guide for a cohort (per week a theme, agenda blocks, coaching
prompts, a suggested experiment and reading) that an organizer lays onto a cohort's schedule
in one step. Programmes belong to a network; `SessionWeek` records which week of which
programme a session follows.

The weeks' blocks, prompts, experiment and readings are stored as checked JSON (the shape of
the programme file, cadre.programmes.files), since they are only ever read and written
whole."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadre.networks.models import Network
from cadre.schedule.models import Session


class Programme(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="programmes")
    title = models.CharField(max_length=120)
    summary = models.TextField(blank=True)
    session_minutes = models.PositiveSmallIntegerField(
        default=60, help_text=_("The session length the weeks' blocks add up to.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["network", "title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["network", "title"], name="one_programme_title"),
        ]

    def __str__(self) -> str:
        return self.title


class ProgrammeWeek(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="weeks")
    number = models.PositiveSmallIntegerField()
    theme = models.CharField(max_length=120)
    # [{"kind": AgendaKind, "title", "minutes", "notes"}], adding up to session_minutes
    blocks = models.JSONField(default=list)
    prompts = models.JSONField(default=list)  # ["a question for the coach", ...]
    # {"title", "hypothesis", "measure"} or {}
    experiment = models.JSONField(default=dict, blank=True)
    # [{"title", "link"} or {"title", "library"}]: a web page, or a library item's title
    readings = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="one_week_number"),
        ]

    def __str__(self) -> str:
        return f"Week {self.number}: {self.theme}"


class SessionWeek(models.Model):
    """The programme week a session follows (set when a programme is applied)."""

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="programme_week")
    week = models.ForeignKey(ProgrammeWeek, on_delete=models.CASCADE, related_name="sessions")
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    applied_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.session} follows {self.week}"
