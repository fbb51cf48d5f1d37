"""Conversation between sessions: comments on progress updates, blockers, experiments and
session reports, reactions to them and to comments, and each person's notifications.

A comment, a reaction or a notification points at its item through one of a few nullable
foreign keys (exactly one is set; a reaction may point at a comment instead), so deleting
the item deletes what was said about it. Who may read them is the item's own rule, asked of
the owning app's policy (cadre.conversation.policy); this app never decides it again."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from cadre.accountability.models import Blocker, Experiment, ProgressUpdate
from cadre.cohorts.models import Cohort
from cadre.schedule.models import SessionReport

# The foreign keys an item of conversation is found by, in one order everywhere.
SUBJECT_FIELDS = ("update", "blocker", "experiment", "report")


class Subject(models.TextChoices):
    UPDATE = "update", pgettext_lazy("conversation subject", "progress update")
    BLOCKER = "blocker", pgettext_lazy("conversation subject", "blocker")
    EXPERIMENT = "experiment", pgettext_lazy("conversation subject", "experiment")
    REPORT = "report", pgettext_lazy("conversation subject", "session report")


def _exactly_one(fields: tuple[str, ...]) -> Q:
    """Exactly one of `fields` is set."""
    options = Q(pk__in=[])
    for chosen in fields:
        one = Q(**{f"{chosen}__isnull": False})
        for other in fields:
            if other != chosen:
                one &= Q(**{f"{other}__isnull": True})
        options |= one
    return options


class SubjectFields(models.Model):
    """The item a row is about: one of a progress update, a blocker, an experiment or a
    session report."""

    update = models.ForeignKey(
        ProgressUpdate, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    blocker = models.ForeignKey(
        Blocker, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    experiment = models.ForeignKey(
        Experiment, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    report = models.ForeignKey(
        SessionReport, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def subject(self) -> Subject:
        for name in SUBJECT_FIELDS:
            if getattr(self, f"{name}_id") is not None:
                return Subject(name)
        raise ValueError(f"{self!r} is about nothing")

    @property
    def subject_id(self) -> int:
        value = getattr(self, f"{self.subject.value}_id")
        assert isinstance(value, int)
        return value


class Comment(SubjectFields):
    """What someone says about an item, in Markdown; a reply answers a comment (one level:
    a reply to a reply answers the same first comment)."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=_exactly_one(SUBJECT_FIELDS), name="comment_about_one_item"
            )
        ]
        indexes = [models.Index(fields=["cohort", "created_at"])]

    def __str__(self) -> str:
        return f"{self.author} on {self.subject.label}"


class ReactionKind(models.TextChoices):
    THANKS = "thumbs_up", "👍"
    CELEBRATE = "tada", "🎉"
    IDEA = "bulb", "💡"
    GRATEFUL = "pray", "🙏"


REACTION_NAMES = {
    ReactionKind.THANKS: "thumbs up",
    ReactionKind.CELEBRATE: "celebrate",
    ReactionKind.IDEA: "good idea",
    ReactionKind.GRATEFUL: "thank you",
}

REACTION_FIELDS = (*SUBJECT_FIELDS, "comment")


class Reaction(SubjectFields):
    """One person's reaction of one kind to an item or a comment (a toggle)."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reactions"
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="reactions"
    )
    kind = models.CharField(max_length=12, choices=ReactionKind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=_exactly_one(REACTION_FIELDS), name="reaction_to_one_item"
            ),
            *(
                models.UniqueConstraint(
                    fields=["user", "kind", name],
                    condition=Q(**{f"{name}__isnull": False}),
                    name=f"one_reaction_per_kind_{name}",
                )
                for name in REACTION_FIELDS
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_kind_display()}"


class Verb(models.TextChoices):
    COMMENTED = "commented", pgettext_lazy("notification verb", "commented on")
    REPLIED = "replied", pgettext_lazy("notification verb", "replied to")
    MENTIONED = "mentioned", pgettext_lazy("notification verb", "mentioned you on")
    REACTED = "reacted", pgettext_lazy("notification verb", "reacted to")


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(SubjectFields):
    """Something that happened that `recipient` should know: a comment on their item, a
    reply to their comment, a mention, reactions to their item or comment. Reactions to one
    thing gather in one unread notification (`others` counts the people after `actor`)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="+")
    verb = models.CharField(max_length=12, choices=Verb.choices)
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    others = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"{self.actor} {self.get_verb_display()} → {self.recipient}"
