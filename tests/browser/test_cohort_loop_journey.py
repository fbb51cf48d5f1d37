"""The cohort loop in one journey, as issue 5 states it: the facilitator runs a session; a
member makes a commitment (a vague one is flagged and rewritten) and posts an update with a
blocker; another member offers help and it is accepted; the report is published and arrives
by e-mail at a local SMTP server started by the test."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from cadre.accountability.models import Blocker, Commitment, HelpOffer
from cadre.schedule.models import SessionReport
from cadre.schedule.tests.helpers import add_members, make_held_session
from cadre.testing import run_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"
COHORT = "/n/northwind/c/reliability/"


def sign_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_a_session_a_commitment_a_blocker_help_and_the_report_by_email(
    page, browser, live_server, cast, smtp_inbox
):
    note_taker = add_members(cast.cohort, 1)[0]
    session = make_held_session(cast.cohort, facilitator=cast.host, note_taker=note_taker)

    # The facilitator runs the session: attendance and an insight captured as it is said.
    sign_in(page, cast.host.email)
    page.goto(f"{COHORT}schedule/sessions/{session.pk}/")
    page.get_by_role("link", name="Run the session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Run the session")
    page.get_by_role("button", name="Present: Mo Member").click()
    expect(page.get_by_role("button", name="Present: Mo Member")).to_have_attribute(
        "aria-pressed", "true"
    )
    page.get_by_label("Note or insight").fill("Small rollbacks beat big fixes.")
    page.get_by_role("button", name="Add insight").click()
    expect(page.locator("#notes")).to_contain_text("Insight: Small rollbacks")

    # A member, in their own browser, makes a vague commitment; it is flagged and rewritten.
    member_context = browser.new_context(base_url=live_server.url)
    member = member_context.new_page()
    sign_in(member, cast.member.email)
    member.goto(f"{COHORT}board/")
    member.get_by_role("link", name="Make a commitment").click()
    member.get_by_label("I commit to").fill("look into the alerting rules")
    member.get_by_role("button", name="Save commitment").click()
    expect(member.get_by_role("alert")).to_contain_text("What is missing")
    assert not Commitment.objects.exists()
    suggestion = member.locator("#suggestion").inner_text()
    member.get_by_role("button", name="Use this rewrite").click()
    member.get_by_label("Due on").fill((cast.cohort.today() + timedelta(days=2)).isoformat())
    member.get_by_role("button", name="Save commitment").click()
    expect(member.locator(".messages")).to_contain_text("Your commitment is on the board")
    commitment = Commitment.objects.get()
    assert commitment.text == suggestion and not commitment.kept_anyway

    # The member posts an update with a blocker.
    member.get_by_role("link", name="Post an update").click()
    member.get_by_label("About").select_option(str(commitment.pk))
    member.get_by_label("Done").fill("Listed the noisy alerts")
    member.get_by_label("Blocker").fill("I have no access to the paging tool's history")
    member.get_by_label("Data analysis").check()
    member.get_by_role("button", name="Post update").click()
    expect(member.locator("#blockers")).to_contain_text("no access to the paging tool")

    # Another member (the host) offers help from the board.
    page.goto(f"{COHORT}board/")
    page.get_by_label("How you could help").fill("I will share an export with you")
    page.get_by_role("button", name="Offer help").click()
    expect(page.locator("#blockers")).to_contain_text("You offered help")
    assert Blocker.objects.get().first_offer_at is not None

    # The blocked member accepts; the blocker is resolved.
    member.goto(f"{COHORT}board/")
    member.get_by_role("button", name="Accept Hana Host’s help").click()
    expect(member.locator("#blockers")).to_contain_text("Nobody is blocked right now")
    member_context.close()
    assert Blocker.objects.get().resolved_at is not None
    assert HelpOffer.objects.get().accepted_at is not None

    # The report is drafted from the session, published, and e-mailed by the real worker.
    page.goto(f"{COHORT}schedule/sessions/{session.pk}/")
    page.get_by_role("link", name="Run the session").click()
    page.get_by_role("link", name="Go to the report").click()
    page.get_by_role("button", name="Draft from the session").click()
    expect(page.get_by_label("Report")).to_contain_text("Small rollbacks beat big fixes.")
    page.get_by_role("button", name="Publish the report").click()
    page.get_by_role("button", name=re.compile(r"Yes, publish and e-mail 4 people")).click()
    expect(page.locator(".messages")).to_contain_text("Report published")
    assert SessionReport.objects.get(session=session).status == "published"

    run_worker()
    recipients = sorted(r for m in smtp_inbox.messages for r in m.rcpt_tos)
    assert recipients == sorted(
        [cast.host.email, cast.member.email, cast.newcomer.email, note_taker.email]
    )
    assert all("Small rollbacks beat big fixes." in body for body in smtp_inbox.bodies())
