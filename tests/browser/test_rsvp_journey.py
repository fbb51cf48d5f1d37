"""Calendar invitations (issue 16, part 2): a member opens the "Coming" link of the
invitation the local SMTP server received, without signing in, and answers; the invitation's
calendar part opens as an iTIP request for them; the session page then shows their answer,
and its host sees the expected count."""

import re
from email import message_from_bytes, policy

import icalendar
import pytest
from playwright.sync_api import expect

from cadre.reminders.tasks import sync_invitations
from cadre.schedule.models import Rsvp
from cadre.schedule.tests.helpers import make_schedule
from cadre.testing import run_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"


def sign_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_a_member_answers_the_invitation_from_its_link(page, cast, smtp_inbox):
    make_schedule(cast.cohort)
    sync_invitations.enqueue()
    run_worker()

    received = [
        message_from_bytes(e.content, policy=policy.default)
        for e in smtp_inbox.messages
        if e.rcpt_tos == [cast.member.email]
    ]
    assert received, "no invitation reached the mail server"
    mail = received[0]
    calendar_part = next(p for p in mail.walk() if p.get_content_type() == "text/calendar")
    calendar = icalendar.Calendar.from_ical(calendar_part.get_payload(decode=True))
    event = calendar.walk("VEVENT")[0]
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["ATTENDEE"]) == f"mailto:{cast.member.email}"
    assert str(event["SUMMARY"]).startswith("Platform Reliability: Session")

    body = mail.get_body(preferencelist=("plain",)).get_content()
    path = re.search(r"Coming: https?://[^/\s]+(/rsvp/\S+)", body).group(1)
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Are you coming?")
    expect(page.get_by_text("Answering for Mo Member")).to_be_visible()
    expect(page.get_by_label("Coming", exact=True)).to_be_checked()
    page.get_by_role("button", name="Send my answer").click()
    expect(page.locator("#rsvp-done")).to_contain_text("your answer is “Coming”")

    answer = Rsvp.objects.get(user=cast.member)
    session = answer.session
    assert answer.answer == "yes" and answer.by_link
    assert str(event["UID"]).startswith(f"session-{session.pk}@")
    session_page = f"/n/northwind/c/reliability/schedule/sessions/{session.pk}/"

    sign_in(page, cast.member.email)
    page.goto(session_page)
    expect(page.locator("#my-rsvp")).to_have_text("Your answer: Coming.")

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, cast.host.email)
    page.goto(session_page)
    expect(page.locator("#expected-counts")).to_have_text(
        "1 coming, 0 not, 0 maybe, 2 not answered."
    )
