"""A network's admin adds a webhook endpoint, copies its secret into the receiver, sends a test
event, and finds an event the receiver refused while it was down in the delivery log with
"Retry now". The receiver is the webhook tests' local one, which checks every signature; the
endpoint's https:// address is sent to it, as a hosts-file entry would. With
CADRE_SCREENSHOTS set (`make screenshots`), docs/webhooks.md's screenshots are saved there."""

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from cadre.accountability.services import make_commitment
from cadre.webhooks import sending
from cadre.webhooks.models import Delivery, DeliveryStatus
from cadre.webhooks.tests.conftest import receiver  # noqa: F401 (a fixture)
from cadre.worker import runner
from tests.browser.test_navigation import save, sign_in

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.time_machine(NOW),
]

WEBHOOKS = "/n/northwind/settings/webhooks/"
ADDRESS = "https://crm.northwind.example/hooks/cadre"


def test_an_admin_adds_an_endpoint_tests_it_and_retries_a_failed_delivery(
    page,
    cast,
    receiver,  # noqa: F811 (the webhook tests' fixture)
    time_machine,
    monkeypatch,
    tmp_path,
):
    post = sending.post
    monkeypatch.setattr(
        sending,
        "post",
        lambda url, body, headers: post(receiver.url if url == ADDRESS else url, body, headers),
    )
    page.set_viewport_size({"width": 1200, "height": 800})
    runner.beat("worker")  # the test does the worker's part; no "no worker" banner
    sign_in(page, cast.admin.email)
    page.goto(WEBHOOKS)
    page.get_by_label("Receiver address").fill(ADDRESS)
    page.get_by_label("Description").fill("CRM sync: members and their commitments")
    for event in ("member.joined", "member.left", "commitment.made", "commitment.done"):
        page.get_by_label(event).check()
    page.get_by_role("button", name="Add the endpoint").click()
    secret = page.locator("code.secret").inner_text()
    assert secret.startswith("whsec_")
    receiver.secret = secret  # copied into the receiver
    page.get_by_role("link", name="Go to the webhook").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Webhook to {ADDRESS}")

    page.get_by_role("button", name="Send a test event").click()
    assert sending.send_due() == 1
    assert receiver.events() == ["webhook.test"] and not receiver.refused

    # The receiver is down while a member makes a commitment: five tries, then failed.
    receiver.answer = 503
    time_machine.shift(timedelta(minutes=3))
    make_commitment(
        cohort=cast.cohort,
        owner=cast.member,
        text="Write the runbook for the payments failover and try it in Thursday's game day",
        due_on=NOW.date() + timedelta(days=7),
        keep_anyway=True,
    )
    assert sending.send_due() == 0
    for wait in sending.RETRY_AFTER:
        time_machine.shift(wait)
        assert sending.send_due() == 0
    failed = Delivery.objects.get(status=DeliveryStatus.FAILED)
    assert failed.event_type == "commitment.made" and failed.last_response_code == 503
    receiver.answer = 200  # back up

    runner.beat("worker")
    page.goto(WEBHOOKS)
    expect(page.get_by_role("heading", level=1)).to_have_text("Webhooks of Northwind Learning")
    expect(page.get_by_role("link", name=ADDRESS)).to_be_visible()
    save(page, tmp_path, "webhooks-endpoints.png")

    page.get_by_role("link", name=ADDRESS).click()
    expect(page.get_by_text("tries to reach this address failed")).to_be_visible()
    retry = page.get_by_role("button", name="Retry now")
    expect(retry).to_have_count(1)
    test_event = Delivery.objects.get(event_type="webhook.test")
    page.get_by_text(f"Body of {test_event.message_id}").click()  # what was sent
    expect(page.get_by_text('"type": "webhook.test"')).to_be_visible()
    page.get_by_role("heading", name="Deliveries").evaluate("heading => heading.scrollIntoView()")
    save(page, tmp_path, "webhooks-endpoint.png")

    retry.click()
    assert sending.send_due() == 1
    assert receiver.events() == ["webhook.test", "commitment.made"]
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.DELIVERED
