"""A data reporter's journey: an analyst who is not in the cohort records observations of
its metric by form and by CSV upload, a bad file is refused whole, and the chart shows the
values against the target."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cadre.metrics.models import Observation
from cadre.metrics.tests.helpers import cohort_metric, make_reporter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
METRICS = "/n/northwind/c/reliability/metrics/"


def sign_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_a_data_reporter_records_by_form_and_csv_and_sees_the_chart(page, cast, tmp_path):
    metric = cohort_metric(cast)  # minutes, lower is better, target 30, baseline 55
    reporter = make_reporter(cast, metric=metric)
    today = timezone.localdate()
    page.set_default_timeout(30_000)  # a busy test machine can be slow to serve the first page
    sign_in(page, reporter.email)

    page.goto(METRICS)
    expect(page.get_by_role("heading", level=1)).to_have_text("Metrics")
    expect(page.locator("#built-in")).to_have_count(0)  # board numbers are not theirs
    page.get_by_role("link", name="Recovery time").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Recovery time")

    # One observation by form; a bad value first.
    page.get_by_label("Date").fill(today.isoformat())
    page.get_by_label("Value (minutes)").fill("fast")
    page.get_by_role("button", name="Record observation").click()
    expect(page.locator("#record")).to_contain_text("“fast” is not a number")
    assert not Observation.objects.exists()
    page.get_by_label("Value (minutes)").fill("29")
    page.get_by_label("Note").fill("after the second game day")
    page.get_by_role("button", name="Record observation").click()
    expect(page.locator(".messages")).to_contain_text("Recorded 29 minutes")

    # A CSV with a bad row is refused whole, with the row and column named.
    rows = [f"{(today - timedelta(weeks=w)).isoformat()},{30 + 3 * w},," for w in range(8, 0, -1)]
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "date,value,person_email,note\n" + "\n".join(rows[:5] + ["2026-02-30,40,,"]) + "\n"
    )
    page.get_by_role("link", name="upload a CSV file").click()
    page.get_by_label("CSV file").set_input_files(str(bad))
    page.get_by_role("button", name="Upload and record").click()
    expect(page.get_by_role("alert")).to_contain_text("Row 7, column date")
    assert Observation.objects.count() == 1

    good = tmp_path / "good.csv"
    good.write_text("date,value,person_email,note\n" + "\n".join(rows) + "\n")
    page.get_by_label("CSV file").set_input_files(str(good))
    page.get_by_role("button", name="Upload and record").click()
    expect(page.locator(".messages")).to_contain_text("Recorded 8 observations")
    assert Observation.objects.filter(recorded_by=reporter).count() == 9

    # The chart: nine weekly points, the target line at 30 and the baseline, all labelled.
    chart = page.locator("svg.chart").first
    expect(chart).to_have_attribute("role", "img")
    expect(chart.locator(".marker")).to_have_count(9)
    expect(chart.locator(".ref-target text")).to_have_text("Target 30")
    expect(chart.locator(".ref-baseline text")).to_have_text("Baseline 55")
    target_y = float(chart.locator(".ref-target line").get_attribute("y1"))
    last = chart.locator(".marker").last  # this week's 29 minutes, just under the target
    assert float(last.get_attribute("cy")) > target_y  # lower value, lower on the chart
    summary = chart.get_attribute("aria-label")
    assert "9 weeks from 54 minutes on" in summary and "to 29 minutes on" in summary
    page.get_by_text("The numbers").first.click()
    expect(page.locator("figure table tbody tr")).to_have_count(9)

    ARTIFACTS.mkdir(exist_ok=True)
    chart.screenshot(path=str(ARTIFACTS / "metrics-chart.png"))
    page.screenshot(path=str(ARTIFACTS / "metrics-page.png"), full_page=True)
