"""An organizer's intake, from call for applications to published cohorts: create and open
an intake, a member applies, formation runs in the real database worker while the page
watches, the organizer moves someone and publishes."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from cadre.cohorts.models import Cohort, CohortMembership
from cadre.formation.models import Application, FormationRun, Intake, IntakeStatus
from cadre.formation.tests.helpers import add_applicants, run_worker

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
    expect(page.get_by_role("navigation").get_by_role("link", name="Sign in")).to_be_visible()


def test_organizer_forms_and_publishes_cohorts_from_an_intake(page, cast):
    today = timezone.localdate()

    # The organizer creates the intake and opens it.
    sign_in(page, cast.organizer.email)
    page.goto("/n/northwind/")
    page.get_by_role("link", name="Intakes").click()
    page.get_by_role("link", name="New intake").click()
    page.get_by_label("Title").fill("Summer Intake")
    page.get_by_label("Short name for links").fill("summer")
    page.get_by_label("Objective").fill("Run one experiment a month and share it.")
    page.get_by_label("Questions for applicants").fill("What would you like to change?")
    page.get_by_label("Opens on").fill(today.isoformat())
    page.get_by_label("Closes on").fill((today + timedelta(days=14)).isoformat())
    page.get_by_label("Smallest cohort").fill("3")
    page.get_by_label("Largest cohort").fill("4")
    page.get_by_role("button", name="Save intake").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Summer Intake")
    page.get_by_role("button", name="Open for applications").click()
    expect(page.locator(".messages")).to_contain_text("is open for applications")
    intake = Intake.objects.get(slug="summer")
    assert intake.status == IntakeStatus.OPEN
    sign_out(page)

    # A member applies; the form starts from their profile.
    sign_in(page, cast.member.email)
    page.goto("/n/northwind/intakes/")
    page.get_by_role("link", name="Summer Intake").click()
    page.get_by_role("link", name="Apply").click()
    page.get_by_label("What would you like to change?").fill("Test ideas before building.")
    page.get_by_label("Learning goals").fill("experimentation, coaching")
    page.get_by_label("Facilitation").select_option("3")
    page.get_by_label("Tue 10:00").check()
    page.get_by_role("button", name="Send my application").click()
    expect(page.locator(".messages")).to_contain_text("your application is in")
    mine = Application.objects.get(user=cast.member)
    assert mine.skills == {"facilitation": 3} and 34 in mine.availability
    sign_out(page)

    # More applicants, straight into the database.
    add_applicants(intake, 11)

    # The organizer runs formation and watches it.
    sign_in(page, cast.organizer.email)
    page.goto(intake.get_absolute_url())
    expect(page.locator("main")).to_contain_text("12 people have applied")
    page.get_by_label("Time to search (seconds)").fill("1")
    page.get_by_role("button", name="Run formation").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Forming cohorts")
    expect(page.locator("#progress")).to_contain_text("Queued")
    run_worker()
    assert FormationRun.objects.get().status == "done"
    expect(page).to_have_url(re.compile(r"/intakes/summer/proposal/$"))

    # The proposal: cohorts with their charts; move one person.
    cards = page.locator(".cohort-card")
    expect(cards.first).to_contain_text("Composition")
    count = cards.count()
    assert count in (3, 4)
    first_card = page.locator("#cohort-1")
    name = first_card.locator("ul.members li strong").first.inner_text()
    scores_before = page.locator("#cohort-2 .num").all_inner_texts()
    first_card.get_by_label(f"Move {name} to").select_option("2")
    first_card.get_by_role("button", name=f"Move {name}").click()
    expect(page.locator("#cohort-2 ul.members")).to_contain_text(name)
    expect(page.locator("#cohort-1 ul.members")).not_to_contain_text(name)
    assert page.locator("#cohort-2 .num").all_inner_texts() != scores_before

    # Publish.
    page.get_by_role("button", name="Publish the cohorts").click()
    expect(page.locator(".messages")).to_contain_text(f"Published {count} cohorts with 12 people")
    cohorts = Cohort.objects.filter(slug__startswith="summer-")
    assert cohorts.count() == count
    moved = CohortMembership.objects.get(user__name=name, cohort__in=cohorts).cohort
    assert moved.name == "Summer Intake · Cohort 2"
    assert CohortMembership.objects.filter(cohort__in=cohorts).count() == 12
    assert mail.outbox == []  # the worker tells the applicants
    run_worker()
    assert len(mail.outbox) == 12
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        Application.objects.values_list("user__email", flat=True)
    )
