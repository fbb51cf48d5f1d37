"""An organizer's cohort-health journey: a cohort whose attendance fell and whose blocker
waits for help is flagged on the network's view with its reasons in words; the organizer
sorts the table, opens the cohort and refreshes it; a member of the cohort sees the same
signals without anybody's name."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from cadre.health.models import CohortHealth
from cadre.health.tests.helpers import blocker, falling_attendance, recent_updates, settle_in
from cadre.testing import run_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def sign_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def rows(page) -> list[str]:
    return page.locator("#health-table tbody tr td:first-child").all_inner_texts()


def test_a_drifting_cohort_is_flagged_for_the_organizer_with_its_reasons(
    page, browser, live_server, cast
):
    settle_in(cast.cohort)
    falling_attendance(cast.cohort, [cast.host, cast.member, cast.newcomer])
    recent_updates(cast.cohort)
    recent_updates(cast.other_cohort)
    blocker(cast.member, cast.cohort, 3, text="Need read access to the incident database")
    page.set_default_timeout(30_000)  # a busy CI machine renders slowly; the steps are sure

    sign_in(page, cast.organizer.email)
    page.goto("/n/northwind/")
    page.get_by_role("navigation", name="Northwind Learning").get_by_role(
        "link", name="Health"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cohort health")
    expect(page.locator("#health-table")).to_contain_text("No cohort matches")

    # Nothing computed yet: the organizer asks for a refresh and the worker runs it.
    page.get_by_role("button", name="Refresh now").click()
    expect(page.locator(".messages")).to_contain_text("Refresh queued")
    run_worker()
    assert CohortHealth.objects.count() == 2
    page.reload()

    row = page.locator("#cohort-reliability")
    expect(row).to_contain_text("Drifting")
    expect(row).to_contain_text("Attendance is falling")
    expect(row).to_contain_text("Attendance fell from 100% in the 3 sessions before to 33%")
    expect(row).to_contain_text("Blockers without an offer of help")
    expect(row).to_contain_text("Need read access to the incident database")
    expect(row).to_contain_text("down 50 points")
    expect(page.locator("#cohort-design-ops")).to_contain_text("Healthy")
    assert rows(page) == ["Platform Reliability", "Design Ops"]  # worst first
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "network-health.png"), full_page=True)

    # Sorting by name swaps only the table, and the address keeps the sort.
    page.get_by_role("link", name="Cohort", exact=True).click()
    expect(page).to_have_url(re.compile(r"\?sort=name$"))
    expect(page.locator("#health-table tbody tr").first).to_contain_text("Design Ops")
    page.get_by_role("link", name="Cohort ↑").click()
    expect(page).to_have_url(re.compile(r"\?sort=-name$"))
    expect(page.locator("#health-table tbody tr").first).to_contain_text("Platform Reliability")

    # The cohort's own page, with what to do, and a refresh.
    page.get_by_role("link", name="Platform Reliability").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cohort health")
    expect(page.locator("#signal-blockers_unanswered")).to_contain_text(
        "Mo Member: “Need read access to the incident database”"
    )
    expect(page.locator("#signal-blockers_unanswered")).to_contain_text("What to do:")
    page.get_by_role("button", name="Refresh now").click()
    expect(page.locator(".messages")).to_contain_text("Health recomputed just now")

    # A member of the cohort sees the signals, but nobody's name.
    member = browser.new_context(base_url=live_server.url).new_page()
    sign_in(member, cast.member.email)
    member.goto("/n/northwind/c/reliability/")
    member.get_by_role("navigation", name=cast.cohort.name).get_by_role(
        "link", name="Health"
    ).click()
    expect(member.locator("#signal-blockers_unanswered")).to_contain_text("1 blocker waited")
    expect(member.locator("main")).not_to_contain_text("Mo Member:")
    expect(member.locator("main")).not_to_contain_text("incident database")
