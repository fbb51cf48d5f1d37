"""The conversation's pages: the board's feed and the whole feed, an item's conversation,
comments and reactions without JavaScript, and the inbox with the header's count."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cadre.accountability.models import HelpOffer, Outcome
from cadre.conversation import feed, services
from cadre.conversation.models import Comment, Notification, Reaction

from .helpers import experiment, item, report, update

BOARD = "/n/northwind/c/reliability/board/"
FEED = "/n/northwind/c/reliability/activity/"


def page(response) -> str:
    return response.content.decode()


def test_the_board_shows_updates_with_their_blocker_and_what_else_happened(
    cast, client_for
) -> None:
    u = update(cast.host, cast.cohort, blocked="Staging is down")
    HelpOffer.objects.create(blocker=u.blocker, helper=cast.member, message="I can help")
    e = experiment(cast.member, cast.cohort)
    e.outcome = Outcome.SUCCEEDED
    e.ends_on = timezone.localdate() - timedelta(days=1)
    e.starts_on = e.ends_on - timedelta(days=5)
    e.save()
    report(cast.cohort, cast.host)
    html = page(client_for(cast.member).get(BOARD))
    assert "Recent activity" in html
    for text in (
        "Booked the room",
        "Write the scenario",
        "Staging is down",
        "offered to help Hana Host",
        "started an experiment",
        "finished an experiment (succeeded)",
        "the report of Game days",
    ):
        assert text in html, text
    assert reverse("conversation:update", args=["northwind", "reliability", u.pk]) in html


def test_private_updates_show_in_the_feed_to_their_owner_alone(cast, client_for) -> None:
    update(cast.member, cast.cohort, private=True, blocked="Secret worry")
    assert "Secret worry" in page(client_for(cast.member).get(FEED))
    for person in (cast.host, cast.organizer):
        html = page(client_for(person).get(FEED))
        assert "Secret worry" not in html and "Booked the room" not in html


@pytest.mark.parametrize("who", ["other_cohort_member", "outsider", "mentor"])
def test_the_feed_is_the_boards_readers_alone(cast, client_for, who) -> None:
    assert client_for(getattr(cast, who)).get(FEED).status_code == 404


def test_the_feed_sends_newcomers_to_the_code_of_conduct_and_anonymous_to_sign_in(
    cast, client_for
) -> None:
    from django.test import Client

    assert "/accounts/login/" in Client().get(FEED)["Location"]
    assert "/accounts/login/" in Client().get("/me/inbox/")["Location"]
    assert "/conduct/" in client_for(cast.newcomer).get(FEED)["Location"]


def test_the_feed_pages_and_stops_at_its_cap(cast, client_for, monkeypatch) -> None:
    monkeypatch.setattr(feed, "PAGE_SIZE", 2)
    monkeypatch.setattr(feed, "MAX_PAGES", 2)
    for n in range(6):
        u = update(cast.host, cast.cohort)
        u.done = f"Step {n}"
        u.created_at = timezone.now() - timedelta(hours=10 - n)
        u.save()
    first = feed.activity(cast.member, cast.cohort, page=1)
    assert [i.done for i in first.items] == ["Step 5", "Step 4"] and first.has_next
    second = feed.activity(cast.member, cast.cohort, page=9)
    assert second.page == 2 and not second.has_next
    assert [i.done for i in second.items] == ["Step 3", "Step 2"]
    assert "Older" in page(client_for(cast.member).get(FEED))


def test_the_boards_feed_is_the_start_of_the_whole_feed(cast, monkeypatch) -> None:
    monkeypatch.setattr(feed, "ON_BOARD", 3)
    u = update(cast.host, cast.cohort, blocked="Stuck")
    HelpOffer.objects.create(blocker=u.blocker, helper=cast.member)
    experiment(cast.member, cast.cohort)
    services.post_comment(author=cast.member, item=item(u), body="One")

    def seen(items):
        return [(i.kind, i.at, i.url, i.subject_id, i.comments) for i in items]

    def on_board():
        section = feed.add_board_feed(cast.member, cast.cohort)
        assert section is not None
        return section.context

    board = on_board()
    whole = feed.activity(cast.member, cast.cohort).items
    assert len(whole) == 3 and seen(board["items"]) == seen(whole) and not board["more"]
    report(cast.cohort, cast.host)
    board = on_board()
    whole = feed.activity(cast.member, cast.cohort).items
    assert seen(board["items"]) == seen(whole[:3]) and board["more"]


def test_the_commitment_page_shows_an_updates_blocker(cast, client_for) -> None:
    u = update(cast.host, cast.cohort, blocked="Waiting for access")
    url = reverse("accountability:commitment", args=["northwind", "reliability", u.commitment_id])
    assert "Waiting for access" in page(client_for(cast.member).get(url))


def test_commenting_and_replying_through_the_page(cast, client_for) -> None:
    blocker = update(cast.host, cast.cohort, blocked="No staging data").blocker
    url = reverse("conversation:blocker", args=["northwind", "reliability", blocker.pk])
    response = client_for(cast.member).post(url, {"body": "Which **tables**, @hana?"})
    comment = Comment.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#comment-{comment.pk}")
    html = page(client_for(cast.host).get(url))
    assert "<strong>tables</strong>" in html and "**tables**" not in html
    client_for(cast.host).post(url, {"body": "The orders table", "parent": comment.pk})
    assert Comment.objects.get(parent=comment).author == cast.host
    assert Notification.objects.filter(recipient=cast.member, verb="replied").exists()


def test_an_empty_comment_comes_back_with_the_reason(cast, client_for) -> None:
    u = update(cast.host, cast.cohort)
    url = reverse("conversation:update", args=["northwind", "reliability", u.pk])
    response = client_for(cast.member).post(url, {"body": ""})
    assert response.status_code == 422 and not Comment.objects.exists()


def test_organizers_read_the_conversation_but_may_not_comment(cast, client_for) -> None:
    u = update(cast.host, cast.cohort)
    services.post_comment(author=cast.member, item=item(u), body="Great start")
    url = reverse("conversation:update", args=["northwind", "reliability", u.pk])
    html = page(client_for(cast.organizer).get(url))
    assert "Great start" in html and 'name="body"' not in html
    assert client_for(cast.organizer).post(url, {"body": "Hi"}).status_code == 403


@pytest.mark.parametrize("who", ["other_cohort_member", "outsider", "host", "organizer"])
def test_a_private_items_conversation_is_a_404_for_everyone_but_its_owner(
    cast, client_for, who
) -> None:
    u = update(cast.member, cast.cohort, private=True)
    url = reverse("conversation:update", args=["northwind", "reliability", u.pk])
    assert client_for(cast.member).get(url).status_code == 200
    assert client_for(getattr(cast, who)).get(url).status_code == 404
    assert client_for(getattr(cast, who)).post(url + "react/", {"kind": "tada"}).status_code == 404


def test_reacting_works_with_a_plain_form_and_toggles(cast, client_for) -> None:
    e = experiment(cast.host, cast.cohort)
    url = reverse("conversation:experiment_react", args=["northwind", "reliability", e.pk])
    member = client_for(cast.member)
    assert member.post(url, {"kind": "tada"}).status_code == 302
    assert Reaction.objects.filter(user=cast.member, experiment=e, kind="tada").exists()
    member.post(url, {"kind": "tada"})
    assert not Reaction.objects.exists()


def test_editing_and_removing_a_comment(cast, client_for) -> None:
    comment = services.post_comment(
        author=cast.member, item=item(update(cast.host, cast.cohort)), body="Frist"
    )
    edit = reverse("conversation:comment_edit", args=["northwind", "reliability", comment.pk])
    remove = reverse("conversation:comment_delete", args=["northwind", "reliability", comment.pk])
    assert client_for(cast.host).get(edit).status_code == 403
    client_for(cast.member).post(edit, {"body": "First"})
    comment.refresh_from_db()
    assert comment.body == "First"
    assert client_for(cast.newcomer).post(remove).status_code in (302, 403)
    assert Comment.objects.exists()
    client_for(cast.host).post(remove)
    assert not Comment.objects.exists()


def test_the_inbox_lists_unread_and_the_header_counts_them(cast, client_for) -> None:
    u = update(cast.host, cast.cohort)
    services.post_comment(author=cast.member, item=item(u), body="Nice")
    services.post_comment(author=cast.member, item=item(u), body="Really")
    host = client_for(cast.host)
    html = page(host.get("/me/inbox/"))
    assert "Notifications: 2 unread" in html
    assert "Mo Member" in html and "commented on" in html
    assert reverse("notifications") in html  # the e-mail settings beside the inbox
    first = Notification.objects.filter(recipient=cast.host).earliest("pk")
    host.post(f"/me/inbox/{first.pk}/read/")
    assert "Notifications: 1 unread" in page(host.get("/me/inbox/"))
    host.post("/me/inbox/read/")
    html = page(host.get("/me/inbox/"))
    assert "unread" not in html.split("<main")[0] and "You are all caught up" in html
    assert "Nice" not in html  # the inbox says who and where, never what
    assert "commented on" in page(host.get("/me/inbox/?show=all"))


def test_someone_elses_notification_is_a_404(cast, client_for) -> None:
    services.post_comment(author=cast.member, item=item(update(cast.host, cast.cohort)), body="Hi")
    notification = Notification.objects.get()
    assert client_for(cast.member).post(f"/me/inbox/{notification.pk}/read/").status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_the_header_count_is_one_query(cast, client_for, django_assert_num_queries) -> None:
    from django.template import engines
    from django.test import RequestFactory

    from cadre.conversation.context import unread_notifications

    services.post_comment(author=cast.member, item=item(update(cast.host, cast.cohort)), body="Hi")
    request = RequestFactory().get("/")
    request.user = cast.host
    context = unread_notifications(request)
    with django_assert_num_queries(1):
        html = (
            engines["django"]
            .from_string("{{ n }} {{ n }}")
            .render({"n": context["unread_notifications"]})
        )
    assert html == "1 1"


def test_the_feed_counts_each_items_comments(cast, client_for) -> None:
    u = update(cast.host, cast.cohort, blocked="Stuck")
    services.post_comment(author=cast.member, item=item(u), body="One")
    services.post_comment(author=cast.member, item=item(u), body="Two")
    services.post_comment(author=cast.member, item=item(u.blocker), body="Three")
    found = {
        (i.kind, i.subject_id): i.comments for i in feed.activity(cast.member, cast.cohort).items
    }
    assert found[feed.Kind.UPDATE, u.pk] == 2
    assert "2 comments" in page(client_for(cast.member).get(FEED))


def test_each_feed_item_shows_who_by_their_picture_or_initials(cast, client_for) -> None:
    update(cast.host, cast.cohort)
    html = page(client_for(cast.member).get(FEED))
    item = html[html.index('class="card feed-item"') :]
    item = item[: item.index("</li>")]
    # Hana Host's initials, decorative: her name is written beside them.
    assert 'class="avatar avatar-s24' in item and 'aria-hidden="true"><span>HH</span>' in item
    assert "Hana Host" in item


def test_an_experiments_and_a_reports_page_lead_to_their_conversation(cast, client_for) -> None:
    e = experiment(cast.member, cast.cohort)
    r = report(cast.cohort, cast.host)
    services.post_comment(author=cast.host, item=item(e), body="How did the pairs go?")
    pages = {
        reverse("accountability:experiment", args=["northwind", "reliability", e.pk]): (
            reverse("conversation:experiment", args=["northwind", "reliability", e.pk]),
            "1 comment: read and reply",
        ),
        reverse("schedule:report", args=["northwind", "reliability", r.session.pk]): (
            reverse("conversation:report", args=["northwind", "reliability", r.pk]),
            "Comment on it",
        ),
    }
    for url, (thread, words) in pages.items():
        html = page(client_for(cast.member).get(url))
        assert f'href="{thread}#comments"' in html and words in html, url


def test_a_private_experiments_page_leads_its_owner_alone_to_the_conversation(
    cast, client_for
) -> None:
    e = experiment(cast.member, cast.cohort, private=True)
    url = reverse("accountability:experiment", args=["northwind", "reliability", e.pk])
    thread = reverse("conversation:experiment", args=["northwind", "reliability", e.pk])
    assert thread in page(client_for(cast.member).get(url))
    assert client_for(cast.host).get(url).status_code == 404
