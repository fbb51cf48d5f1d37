"""A newcomer's first visit: sign in, open their cohort, accept the code of conduct, read the
charter. Runs on the demo network in Debian's Chromium."""

import re

import pytest
from playwright.sync_api import expect

from cadre.cohorts.models import CohortMembership
from cadre.demo.builder import build_demo
from cadre.networks.models import CodeOfConductAcceptance

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEWCOMER = "newcomer@demo.cadre.test"
PASSWORD = "cadre-demo"


def sign_in(page, email, password=PASSWORD):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()


def test_newcomer_accepts_the_code_of_conduct_and_reads_the_charter(page):
    build_demo()
    membership = CohortMembership.objects.select_related("cohort", "user").get(
        user__email=NEWCOMER, left_on__isnull=True
    )
    cohort = membership.cohort
    charter = cohort.current_charter()
    assert not CodeOfConductAcceptance.objects.filter(
        user=membership.user, code=cohort.network.current_code_of_conduct()
    ).exists()

    sign_in(page, NEWCOMER)
    expect(page.get_by_role("heading", name=cohort.network.name, level=1)).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("accept the code of conduct")

    page.get_by_role("link", name=cohort.name).first.click()
    # Cohort content waits until the code of conduct is accepted.
    expect(page).to_have_url(re.compile(r"/conduct/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Code of conduct")
    expect(page.locator("main")).to_contain_text("Confidentiality")
    page.get_by_role("button", name="I accept the code of conduct").click()

    expect(page).to_have_url(re.compile(re.escape(cohort.get_absolute_url()) + "$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(cohort.name)
    charter_section = page.locator("section.charter")
    expect(charter_section.get_by_role("heading", name="Mission")).to_be_visible()
    first_line = charter.mission.splitlines()[0].strip()
    expect(charter_section).to_contain_text(first_line[:60])
    expect(page.locator("main")).to_contain_text(membership.learning_statement[:40])

    assert CodeOfConductAcceptance.objects.filter(
        user=membership.user, code=cohort.network.current_code_of_conduct()
    ).exists()


def test_a_wrong_password_keeps_the_newcomer_out(page):
    build_demo()
    sign_in(page, NEWCOMER, "not-the-password")
    expect(page.locator("main")).to_contain_text("not correct")
    page.goto("/n/northwind/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
