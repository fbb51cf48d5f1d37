"""An organizer's intake, from call for applications to published cohorts: create and open
an intake, a member applies, the organizer chooses what matters, formation runs in the real
database worker while the page watches, every cohort can meet, the organizer moves someone
(and back), names the cohorts, gives them hosts and time zones, and publishes. Screenshots
of the choices, the proposal and the naming page land in test-artifacts/."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from cadre.cohorts.models import Cohort, CohortMembership, CohortRole
from cadre.formation.models import Application, FormationRun, Intake, IntakeStatus
from cadre.formation.tests.helpers import add_applicants, run_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


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

    # The organizer chooses what matters and runs formation, and watches it.
    sign_in(page, cast.organizer.email)
    page.goto(intake.get_absolute_url())
    expect(page.locator("main")).to_contain_text("12 people have applied")
    matters = page.get_by_role("group", name="What matters")
    expect(
        matters.get_by_role("group", name="Diversity").get_by_label("Matters most")
    ).to_be_checked()
    matters.get_by_role("group", name="Shared goals").get_by_label("Matters most").check()
    matters.get_by_role("group", name="Balance").get_by_label("Ignore").check()
    # The applicants said when they can meet, so every cohort must be able to.
    expect(page.get_by_label("Every cohort must be able to meet")).to_be_checked()
    expect(page.get_by_label("Session length (minutes)")).to_have_value("60")
    page.get_by_label("Time to search (seconds)").fill("2")
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("form.run-form").screenshot(path=str(ARTIFACTS / "formation-what-matters.png"))
    page.get_by_role("button", name="Run formation").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Forming cohorts")
    expect(page.locator("main")).to_contain_text(
        "Formed for: Diversity and shared goals matter most; complementary skills and meeting "
        "time matter; balance is ignored. Every cohort must be able to meet for a 60-minute "
        "session."
    )
    expect(page.locator("#progress")).to_contain_text("Queued")
    run_worker()
    run = FormationRun.objects.get()
    assert run.status == "done"
    assert run.importance["curiosity"] == "matters_most" and run.importance["balance"] == "ignore"
    assert run.require_common_slot
    expect(page).to_have_url(re.compile(r"/intakes/summer/proposal/$"))

    # The proposal: every cohort can meet, at hours shown in the organizer's time zone and in
    # each member's; cohorts with their charts.
    expect(page.get_by_role("status").filter(has_text="Every cohort can meet")).to_be_visible()
    cards = page.locator(".cohort-card")
    expect(cards.first).to_contain_text("Composition")
    count = cards.count()
    assert count in (3, 4)
    expect(page.locator(".badge.can-meet")).to_have_count(count)
    expect(cards.first).to_contain_text("your time (Europe/Berlin)")
    expect(cards.first.locator(".member-time").first).to_contain_text("their time (Europe/Berlin)")
    page.screenshot(path=str(ARTIFACTS / "formation-proposal.png"), full_page=True)

    # Move one person, and back.
    first_card = page.locator("#cohort-1")
    name = first_card.locator("ul.members li strong").first.inner_text()
    scores_before = page.locator("#cohort-2 .num").all_inner_texts()
    first_card.get_by_label(f"Move {name} to").select_option("2")
    first_card.get_by_role("button", name=f"Move {name}").click()
    expect(page.locator("#cohort-2 ul.members")).to_contain_text(name)
    expect(page.locator("#cohort-1 ul.members")).not_to_contain_text(name)
    assert page.locator("#cohort-2 .num").all_inner_texts() != scores_before
    second_card = page.locator("#cohort-2")
    second_card.get_by_label(f"Move {name} to").select_option("1")
    second_card.get_by_role("button", name=f"Move {name}").click()
    expect(page.locator("#cohort-1 ul.members")).to_contain_text(name)
    expect(page.get_by_role("status").filter(has_text="Every cohort can meet")).to_be_visible()

    # Name the cohorts, give them hosts and time zones, and publish.
    page.get_by_role("link", name="Name and publish the cohorts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Name and publish the cohorts")
    expect(page.get_by_role("status")).to_contain_text("Every cohort can meet.")
    one, two = page.locator("#cohort-1"), page.locator("#cohort-2")
    suggested = [
        page.locator(f"#cohort-{n}").get_by_label("Name").input_value() for n in range(1, count + 1)
    ]
    assert all(suggested) and len(set(suggested)) == count
    assert not any(s.startswith("Summer Intake") for s in suggested)  # from shared goals
    expect(one.get_by_label("Time zone")).to_have_value("Europe/Berlin")
    one.get_by_label("Name").fill("Summer Circle")
    one.get_by_label("Host").select_option(label=name)
    one.get_by_label("Time zone").fill("America/Chicago")
    two.get_by_label("Host").select_option(label="Olu Organizer")
    page.screenshot(path=str(ARTIFACTS / "formation-naming.png"), full_page=True)
    page.get_by_role("button", name="Publish the cohorts").click()
    expect(page.locator(".messages")).to_contain_text(f"Published {count} cohorts with 12 people")

    cohorts = Cohort.objects.filter(slug__startswith="summer-")
    assert sorted(cohorts.values_list("name", flat=True)) == sorted(
        ["Summer Circle", *suggested[1:]]
    )
    circle = cohorts.get(name="Summer Circle")
    assert circle.time_zone == "America/Chicago"
    assert circle.memberships.get(role=CohortRole.HOST).user.name == name
    second = cohorts.get(name=suggested[1])
    assert second.time_zone == "Europe/Berlin"
    assert second.memberships.get(role=CohortRole.HOST).user == cast.organizer
    assert (
        CohortMembership.objects.filter(cohort__in=cohorts).exclude(user=cast.organizer).count()
        == 12
    )
    assert mail.outbox == []  # the worker tells the applicants, and the organizer who hosts
    run_worker()
    assert len(mail.outbox) == 13
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [*Application.objects.values_list("user__email", flat=True), cast.organizer.email]
    )
