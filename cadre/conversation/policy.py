"""Who reads and writes the conversation about a cohort's items.

Reading is never decided here: a comment, a reaction or a notification about an item is read
by exactly the people the item's own app lets read the item: `cadre.accountability.policy`
for progress updates, blockers and experiments (a private commitment's updates and a private
experiment are their owner's alone), `cadre.schedule.policy` for session reports (a
published report is read by the cohort, and by the network's insiders when it is shared with
the network). Each rule is an instance check beside a QuerySet filter, as everywhere else.

Writing (comments, replies, reactions) is for the cohort's active members who may read the
item. A comment is changed by its author; its author and the cohort's hosts (and the
network's organizers, who look after every cohort) remove it. A notification is its
recipient's alone.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cadre.accountability import policy as board
from cadre.accountability.models import Blocker, Experiment, ProgressUpdate
from cadre.cohorts.models import Cohort
from cadre.cohorts.policy import can_edit_charter, is_cohort_member
from cadre.networks.policy import Person
from cadre.schedule import policy as schedule
from cadre.schedule.models import SessionReport

from .models import Comment, Notification, NotificationQuerySet, Reaction, Subject


@dataclass(frozen=True)
class Item:
    """Something the cohort talks about: a progress update, a blocker, an experiment or a
    session report, with the person it belongs to (who is told what is said about it)."""

    subject: Subject
    obj: Any
    cohort: Cohort

    @property
    def pk(self) -> int:
        return int(self.obj.pk)

    @property
    def owner_id(self) -> int | None:
        if self.subject == Subject.UPDATE:
            return int(self.obj.author_id)
        if self.subject == Subject.BLOCKER:
            return int(self.obj.update.author_id)
        if self.subject == Subject.EXPERIMENT:
            return int(self.obj.owner_id)
        published_by: int | None = self.obj.published_by_id
        return published_by

    @property
    def fields(self) -> dict[str, Any]:
        """The foreign key a comment, reaction or notification about this item sets."""
        return {self.subject.value: self.obj}

    def __str__(self) -> str:
        """The item's name in the active language, as a sentence names it."""
        if self.subject == Subject.UPDATE:
            return _("%(person)s’s progress update") % {"person": self.obj.author}
        if self.subject == Subject.BLOCKER:
            return _("%(person)s’s blocker") % {"person": self.obj.update.author}
        if self.subject == Subject.EXPERIMENT:
            return _("the experiment “%(title)s”") % {"title": self.obj.title}
        zone = zoneinfo.ZoneInfo(self.cohort.time_zone)
        starts = timezone.localtime(self.obj.session.starts_at, zone)
        return _("the report of %(session)s on %(day)s") % {
            "session": self.obj.session.label.lower(),
            "day": date_format(starts, "j M"),
        }


# --- the items: the owning apps' rules -------------------------------------------------------


def readable_items(user: Person, cohort: Cohort, subject: Subject) -> QuerySet[Any]:
    """The cohort's items of one kind that `user` may read, as their apps say."""
    if subject == Subject.UPDATE:
        return board.visible_updates(user, cohort)
    if subject == Subject.BLOCKER:
        return board.visible_blockers(user, cohort)
    if subject == Subject.EXPERIMENT:
        return board.visible_experiments(user, cohort)
    return schedule.visible_session_reports(user, cohort)


def readable_items_q(user: Person, cohort: Cohort) -> Q:
    """A comment, reaction or notification (with the subject fields) about an item of
    `cohort` that `user` may read."""
    found = Q(pk__in=[])
    for subject in Subject:
        found |= Q(**{f"{subject.value}__in": readable_items(user, cohort, subject).values("pk")})
    return found


def can_read_item(user: Person, item: Item) -> bool:
    """`readable_items` for one item."""
    return readable_items(user, item.cohort, item.subject).filter(pk=item.pk).exists()


_MODELS = {
    Subject.UPDATE: ProgressUpdate,
    Subject.BLOCKER: Blocker,
    Subject.EXPERIMENT: Experiment,
    Subject.REPORT: SessionReport,
}


def get_item_or_404(user: Person, cohort: Cohort, subject: Subject, pk: int) -> Item:
    related = {
        Subject.UPDATE: ("author", "commitment", "blocker"),
        Subject.BLOCKER: ("update__author", "update__commitment"),
        Subject.EXPERIMENT: ("owner",),
        Subject.REPORT: ("session", "published_by"),
    }[subject]
    obj = readable_items(user, cohort, subject).select_related(*related).filter(pk=pk).first()
    if obj is None:
        raise Http404(f"This cohort has no such {subject.label} that you may read.")
    return Item(subject, obj, cohort)


def item_of(row: Comment | Reaction | Notification) -> Item:
    """The item a comment, reaction or notification is about (a reaction to a comment: the
    comment's item)."""
    if isinstance(row, Reaction) and row.comment is not None:
        return item_of(row.comment)
    subject = row.subject
    return Item(subject, getattr(row, subject.value), row.cohort)


# --- comments and reactions -----------------------------------------------------------------


def visible_comments(user: Person, cohort: Cohort) -> QuerySet[Comment]:
    """The cohort's comments `user` may read: those about items they may read."""
    return Comment.objects.filter(cohort=cohort).filter(readable_items_q(user, cohort))


def can_read_comment(user: Person, comment: Comment) -> bool:
    return visible_comments(user, comment.cohort).filter(pk=comment.pk).exists()


def visible_reactions(user: Person, cohort: Cohort) -> QuerySet[Reaction]:
    """Reactions to the items and comments `user` may read."""
    comments = visible_comments(user, cohort).values("pk")
    return Reaction.objects.filter(cohort=cohort).filter(
        readable_items_q(user, cohort) | Q(comment__in=comments)
    )


def can_talk(user: Person, cohort: Cohort) -> bool:
    """Commenting and reacting is for the cohort's active members (on the items they may
    read); organizers and the network read along."""
    return is_cohort_member(user, cohort)


def can_talk_about(user: Person, item: Item) -> bool:
    return can_talk(user, item.cohort) and can_read_item(user, item)


def can_edit_comment(user: Person, comment: Comment) -> bool:
    """A comment is changed by its author alone, while they take part in the cohort."""
    return bool(
        user.is_authenticated and comment.author_id == user.pk and can_talk(user, comment.cohort)
    )


def can_remove_comment(user: Person, comment: Comment) -> bool:
    """Its author, and the cohort's hosts and the network's organizers."""
    return can_edit_comment(user, comment) or can_edit_charter(user, comment.cohort)


def get_comment_or_404(user: Person, cohort: Cohort, pk: int) -> Comment:
    comment = (
        visible_comments(user, cohort)
        .select_related("author", "cohort__network", *_SUBJECT_RELATED)
        .filter(pk=pk)
        .first()
    )
    if comment is None:
        raise Http404("This cohort has no such comment that you may read.")
    return comment


def get_comment_on_or_404(user: Person, item: Item, pk: int) -> Comment:
    """A comment on `item` that `user` may read."""
    comment = get_comment_or_404(user, item.cohort, pk)
    if comment.subject != item.subject or comment.subject_id != item.pk:
        raise Http404("This item has no such comment.")
    return comment


_SUBJECT_RELATED = (
    "update__author",
    "blocker__update__author",
    "experiment__owner",
    "report__session",
)


# --- notifications ---------------------------------------------------------------------------


def visible_notifications(user: Person) -> NotificationQuerySet:
    """A person's notifications are theirs alone."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient_id=user.pk)


def can_read_notification(user: Person, notification: Notification) -> bool:
    return bool(user.is_authenticated and notification.recipient_id == user.pk)


NO_SUCH_NOTIFICATION = gettext_noop("You have no such notification.")


def get_notification_or_404(user: Person, pk: int) -> Notification:
    notification = visible_notifications(user).filter(pk=pk).first()
    if notification is None:
        raise Http404(NO_SUCH_NOTIFICATION)
    return notification
