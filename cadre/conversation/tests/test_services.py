"""The conversation's writes: comments, replies, mentions, reactions and the notifications
they make, and reading notifications."""

import pytest

from cadre.conversation import services
from cadre.conversation.models import Comment, Notification, Reaction, ReactionKind, Verb
from cadre.lib.rules import Refused

from .helpers import experiment, item, report, update


def verbs(person) -> list[tuple[str, str]]:
    return sorted((n.verb, n.actor.name) for n in Notification.objects.filter(recipient=person))


def test_a_comment_tells_the_items_owner(cast) -> None:
    mine = item(update(cast.host, cast.cohort))
    comment = services.post_comment(author=cast.member, item=mine, body="Nice **progress**")
    assert comment.body == "Nice **progress**" and comment.update_id == mine.pk
    assert verbs(cast.host) == [(Verb.COMMENTED, "Mo Member")]
    assert verbs(cast.member) == []


def test_commenting_on_your_own_item_tells_nobody(cast) -> None:
    mine = item(update(cast.host, cast.cohort))
    services.post_comment(author=cast.host, item=mine, body="A note to self")
    assert not Notification.objects.exists()


def test_a_reply_tells_the_author_answered_and_a_reply_to_a_reply_stays_one_level(cast) -> None:
    blocker = update(cast.host, cast.cohort, blocked="No staging data").blocker
    it = item(blocker)
    first = services.post_comment(author=cast.member, item=it, body="Which tables?")
    reply = services.post_comment(author=cast.host, item=it, body="The orders", parent=first)
    again = services.post_comment(author=cast.member, item=it, body="On it", parent=reply)
    assert reply.parent == first and again.parent == first
    assert verbs(cast.member) == [(Verb.REPLIED, "Hana Host")]
    assert verbs(cast.host) == [(Verb.COMMENTED, "Mo Member"), (Verb.COMMENTED, "Mo Member")]


def test_a_reply_must_answer_a_comment_on_the_same_item(cast) -> None:
    one, other = item(update(cast.host, cast.cohort)), item(update(cast.member, cast.cohort))
    first = services.post_comment(author=cast.member, item=one, body="Hi")
    with pytest.raises(Refused) as refused:
        services.post_comment(author=cast.member, item=other, body="Hm", parent=first)
    assert refused.value.message == services.OTHER_THREAD


def test_an_empty_comment_is_refused_and_nothing_is_saved(cast) -> None:
    with pytest.raises(Refused) as refused:
        services.post_comment(
            author=cast.member, item=item(update(cast.host, cast.cohort)), body="  "
        )
    assert refused.value.field == "body" and refused.value.message == services.EMPTY_COMMENT
    assert not Comment.objects.exists()


def test_mentions_resolve_by_email_local_part_first_name_or_full_name(cast) -> None:
    found = services.mentioned_members(cast.cohort, "@mo and @Hana, also @NiaNewcomer and @nobody")
    assert {u.name for u in found} == {"Mo Member", "Hana Host", "Nia Newcomer"}
    # People of another cohort are no one to mention here.
    assert services.mentioned_members(cast.cohort, "@oscar") == []
    # An e-mail address is no mention.
    assert services.mentioned_members(cast.cohort, "write to mo@northwind.test") == []


def test_a_mention_notifies_the_member_mentioned(cast) -> None:
    it = item(experiment(cast.host, cast.cohort))
    services.post_comment(author=cast.member, item=it, body="@nia you ran one of these")
    assert verbs(cast.newcomer) == [(Verb.MENTIONED, "Mo Member")]
    assert verbs(cast.host) == [(Verb.COMMENTED, "Mo Member")]


def test_a_mention_of_someone_who_may_not_read_the_item_notifies_nobody(cast) -> None:
    private = item(update(cast.member, cast.cohort, private=True))
    services.post_comment(author=cast.member, item=private, body="@hana @nia look")
    assert not Notification.objects.exists()


def test_editing_a_comment_tells_only_the_newly_mentioned(cast) -> None:
    it = item(update(cast.host, cast.cohort))
    comment = services.post_comment(author=cast.member, item=it, body="Ask @hana")
    services.edit_comment(person=cast.member, comment=comment, body="Ask @hana and @nia")
    comment.refresh_from_db()
    assert comment.body == "Ask @hana and @nia" and comment.edited_at is not None
    assert verbs(cast.newcomer) == [(Verb.MENTIONED, "Mo Member")]
    assert len(verbs(cast.host)) == 1


def test_only_the_author_edits_and_the_author_or_a_host_removes(cast) -> None:
    it = item(update(cast.member, cast.cohort))
    comment = services.post_comment(author=cast.newcomer, item=it, body="Hello")
    with pytest.raises(Refused) as refused:
        services.edit_comment(person=cast.member, comment=comment, body="Changed")
    assert refused.value.message == services.NOT_YOUR_COMMENT
    with pytest.raises(Refused) as refused:
        services.delete_comment(person=cast.member, comment=comment)
    assert refused.value.message == services.NOT_YOURS_TO_REMOVE
    services.delete_comment(person=cast.host, comment=comment)
    assert not Comment.objects.exists()


def test_organizers_and_other_cohorts_cannot_comment(cast) -> None:
    it = item(update(cast.member, cast.cohort))
    for person in (cast.organizer, cast.other_cohort_member, cast.outsider):
        with pytest.raises(Refused) as refused:
            services.post_comment(author=person, item=it, body="Hi")
        assert refused.value.kind == "forbidden"
    assert not Comment.objects.exists()


def test_a_reaction_toggles_and_is_one_per_person_per_kind(cast) -> None:
    it = item(update(cast.host, cast.cohort))
    assert services.toggle_reaction(person=cast.member, item=it, kind=ReactionKind.THANKS)
    assert services.toggle_reaction(person=cast.member, item=it, kind=ReactionKind.IDEA)
    assert not services.toggle_reaction(person=cast.member, item=it, kind=ReactionKind.THANKS)
    assert list(Reaction.objects.values_list("kind", flat=True)) == [ReactionKind.IDEA]


def test_an_unknown_reaction_is_refused(cast) -> None:
    with pytest.raises(Refused) as refused:
        services.toggle_reaction(
            person=cast.member, item=item(update(cast.host, cast.cohort)), kind="skull"
        )
    assert refused.value.message == services.NOT_A_REACTION


def test_reactions_gather_in_one_unread_notification(cast) -> None:
    it = item(report(cast.cohort, cast.host))
    services.toggle_reaction(person=cast.member, item=it, kind=ReactionKind.CELEBRATE)
    services.toggle_reaction(person=cast.newcomer, item=it, kind=ReactionKind.CELEBRATE)
    services.toggle_reaction(person=cast.newcomer, item=it, kind=ReactionKind.IDEA)
    (notification,) = Notification.objects.filter(recipient=cast.host)
    assert notification.verb == Verb.REACTED
    assert notification.actor == cast.newcomer and notification.others == 1
    services.mark_read(person=cast.host, notification=notification)
    services.toggle_reaction(person=cast.member, item=it, kind=ReactionKind.IDEA)
    assert Notification.objects.filter(recipient=cast.host).count() == 2


def test_a_reaction_to_a_comment_tells_its_author(cast) -> None:
    it = item(update(cast.host, cast.cohort))
    comment = services.post_comment(author=cast.member, item=it, body="Try this")
    services.toggle_reaction(person=cast.host, item=it, kind=ReactionKind.GRATEFUL, comment=comment)
    (notification,) = Notification.objects.filter(recipient=cast.member)
    assert notification.verb == Verb.REACTED and notification.comment == comment


def test_marking_read_one_and_all(cast) -> None:
    it = item(update(cast.host, cast.cohort))
    for text in ("one", "two", "three"):
        services.post_comment(author=cast.member, item=it, body=text)
    first = Notification.objects.filter(recipient=cast.host).earliest("pk")
    services.mark_read(person=cast.host, notification=first)
    with pytest.raises(Refused):
        services.mark_read(person=cast.member, notification=first)
    assert services.mark_all_read(person=cast.host) == 2
    assert not Notification.objects.unread().exists()
