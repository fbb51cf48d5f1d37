"""An organizer runs a cohort's lifecycle in the web app (issue 15, part 1): creates a cohort
by hand with a host, makes it active, adds a member, removes another after the confirmation
step, and completes it; the cohort page says what each status means."""

import pytest
from playwright.sync_api import expect

from cadre.cohorts.models import Cohort, CohortMembership, CohortRole, CohortStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"


def sign_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_an_organizer_takes_a_cohort_from_forming_to_completed(page, cast):
    sign_in(page, cast.organizer.email)
    page.goto("/n/northwind/")
    page.get_by_role("link", name="New cohort").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New cohort")
    page.get_by_label("Name").fill("Data Guild")
    page.get_by_label("Address").fill("data-guild")
    page.get_by_label("Objective").fill("Ship one dashboard each.")
    page.get_by_label("Hosts").select_option(value=str(cast.mentor.pk))
    page.get_by_role("combobox", name="Time zone").select_option("America/Chicago")
    page.get_by_label("Meets").select_option("biweekly")
    page.get_by_label("Session length (minutes)").fill("90")
    page.get_by_role("button", name="Create the cohort").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Data Guild")
    expect(page.locator(".status-meaning")).to_contain_text("being set up")
    cohort = Cohort.objects.get(slug="data-guild")
    assert (cohort.time_zone, cohort.cadence, cohort.session_minutes) == (
        "America/Chicago",
        "biweekly",
        90,
    )
    assert CohortMembership.objects.get(cohort=cohort, user=cast.mentor).role == CohortRole.HOST

    # Two members join while the cohort forms.
    page.get_by_role("link", name="Manage members").click()
    for person in (cast.member, cast.other_cohort_member):
        page.get_by_label("Person").select_option(value=str(person.pk))
        page.get_by_role("button", name="Add to Data Guild").click()
        expect(page.get_by_role("table")).to_contain_text(person.name)

    # Active.
    page.get_by_role("link", name="Data Guild").first.click()
    page.get_by_role("link", name="Change the status").click()
    page.get_by_role("button", name="Make it active").click()
    expect(page.locator(".status-meaning")).to_contain_text("The cohort is running")

    # One of them leaves: the page says what happens first.
    page.get_by_role("link", name="Manage members").click()
    page.get_by_role("link", name=f"Remove {cast.other_cohort_member.name}…").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Remove Oscar Othercohort")
    expect(
        page.get_by_text("Their commitments, updates and learning statement stay")
    ).to_be_visible()
    page.get_by_role("button", name="Remove Oscar Othercohort").click()
    expect(page.get_by_role("heading", name="Past members (1)")).to_be_visible()
    left = CohortMembership.objects.get(cohort=cohort, user=cast.other_cohort_member)
    assert left.left_on is not None

    # Completed: the roster no longer changes, and the page says so.
    page.get_by_role("link", name="Data Guild").first.click()
    page.get_by_role("link", name="Change the status").click()
    page.get_by_role("button", name="Make it completed").click()
    expect(page.locator(".status-meaning")).to_contain_text("The cohort has finished")
    cohort.refresh_from_db()
    assert cohort.status == CohortStatus.COMPLETED
    page.get_by_role("link", name="Manage members").click()
    expect(page.get_by_role("button", name="Add to Data Guild")).to_have_count(0)
