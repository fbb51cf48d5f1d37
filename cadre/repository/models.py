"""The network's shared repository, and the partner groups it shares with.

An item is a case study (promoted from an experiment or a session report, carrying its data),
a template (a session agenda, a charter, an experiment plan: copied into a cohort in one step)
or a learning. Its author chooses who reads it:

- network: every member and mentor of the item's network;
- partners: the network, and the people of the partner groups named in `partner_groups`;
- public: anyone, signed in or not.

A partner group is a group of people in another organization that the network has linked, and
names what kinds of item it is offered (`shares`). Partners see exactly what is shared with
their group, and every item they see carries its origin.

"I used this" is a Reuse row: one per person and cohort; the count is shown on the item.
Who may see what is decided in cadre.repository.policy, nowhere else.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from cadre.accountability.models import Experiment
from cadre.cohorts.models import Cohort
from cadre.networks.models import Network, Skill
from cadre.schedule.models import SessionReport

MAX_BODY_CHARS = 50_000


class ItemKind(models.TextChoices):
    CASE_STUDY = "case_study", gettext_lazy("Case study")
    TEMPLATE = "template", gettext_lazy("Template")
    LEARNING = "learning", gettext_lazy("Learning")


class TemplateKind(models.TextChoices):
    AGENDA = "agenda", gettext_lazy("Session agenda")
    CHARTER = "charter", gettext_lazy("Charter")
    EXPERIMENT_PLAN = "experiment_plan", gettext_lazy("Experiment plan")


class ItemVisibility(models.TextChoices):
    NETWORK = "network", gettext_lazy("The network")
    PARTNERS = "partners", gettext_lazy("The network and the partner groups I name")
    PUBLIC = "public", gettext_lazy("Anyone (public)")


class PartnerGroup(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="partner_groups")
    name = models.CharField(max_length=120)
    organization = models.CharField(
        max_length=120, help_text=gettext_lazy("The partner's organization.")
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="partner_groups"
    )
    shares = models.JSONField(
        default=list,
        blank=True,
        help_text="The item kinds offered to this group (values of ItemKind).",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["network", "name"]
        constraints = [
            models.UniqueConstraint(fields=["network", "name"], name="unique_partner_group")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organization})"


class RepositoryItem(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="repository_items")
    kind = models.CharField(max_length=12, choices=ItemKind.choices)
    template_kind = models.CharField(
        max_length=20,
        choices=TemplateKind.choices,
        blank=True,
        help_text=gettext_lazy("Templates only."),
    )
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=500, blank=True)
    body = models.TextField(blank=True, help_text=gettext_lazy("Markdown."))
    data = models.JSONField(
        default=dict,
        blank=True,
        help_text="Structured content: a case study's experiment data, a template's blocks.",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="repository_items",
    )
    origin_cohort = models.ForeignKey(
        Cohort, on_delete=models.SET_NULL, null=True, blank=True, related_name="repository_items"
    )
    source_experiment = models.ForeignKey(
        Experiment, on_delete=models.SET_NULL, null=True, blank=True, related_name="case_studies"
    )
    source_report = models.ForeignKey(
        SessionReport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case_studies",
    )
    skills = models.ManyToManyField(Skill, blank=True, related_name="repository_items")
    visibility = models.CharField(
        max_length=10, choices=ItemVisibility.choices, default=ItemVisibility.NETWORK
    )
    partner_groups = models.ManyToManyField(PartnerGroup, blank=True, related_name="items")
    reuse_count = models.PositiveIntegerField(default=0, help_text="Kept equal to reuses.count().")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["network", "visibility", "kind"]),
            models.Index(fields=["visibility"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("repository:item", args=[self.network.slug, self.pk])

    def origin_label(self) -> str:
        """Where the item comes from, shown wherever it is read ("From Northwind Learning ·
        Platform Reliability cohort"), so a reader outside the network knows whose it is."""
        if self.origin_cohort is not None:
            return gettext("From %(network)s · %(cohort)s cohort") % {
                "network": self.network.name,
                "cohort": self.origin_cohort.name,
            }
        return gettext("From %(network)s") % {"network": self.network.name}

    def kind_label(self) -> str:
        templates = {
            TemplateKind.AGENDA: gettext("Template: session agenda"),
            TemplateKind.CHARTER: gettext("Template: charter"),
            TemplateKind.EXPERIMENT_PLAN: gettext("Template: experiment plan"),
        }
        if self.kind == ItemKind.TEMPLATE and self.template_kind in templates:
            return templates[TemplateKind(self.template_kind)]
        return str(self.get_kind_display())

    def record_reuse(self, user: Any, cohort: Cohort | None = None, note: str = "") -> bool:
        """Say `user` used this item (in `cohort`). Idempotent per person and cohort, also
        when the cohort is empty (which a unique constraint does not cover on every
        database): the item row is locked while we look. True when a reuse was added."""
        with transaction.atomic():
            RepositoryItem.objects.select_for_update().filter(pk=self.pk).first()
            if Reuse.objects.filter(item=self, user=user, cohort=cohort).exists():
                return False
            Reuse.objects.create(item=self, user=user, cohort=cohort, note=note.strip())
            RepositoryItem.objects.filter(pk=self.pk).update(reuse_count=F("reuse_count") + 1)
        self.refresh_from_db(fields=["reuse_count"])
        return True

    def undo_reuse(self, user: Any, cohort: Cohort | None = None) -> bool:
        """Take back `user`'s reuse (in `cohort`); True when there was one."""
        with transaction.atomic():
            RepositoryItem.objects.select_for_update().filter(pk=self.pk).first()
            deleted, _ = Reuse.objects.filter(item=self, user=user, cohort=cohort).delete()
            if deleted:
                RepositoryItem.objects.filter(pk=self.pk).update(
                    reuse_count=F("reuse_count") - deleted
                )
        self.refresh_from_db(fields=["reuse_count"])
        return bool(deleted)


class Reuse(models.Model):
    """Someone said "I used this", perhaps in a cohort."""

    item = models.ForeignKey(RepositoryItem, on_delete=models.CASCADE, related_name="reuses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reuses"
    )
    cohort = models.ForeignKey(
        Cohort, on_delete=models.SET_NULL, null=True, blank=True, related_name="reuses"
    )
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "user", "cohort"],
                name="one_reuse_per_person_and_cohort",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} used {self.item}"
