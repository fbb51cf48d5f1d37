"""The outbox: every message Cadre sends is first a row here, written in the same transaction
as the change it announces, then sent by the worker outside any transaction
(cadre.delivery.sending). The row's unique `key` says what the message is about, so asking
twice for the same message queues it once."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    QUEUED = "queued", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Not sent: gave up after repeated failures")


class MessageQuerySet(models.QuerySet["Message"]):
    def ready(self, now: datetime) -> MessageQuerySet:
        """Queued messages whose next attempt is due."""
        return self.filter(status=Status.QUEUED, next_attempt_at__lte=now)

    def abandoned(self, now: datetime, lease: timedelta) -> MessageQuerySet:
        """Messages claimed longer ago than `lease`: the process sending them died."""
        return self.filter(status=Status.SENDING, claimed_at__lt=now - lease)


class Message(models.Model):
    key = models.CharField(
        max_length=200,
        unique=True,
        help_text="What the message is about, e.g. reminder:41 or invitation:7; one message per key.",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The recipient, when they have an account.",
    )
    to = models.EmailField(max_length=254)
    subject = models.CharField(max_length=255)
    body = models.TextField()
    headers = models.JSONField(default=dict, blank=True)
    calendar = models.TextField(
        blank=True,
        help_text="An iTIP calendar object (RFC 5546) sent as a text/calendar part and an "
        ".ics attachment; its METHOD is read from it.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due_idx")]

    def __str__(self) -> str:
        return f"{self.subject} to {self.to} ({self.get_status_display()})"
