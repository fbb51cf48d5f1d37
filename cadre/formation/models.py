"""Intakes and cohort formation: an organizer opens a call for applications, members apply,
a formation run proposes cohorts, the organizer adjusts the proposal and publishes it.

A run's `result` is what the engine answered and never changes; its `assignment` is the
organizer's working copy (moves and locks), rescored after every change."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cadre.lib.dates import validate_date_in_range
from cadre.networks.models import Network, Skill
from cadre.people.models import (
    Profile,
    validate_availability,
    validate_goals,
    validate_time_zone,
)

MIN_COHORT_SIZE = 2
MAX_COHORT_SIZE = 20
MAX_QUESTIONS = 10
MAX_ANSWER_LENGTH = 2000
MIN_RUN_SECONDS = 1
MAX_RUN_SECONDS = 120
MIN_SESSION_MINUTES = 15
MAX_SESSION_MINUTES = 480
SESSION_LENGTH_MESSAGE = format_lazy(
    _("A session lasts {least} to {most} minutes."),
    least=MIN_SESSION_MINUTES,
    most=MAX_SESSION_MINUTES,
)


def validate_questions(value: object) -> None:
    if not isinstance(value, list) or not all(isinstance(q, str) and q.strip() for q in value):
        raise ValidationError(_("Questions must be a list of non-empty sentences."))
    if len(value) > MAX_QUESTIONS:
        raise ValidationError(
            _("At most %(max)s questions, please."), params={"max": MAX_QUESTIONS}
        )
    if any(len(q) > 300 for q in value):
        raise ValidationError(_("A question is at most 300 characters."))
    if len({q.strip().casefold() for q in value}) != len(value):
        raise ValidationError(_("A question is asked twice."))


def answer_problems(
    questions: Sequence[str], answers: Mapping[str, object]
) -> dict[str, list[str]]:
    """What is wrong with `answers` (question -> answer) to an intake's `questions`, by
    question: a question left unanswered, an answer that is not text or too long, an answer
    to a question the intake does not ask. Application.clean() checks these; the page's form
    puts each beside its question."""
    problems: dict[str, list[str]] = {}
    for question in questions:
        answer = answers.get(question, "")
        if not isinstance(answer, str) or len(answer) > MAX_ANSWER_LENGTH:
            problems[question] = [
                _("An answer is text of at most %(max)s characters.") % {"max": MAX_ANSWER_LENGTH}
            ]
        elif not answer.strip():
            problems[question] = [_("Please answer “%(question)s”.") % {"question": question}]
    for question in answers:
        if question not in questions:
            problems[question] = [
                _("This intake does not ask “%(question)s”.") % {"question": question[:60]}
            ]
    return problems


def no_such_skill(network: Network, slug: str) -> str:
    """The refusal for a skill slug that the network's list does not have."""
    return gettext("%(network)s has no skill “%(skill)s”.") % {
        "network": network.name,
        "skill": slug,
    }


class IntakeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for applications")
    CLOSED = "closed", _("Closed")
    PUBLISHED = "published", _("Cohorts published")


class IntakeQuerySet(models.QuerySet["Intake"]):
    def accepting(self) -> IntakeQuerySet:
        """Open intakes whose application window includes today."""
        today = timezone.localdate()
        return self.filter(status=IntakeStatus.OPEN, opens_on__lte=today, closes_on__gte=today)


class Intake(models.Model):
    """A call for applications that ends in cohorts."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="intakes")
    title = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60)
    description = models.TextField(
        blank=True, help_text=_("Who the intake is for and what to expect.")
    )
    objective = models.TextField(
        help_text=_(
            "What the cohorts formed from this intake set out to achieve; each new "
            "cohort starts with it."
        )
    )
    questions = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_questions],
        help_text=_("What applicants answer, besides their goals, skills and availability."),
    )
    target_skills = models.JSONField(
        default=list,
        blank=True,
        help_text="Skill slugs each cohort should cover between its members; empty means all "
        "of the network's skills.",
    )
    opens_on = models.DateField(validators=[validate_date_in_range])
    closes_on = models.DateField(validators=[validate_date_in_range])
    min_size = models.PositiveSmallIntegerField(
        default=5,
        help_text=format_lazy(
            _("Smallest cohort, {least} to {most}."), least=MIN_COHORT_SIZE, most=MAX_COHORT_SIZE
        ),
    )
    max_size = models.PositiveSmallIntegerField(
        default=8,
        help_text=format_lazy(
            _("Largest cohort, {least} to {most}."), least=MIN_COHORT_SIZE, most=MAX_COHORT_SIZE
        ),
    )
    session_minutes = models.PositiveSmallIntegerField(
        default=60,
        help_text=_("How long a session lasts; cohorts need a common slot this long."),
    )
    status = models.CharField(
        max_length=20, choices=IntakeStatus.choices, default=IntakeStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    follows = models.ForeignKey(
        "cohorts.Cohort",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_intakes",
        help_text="The finished cohort this intake was opened after.",
    )

    objects = IntakeQuerySet.as_manager()

    class Meta:
        ordering = ["network", "-opens_on", "title"]
        constraints = [
            models.UniqueConstraint(fields=["network", "slug"], name="unique_intake_per_network"),
            models.CheckConstraint(
                condition=models.Q(closes_on__gt=models.F("opens_on")),
                name="intake_closes_after_it_opens",
            ),
            models.CheckConstraint(
                condition=models.Q(min_size__gte=MIN_COHORT_SIZE)
                & models.Q(max_size__lte=MAX_COHORT_SIZE)
                & models.Q(min_size__lte=models.F("max_size")),
                name="intake_cohort_sizes_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("formation:detail", args=[self.network.slug, self.slug])

    def clean(self) -> None:
        problems: dict[str, list[str]] = {}
        if self.opens_on and self.closes_on and self.closes_on <= self.opens_on:
            problems["closes_on"] = [gettext("The intake must close after it opens.")]
        for name in ("min_size", "max_size"):
            value = getattr(self, name)
            if value is not None and not MIN_COHORT_SIZE <= value <= MAX_COHORT_SIZE:
                problems[name] = [
                    _("A cohort has %(least)s to %(most)s people; got %(value)s.")
                    % {"least": MIN_COHORT_SIZE, "most": MAX_COHORT_SIZE, "value": value}
                ]
        if (
            self.min_size is not None
            and self.max_size is not None
            and "min_size" not in problems
            and "max_size" not in problems
            and self.min_size > self.max_size
        ):
            problems["max_size"] = [
                gettext("The largest cohort cannot be smaller than the smallest.")
            ]
        if (
            self.session_minutes is not None
            and not MIN_SESSION_MINUTES <= self.session_minutes <= MAX_SESSION_MINUTES
        ):
            problems["session_minutes"] = [str(SESSION_LENGTH_MESSAGE)]
        if self.network_id is not None and self.target_skills:
            if not isinstance(self.target_skills, list):
                problems["target_skills"] = [gettext("Target skills are a list of skill slugs.")]
            else:
                known = set(self.network.skills.values_list("slug", flat=True))
                unknown = [s for s in self.target_skills if s not in known]
                if unknown:
                    problems["target_skills"] = [no_such_skill(self.network, unknown[0])]
        if problems:
            raise ValidationError(problems)

    @property
    def is_published(self) -> bool:
        return self.status == IntakeStatus.PUBLISHED

    def accepts_applications(self, today: Any = None) -> bool:
        today = today or timezone.localdate()
        return self.status == IntakeStatus.OPEN and self.opens_on <= today <= self.closes_on

    def active_applications(self) -> models.QuerySet[Application]:
        return self.applications.filter(withdrawn=False)

    def proposal(self) -> FormationRun | None:
        """The organizer's current proposal: the latest run that finished."""
        return self.runs.filter(status=RunStatus.DONE).order_by("-created_at", "-pk").first()

    def latest_run(self) -> FormationRun | None:
        return self.runs.order_by("-created_at", "-pk").first()

    def skill_slugs(self) -> list[str]:
        return self.target_skills or list(
            Skill.objects.filter(network_id=self.network_id).values_list("slug", flat=True)
        )


class ApplicationQuerySet(models.QuerySet["Application"]):
    def active(self) -> ApplicationQuerySet:
        return self.filter(withdrawn=False)


class Application(models.Model):
    """A person's application to an intake: a snapshot of their goals, availability and
    skills (prefilled from their profile) plus their answers."""

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="applications")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications"
    )
    goals = models.JSONField(default=list, blank=True, validators=[validate_goals])
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    availability = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_availability],
        help_text="Hours of the week (0 = Monday 00:00) in the applicant's time zone.",
    )
    skills = models.JSONField(default=dict, blank=True, help_text="Skill slug -> level 0 to 4.")
    answers = models.JSONField(default=dict, blank=True, help_text="Question -> answer.")
    statement = models.TextField(
        blank=True, help_text="Why you are applying and how the learning will show up in your work."
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    withdrawn = models.BooleanField(default=False)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["intake", "submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["intake", "user"], name="one_application_per_intake")
        ]

    def __str__(self) -> str:
        return f"{self.user} for {self.intake}"

    def clean(self) -> None:
        problems: dict[str, list[str]] = {}
        if not isinstance(self.skills, dict):
            problems["skills"] = [gettext("Skills are a mapping of skill slug to level.")]
        elif self.intake_id is not None:
            known = set(
                Skill.objects.filter(network_id=self.intake.network_id).values_list(
                    "slug", flat=True
                )
            )
            for slug, level in self.skills.items():
                if slug not in known:
                    problems.setdefault("skills", []).append(
                        no_such_skill(self.intake.network, slug)
                    )
                elif not isinstance(level, int) or isinstance(level, bool) or not 0 <= level <= 4:
                    problems.setdefault("skills", []).append(
                        _("The level of “%(skill)s” must be a whole number from 0 to 4.")
                        % {"skill": slug}
                    )
        if not isinstance(self.answers, dict):
            problems["answers"] = [gettext("Answers are a mapping of question to answer.")]
        elif self.intake_id is not None:
            for messages in answer_problems(self.intake.questions, self.answers).values():
                problems.setdefault("answers", []).extend(messages)
        if len(self.statement) > MAX_ANSWER_LENGTH:
            problems["statement"] = [
                _("Say why you are applying in at most %(max)s characters.")
                % {"max": MAX_ANSWER_LENGTH}
            ]
        if problems:
            raise ValidationError(problems)

    def availability_utc(self) -> list[int]:
        """The availability shifted to UTC hours of the week, as the profile does it."""
        return Profile(time_zone=self.time_zone, availability=self.availability).availability_utc()


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class FormationRun(models.Model):
    """One formation run of an intake: its settings, its progress while the worker runs it,
    the engine's answer, and the organizer's edits of that answer.

    `result`: {"status", "objective", "message", "groups": [[application id, ...], ...],
    "scores": [score, ...], "explanation": [sentence, ...]} where a score is {"parts":
    {name: 0..1}, "total", "reasons", "common_slots"} and the explanation says why not every
    cohort can meet, when the engine says so. `assignment` and `scores` start as a copy of the result's groups and
    scores and follow the organizer's moves. `pinned` maps application id -> group index for
    the people locked when the run was started.

    `importance`, `require_common_slot` and `session_minutes` are what the organizer formed
    the cohorts for (see criteria.py): part -> "matters_most" | "matters" | "ignore", whether
    every cohort must be able to meet, and the session's length."""

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="runs")
    status = models.CharField(max_length=20, choices=RunStatus.choices, default=RunStatus.QUEUED)
    seed = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=10.0)
    groups = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="How many cohorts; empty lets the engine choose."
    )
    pinned = models.JSONField(default=dict, blank=True)
    importance = models.JSONField(
        default=dict, blank=True, help_text="Score part -> matters_most, matters or ignore."
    )
    require_common_slot = models.BooleanField(
        default=False, help_text="Every cohort must be able to meet."
    )
    session_minutes = models.PositiveSmallIntegerField(
        default=60, help_text="How long a session lasts; a common slot is this long."
    )
    progress = models.FloatField(default=0.0)
    best_objective = models.FloatField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)
    assignment = models.JSONField(default=list, blank=True)
    scores = models.JSONField(default=list, blank=True)
    locked = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    published_cohorts = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["intake", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__gte=0) & models.Q(progress__lte=1),
                name="run_progress_0_to_1",
            ),
        ]

    def __str__(self) -> str:
        return f"Formation run {self.pk} of {self.intake}"

    def get_absolute_url(self) -> str:
        return reverse("formation:run", args=[self.intake.network.slug, self.intake.slug, self.pk])

    @property
    def finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)

    @property
    def percent(self) -> int:
        return round(100 * (1.0 if self.status == RunStatus.DONE else self.progress))

    def group_of(self, application_id: int) -> int | None:
        for index, group in enumerate(self.assignment):
            if application_id in group:
                return index
        return None

    def is_locked(self, application_id: int) -> bool:
        return application_id in self.locked

    def error_in_words(self) -> str:
        """Why the run failed, in the active language where Cadre knows the sentence
        (cadre.formation.wording); the engine's checks of a problem stay English."""
        from .wording import in_words

        return in_words(self.error)


class WaitlistEntry(models.Model):
    """Someone waiting for a seat in the cohorts of an intake. Publishing puts every applicant
    the cohorts did not take here, first come first served (by when they applied); organizers
    add, remove and reorder people. `position` is the order, 1 first."""

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="waitlist")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="waitlist_entries"
    )
    position = models.PositiveIntegerField()
    added_at = models.DateTimeField(default=timezone.now)
    why = models.CharField(
        max_length=200, blank=True, help_text="Why they are here, as the waitlist says it."
    )

    class Meta:
        ordering = ["intake", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["intake", "user"], name="waiting_once_per_intake")
        ]

    def __str__(self) -> str:
        return f"{self.user} waiting for {self.intake}"
