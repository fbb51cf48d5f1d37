"""An organizer takes a cohort from forming to closed in the web app (issue 15, part 1): a
member leaves and the seat goes to the next person on the intake's waitlist in one step, a
member answers the end-of-cohort survey, and the organizer closes the cohort by renewing it.

A cohort started by hand has no intake; the test links it to a published intake (as
publishing would) so that it has a waitlist."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cadre.cohorts.models import Cohort, CohortMembership, SurveyAnswer, Turnover
from cadre.formation.models import FormationRun, Intake, IntakeStatus, RunStatus, WaitlistEntry
from cadre.networks.models import NetworkMembership, Role
from cadre.testing import make_user

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


def link_to_an_intake_with_a_waitlist(cast, cohort):
    today = timezone.localdate()
    intake = Intake.objects.create(
        network=cast.network,
        title="Spring Intake",
        slug="spring",
        objective="Ship one dashboard each.",
        opens_on=today - timedelta(days=30),
        closes_on=today - timedelta(days=10),
        status=IntakeStatus.PUBLISHED,
    )
    FormationRun.objects.create(intake=intake, status=RunStatus.DONE, published_cohorts=[cohort.pk])
    willa = make_user("willa@northwind.test", "Willa Waiting")
    NetworkMembership.objects.create(network=cast.network, user=willa, role=Role.MEMBER)
    WaitlistEntry.objects.create(intake=intake, user=willa, position=1, why="Applied late.")
    return willa


def test_an_organizer_fills_a_seat_from_the_waitlist_and_closes_the_cohort(page, cast):
    sign_in(page, cast.organizer.email)
    page.goto("/n/northwind/")
    page.get_by_role("link", name="New cohort").click()
    page.get_by_label("Name").fill("Data Guild")
    page.get_by_label("Address").fill("data-guild")
    page.get_by_label("Objective").fill("Ship one dashboard each.")
    page.get_by_label("Hosts").select_option(value=str(cast.mentor.pk))
    page.get_by_role("button", name="Create the cohort").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Data Guild")
    cohort = Cohort.objects.get(slug="data-guild")
    willa = link_to_an_intake_with_a_waitlist(cast, cohort)

    page.get_by_role("link", name="Manage members").click()
    for person in (cast.member, cast.other_cohort_member):
        page.get_by_label("Person").select_option(value=str(person.pk))
        page.get_by_role("button", name="Add to Data Guild").click()
        expect(page.get_by_role("table")).to_contain_text(person.name)
    page.get_by_role("link", name="Data Guild").first.click()
    page.get_by_role("link", name="Change the status").click()
    page.get_by_role("button", name="Make it active").click()

    # Oscar leaves; the members page offers his seat to Willa, next on the waitlist.
    page.get_by_role("link", name="Manage members").click()
    page.get_by_role("link", name=f"Remove {cast.other_cohort_member.name}…").click()
    page.get_by_role("button", name="Remove Oscar Othercohort").click()
    offer = page.locator(".seat-offer")
    expect(offer).to_contain_text("Next on the waitlist of Spring Intake: Willa Waiting")
    offer.get_by_role("button", name="Give Willa Waiting the seat Oscar Othercohort left").click()
    expect(page.locator(".turnovers")).to_contain_text(
        "Willa Waiting took the seat Oscar Othercohort left."
    )
    assert CohortMembership.objects.active().filter(cohort=cohort, user=willa).exists()
    turnover = Turnover.objects.get(cohort=cohort)
    assert (turnover.left, turnover.joined) == (cast.other_cohort_member, willa)
    assert not WaitlistEntry.objects.filter(user=willa).exists()

    # Completed: the close step opens.
    page.get_by_role("link", name="Data Guild").first.click()
    page.get_by_role("link", name="Change the status").click()
    page.get_by_role("button", name="Make it completed").click()
    sign_out(page)

    # A member answers the survey the cohort page asks for.
    sign_in(page, cast.member.email)
    page.goto("/n/northwind/c/data-guild/")
    page.get_by_role("link", name="Answer the end-of-cohort survey").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How was Data Guild?")
    page.get_by_label("4").check()
    page.get_by_label("What changed in your work because of it?").fill("I ship dashboards weekly.")
    page.get_by_label("Maybe").check()
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_text("Thank you: your answer is saved.")).to_be_visible()
    assert SurveyAnswer.objects.get(cohort=cohort, user=cast.member).value == 4
    sign_out(page)

    # The organizer closes it: reads the results without names, then renews it.
    sign_in(page, cast.organizer.email)
    page.goto("/n/northwind/c/data-guild/")
    page.get_by_role("link", name="Close the cohort").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Close Data Guild")
    expect(page.get_by_role("link", name="Read the impact report")).to_be_visible()
    expect(page.get_by_text("I ship dashboards weekly.")).to_be_visible()
    expect(page.get_by_role("link", name="Open the next intake…")).to_be_visible()
    page.get_by_label("Name").fill("Data Guild, round two")
    page.get_by_label("Address (slug)").fill("data-guild-2")
    page.get_by_role("button", name="Renew the cohort").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Data Guild, round two")
    expect(page.get_by_text("Renews")).to_be_visible()
    renewal = Cohort.objects.get(slug="data-guild-2")
    assert set(renewal.active_memberships().values_list("user_id", flat=True)) == {
        cast.mentor.pk,
        cast.member.pk,
        willa.pk,
    }
