"""A network's admin connects Slack from the chat settings page, maps a cohort to a Slack
channel and a Teams workflow, and retries a notice Slack refused. Slack's OAuth page is
answered by the browser test (it sends the admin straight back with a code) and Slack's Web API
by the chat tests' local stand-in; a Teams Workflows address reaches the local Teams receiver.
With CADRE_SCREENSHOTS set (`make screenshots`), docs/slack.md's and docs/teams.md's
screenshots are saved there."""

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from playwright.sync_api import expect

from cadre.accountability.services import post_update
from cadre.chat import sending
from cadre.chat.models import ChatDelivery, DeliveryStatus
from cadre.chat.tests.conftest import slack, teams  # noqa: F401 (fixtures)
from cadre.worker import runner
from tests.browser.test_navigation import save, sign_in

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.time_machine(NOW),
]

SETTINGS = "/n/northwind/settings/chat/"
# What a Teams Workflows address looks like; the test sends what is posted to it to the local
# receiver instead, as a hosts-file entry would.
WORKFLOW = (
    "https://prod-27.westeurope.logic.azure.com:443/workflows/5c2f0e8a/triggers/manual/paths/"
    "invoke?api-version=2016-06-01&sig=Zm9yLWRvY3M"
)


def test_an_admin_connects_slack_maps_a_cohort_and_retries_a_failed_notice(
    page,
    cast,
    slack,  # noqa: F811 (the chat tests' fixture)
    teams,  # noqa: F811
    time_machine,
    monkeypatch,
    live_server,
    tmp_path,
):
    post_json = sending.post_json
    monkeypatch.setattr(
        sending,
        "post_json",
        lambda url, payload: post_json(teams.url if url == WORKFLOW else url, payload),
    )

    def back_from_slack(route):
        """Slack's "Allow" page, approved at once: back to Cadre with the state and a code."""
        state = parse_qs(urlsplit(route.request.url).query)["state"][0]
        query = urlencode({"state": state, "code": "good-code"})
        route.fulfill(
            status=302, headers={"Location": f"{live_server.url}/chat/slack/oauth/?{query}"}
        )

    page.set_viewport_size({"width": 1200, "height": 800})
    page.route("https://slack.com/oauth/v2/authorize*", back_from_slack)
    runner.beat("worker")  # the test does the worker's part; no "no worker" banner
    sign_in(page, cast.admin.email)
    page.goto(SETTINGS)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Slack and Microsoft Teams for Northwind Learning"
    )
    connect = page.get_by_role("button", name="Add Cadre to a Slack workspace")
    expect(connect).to_be_visible()
    save(page, tmp_path, "slack-settings-before.png")

    connect.click()
    expect(page.get_by_text("Slack workspace Northwind is connected")).to_be_visible()
    expect(page.locator("#slack")).to_contain_text("Connected to the workspace Northwind")
    row = page.locator("#chat-reliability")
    row.get_by_label("Slack channel of Platform Reliability").select_option(label="#alpha-cohort")
    row.get_by_label("Teams workflow of Platform Reliability").fill(WORKFLOW)
    row.get_by_role("button", name="Save").click()
    expect(
        page.get_by_text("Platform Reliability’s notices go to the channels chosen.")
    ).to_be_visible()
    expect(row.get_by_label("Slack channel of Platform Reliability")).to_have_value("C0ALPHA")
    expect(row.get_by_label("Teams workflow of Platform Reliability")).to_have_value(WORKFLOW)
    page.locator("#slack").evaluate("section => section.scrollIntoView()")
    save(page, tmp_path, "slack-settings-connected.png")
    page.get_by_role("heading", name="Channels of each cohort").evaluate(
        "heading => heading.scrollIntoView()"
    )
    save(page, tmp_path, "teams-settings.png")

    # A test to each channel, posted by the worker's path; then a blocker Slack refuses for
    # good (the channel was archived): marked refused at once, saying why and what to do.
    page.get_by_role("button", name="Send a test").click()
    expect(page.get_by_text("A test message is on its way")).to_be_visible()
    assert sending.send_due() == 2
    assert len(slack.called("chat.postMessage")) == 1 and len(teams.received) == 1
    # An archived channel cannot succeed on a retry: the notice fails at once.
    slack.fail("chat.postMessage", 200, {"ok": False, "error": "is_archived"})
    time_machine.shift(60)
    post_update(cast.member, cast.cohort, blocker="The staging database is down since Monday")
    assert sending.send_due() == 1  # Teams got it; Slack did not
    failed = ChatDelivery.objects.get(status=DeliveryStatus.REFUSED)
    assert failed.channel == "slack" and failed.attempts == 1

    runner.beat("worker")
    page.goto(SETTINGS)
    page.get_by_role("link", name="Every notice sent").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chat notices of Northwind Learning")
    expect(page.get_by_text("Not posted: Slack refused it")).to_be_visible()
    expect(
        page.get_by_text("The channel is archived: choose another for the cohort.")
    ).to_be_visible()
    retry = page.get_by_role("button", name="Retry now")
    expect(retry).to_have_count(1)
    save(page, tmp_path, "slack-notices.png")

    retry.click()
    expect(page.get_by_text("The notice is queued again")).to_be_visible()
    assert sending.send_due() == 1
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.DELIVERED
