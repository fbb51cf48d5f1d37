"""The conversation's endpoints: the same rules as the pages, for the same people."""

import pytest

from cadre.conversation import services
from cadre.conversation.models import Comment, Notification, Reaction
from cadre.testing_parity import api_as

from .helpers import experiment, item, report, update

COHORT = "/networks/northwind/cohorts/reliability"


def test_the_feed_through_the_api_hides_private_items(cast) -> None:
    update(cast.member, cast.cohort, private=True, blocked="Secret worry")
    update(cast.host, cast.cohort, blocked="Shared worry")
    mine = api_as(cast.member).get(COHORT + "/activity").json()
    theirs = api_as(cast.host).get(COHORT + "/activity").json()
    assert {i["blocker"] for i in mine["items"]} == {"Secret worry", "Shared worry"}
    assert {i["blocker"] for i in theirs["items"]} == {"Shared worry"}
    assert api_as(cast.other_cohort_member).get(COHORT + "/activity").status_code == 404
    assert api_as(cast.outsider).get(COHORT + "/activity").status_code == 404


def test_comments_list_create_edit_delete(cast) -> None:
    u = update(cast.host, cast.cohort)
    member = api_as(cast.member)
    made = member.post(
        COHORT + "/comments", {"subject": "update", "item": u.pk, "body": "Hi @hana"}
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["body"] == "Hi @hana" and body["item"] == u.pk and body["parent"] is None
    listed = api_as(cast.organizer).get(COHORT + "/comments", subject="update", item=u.pk).json()
    assert [c["body"] for c in listed["items"]] == ["Hi @hana"]
    changed = member.patch(f"{COHORT}/comments/{body['id']}", {"body": "Hello"})
    assert changed.json()["body"] == "Hello"
    assert (
        api_as(cast.host).patch(f"{COHORT}/comments/{body['id']}", {"body": "x"}).status_code == 403
    )
    assert (
        api_as(cast.newcomer).patch(f"{COHORT}/comments/{body['id']}", {"body": "x"}).status_code
        == 403
    )
    gone = api_as(cast.host).delete(f"{COHORT}/comments/{body['id']}")
    assert gone.status_code == 204 and not Comment.objects.exists()


@pytest.mark.parametrize("who", ["other_cohort_member", "outsider"])
def test_outsiders_get_404_for_comments(cast, who) -> None:
    u = update(cast.host, cast.cohort)
    comment = services.post_comment(author=cast.member, item=item(u), body="Hi")
    caller = api_as(getattr(cast, who))
    assert caller.get(COHORT + "/comments", subject="update", item=u.pk).status_code == 404
    made = caller.post(COHORT + "/comments", {"subject": "update", "item": u.pk, "body": "x"})
    assert made.status_code == 404
    assert caller.patch(f"{COHORT}/comments/{comment.pk}", {"body": "x"}).status_code == 404
    assert Comment.objects.count() == 1


def test_a_private_items_comments_are_a_404_for_others(cast) -> None:
    u = update(cast.member, cast.cohort, private=True)
    services.post_comment(author=cast.member, item=item(u), body="Note to self")
    for person in (cast.host, cast.organizer):
        response = api_as(person).get(COHORT + "/comments", subject="update", item=u.pk)
        assert response.status_code == 404
        reacted = api_as(person).post(
            COHORT + "/reactions", {"subject": "update", "item": u.pk, "kind": "tada"}
        )
        assert reacted.status_code == 404
    assert not Reaction.objects.exists()


def test_organizers_read_but_may_not_comment(cast) -> None:
    e = experiment(cast.host, cast.cohort)
    made = api_as(cast.organizer).post(
        COHORT + "/comments", {"subject": "experiment", "item": e.pk, "body": "x"}
    )
    assert made.status_code == 403
    assert made.json()["error"]["message"] == services.NOT_TALKING


def test_reactions_toggle_on_items_and_comments(cast) -> None:
    r = report(cast.cohort, cast.host)
    member = api_as(cast.member)
    body = {"subject": "report", "item": r.pk, "kind": "pray"}
    first = member.post(COHORT + "/reactions", body).json()
    assert first["added"] and {"kind": "pray", "count": 1, "mine": True} in first["reactions"]
    assert not member.post(COHORT + "/reactions", body).json()["added"]
    comment = services.post_comment(author=cast.host, item=item(r), body="Thanks all")
    on_comment = member.post(COHORT + "/reactions", {**body, "comment": comment.pk})
    assert on_comment.json()["added"] and Reaction.objects.get().comment == comment
    elsewhere = update(cast.host, cast.cohort)
    wrong = member.post(
        COHORT + "/reactions",
        {"subject": "update", "item": elsewhere.pk, "kind": "pray", "comment": comment.pk},
    )
    assert wrong.status_code == 404


def test_notifications_list_and_mark_read(cast) -> None:
    u = update(cast.host, cast.cohort)
    services.post_comment(author=cast.member, item=item(u), body="One")
    services.post_comment(author=cast.member, item=item(u), body="Two")
    host = api_as(cast.host)
    listed = host.get("/me/notifications", unread=True).json()
    assert listed["count"] == 2
    first = listed["items"][0]
    assert first["verb"] == "commented" and first["subject"] == "update" and first["item"] == u.pk
    assert api_as(cast.member).post(f"/me/notifications/{first['id']}/read").status_code == 404
    assert host.post(f"/me/notifications/{first['id']}/read").json()["read_at"] is not None
    assert host.post("/me/notifications/read").json() == {"marked": 1}
    assert not Notification.objects.unread().exists()
    assert api_as(cast.member).get("/me/notifications").json()["count"] == 0
