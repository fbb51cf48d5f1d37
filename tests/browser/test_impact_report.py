"""A host's journey to the impact report: from the cohort page to the report, its sections
and charts, then the print version (no navigation) and the PDF link."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from cadre.impact.tests.story import tell

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def sign_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_a_host_reads_prints_and_downloads_the_impact_report(page, cast):
    tell(cast)
    page.set_default_timeout(30_000)  # a busy test machine can be slow to serve the first page
    sign_in(page, cast.host.email)

    page.goto(cast.cohort.get_absolute_url())
    page.get_by_role("navigation", name=cast.cohort.name).get_by_role("link", name="Impact").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Impact report: Platform Reliability")
    for heading in ("What we set out to do", "What we did", "What changed"):
        expect(page.get_by_role("heading", level=2, name=heading)).to_be_visible()
    expect(page.locator("#set-out")).to_contain_text("Median recovery under 30 minutes")
    expect(page.locator("#set-out")).to_contain_text("Łukasz Nowak")
    expect(page.locator("#figure-attendance")).to_contain_text("87.5% 7 of 8 marks present")

    # The charts: a metric against its target, and skill growth, each with its numbers.
    charts = page.locator("#what-changed svg.chart")
    expect(charts).to_have_count(3)
    expect(charts.first.locator(".ref-target text")).to_have_text("Target 30")
    expect(charts.last).to_have_attribute("aria-label", re.compile(r"^Skill growth"))
    expect(page.get_by_role("table").filter(has_text="Facilitation")).to_contain_text("+1.4")

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "impact-report.png"), full_page=True)

    # Print: the same report without navigation, buttons or footer.
    page.emulate_media(media="print")
    expect(page.locator("header.topbar")).to_be_hidden()
    expect(page.locator("footer.footer")).to_be_hidden()
    expect(page.get_by_role("link", name="Download PDF")).to_be_hidden()
    expect(page.get_by_role("heading", level=2, name="What changed")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "impact-report-print.png"), full_page=True)
    page.emulate_media(media="screen")

    # The PDF link answers with a PDF.
    href = page.get_by_role("link", name="Download PDF").get_attribute("href")
    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")
