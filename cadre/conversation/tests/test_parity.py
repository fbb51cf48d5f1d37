"""Writing a comment and reacting, through the page and through the API, from the same
state: the same rows, and the same sentence when refused."""

from typing import Any

from django.urls import reverse

from cadre.conversation import services
from cadre.conversation.models import Comment, Notification, Reaction
from cadre.testing_parity import (
    api_message,
    call_api,
    fresh,
    page_as,
    rows,
    shown_on_page,
)

from .helpers import item, update

COHORT = "/networks/northwind/cohorts/reliability"


def snapshot() -> dict[str, Any]:
    return {
        "comments": rows(Comment.objects.order_by("pk"), leave_out=["edited_at"]),
        "reactions": rows(Reaction.objects.order_by("pk")),
        "notifications": rows(Notification.objects.order_by("pk"), leave_out=["comment_id"]),
    }


def test_a_comment_through_the_page_and_the_api(cast) -> None:
    blocker = update(cast.host, cast.cohort, blocked="No data").blocker
    first = services.post_comment(author=cast.host, item=item(blocker), body="Anyone?")
    url = reverse("conversation:blocker", args=["northwind", "reliability", blocker.pk])
    body = "Try the **replica**, @hana and @nia"
    page = fresh(
        lambda: page_as(cast.member).post(url, {"body": body, "parent": first.pk}), snapshot
    )
    api = fresh(
        lambda: call_api(
            cast.member,
            "post",
            COHORT + "/comments",
            {"subject": "blocker", "item": blocker.pk, "body": body, "parent": first.pk},
        ),
        snapshot,
    )
    assert page.response.status_code == 302 and api.response.status_code == 201
    assert page.rows == api.rows
    assert len(page.rows["comments"]) == 2 and len(page.rows["notifications"]) == 2


def test_a_refused_comment_says_the_same_at_both_doors(cast) -> None:
    u = update(cast.host, cast.cohort)
    url = reverse("conversation:update", args=["northwind", "reliability", u.pk])
    page = fresh(lambda: page_as(cast.organizer).post(url, {"body": "Hi"}), snapshot)
    api = fresh(
        lambda: call_api(
            cast.organizer,
            "post",
            COHORT + "/comments",
            {"subject": "update", "item": u.pk, "body": "Hi"},
        ),
        snapshot,
    )
    assert page.response.status_code == api.response.status_code == 403
    assert services.NOT_TALKING in shown_on_page(page.response)
    assert api_message(api.response) == services.NOT_TALKING
    assert page.rows == api.rows == snapshot()


def test_a_reaction_through_the_page_and_the_api(cast) -> None:
    u = update(cast.host, cast.cohort)
    comment = services.post_comment(author=cast.host, item=item(u), body="Thanks")
    react = reverse("conversation:comment_react", args=["northwind", "reliability", comment.pk])
    page = fresh(lambda: page_as(cast.member).post(react, {"kind": "bulb"}), snapshot)
    api = fresh(
        lambda: call_api(
            cast.member,
            "post",
            COHORT + "/reactions",
            {"subject": "update", "item": u.pk, "comment": comment.pk, "kind": "bulb"},
        ),
        snapshot,
    )
    assert page.response.status_code == 302 and api.response.status_code == 200
    assert page.rows == api.rows
    assert page.rows["reactions"][0]["kind"] == "bulb"
    assert page.rows["notifications"][0]["verb"] == "reacted"
