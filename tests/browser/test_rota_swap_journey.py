"""A member who cannot hold their role asks another member to swap, the other accepts on the
schedule page, and the schedule shows the swap (the clock stands on Tuesday 1 December 2026)."""

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from cadre.schedule.models import RoleAssignment, RoleSwap
from cadre.schedule.tests.helpers import make_schedule

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.time_machine(NOW),
]

PASSWORD = "correct horse battery"


def sign_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_a_member_swaps_a_role_and_the_other_accepts(page, cast):
    make_schedule(cast.cohort)
    session = cast.cohort.sessions.upcoming().order_by("starts_at").first()
    mine = RoleAssignment.objects.get(session=session, user=cast.member).role
    theirs = RoleAssignment.objects.get(session=session, user=cast.host).role
    schedule = "/n/northwind/c/reliability/schedule/"

    sign_in(page, cast.member.email)
    page.goto(schedule)
    first = page.locator("#rota tbody tr").first
    first.get_by_role("link", name="Ask to swap my role").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask someone to swap your role")
    page.get_by_label("Ask").select_option(label=f"Hana Host (is {theirs})")
    page.get_by_role("button", name="Ask").click()
    expect(page.locator(".messages")).to_contain_text("Hana Host has been asked")
    expect(page.locator("#swaps")).to_contain_text("no answer yet")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, cast.host.email)
    page.goto(schedule)
    expect(page.locator("#swaps")).to_contain_text(
        f"Mo Member asks you to take their role as {mine}"
    )
    page.locator("#swaps").get_by_role("button", name="Accept").click()
    expect(page.locator(".messages")).to_contain_text(f"You are now {mine}")
    first = page.locator("#rota tbody tr").first
    expect(first.locator(f'td[data-label="{mine.capitalize()}"]')).to_contain_text(
        "Hana Host (you)"
    )
    expect(first.locator(f'td[data-label="{theirs.capitalize()}"]')).to_contain_text("Mo Member")
    assert RoleSwap.objects.get().status == "accepted"
