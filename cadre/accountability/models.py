"""Accountability as support: commitments (specific, observable, time-bound), kudos for the
ones done, progress updates with blockers that peers offer help with, and experiments.

Everything belongs to one cohort and is for its active members and the network's organizers
(cadre.accountability.policy). A private commitment or experiment is for its owner alone: not even
organizers see it, so a member can keep a personal goal on the board without showing it. A
progress update about a private commitment is private with it."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadre.cohorts.models import Cohort
from cadre.lib.dates import validate_date_in_range
from cadre.networks.models import Skill
from cadre.schedule.models import Session

DUE_SOON_DAYS = 3


class Visibility(models.TextChoices):
    COHORT = "cohort", _("My cohort")
    PRIVATE = "private", _("Only me")


class CommitmentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    MISSED = "missed", _("Missed")
    DROPPED = "dropped", _("Dropped")


class CommitmentQuerySet(models.QuerySet["Commitment"]):
    def open(self) -> CommitmentQuerySet:
        return self.filter(status=CommitmentStatus.OPEN)

    def overdue(self, today: date | None = None) -> CommitmentQuerySet:
        """Open commitments whose due date has passed."""
        return self.open().filter(due_on__lt=today or timezone.localdate())

    def due_soon(self, today: date | None = None, days: int = DUE_SOON_DAYS) -> CommitmentQuerySet:
        """Open commitments due today or within the next `days` days."""
        today = today or timezone.localdate()
        return self.open().filter(due_on__gte=today, due_on__lte=today + timedelta(days=days))

    def completed(self) -> CommitmentQuerySet:
        return self.filter(status=CommitmentStatus.DONE)

    def visible_to(self, user: Any) -> CommitmentQuerySet:
        """Cohort commitments and the user's own private ones (the rule is
        cadre.accountability.policy's, and the cohort check is the caller's)."""
        from .policy import shown_q

        return self.filter(shown_q(user))


class Commitment(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="commitments")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="commitments"
    )
    text = models.CharField(max_length=300)
    deliverable = models.CharField(
        max_length=200, blank=True, help_text=_("What someone else will be able to see.")
    )
    due_on = models.DateField(null=True, blank=True, validators=[validate_date_in_range])
    evidence = models.CharField(
        max_length=500, blank=True, help_text="A link or a sentence showing it is done."
    )
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.COHORT
    )
    status = models.CharField(
        max_length=10, choices=CommitmentStatus.choices, default=CommitmentStatus.OPEN
    )
    session = models.ForeignKey(
        Session,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commitments",
        help_text="The session where it was made.",
    )
    # What the commitment check said when it was saved; empty when it passed.
    lint_problems = models.JSONField(default=list, blank=True)
    kept_anyway = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        # (cohort, due_on): the figures count a window of due dates per cohort.
        # (cohort, status, completed_at): a cohort's open or done ones, and the board's and
        # the feed's latest done read in order, whatever the length of the history.
        indexes = [
            models.Index(
                fields=["cohort", "status", "completed_at"], name="commitment_status_completed"
            ),
            models.Index(fields=["cohort", "due_on"]),
        ]

    def __str__(self) -> str:
        return self.text

    def is_overdue(self, today: date | None = None) -> bool:
        """Open past its due date; `today` is the cohort's (Cohort.today) unless given."""
        return (
            self.status == CommitmentStatus.OPEN
            and self.due_on is not None
            and self.due_on < (today or self.cohort.today())
        )

    def mark(self, status: str, evidence: str = "") -> None:
        """Close (or reopen) the commitment. Done needs evidence: a link or a sentence."""
        if status not in CommitmentStatus.values:
            raise ValidationError({"status": ["Choose open, done, missed or dropped."]})
        evidence = evidence.strip() or (self.evidence if status == CommitmentStatus.DONE else "")
        if status == CommitmentStatus.DONE and not evidence:
            raise ValidationError(
                {"evidence": ["Say how we can see it is done: a link or a sentence."]}
            )
        self.status = status
        self.evidence = evidence if status == CommitmentStatus.DONE else self.evidence
        self.completed_at = timezone.now() if status == CommitmentStatus.DONE else None
        self.save(update_fields=["status", "evidence", "completed_at"])


class Kudos(models.Model):
    """A peer's congratulations on a commitment done."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="kudos")
    giver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kudos_given"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "kudos"
        constraints = [
            models.UniqueConstraint(fields=["commitment", "giver"], name="one_kudos_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.giver} → {self.commitment}"


class ProgressUpdateQuerySet(models.QuerySet["ProgressUpdate"]):
    def visible_to(self, user: Any) -> ProgressUpdateQuerySet:
        """Updates about private commitments are their author's alone
        (cadre.accountability.policy)."""
        from .policy import update_shown_q

        return self.filter(update_shown_q(user))


class ProgressUpdate(models.Model):
    """Done / remaining / blockers, about one commitment or free-standing."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="progress_updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="progress_updates"
    )
    commitment = models.ForeignKey(
        Commitment, on_delete=models.SET_NULL, null=True, blank=True, related_name="updates"
    )
    done = models.TextField(blank=True)
    remaining = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ProgressUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        # The feed's latest updates of a cohort, read in order however many there are.
        indexes = [models.Index(fields=["cohort", "created_at"], name="update_cohort_created_at")]

    def __str__(self) -> str:
        return f"{self.author} · {self.created_at:%Y-%m-%d}"


class BlockerQuerySet(models.QuerySet["Blocker"]):
    def unresolved(self) -> BlockerQuerySet:
        return self.filter(resolved_at__isnull=True)

    def visible_to(self, user: Any) -> BlockerQuerySet:
        """Blockers of the updates `user` may see (cadre.accountability.policy)."""
        from .policy import update_shown_q

        return self.filter(update_shown_q(user, "update__"))


class Blocker(models.Model):
    """What stands in the way, from a progress update. It is offered to the peers rated 3
    or more in one of its skills; it is resolved when its author accepts an offer of help."""

    update = models.OneToOneField(ProgressUpdate, on_delete=models.CASCADE, related_name="blocker")
    text = models.TextField()
    skills = models.ManyToManyField(Skill, blank=True, related_name="blockers")
    created_at = models.DateTimeField(default=timezone.now)
    first_offer_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    objects = BlockerQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def time_to_first_offer(self) -> timedelta | None:
        """How long the blocker waited for its first offer of help (None: still waiting)."""
        return None if self.first_offer_at is None else self.first_offer_at - self.created_at

    def offer(self, helper: Any, message: str = "") -> HelpOffer:
        """Record `helper`'s offer; the first one stamps first_offer_at."""
        if helper.pk == self.update.author_id:
            raise ValidationError({"helper": ["You cannot offer help with your own blocker."]})
        if self.resolved_at is not None:
            raise ValidationError({"blocker": ["This blocker is already resolved."]})
        with transaction.atomic():
            offer, _ = HelpOffer.objects.get_or_create(
                blocker=self, helper=helper, defaults={"message": message.strip()}
            )
            if self.first_offer_at is None:
                self.first_offer_at = offer.created_at
                self.save(update_fields=["first_offer_at"])
        return offer


class HelpOffer(models.Model):
    blocker = models.ForeignKey(Blocker, on_delete=models.CASCADE, related_name="offers")
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="help_offers"
    )
    message = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["blocker", "helper"], name="one_offer_per_helper")
        ]
        # The offers of a window across many cohorts (the network's totals,
        # cadre.metrics.figures.help_offers with by_date) are found by their date.
        indexes = [models.Index(fields=["created_at"], name="helpoffer_created_at")]

    def __str__(self) -> str:
        return f"{self.helper} → {self.blocker}"

    def accept(self, now: datetime | None = None) -> None:
        """The blocked person takes this offer; the blocker is resolved."""
        now = now or timezone.now()
        with transaction.atomic():
            self.accepted_at = now
            self.save(update_fields=["accepted_at"])
            if self.blocker.resolved_at is None:
                self.blocker.resolved_at = now
                self.blocker.save(update_fields=["resolved_at"])


class Outcome(models.TextChoices):
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    INCONCLUSIVE = "inconclusive", _("Inconclusive")


class ExperimentQuerySet(models.QuerySet["Experiment"]):
    def visible_to(self, user: Any) -> ExperimentQuerySet:
        """Cohort experiments and the user's own private ones (cadre.accountability.policy)."""
        from .policy import shown_q

        return self.filter(shown_q(user))

    def running(self) -> ExperimentQuerySet:
        return self.filter(outcome=Outcome.RUNNING)


class Experiment(models.Model):
    """A concrete, time-bound trial of a capability the cohort is building, with its
    measure, baseline, result data and what was learned (failed ones count too)."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="experiments")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="experiments"
    )
    title = models.CharField(max_length=120)
    skill = models.ForeignKey(
        Skill, on_delete=models.SET_NULL, null=True, blank=True, related_name="experiments"
    )
    capability = models.CharField(max_length=200, help_text=_("The capability it builds."))
    hypothesis = models.TextField()
    plan = models.TextField()
    starts_on = models.DateField(validators=[validate_date_in_range])
    ends_on = models.DateField(validators=[validate_date_in_range])
    measure = models.CharField(max_length=200)
    baseline = models.CharField(max_length=200, blank=True)
    result_data = models.TextField(blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.RUNNING)
    learnings = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.COHORT
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ExperimentQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")),
                name="experiment_ends_after_start",
                violation_error_message="The experiment must end after it starts.",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def is_running(self) -> bool:
        return self.outcome == Outcome.RUNNING
