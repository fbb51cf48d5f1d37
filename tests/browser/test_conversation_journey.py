"""Conversation between sessions (issue 15, part 3): a member reads the board's activity,
comments on a peer's blocker, the blocker's author hears of it in the inbox and replies, and
the member sees the unread count in the header and the reply in the inbox."""

import pytest
from playwright.sync_api import expect

from cadre.accountability.models import Blocker, ProgressUpdate
from cadre.conversation.models import Comment, Notification

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"


def sign_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.context.clear_cookies()


def test_a_comment_on_a_blocker_and_the_reply_reach_the_inbox(page, cast):
    update = ProgressUpdate.objects.create(
        cohort=cast.cohort,
        author=cast.host,
        done="Wrote the game-day scenario",
        remaining="Run it with the team",
    )
    Blocker.objects.create(update=update, text="Staging has no realistic data")

    # Mo reads the board's activity and comments on Hana's blocker.
    sign_in(page, cast.member.email)
    page.goto("/n/northwind/c/reliability/board/")
    activity = page.get_by_role("region", name="Recent activity")
    expect(activity).to_contain_text("Wrote the game-day scenario")
    expect(activity).to_contain_text("Staging has no realistic data")
    activity.get_by_role("link", name="Talk about the blocker").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hana Host’s blocker")
    page.get_by_label("Your comment").fill("Try the **anonymised** replica, @hana")
    page.get_by_role("button", name="Comment").click()
    expect(page.locator(".comment strong", has_text="anonymised")).to_be_visible()
    sign_out(page)

    # Hana sees one unread notification, opens it and replies.
    sign_in(page, cast.host.email)
    page.get_by_role("link", name="Notifications: 1 unread").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    page.get_by_role("link", name="Hana Host’s blocker").click()
    page.get_by_text("Reply to Mo Member").click()
    page.get_by_label("Your reply").fill("Thanks, I will ask for access")
    page.get_by_role("button", name="Reply", exact=True).click()
    expect(page.get_by_text("Thanks, I will ask for access")).to_be_visible()
    sign_out(page)

    # Mo sees the count in the header and the reply in the inbox.
    sign_in(page, cast.member.email)
    badge = page.get_by_role("link", name="Notifications: 1 unread")
    expect(badge).to_be_visible()
    badge.click()
    expect(page.locator("#main")).to_contain_text("Hana Host replied to your comment on")
    page.get_by_role("link", name="Hana Host’s blocker").click()
    expect(page.get_by_text("Thanks, I will ask for access")).to_be_visible()
    page.goto("/me/inbox/")
    page.get_by_role("button", name="Mark all 1 read").click()
    expect(page.get_by_text("You are all caught up")).to_be_visible()
    expect(page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()

    reply = Comment.objects.get(author=cast.host)
    assert reply.parent == Comment.objects.get(author=cast.member)
    assert not Notification.objects.filter(recipient=cast.member, read_at=None).exists()
