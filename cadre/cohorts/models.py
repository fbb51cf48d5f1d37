"""Cohorts: small groups of peers with an objective, a versioned charter and a roster."""

import difflib
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadre.lib.dates import validate_date_in_range
from cadre.networks.models import Network
from cadre.people.models import validate_time_zone

if TYPE_CHECKING:
    from cadre.accounts.models import User


class CohortStatus(models.TextChoices):
    FORMING = "forming", _("Forming")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    COMPLETED = "completed", _("Completed")
    ARCHIVED = "archived", _("Archived")


# What each status means for the cohort's members, as the cohort page says it.
STATUS_MEANINGS: dict[str, Any] = {
    CohortStatus.FORMING: _(
        "The cohort is being set up: its hosts and organizers are putting "
        "the roster together and it has not met yet."
    ),
    CohortStatus.ACTIVE: _(
        "The cohort is running: members meet on its cadence, make "
        "commitments and post updates between sessions."
    ),
    CohortStatus.PAUSED: _(
        "The cohort is taking a break: nothing is lost, and it picks up "
        "where it left off when it becomes active again."
    ),
    CohortStatus.COMPLETED: _(
        "The cohort has finished. Its board, charter and history stay "
        "here to read; its roster no longer changes."
    ),
    CohortStatus.ARCHIVED: _(
        "The cohort has finished and is archived: everything stays "
        "readable, and the network’s home lists it only when someone asks for archived cohorts."
    ),
}


class Cadence(models.TextChoices):
    WEEKLY = "weekly", _("Every week")
    BIWEEKLY = "biweekly", _("Every two weeks")
    MONTHLY = "monthly", _("Every four weeks")


class Cohort(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60)
    objective = models.TextField(
        help_text=_("What the cohort sets out to achieve, in one or two sentences.")
    )
    outcomes = models.TextField(
        blank=True,
        help_text=_("Measurable outcomes, one per line (e.g. “Cycle time under 3 days”)."),
    )
    status = models.CharField(
        max_length=20, choices=CohortStatus.choices, default=CohortStatus.FORMING
    )
    cadence = models.CharField(max_length=20, choices=Cadence.choices, default=Cadence.WEEKLY)
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    session_minutes = models.PositiveSmallIntegerField(default=60)
    starts_on = models.DateField(null=True, blank=True, validators=[validate_date_in_range])
    shared_with_network = models.BooleanField(
        default=False,
        help_text=_("Let every member of the network read the charter and roster."),
    )
    created_at = models.DateTimeField(default=timezone.now)
    renewed_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="renewals",
        help_text=_("The finished cohort this one renews, with the same people."),
    )

    class Meta:
        ordering = ["network", "name"]
        constraints = [
            models.UniqueConstraint(fields=["network", "slug"], name="unique_cohort_per_network")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cohorts:detail", args=[self.network.slug, self.slug])

    @property
    def status_meaning(self) -> str:
        return STATUS_MEANINGS.get(self.status, "")

    def outcome_list(self) -> list[str]:
        return [line.strip() for line in self.outcomes.splitlines() if line.strip()]

    def today(self, now: datetime | None = None) -> date:
        """The date on the cohort's own calendar, in its time zone. Its sessions are there,
        so its due dates, its board's "overdue" and "by Friday" are counted there too, not on
        the server's calendar (UTC), which is a day off for part of every day."""
        return timezone.localdate(now, zoneinfo.ZoneInfo(self.time_zone))

    def current_charter(self) -> "Charter | None":
        return self.charters.order_by("-version").first()

    def active_memberships(self) -> "models.QuerySet[CohortMembership]":
        return self.memberships.filter(left_on__isnull=True)

    def add_charter_version(
        self, *, created_by: "User", based_on: int | None, **fields: Any
    ) -> "Charter":
        """Save a new charter version on top of version `based_on` (None for the first one).
        Old versions are never touched. Raises CharterConflict when someone saved another
        version since the editor opened `based_on`, so nobody overwrites a change unseen."""
        with transaction.atomic():
            # Lock the cohort row so two editors cannot take the same next number on
            # PostgreSQL; on SQLite the IMMEDIATE transaction already serializes writers.
            Cohort.objects.select_for_update().get(pk=self.pk)
            current = self.charters.order_by("-version").values_list("version", flat=True).first()
            if current != based_on:
                raise CharterConflict(current)
            return self.charters.create(
                version=(current or 0) + 1,
                created_by=created_by,
                **fields,
            )


class CharterConflict(Exception):
    """Another charter version was saved while an editor was working from an older one."""

    def __init__(self, current_version: int | None) -> None:
        super().__init__(f"The charter is now at version {current_version}.")
        self.current_version = current_version


class LearningFormat(models.TextChoices):
    CASE_DISCUSSION = "case", _("Case discussion")
    SKILL_SHARE = "skill_share", _("Skill share")
    DEMO = "demo", _("Experiment demo")
    PEER_COACHING = "coaching", _("Peer coaching")
    READING = "reading", _("Reading group")
    HACKATHON = "hackathon", _("Mini-hackathon")
    WORKSHOP = "workshop", _("Workshop")


@dataclass(frozen=True)
class FieldDiff:
    label: str
    before: str
    after: str
    lines: list[str]

    @property
    def changed(self) -> bool:
        return self.before != self.after


class Charter(models.Model):
    """One version of a cohort's charter. A change is saved as a new version; old versions
    stay, so the cohort can see how its mission moved."""

    DIFF_FIELDS = [
        ("mission", _("Mission")),
        ("weekly_hours", _("Weekly time commitment (hours)")),
        ("formats_text", _("Learning formats")),
        ("project_kinds", _("Kinds of projects")),
        ("norms", _("Norms")),
        ("next_review_on", _("Next review")),
    ]

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="charters")
    version = models.PositiveIntegerField()
    mission = models.TextField()
    weekly_hours = models.DecimalField(max_digits=4, decimal_places=1)
    learning_formats = models.JSONField(default=list, blank=True)
    project_kinds = models.TextField(blank=True)
    norms = models.TextField(blank=True)
    next_review_on = models.DateField(validators=[validate_date_in_range])
    change_note = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["cohort", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "version"], name="unique_charter_version"),
            models.CheckConstraint(
                condition=models.Q(weekly_hours__gt=0) & models.Q(weekly_hours__lte=40),
                name="charter_weekly_hours_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cohort} charter v{self.version}"

    def format_labels(self) -> list[str]:
        labels = dict(LearningFormat.choices)
        return [str(labels.get(f, f)) for f in self.learning_formats]

    @property
    def formats_text(self) -> str:
        return "\n".join(self.format_labels())

    def review_due(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.next_review_on <= today

    def diff(self, older: "Charter") -> list[FieldDiff]:
        """Field-by-field differences from an older version to this one."""
        result = []
        for field, label in self.DIFF_FIELDS:
            before, after = str(getattr(older, field)), str(getattr(self, field))
            lines = list(
                difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=2)
            )[2:]
            result.append(FieldDiff(str(label), before, after, lines))
        return result


class CharterAcknowledgement(models.Model):
    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="acknowledgements")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="charter_acknowledgements"
    )
    acknowledged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["charter", "user"], name="acknowledge_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} acknowledged {self.charter}"


class CohortRole(models.TextChoices):
    MEMBER = "member", _("Member")
    HOST = "host", _("Host")
    MENTOR = "mentor", _("Mentor")
    OBSERVER = "observer", _("Observer")


class CohortMembershipQuerySet(models.QuerySet["CohortMembership"]):
    def active(self) -> "CohortMembershipQuerySet":
        return self.filter(left_on__isnull=True)


class CohortMembership(models.Model):
    """A person's place in a cohort. Hosts look after the charter and the calendar; the
    facilitator of each session rotates among all members."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cohort_memberships"
    )
    role = models.CharField(max_length=20, choices=CohortRole.choices, default=CohortRole.MEMBER)
    joined_on = models.DateField(default=timezone.localdate, validators=[validate_date_in_range])
    left_on = models.DateField(null=True, blank=True, validators=[validate_date_in_range])
    learning_statement = models.TextField(
        blank=True,
        help_text=_("How this learning will show up in your work, in a sentence or two."),
    )
    graduated_on = models.DateField(
        null=True,
        blank=True,
        help_text=_("When the cohort graduated its members."),
        validators=[validate_date_in_range],
    )

    objects = CohortMembershipQuerySet.as_manager()

    class Meta:
        ordering = ["cohort", "user__name"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "user"], name="one_place_per_cohort"),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True)
                | models.Q(left_on__gte=models.F("joined_on")),
                name="left_after_joined",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.cohort}"

    @property
    def is_active(self) -> bool:
        return self.left_on is None

    @property
    def is_graduate(self) -> bool:
        return self.graduated_on is not None


class MembershipPeriod(models.Model):
    """An earlier spell of a membership: when someone who left a cohort comes back, their one
    membership reopens with a new start, and the spell before it is kept here, so the
    roster's history still says when they were in it."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="earlier_periods")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="earlier_cohort_periods"
    )
    role = models.CharField(max_length=20, choices=CohortRole.choices)
    joined_on = models.DateField(validators=[validate_date_in_range])
    left_on = models.DateField(validators=[validate_date_in_range])

    class Meta:
        ordering = ["cohort", "user", "joined_on", "pk"]

    def __str__(self) -> str:
        return f"{self.user} in {self.cohort}, {self.joined_on} to {self.left_on}"


class Turnover(models.Model):
    """A seat filled: someone left the cohort and someone else joined in their place (from
    the intake's waitlist). `left` is empty when the seat was a free one."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="turnovers")
    left = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    joined = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    on = models.DateField(validators=[validate_date_in_range])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["cohort", "-on", "-pk"]

    def __str__(self) -> str:
        return f"{self.joined} took a seat in {self.cohort}"


class JoinAgain(models.TextChoices):
    YES = "yes", _("Yes")
    MAYBE = "maybe", _("Maybe")
    NO = "no", _("No")


class SurveyAnswer(models.Model):
    """A member's answer to the end-of-cohort survey: one per member per cohort, editable
    until the cohort is archived. Hosts and organizers read the answers without names; the
    author reads their own."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="survey_answers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_answers"
    )
    value = models.PositiveSmallIntegerField(
        help_text=_("How valuable the cohort was, from 1 (not at all) to 5 (very).")
    )
    changed = models.TextField(blank=True, help_text=_("What changed in your work."))
    keep_or_change = models.TextField(
        blank=True, help_text=_("What the next cohort should keep, and what it should change.")
    )
    join_again = models.CharField(max_length=10, choices=JoinAgain.choices)
    answered_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["cohort", "answered_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "user"], name="one_survey_answer_per_member"),
            models.CheckConstraint(
                condition=models.Q(value__gte=1) & models.Q(value__lte=5),
                name="survey_value_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}'s survey answer for {self.cohort}"
