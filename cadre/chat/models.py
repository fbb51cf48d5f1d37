"""Chat: a network's Slack workspace, the channel each cohort's notices go to (a Slack
channel, a Microsoft Teams Workflows address, or both), the people of Slack linked to Cadre's,
and the queue of notices the worker posts.

A notice is a ChatDelivery row first, written when the change it tells of commits, then posted
by the worker outside any transaction (cadre.chat.sending), like a webhook delivery."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from cadre.cohorts.models import Cohort
from cadre.networks.models import Network


class SlackWorkspace(models.Model):
    """The Slack workspace a network connected (one at most), with its bot's token encrypted
    (cadre.chat.crypto); the raw token is never stored."""

    network = models.OneToOneField(Network, on_delete=models.CASCADE, related_name="slack")
    team_id = models.CharField(max_length=40, unique=True)
    team_name = models.CharField(max_length=200, blank=True)
    bot_user_id = models.CharField(max_length=40, blank=True)
    app_id = models.CharField(
        max_length=40,
        blank=True,
        help_text="The id of the Slack app that was installed; Slack's events must name it.",
    )
    token = models.TextField(help_text="The bot token, encrypted with CADRE_ENCRYPTION_KEY.")
    scopes = models.CharField(max_length=500, blank=True)
    installed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    installed_at = models.DateTimeField(default=timezone.now)
    token_refused = models.CharField(
        max_length=40,
        blank=True,
        help_text="Slack's error when it refused the bot token (token_revoked…); empty: none.",
    )

    def __str__(self) -> str:
        return f"{self.team_name or self.team_id} ({self.network})"


class ChannelLink(models.Model):
    """Where a cohort's notices go: a Slack channel of the network's workspace, a Teams
    Workflows address, or both. No row: the cohort posts nothing."""

    cohort = models.OneToOneField(Cohort, on_delete=models.CASCADE, related_name="chat_link")
    slack_channel_id = models.CharField(max_length=40, blank=True)
    slack_channel_name = models.CharField(max_length=100, blank=True)
    teams_url = models.URLField(max_length=1000, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Chat of {self.cohort}"


class SlackIdentity(models.Model):
    """A Slack user of a workspace and the verified e-mail address Slack gave for them; the
    Cadre person is found from that address each time (cadre.chat.people)."""

    workspace = models.ForeignKey(SlackWorkspace, on_delete=models.CASCADE, related_name="people")
    slack_user_id = models.CharField(max_length=40)
    email = models.EmailField(blank=True)
    checked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "slack_user_id"], name="chat_one_identity")
        ]

    def __str__(self) -> str:
        return self.slack_user_id


class SlackSignatureQuerySet(models.QuerySet["SlackSignature"]):
    def stale(self, now: datetime, keep: timedelta) -> SlackSignatureQuerySet:
        return self.filter(seen_at__lt=now - keep)


class SlackSignature(models.Model):
    """A request signature Slack sent, kept while a request signed with it could still be
    taken (its timestamp is checked), so that a replay is refused by every web process: the
    unique hash makes a second insert fail whichever process, or cache, saw the first."""

    digest = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the signature.")
    seen_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = SlackSignatureQuerySet.as_manager()

    def __str__(self) -> str:
        return self.digest[:12]


class Channel(models.TextChoices):
    SLACK = "slack", "Slack"
    TEAMS = "teams", "Microsoft Teams"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be posted")
    SENDING = "sending", _("Being posted")
    DELIVERED = "delivered", pgettext_lazy("chat notice", "Posted")
    FAILED = "failed", _("Not posted: gave up after repeated failures")
    # Slack answered with an error no retry can mend (PERMANENT): one try, no more.
    REFUSED = "refused", _("Not posted: Slack refused it")
    # Still waiting when the workspace was disconnected.
    DROPPED = "dropped", _("Not posted: Slack was disconnected")


# Not-posted statuses, shown under "Failures" on the admins' page.
NOT_POSTED = (DeliveryStatus.FAILED, DeliveryStatus.REFUSED, DeliveryStatus.DROPPED)

# Slack Web API errors that fail the same way however often they are retried, with what the
# admin does about each. The English goes in the delivery's last_error (the log keeps errors
# as they were written); the page shows it again in the reader's language (refusal()).
RECONNECT_HINT = gettext_noop("Slack no longer accepts Cadre's token: connect the workspace again.")
RECONNECT = {
    "invalid_auth": RECONNECT_HINT,
    "not_authed": RECONNECT_HINT,
    "account_inactive": RECONNECT_HINT,
    "token_revoked": RECONNECT_HINT,
    "token_expired": RECONNECT_HINT,
    "missing_scope": gettext_noop("Cadre's token lacks a permission: connect the workspace again."),
}
# The refusals after which the token itself no longer works (a token short of a permission
# still does): disconnecting does not ask Slack to revoke such a token.
TOKEN_GONE_CODES = frozenset(RECONNECT) - {"missing_scope"}
PERMANENT = {
    **RECONNECT,
    "channel_not_found": gettext_noop(
        "The channel is gone or Cadre cannot see it: choose the cohort's again."
    ),
    "not_in_channel": gettext_noop(
        "Cadre is not in this private channel: invite it, or choose another."
    ),
    "is_archived": gettext_noop("The channel is archived: choose another for the cohort."),
    "invalid_blocks": gettext_noop("Slack refused the notice's layout."),
    "msg_too_long": gettext_noop("Slack refused the notice as too long."),
}


class ChatDeliveryQuerySet(models.QuerySet["ChatDelivery"]):
    def due(self, now: datetime) -> ChatDeliveryQuerySet:
        return self.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)


class ChatDelivery(models.Model):
    """One notice to one channel. `key` makes it once: a session's "starts soon" notice is
    keyed by the session, so the periodic job queues it once however often it runs."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="chat_deliveries")
    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, null=True, blank=True, related_name="chat_deliveries"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    # The Slack channel id, or the Teams address, as it was when the notice was queued.
    target = models.CharField(max_length=1000)
    event_type = models.CharField(max_length=60)
    key = models.CharField(max_length=200, unique=True)
    payload = models.JSONField()
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=1000, blank=True)
    slack_error = models.CharField(
        max_length=40,
        blank=True,
        help_text="Slack's error when it refused the notice for good (is_archived…); empty: none.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    objects = ChatDeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="chat_due_idx")]

    def __str__(self) -> str:
        return f"{self.event_type} to {self.get_channel_display()} ({self.get_status_display()})"

    def refusal(self) -> str:
        """Why Slack refused this notice for good and what to do, in the active language;
        empty unless it was refused."""
        if self.status != DeliveryStatus.REFUSED or self.slack_error not in PERMANENT:
            return ""
        return gettext(PERMANENT[self.slack_error])
