"""Reminders and the weekly digest: what each person wants to be sent, and one row per
reminder that is the unit of exactly-once delivery (see cadre.reminders.sending)."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class Kind(models.TextChoices):
    SESSION = "session", "Before a session"
    COMMITMENT_DUE = "commitment-due", "A commitment due soon"
    COMMITMENT_OVERDUE = "commitment-overdue", "A commitment overdue"
    BLOCKER = "blocker", "A blocker waiting for help"
    CHARTER_REVIEW = "charter-review", "A charter review due"
    DIGEST = "digest", "The weekly digest"


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
]


class NotificationPreference(models.Model):
    """What one person wants to be e-mailed; someone without a row gets everything."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    session_reminders = models.BooleanField("Before each session", default=True)
    commitment_reminders = models.BooleanField("My commitments due and overdue", default=True)
    blocker_alerts = models.BooleanField("Blockers I could help with", default=True)
    charter_review = models.BooleanField("Charter reviews due (hosts)", default=True)
    weekly_digest = models.BooleanField("The weekly digest (Mondays)", default=True)
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
