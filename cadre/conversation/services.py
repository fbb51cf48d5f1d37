"""Every write of the conversation, for pages, the API, commands and tasks alike: comments
(with their mentions), reactions, and reading notifications.

    comment = post_comment(author=me, item=item, body="Try the **runbook**, @ada")
    added = toggle_reaction(person=me, item=item, kind=ReactionKind.THANKS)

Each checks its rule (cadre.conversation.policy) and raises `Refused` with the sentence
people see. Notifications are made here, in the same transaction as what they tell about,
and only for people who may read the item: a mention of someone who may not read it, or a
comment on an item its owner may no longer read, tells nobody."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cadre.cohorts.models import Cohort, CohortMembership
from cadre.lib.rules import Refused

from . import policy
from .models import Comment, Notification, Reaction, ReactionKind, Verb
from .policy import Item

if TYPE_CHECKING:
    from cadre.accounts.models import User

BODY = "body"
MAX_BODY = 5000

EMPTY_COMMENT = gettext_noop("Write something before you send your comment.")
LONG_COMMENT = gettext_noop(
    "Keep a comment under {max} characters; a journal entry suits longer thoughts."
)
NOT_TALKING = gettext_noop(
    "Only the cohort’s active members comment and react on what they may read."
)
NOT_YOUR_COMMENT = gettext_noop("Only the person who wrote a comment can change it.")
NOT_YOURS_TO_REMOVE = gettext_noop("Only a comment’s author, or the cohort’s hosts, can remove it.")
OTHER_THREAD = gettext_noop("You can only reply to a comment on the same item.")
NOT_A_REACTION = gettext_noop("Choose one of the reactions offered: 👍, 🎉, 💡 or 🙏.")

# "@" and a name without spaces: an e-mail's local part (mo.member), a first name (Mo) or a
# full name run together (MoMember).
MENTION = re.compile(r"(?<![\w@])@([\w.+-]*\w)")


def _clean(body: str) -> str:
    body = body.strip()
    if not body:
        raise Refused(_(EMPTY_COMMENT), field=BODY)
    if len(body) > MAX_BODY:
        raise Refused(_(LONG_COMMENT).format(max=MAX_BODY), field=BODY)
    return body


def _require_talk(person: User, item: Item) -> None:
    if not policy.can_talk_about(person, item):
        raise Refused(_(NOT_TALKING), kind="forbidden")


# --- mentions ---------------------------------------------------------------------------------


def mention_handles(user: User) -> list[str]:
    """What may follow "@" to mention `user`, lower case: their e-mail's local part, their
    first name and their full name run together."""
    handles = [user.email.split("@", 1)[0].lower()]
    if user.name.strip():
        handles += [user.name.split()[0].lower(), "".join(user.name.split()).lower()]
    return list(dict.fromkeys(handles))


def cohort_members(cohort: Cohort) -> QuerySet[User]:
    """The cohort's active members, who may be mentioned."""
    ids = CohortMembership.objects.active().filter(cohort=cohort).values("user_id")
    return get_user_model().objects.filter(pk__in=ids).order_by("name", "email")


def mentioned_members(cohort: Cohort, body: str) -> list[User]:
    """The cohort's active members `body` mentions. A handle two members share (a first name)
    mentions neither: it is up to the writer to use the e-mail's local part."""
    wanted = {m.lower().rstrip(".") for m in MENTION.findall(body)}
    if not wanted:
        return []
    owners: dict[str, list[User]] = {}
    for member in cohort_members(cohort):
        for handle in mention_handles(member):
            owners.setdefault(handle, []).append(member)
    found: dict[int, User] = {}
    for handle in wanted:
        matches = owners.get(handle, [])
        if len(matches) == 1:
            found[matches[0].pk] = matches[0]
    return list(found.values())


# --- notifications -----------------------------------------------------------------------------


def _notify(recipients: dict[int, Verb], *, actor: User, item: Item, comment: Comment) -> None:
    """One notification each, for the recipients who may read the item (never the actor)."""
    User = get_user_model()
    for person in User.objects.filter(pk__in=recipients).exclude(pk=actor.pk):
        if policy.can_read_item(person, item):
            Notification.objects.create(
                recipient=person,
                actor=actor,
                cohort=item.cohort,
                verb=recipients[person.pk],
                comment=comment,
                **item.fields,
            )


def _comment_recipients(item: Item, comment: Comment, mentioned: list[User]) -> dict[int, Verb]:
    """Who hears of a comment, and as what: the mentioned, the author of the comment it
    answers, the item's owner; each once, in that order of precedence."""
    recipients: dict[int, Verb] = {}
    if item.owner_id is not None:
        recipients[item.owner_id] = Verb.COMMENTED
    if comment.parent is not None:
        recipients[comment.parent.author_id] = Verb.REPLIED
    for person in mentioned:
        recipients[person.pk] = Verb.MENTIONED
    return recipients


# --- comments ----------------------------------------------------------------------------------


def post_comment(*, author: User, item: Item, body: str, parent: Comment | None = None) -> Comment:
    """A comment on `item` (a reply when `parent` is given: a reply to a reply answers the
    first comment), telling the item's owner, the author answered and the members mentioned."""
    _require_talk(author, item)
    body = _clean(body)
    if parent is not None:
        if (
            parent.cohort_id != item.cohort.pk
            or getattr(parent, f"{item.subject.value}_id") != item.pk
        ):
            raise Refused(_(OTHER_THREAD), field="parent")
        if parent.parent is not None:
            parent = parent.parent
    with transaction.atomic():
        comment = Comment.objects.create(
            cohort=item.cohort, author=author, parent=parent, body=body, **item.fields
        )
        mentioned = mentioned_members(item.cohort, body)
        _notify(
            _comment_recipients(item, comment, mentioned), actor=author, item=item, comment=comment
        )
    return comment


def edit_comment(*, person: User, comment: Comment, body: str) -> Comment:
    """The author changes their comment; members mentioned for the first time are told."""
    if not policy.can_edit_comment(person, comment):
        raise Refused(_(NOT_YOUR_COMMENT), kind="forbidden")
    body = _clean(body)
    item = policy.item_of(comment)
    with transaction.atomic():
        before = {m.pk for m in mentioned_members(comment.cohort, comment.body)}
        comment.body = body
        comment.edited_at = timezone.now()
        comment.save(update_fields=["body", "edited_at"])
        new = [m for m in mentioned_members(comment.cohort, body) if m.pk not in before]
        _notify({m.pk: Verb.MENTIONED for m in new}, actor=person, item=item, comment=comment)
    return comment


def delete_comment(*, person: User, comment: Comment) -> None:
    """Its author or the cohort's hosts remove a comment, with its replies and reactions."""
    if not policy.can_remove_comment(person, comment):
        raise Refused(_(NOT_YOURS_TO_REMOVE), kind="forbidden")
    comment.delete()


# --- reactions ---------------------------------------------------------------------------------


def toggle_reaction(*, person: User, item: Item, kind: str, comment: Comment | None = None) -> bool:
    """Add `person`'s reaction of `kind` to the item (or to `comment` on it), or take it back
    when it is there already. True when added. The owner hears of reactions in one unread
    notification per item or comment, however many people react."""
    _require_talk(person, item)
    if kind not in ReactionKind.values:
        raise Refused(_(NOT_A_REACTION), field="kind")
    target = {"comment": comment} if comment is not None else item.fields
    with transaction.atomic():
        existing = Reaction.objects.filter(user=person, kind=kind, **target).first()
        if existing is not None:
            existing.delete()
            return False
        Reaction.objects.create(cohort=item.cohort, user=person, kind=kind, **target)
        owner_id = comment.author_id if comment is not None else item.owner_id
        if owner_id is not None and owner_id != person.pk:
            _tell_of_reaction(owner_id, actor=person, item=item, comment=comment)
    return True


def _tell_of_reaction(owner_id: int, *, actor: User, item: Item, comment: Comment | None) -> None:
    owner = get_user_model().objects.get(pk=owner_id)
    if not policy.can_read_item(owner, item):
        return
    about = {"comment": comment, **item.fields}
    waiting = (
        Notification.objects.select_for_update()
        .unread()
        .filter(recipient=owner, verb=Verb.REACTED, **about)
        .first()
    )
    if waiting is None:
        Notification.objects.create(
            recipient=owner, actor=actor, cohort=item.cohort, verb=Verb.REACTED, **about
        )
    elif waiting.actor_id != actor.pk:
        Notification.objects.filter(pk=waiting.pk).update(
            actor=actor, others=F("others") + 1, created_at=timezone.now()
        )


# --- reading notifications ---------------------------------------------------------------------


def mark_read(*, person: User, notification: Notification) -> Notification:
    """Mark one of `person`'s notifications read (again: it stays read)."""
    if not policy.can_read_notification(person, notification):
        raise Refused(_(policy.NO_SUCH_NOTIFICATION), kind="not_found")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(*, person: User) -> int:
    """Mark every unread notification of `person` read; how many there were."""
    return policy.visible_notifications(person).unread().update(read_at=timezone.now())


def member_handles(cohort: Cohort) -> list[tuple[str, str]]:
    """(handle, name) for each active member: what to type after "@" to mention them (the
    e-mail's local part, the handle least often shared)."""
    return [(mention_handles(m)[0], m.name or m.email) for m in cohort_members(cohort)]
