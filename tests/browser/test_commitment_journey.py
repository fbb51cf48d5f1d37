"""A member's commitment journey: a vague commitment is flagged and rewritten, an update
posts a blocker, another member offers help and the first accepts it."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from cadre.accountability.models import Blocker, Commitment, HelpOffer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"
BOARD = "/n/northwind/c/reliability/board/"


def sign_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_member_commits_posts_a_blocker_and_a_peer_helps(page, browser, live_server, cast):
    sign_in(page, cast.member.email)
    page.goto("/n/northwind/c/reliability/")
    page.get_by_role("navigation", name=cast.cohort.name).get_by_role("link", name="Board").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Board")

    # A vague commitment is flagged, with a suggestion.
    page.get_by_role("link", name="Make a commitment").click()
    page.get_by_label("I commit to").fill("work on the prototype")
    page.get_by_role("button", name="Save commitment").click()
    expect(page.get_by_role("alert")).to_contain_text("What is missing")
    suggestion = page.locator("#suggestion").inner_text()
    assert suggestion
    assert not Commitment.objects.exists()

    # The member uses the rewrite; the date is theirs to give, so the form asks for it.
    page.get_by_role("button", name="Use this rewrite").click()
    expect(page.get_by_label("I commit to")).to_have_value(suggestion)
    expect(page.locator("body")).to_contain_text("When will it be done?")
    page.get_by_label("Due on").fill((cast.cohort.today() + timedelta(days=2)).isoformat())
    page.get_by_role("button", name="Save commitment").click()
    expect(page.locator(".messages")).to_contain_text("Your commitment is on the board")
    commitment = Commitment.objects.get()
    assert commitment.text == suggestion and commitment.kept_anyway is False

    # An update with a blocker.
    page.get_by_role("link", name="Post an update").click()
    page.get_by_label("About").select_option(str(commitment.pk))
    page.get_by_label("Done").fill("Sketched the screens")
    page.get_by_label("Blocker").fill("I cannot get test data out of the billing system")
    page.get_by_label("Data analysis").check()
    page.get_by_role("button", name="Post update").click()
    expect(page.locator("#blockers")).to_contain_text("cannot get test data")

    # The host, in a new browser context, offers help.
    other = browser.new_context(base_url=live_server.url)
    peer = other.new_page()
    sign_in(peer, cast.host.email)
    peer.goto(BOARD)
    peer.get_by_label("How you could help").fill("I can export it for you")
    peer.get_by_role("button", name="Offer help").click()
    expect(peer.locator("#blockers")).to_contain_text("You offered help")
    other.close()
    blocker = Blocker.objects.get()
    assert blocker.first_offer_at is not None and blocker.resolved_at is None

    # The member accepts; the blocker is resolved.
    page.goto(BOARD)
    page.get_by_role("button", name="Accept Hana Host’s help").click()
    expect(page.locator("#blockers")).to_contain_text("Nobody is blocked right now")
    blocker.refresh_from_db()
    offer = HelpOffer.objects.get()
    assert blocker.resolved_at is not None and offer.accepted_at is not None
    assert offer.helper == cast.host and offer.message == "I can export it for you"
