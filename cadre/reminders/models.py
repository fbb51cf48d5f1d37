"""Reminders and the weekly digest: what each person wants to be sent, and one row per
reminder that is the unit of exactly-once delivery (see cadre.reminders.sending)."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    SESSION = "session", _("Before a session")
    COMMITMENT_DUE = "commitment-due", _("A commitment due soon")
    COMMITMENT_OVERDUE = "commitment-overdue", _("A commitment overdue")
    BLOCKER = "blocker", _("A blocker waiting for help")
    CHARTER_REVIEW = "charter-review", _("A charter review due")
    DIGEST = "digest", _("The weekly digest")


# Which preference turns each kind of reminder on or off.
PREFERENCE_OF = {
    Kind.SESSION: "session_reminders",
    Kind.COMMITMENT_DUE: "commitment_reminders",
    Kind.COMMITMENT_OVERDUE: "commitment_reminders",
    Kind.BLOCKER: "blocker_alerts",
    Kind.CHARTER_REVIEW: "charter_review",
    Kind.DIGEST: "weekly_digest",
}
PREFERENCE_FIELDS = [
    "session_reminders",
    "commitment_reminders",
    "blocker_alerts",
    "charter_review",
    "weekly_digest",
    "calendar_invitations",
]


class NotificationPreference(models.Model):
    """What one person wants to be e-mailed; someone without a row gets everything."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    session_reminders = models.BooleanField(_("Before each session"), default=True)
    commitment_reminders = models.BooleanField(_("My commitments due and overdue"), default=True)
    blocker_alerts = models.BooleanField(_("Blockers I could help with"), default=True)
    charter_review = models.BooleanField(_("Charter reviews due (hosts)"), default=True)
    weekly_digest = models.BooleanField(_("The weekly digest (Mondays)"), default=True)
    calendar_invitations = models.BooleanField(
        _("Calendar invitations to my sessions, coffee groups and mentoring meetings"),
        default=True,
    )
    hours_before_session = models.PositiveSmallIntegerField(default=24)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours_before_session__gte=1)
                & models.Q(hours_before_session__lte=168),
                name="hours_before_session_1_to_168",
            )
        ]

    def __str__(self) -> str:
        return f"Notifications of {self.user}"

    def wants(self, kind: str) -> bool:
        return bool(getattr(self, PREFERENCE_OF[Kind(kind)]))

    @classmethod
    def for_user(cls, user: Any) -> "NotificationPreference":
        preference, _ = cls.objects.get_or_create(user=user)
        return preference


class Reminder(models.Model):
    """One reminder to one person about one thing (`key`, e.g. "session:12" or
    "digest:2026-W48"), written with its e-mail in the outbox in one transaction: the unique
    row makes the reminder once however many workers scan; the outbox sends it."""

    kind = models.CharField(max_length=20, choices=Kind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=80)
    created_at = models.DateTimeField(default=timezone.now)
    message = models.OneToOneField(
        "delivery.Message",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reminder",
        help_text="Its e-mail in the outbox, which says whether and when it was sent.",
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "user", "key"], name="one_reminder_per_thing")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.user} ({self.key})"


class InvitationMethod(models.TextChoices):
    REQUEST = "REQUEST", _("Invited")
    CANCEL = "CANCEL", _("Cancelled")


class Invitation(models.Model):
    """The last calendar invitation (iTIP, RFC 5546) one person was sent about one event: a
    session ("session:12"), a coffee group ("coffee-group:5") or a mentoring pair's first
    meeting ("mentoring:3"). `sequence` is the event's SEQUENCE for this person, bumped each
    time what a calendar shows changes (`fingerprint`); `event` keeps the VEVENT last sent so
    a CANCEL can be built when its session, group or pair is gone. See
    cadre.reminders.invitations."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_invitations"
    )
    thing = models.CharField(max_length=60, help_text="What it is about, e.g. session:12.")
    scope = models.CharField(
        max_length=60, help_text="Which sync looks after it, e.g. cohort:4 or coffee-round:9."
    )
    uid = models.CharField(max_length=200)
    sequence = models.PositiveIntegerField(default=0)
    method = models.CharField(max_length=7, choices=InvitationMethod.choices)
    fingerprint = models.CharField(max_length=64)
    starts_at = models.DateTimeField()
    event = models.TextField(help_text="The VEVENT last sent.")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["scope"])]
        constraints = [
            models.UniqueConstraint(fields=["user", "thing"], name="one_invitation_per_thing")
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.thing} for {self.user} (#{self.sequence})"
