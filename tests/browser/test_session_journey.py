"""A facilitator runs a session: opens "Run the session" from the session page, marks
attendance, captures a note and an insight as they are said, drafts the report from the
session, publishes it, and the real database worker e-mails it to every member through a
local SMTP server."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from cadre.schedule.models import Attendance, SessionReport
from cadre.schedule.tests.helpers import add_members, make_held_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"


def sign_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_facilitator_runs_a_session_and_publishes_its_report(page, cast, smtp_inbox):
    note_taker = add_members(cast.cohort, 1)[0]
    # The host facilitates this session (hosts also write reports).
    session = make_held_session(cast.cohort, facilitator=cast.host, note_taker=note_taker)

    sign_in(page, cast.host.email)
    page.goto(f"/n/northwind/c/reliability/schedule/sessions/{session.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Session")
    page.get_by_role("link", name="Run the session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Run the session")
    expect(page.locator(".run-agenda .timer").first).to_have_text("6:00")

    page.get_by_role("button", name="Present: Mo Member").click()
    expect(page.get_by_role("button", name="Present: Mo Member")).to_have_attribute(
        "aria-pressed", "true"
    )
    page.get_by_role("button", name="Excused: Nia Newcomer").click()
    expect(page.get_by_role("button", name="Excused: Nia Newcomer")).to_have_attribute(
        "aria-pressed", "true"
    )

    page.get_by_label("Note or insight").fill("We walked through last week's outage.")
    page.get_by_role("button", name="Add note").click()
    expect(page.locator("#notes")).to_contain_text("last week's outage")
    page.get_by_label("Note or insight").fill("Rollbacks first, questions later.")
    page.get_by_role("button", name="Add insight").click()
    expect(page.locator("#notes")).to_contain_text("Insight: Rollbacks first")
    assert Attendance.objects.filter(session=session).count() == 2

    page.get_by_role("link", name="Go to the report").click()
    page.get_by_role("button", name="Draft from the session").click()
    expect(page.locator(".messages")).to_contain_text("Drafted from the session")
    expect(page.get_by_label("Report")).to_contain_text("Rollbacks first, questions later.")
    page.get_by_label("What worked").fill("Strict timeboxes.")
    page.get_by_role("button", name="Save the report").click()
    expect(page.locator(".messages")).to_contain_text("Report saved")
    page.get_by_label("Also share with the whole network").check()
    page.get_by_role("button", name="Publish the report").click()
    page.get_by_role("button", name=re.compile(r"Yes, publish and e-mail 4 people")).click()
    expect(page.locator(".messages")).to_contain_text("Report published")
    expect(page.locator("main")).to_contain_text("shared with the network")
    report = SessionReport.objects.get(session=session)
    assert report.status == "published" and report.what_worked == "Strict timeboxes."

    call_command("db_worker", "--batch", "--no-startup-delay")
    recipients = sorted(r for m in smtp_inbox.messages for r in m.rcpt_tos)
    assert recipients == sorted(
        [cast.host.email, cast.member.email, cast.newcomer.email, note_taker.email]
    )
    assert all("Rollbacks first, questions later." in body for body in smtp_inbox.bodies())
