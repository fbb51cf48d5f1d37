"""Outgoing webhooks end to end: real service calls record events, the worker's path sends
them to a real local receiver that checks each signature, failures are retried, private
items never leave, and only a network's admins set them up."""

from __future__ import annotations

import json
import socket
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cadre.accountability.models import CommitmentStatus, Visibility
from cadre.accountability.services import make_commitment, set_commitment_status
from cadre.cohorts.models import CohortStatus
from cadre.cohorts.services import add_member, change_status, remove_member
from cadre.lib.rules import Refused
from cadre.networks.models import NetworkMembership, Role
from cadre.networks.policy import forget
from cadre.schedule.models import SessionReport
from cadre.schedule.services import publish_report, record_attendance
from cadre.schedule.tests.helpers import make_held_session
from cadre.testing_parity import api_as, page_as
from cadre.webhooks import events, services, signing
from cadre.webhooks.models import Delivery, DeliveryStatus, Endpoint
from cadre.webhooks.sending import MAX_ATTEMPTS, RETRY_AFTER, send_due

from .conftest import Receiver, verify

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def endpoint(cast, receiver: Receiver) -> Endpoint:
    made = services.create_endpoint(cast.admin, cast.network, url=receiver.url, description="CRM")
    receiver.secret = made.secret
    return made


def committed(capture, call, *args, **kwargs):
    with capture(execute=True):
        return call(*args, **kwargs)


# --- the signature ---------------------------------------------------------------------------


def test_signing_reproduces_the_standard_webhooks_test_vector():
    assert (
        signing.sign(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            '{"test": 2432232314}',
        )
        == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    )


def test_a_new_secret_is_whsec_and_24_random_bytes_and_verifies_independently():
    secret = signing.new_secret()
    assert secret.startswith("whsec_") and len(signing.key_of(secret)) == 24
    assert secret != signing.new_secret()
    headers = signing.headers(secret, "msg_1", 1_700_000_000, "{}")
    assert verify(secret, headers, b"{}", 1_700_000_000)
    assert not verify(secret, headers, b"{ }", 1_700_000_000)
    assert not verify(signing.new_secret(), headers, b"{}", 1_700_000_000)


# --- events from real service calls, delivered to a real receiver ----------------------------


def test_joining_and_leaving_reach_the_receiver_signed(
    cast, endpoint, receiver, clock, django_capture_on_commit_callbacks
):
    committed(
        django_capture_on_commit_callbacks, add_member, cast.admin, cast.cohort, person=cast.mentor
    )
    clock.shift(timedelta(days=1))
    committed(
        django_capture_on_commit_callbacks,
        remove_member,
        cast.admin,
        cast.cohort,
        person=cast.mentor,
    )
    assert list(Delivery.objects.order_by("pk").values_list("event_type", "status")) == [
        ("member.joined", DeliveryStatus.PENDING),
        ("member.left", DeliveryStatus.PENDING),
    ]

    assert send_due() == 2

    assert receiver.refused == []
    assert receiver.events() == ["member.joined", "member.left"]
    joined = receiver.received[0]
    assert joined["data"]["member"] == {"id": cast.mentor.pk, "name": cast.mentor.name}
    assert joined["data"]["cohort"]["slug"] == "reliability"
    assert joined["data"]["network"]["slug"] == "northwind"
    assert receiver.received[1]["data"]["left_on"] == "2026-03-03"
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.DELIVERED}
    assert receiver.received[0]["_id"] == Delivery.objects.order_by("pk")[0].message_id


def test_a_cohort_status_change_is_an_event(
    cast, endpoint, receiver, django_capture_on_commit_callbacks
):
    committed(
        django_capture_on_commit_callbacks,
        change_status,
        cast.admin,
        cast.cohort,
        status=CohortStatus.PAUSED,
    )
    send_due()
    assert receiver.events() == ["cohort.status_changed"]
    assert receiver.received[0]["data"]["cohort"]["status"] == "paused"


def test_a_change_that_is_rolled_back_sends_nothing(
    cast, endpoint, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        add_member(cast.admin, cast.cohort, person=cast.mentor)
        raise RuntimeError("the change failed")
    assert not Delivery.objects.exists()


def test_commitments_carry_no_text_and_private_ones_send_nothing(
    cast, endpoint, receiver, clock, django_capture_on_commit_callbacks
):
    due = timezone.localdate() + timedelta(days=7)
    shared = committed(
        django_capture_on_commit_callbacks,
        make_commitment,
        cohort=cast.cohort,
        owner=cast.member,
        text="Run one game day with the payments team",
        due_on=due,
        keep_anyway=True,
    )
    private = committed(
        django_capture_on_commit_callbacks,
        make_commitment,
        cohort=cast.cohort,
        owner=cast.member,
        text="Secret plan to ask for a raise",
        due_on=due,
        visibility=Visibility.PRIVATE,
        keep_anyway=True,
    )
    for commitment in (shared, private):
        committed(
            django_capture_on_commit_callbacks,
            set_commitment_status,
            cast.member,
            commitment,
            status=CommitmentStatus.DONE,
            evidence="https://example.test/done",
        )
    send_due()

    assert receiver.events() == ["commitment.made", "commitment.done"]
    assert {body["data"]["commitment"]["id"] for body in receiver.received} == {shared.pk}
    sent = str(receiver.received) + str(list(Delivery.objects.values_list("payload", flat=True)))
    assert "game day" not in sent and "raise" not in sent and "example.test" not in sent


def _record_attendance(door: str, cast, session, user) -> None:
    if door == "page":
        answer = page_as(cast.member).post(
            reverse("schedule:attendance", args=[cast.network.slug, cast.cohort.slug, session.pk]),
            {"user": user.pk, "status": "present"},
        )
    else:
        caller = api_as(cast.member)
        answer = caller.client.put(
            f"/api/v1/networks/{cast.network.slug}/cohorts/{cast.cohort.slug}"
            f"/sessions/{session.pk}/attendance/{user.pk}",
            json.dumps({"status": "present"}),
            content_type="application/json",
            headers=caller.headers,
        )
    assert answer.status_code in (200, 302), answer.content  # the page redirects to the run page


@pytest.mark.parametrize("first, second", [("page", "api"), ("api", "page")])
def test_a_session_is_held_once_whichever_door_records_its_attendance(
    cast, endpoint, receiver, clock, django_capture_on_commit_callbacks, first, second
):
    session = make_held_session(cast.cohort, facilitator=cast.member, note_taker=cast.host)
    with django_capture_on_commit_callbacks(execute=True):
        _record_attendance(first, cast, session, cast.host)
    clock.shift(timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        _record_attendance(second, cast, session, cast.member)
        _record_attendance(first, cast, session, cast.host)
    SessionReport.objects.create(session=session, body="What we did.")
    committed(
        django_capture_on_commit_callbacks,
        publish_report,
        cast.host,
        session,
        share_with_network=False,
    )
    send_due()

    assert receiver.events() == ["session.held", "report.published"]
    held = receiver.received[0]["data"]
    assert held["session"]["id"] == session.pk and held["cohort"]["slug"] == "reliability"
    assert held["session"]["held_at"] == NOW.isoformat()
    session.refresh_from_db()
    assert session.held_at == NOW


def test_publishing_the_report_first_counts_the_session_as_held(
    cast, endpoint, receiver, clock, django_capture_on_commit_callbacks
):
    session = make_held_session(cast.cohort, facilitator=cast.member, note_taker=cast.host)
    SessionReport.objects.create(session=session, body="What we did.")
    committed(
        django_capture_on_commit_callbacks,
        publish_report,
        cast.host,
        session,
        share_with_network=False,
    )
    committed(
        django_capture_on_commit_callbacks,
        record_attendance,
        cast.member,
        session,
        user=cast.host.pk,
        status="present",
    )
    assert sorted(Delivery.objects.values_list("event_type", flat=True)) == [
        "report.published",
        "session.held",
    ]


def test_an_endpoint_gets_only_its_events_and_its_networks(
    cast, endpoint, receiver, django_capture_on_commit_callbacks
):
    services.update_endpoint(
        cast.admin,
        endpoint,
        url=endpoint.url,
        description="",
        event_types=["cohort.status_changed"],
        active=True,
    )
    NetworkMembership.objects.filter(user=cast.outsider).update(role=Role.ADMIN)
    forget(cast.outsider)
    elsewhere = services.create_endpoint(cast.outsider, cast.other_network, url=receiver.url)
    committed(
        django_capture_on_commit_callbacks, add_member, cast.admin, cast.cohort, person=cast.mentor
    )
    committed(
        django_capture_on_commit_callbacks,
        change_status,
        cast.admin,
        cast.cohort,
        status=CohortStatus.PAUSED,
    )
    assert list(Delivery.objects.values_list("endpoint", "event_type")) == [
        (endpoint.pk, "cohort.status_changed")
    ]
    assert not elsewhere.deliveries.exists()


def test_a_disabled_endpoint_gets_nothing(cast, endpoint, django_capture_on_commit_callbacks):
    services.update_endpoint(
        cast.admin, endpoint, url=endpoint.url, description="", event_types=[], active=False
    )
    committed(
        django_capture_on_commit_callbacks, add_member, cast.admin, cast.cohort, person=cast.mentor
    )
    assert not Delivery.objects.exists()


def test_a_test_event_goes_the_same_way(cast, endpoint, receiver):
    delivery = services.send_test(cast.admin, endpoint)
    assert delivery.event_type == "webhook.test"
    assert send_due() == 1
    assert receiver.events() == ["webhook.test"]
    assert receiver.received[0]["data"]["network"]["slug"] == "northwind"


# --- retries: nothing is lost ----------------------------------------------------------------


def test_a_receiver_answering_500_is_retried_later_and_then_gets_it(
    cast, endpoint, receiver, clock
):
    services.send_test(cast.admin, endpoint)
    receiver.answer = 500
    assert send_due() == 0
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_response_code) == (
        DeliveryStatus.PENDING,
        1,
        500,
    )
    assert delivery.next_attempt_at == NOW + RETRY_AFTER[0]
    assert send_due() == 0 and Delivery.objects.get().attempts == 1  # not due yet

    receiver.answer = 200
    clock.shift(RETRY_AFTER[0])
    assert send_due() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (
        DeliveryStatus.DELIVERED,
        2,
        "",
    )
    assert receiver.events() == ["webhook.test"]
    endpoint.refresh_from_db()
    assert endpoint.failures_in_a_row == 0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_receiver_that_is_down_is_tried_five_times_then_failed_then_retried_by_hand(
    cast, endpoint, receiver, clock
):
    live = endpoint.url
    Endpoint.objects.filter(pk=endpoint.pk).update(url=f"http://127.0.0.1:{free_port()}/down")
    services.send_test(cast.admin, endpoint)
    for wait in (*RETRY_AFTER, None):
        assert send_due() == 0
        if wait is not None:
            assert Delivery.objects.get().status == DeliveryStatus.PENDING
            clock.shift(wait)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, MAX_ATTEMPTS)
    assert "refused" in delivery.last_error.lower()
    endpoint.refresh_from_db()
    assert endpoint.failures_in_a_row == MAX_ATTEMPTS

    Endpoint.objects.filter(pk=endpoint.pk).update(url=live)
    services.retry_now(cast.admin, delivery)
    assert send_due() == 1
    assert receiver.events() == ["webhook.test"]
    with pytest.raises(Refused):
        services.retry_now(cast.admin, Delivery.objects.get())


def test_a_rotated_secret_signs_what_is_sent_next(cast, endpoint, receiver):
    old = endpoint.secret
    services.rotate_secret(cast.admin, endpoint)
    assert endpoint.secret != old
    services.send_test(cast.admin, endpoint)
    send_due()
    assert receiver.refused  # the receiver still holds the old secret
    receiver.secret = endpoint.secret
    Delivery.objects.update(next_attempt_at=timezone.now())
    assert send_due() == 1


# --- who may -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["organizer", "host", "member", "newcomer", "outsider", "mentor"])
def test_only_the_networks_admins_set_up_webhooks(cast, role, endpoint):
    person = getattr(cast, role)
    with pytest.raises(Refused) as refusal:
        services.create_endpoint(person, cast.network, url="https://hooks.example.test/in")
    assert refusal.value.kind == "forbidden"
    for call in (services.rotate_secret, services.delete_endpoint, services.send_test):
        with pytest.raises(Refused):
            call(person, endpoint)
    assert Endpoint.objects.count() == 1 and not Delivery.objects.exists()


@pytest.mark.parametrize(
    "url",
    ["http://hooks.example.test/in", "ftp://127.0.0.1/in", "hooks.example.test", "https://"],
)
def test_a_receiver_address_must_be_https_or_local_http(cast, url):
    with pytest.raises(Refused) as refusal:
        services.create_endpoint(cast.admin, cast.network, url=url)
    assert refusal.value.field == "url"


def test_only_events_of_the_catalogue_can_be_chosen(cast):
    with pytest.raises(Refused) as refusal:
        services.create_endpoint(
            cast.admin, cast.network, url="https://h.example.test/", event_types=["member.eaten"]
        )
    assert refusal.value.field == "event_types"
    made = services.create_endpoint(
        cast.admin, cast.network, url="https://h.example.test/", event_types=["member.left"]
    )
    assert made.wants("member.left") and not made.wants("member.joined")
    assert "webhook.test" in events.NAMES
