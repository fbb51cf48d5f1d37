"""An organizer adds the eight-week programme that ships with Cadre to the network, lays it
onto a cohort's schedule in one step, then opens the next session's run view: the check-in
starts with what happened since last time, and the agenda is week 1's (issue 15, part 8)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cadre.accountability.models import Commitment
from cadre.programmes.models import SessionWeek
from cadre.schedule.tests.helpers import add_past_sessions, make_schedule

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"


def sign_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_an_organizer_lays_the_programme_onto_a_cohort_and_runs_week_one(page, cast):
    make_schedule(cast.cohort)
    add_past_sessions(cast.cohort, 1)
    today = timezone.localdate()
    Commitment.objects.create(
        cohort=cast.cohort,
        owner=cast.member,
        text="Write the game-day runbook",
        due_on=today - timedelta(days=1),
        status="done",
        completed_at=timezone.now() - timedelta(days=2),
    )
    Commitment.objects.create(
        cohort=cast.cohort,
        owner=cast.host,
        text="Ask the SRE lead for pager access",
        due_on=today - timedelta(days=1),
    )

    sign_in(page, cast.organizer.email)
    page.goto("/n/northwind/")
    page.get_by_role("navigation").get_by_role("link", name="Programmes").click()
    expect(page.get_by_text("This network has no programmes yet.")).to_be_visible()
    page.get_by_role("button", name="Add “Leading change in your team” to this network").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Leading change in your team")
    expect(
        page.get_by_role("heading", name="Week 8: Making it stick, and what comes next")
    ).to_be_visible()

    page.get_by_role("link", name="Lay onto a cohort’s schedule").click()
    page.get_by_label("Cohort").select_option(label="Platform Reliability")
    page.get_by_role("button", name="Lay the programme onto the schedule").click()
    expect(page.locator(".messages")).to_contain_text(
        "Platform Reliability follows “Leading change in your team”: weeks 1–8"
    )
    assert SessionWeek.objects.filter(session__cohort=cast.cohort).count() == 8

    page.get_by_role("link", name="Next session").click()
    expect(page.locator("#programme-week")).to_contain_text("Week 1 of Leading change in your team")
    page.get_by_role("link", name="Run the session").click()
    since = page.locator("#since-last-time")
    expect(since).to_contain_text("1 of 2 commitments done, 1 late, 0 dropped")
    expect(since).to_contain_text("Write the game-day runbook")
    expect(since).to_contain_text("Ask the SRE lead for pager access")
    agenda = page.locator(".run-agenda")
    expect(agenda).to_contain_text("Arrivals: one word for how your team feels about change")
    expect(agenda).to_contain_text("Agree the cohort's norms for the eight weeks")
    expect(page.locator("#programme-week")).to_contain_text(
        "Suggested experiment: One-week baseline"
    )
