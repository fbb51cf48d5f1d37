"""The learning journal: what a person noticed, tried and learned, in Markdown.

An entry belongs to its author and to a network. It can be tied to one session, experiment or
commitment of a cohort the author belongs to, carries free tags and the network's skills, and
is seen by whom its visibility says:

- private: the author alone, and the people they named in `shared_with` (a mentor, say);
- cohort: the members of `cohort` and the network's organizers, plus `shared_with`;
- network: every member and mentor of the network (partners do not see network entries).

Who may see what is decided in cadre.journal.policy, nowhere else; writes go through
cadre.journal.services.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cadre.accountability.models import Commitment, Experiment
from cadre.cohorts.models import Cohort
from cadre.networks.models import Network, Skill
from cadre.schedule.models import Session

MAX_BODY_CHARS = 20_000
MAX_TAGS = 10
BODY_TOO_LONG = format_lazy(
    _("Keep an entry under {count} characters."), count=f"{MAX_BODY_CHARS:,}"
)


class JournalVisibility(models.TextChoices):
    PRIVATE = "private", _("Only me (and the people I name)")
    COHORT = "cohort", _("My cohort")
    NETWORK = "network", _("The whole network")


class JournalEntry(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="journal_entries")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journal_entries"
    )
    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="journal_entries",
        help_text=_("The cohort it was written in; needed for cohort visibility."),
    )
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="Markdown.")
    visibility = models.CharField(
        max_length=10, choices=JournalVisibility.choices, default=JournalVisibility.PRIVATE
    )
    session = models.ForeignKey(
        Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="journal_entries"
    )
    experiment = models.ForeignKey(
        Experiment, on_delete=models.SET_NULL, null=True, blank=True, related_name="journal_entries"
    )
    commitment = models.ForeignKey(
        Commitment, on_delete=models.SET_NULL, null=True, blank=True, related_name="journal_entries"
    )
    skills = models.ManyToManyField(Skill, blank=True, related_name="journal_entries")
    shared_with = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="journal_entries_shared_with_me",
        help_text="People who may read it whatever its visibility (a mentor, a coach).",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "journal entries"
        indexes = [
            models.Index(fields=["network", "visibility", "-created_at"]),
            models.Index(fields=["author", "-created_at"]),
        ]

    def __str__(self) -> str:
        # Not the title: the admin names rows by this (in its lists, and in the list of what a
        # person's or a network's deletion takes with it), and operators see that an entry
        # exists, never what it says.
        return f"Journal entry #{self.pk}"

    @property
    def was_changed(self) -> bool:
        """Changed after it was written (both times are set separately when it is made, so a
        few moments apart mean nothing)."""
        return self.updated_at - self.created_at > timedelta(seconds=5)

    def clean(self) -> None:
        if len(self.body) > MAX_BODY_CHARS:
            raise ValidationError({"body": BODY_TOO_LONG})
        if self.visibility == JournalVisibility.COHORT and self.cohort_id is None:
            raise ValidationError({"cohort": _("Choose the cohort that may read this entry.")})
        elsewhere = {
            "session": _("The session must belong to the entry's cohort."),
            "experiment": _("The experiment must belong to the entry's cohort."),
            "commitment": _("The commitment must belong to the entry's cohort."),
        }
        for field, message in elsewhere.items():
            linked = getattr(self, field)
            if linked is not None and linked.cohort_id != self.cohort_id:
                raise ValidationError({field: message})


class JournalTag(models.Model):
    """A free tag on an entry, stored lower-case (`incident-review`)."""

    entry = models.ForeignKey(JournalEntry, on_delete=models.CASCADE, related_name="tags")
    name = models.SlugField(max_length=40)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["entry", "name"], name="unique_journal_tag")]
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return f"A tag of journal entry #{self.entry_id}"  # not its words, as above


def with_details(entries: QuerySet[JournalEntry]) -> QuerySet[JournalEntry]:
    """Everything a list or an entry shows, in a fixed number of queries."""
    return entries.select_related(
        "author", "cohort", "session__cohort", "experiment__cohort", "commitment__cohort"
    ).prefetch_related(
        "tags",
        "skills",
        Prefetch("shared_with", queryset=get_user_model().objects.order_by("name")),
    )
