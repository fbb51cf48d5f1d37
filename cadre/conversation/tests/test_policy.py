"""Who reads and writes the conversation: the item's own readers, always."""

from cadre.conversation import policy, services
from cadre.conversation.models import Comment, Notification, Reaction, ReactionKind

from .helpers import experiment, item, report, update


def test_comments_are_read_by_exactly_the_items_readers(cast) -> None:
    shared = item(update(cast.host, cast.cohort, blocked="No data"))
    private = item(update(cast.member, cast.cohort, private=True))
    public = services.post_comment(author=cast.member, item=shared, body="Shared")
    secret = services.post_comment(author=cast.member, item=private, body="Secret")
    for person, readable in [
        (cast.member, {public, secret}),
        (cast.host, {public}),
        (cast.newcomer, {public}),
        (cast.organizer, {public}),
        (cast.admin, {public}),
        (cast.other_cohort_member, set()),
        (cast.mentor, set()),
        (cast.outsider, set()),
    ]:
        assert set(policy.visible_comments(person, cast.cohort)) == readable, person
        for comment in (public, secret):
            assert policy.can_read_comment(person, comment) == (comment in readable), person


def test_writing_is_for_active_members_who_read_the_item(cast) -> None:
    shared = item(experiment(cast.host, cast.cohort))
    private = item(experiment(cast.host, cast.cohort, private=True))
    assert policy.can_talk_about(cast.member, shared)
    assert policy.can_talk_about(cast.host, private)
    assert not policy.can_talk_about(cast.member, private)
    for person in (cast.organizer, cast.other_cohort_member, cast.outsider, cast.partner):
        assert not policy.can_talk_about(person, shared), person


def test_a_report_shared_with_the_network_is_read_by_its_insiders_who_may_not_comment(cast) -> None:
    cast.cohort.shared_with_network = True
    cast.cohort.save()
    shared = item(report(cast.cohort, cast.host, shared=True))
    draft = item(report(cast.cohort, cast.host, published=False))
    assert policy.can_read_item(cast.other_cohort_member, shared)
    assert not policy.can_talk_about(cast.other_cohort_member, shared)
    assert not policy.can_read_item(cast.member, draft)
    assert not policy.can_read_item(cast.outsider, shared)


def test_reactions_on_a_private_item_are_its_owners_alone(cast) -> None:
    private = item(update(cast.member, cast.cohort, private=True))
    services.toggle_reaction(person=cast.member, item=private, kind=ReactionKind.THANKS)
    comment = services.post_comment(author=cast.member, item=private, body="Note")
    services.toggle_reaction(
        person=cast.member, item=private, kind=ReactionKind.IDEA, comment=comment
    )
    assert policy.visible_reactions(cast.member, cast.cohort).count() == 2
    for person in (cast.host, cast.organizer, cast.other_cohort_member):
        assert not policy.visible_reactions(person, cast.cohort).exists()
    assert Reaction.objects.count() == 2 and Comment.objects.count() == 1


def test_notifications_are_their_recipients_alone(cast) -> None:
    services.post_comment(author=cast.member, item=item(update(cast.host, cast.cohort)), body="Hi")
    (notification,) = Notification.objects.all()
    assert policy.can_read_notification(cast.host, notification)
    for person in (cast.member, cast.admin, cast.organizer):
        assert not policy.can_read_notification(person, notification)
        assert not policy.visible_notifications(person).exists()
