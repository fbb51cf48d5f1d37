"""Notices end to end: real services make the change, the event reaches the chat queue once
the transaction commits, and the worker's path posts it to a local Slack stand-in or Teams
receiver; private items and cohorts without a channel post nothing; failures are retried
with back-off and shown to the admins."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from cadre.accountability.models import Visibility
from cadre.accountability.services import make_commitment, post_update
from cadre.chat import crypto, notices, services
from cadre.chat.models import ChannelLink, ChatDelivery, DeliveryStatus, SlackWorkspace
from cadre.chat.sending import MAX_ATTEMPTS, RETRY_AFTER, send_due
from cadre.lib.rules import Refused
from cadre.schedule.models import Session

from .conftest import TOKEN

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def workspace(cast, slack) -> SlackWorkspace:
    return SlackWorkspace.objects.create(
        network=cast.network, team_id="T0TEAM", team_name="Northwind", token=crypto.encrypt(TOKEN)
    )


def committed(capture, call, *args, **kwargs):
    with capture(execute=True):
        return call(*args, **kwargs)


def blocked(capture, cast, text="The staging database is down"):
    return committed(capture, post_update, cast.member, cast.cohort, blocker=text).blocker


def test_a_blocker_reaches_the_cohorts_teams_channel_as_an_adaptive_card(
    cast, teams, clock, django_capture_on_commit_callbacks
):
    services.set_channel(cast.admin, cast.cohort, teams_url=teams.url)
    blocked(django_capture_on_commit_callbacks, cast)
    assert send_due() == 1
    [message] = teams.received
    assert message["type"] == "message"
    [attachment] = message["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.4"
    texts = [block["text"] for block in card["body"]]
    assert texts == ["Mo Member is blocked", "The staging database is down"]
    [action] = card["actions"]
    assert action["type"] == "Action.OpenUrl" and "/board/" in action["url"]
    assert ChatDelivery.objects.get().status == DeliveryStatus.DELIVERED


def test_a_blocker_reaches_the_slack_channel_with_an_offer_help_button(
    cast, workspace, slack, clock, django_capture_on_commit_callbacks
):
    services.set_channel(cast.admin, cast.cohort, slack_channel="C0ALPHA")
    blocker = blocked(django_capture_on_commit_callbacks, cast, "Need <!channel> access")
    assert send_due() == 1
    [(method, args, auth)] = slack.calls
    assert method == "chat.postMessage" and auth == f"Bearer {TOKEN}"
    assert args["channel"] == "C0ALPHA"
    assert "&lt;!channel&gt;" in args["blocks"][0]["text"]["text"]  # no mention from a member
    offer = args["blocks"][1]["elements"][1]
    assert (offer["action_id"], offer["value"]) == ("offer_help", str(blocker.pk))


def test_private_items_and_cohorts_without_a_channel_post_nothing(
    cast, teams, clock, django_capture_on_commit_callbacks
):
    services.set_channel(cast.admin, cast.cohort, teams_url=teams.url)
    today = cast.cohort.today()
    private = committed(
        django_capture_on_commit_callbacks,
        make_commitment,
        cohort=cast.cohort,
        owner=cast.member,
        text="Send the runbook to the on-call team",
        due_on=today + timedelta(days=2),
        visibility=Visibility.PRIVATE,
    )
    committed(
        django_capture_on_commit_callbacks,
        post_update,
        cast.member,
        cast.cohort,
        commitment=private,
        blocker="secret trouble",
    )
    committed(
        django_capture_on_commit_callbacks,
        post_update,
        cast.other_cohort_member,
        cast.other_cohort,
        blocker="unmapped trouble",
    )
    assert not ChatDelivery.objects.exists()
    assert send_due() == 0 and teams.received == []


def test_a_session_starting_soon_is_posted_once_with_its_link(cast, teams, clock):
    services.set_channel(cast.admin, cast.cohort, teams_url=teams.url)
    session = Session.objects.create(
        cohort=cast.cohort, starts_at=NOW + timedelta(hours=1), meeting_url="https://meet.test/a"
    )
    Session.objects.create(cohort=cast.cohort, starts_at=NOW + timedelta(hours=5))
    assert services.queue_session_notices() == 1
    assert services.queue_session_notices() == 0
    send_due()
    [message] = teams.received
    card = message["attachments"][0]["content"]
    assert card["body"][0]["text"] == f"{session.label} of {cast.cohort.name} starts soon"
    assert "Join the meeting: https://meet.test/a" in [b["text"] for b in card["body"]]
    assert card["actions"][0]["url"] == "https://meet.test/a"


def test_a_coffee_round_announcement_is_told_to_the_cohorts_of_its_people(
    cast, teams, django_capture_on_commit_callbacks
):
    from cadre.rotations.announcements import announce_round
    from cadre.rotations.models import CoffeeGroup, CoffeeGroupMember, CoffeeRound, Ritual

    services.set_channel(cast.admin, cast.cohort, teams_url=teams.url)
    ritual = Ritual.objects.create(network=cast.network, name="Monday coffee")
    coffee = CoffeeRound.objects.create(ritual=ritual, number=3, scheduled_for=NOW.date())
    group = CoffeeGroup.objects.create(round=coffee, index=0)
    CoffeeGroupMember.objects.create(group=group, user=cast.member)
    CoffeeGroupMember.objects.create(group=group, user=cast.other_cohort_member)
    committed(django_capture_on_commit_callbacks, announce_round, coffee.pk)
    # Alpha has a channel; beta, where the other person is, has none.
    assert ChatDelivery.objects.get().event_type == "coffee.announced"
    send_due()
    [message] = teams.received
    card = message["attachments"][0]["content"]
    assert card["body"][0]["text"] == "Round 3 of Monday coffee is out"
    assert "Oscar" not in str(card) and "Mo Member" not in str(card)


def test_slack_errors_and_rate_limits_are_retried_with_back_off_then_failed_and_shown(
    cast, workspace, slack, clock, client, django_capture_on_commit_callbacks
):
    services.set_channel(cast.admin, cast.cohort, slack_channel="C0ALPHA")
    blocked(django_capture_on_commit_callbacks, cast)
    slack.fail("chat.postMessage", 500, {"ok": False, "error": "internal_error"})
    assert send_due() == 0
    delivery = ChatDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.next_attempt_at == NOW + RETRY_AFTER[0]
    assert "500" in delivery.last_error
    assert send_due() == 0  # not due yet: nothing is tried
    clock.shift(RETRY_AFTER[0])
    slack.fail("chat.postMessage", 429, {"ok": False, "error": "ratelimited"}, Retry_After="900")
    send_due()
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == NOW + RETRY_AFTER[0] + timedelta(seconds=900)
    assert "ratelimited" in delivery.last_error
    for _ in range(MAX_ATTEMPTS - 2):
        slack.fail("chat.postMessage", 500, {"ok": False, "error": "internal_error"})
        clock.shift(timedelta(days=1))
        send_due()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == MAX_ATTEMPTS
    client.force_login(cast.admin)
    page = client.get(reverse("chat:settings", args=[cast.network.slug]))
    assert "internal_error" in page.content.decode()
    assert "Not posted: gave up after repeated failures" in page.content.decode()
    client.post(reverse("chat:retry", args=[cast.network.slug, delivery.pk]))
    assert send_due() == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED


def test_a_teams_workflow_that_is_down_keeps_the_notice_for_later(cast, teams, clock):
    services.set_channel(cast.admin, cast.cohort, teams_url=teams.url)
    teams.answer = 503
    services.send_test(cast.admin, cast.cohort)
    assert send_due() == 0
    teams.answer = 202
    clock.shift(RETRY_AFTER[0])
    assert send_due() == 1
    assert teams.received[0]["attachments"][0]["content"]["body"][0]["text"].startswith(
        "Cadre is connected"
    )


def test_only_the_admins_choose_channels_and_teams_addresses_are_checked(cast, teams):
    for person in (cast.organizer, cast.host, cast.member):
        with pytest.raises(Refused):
            services.set_channel(person, cast.cohort, teams_url=teams.url)
    with pytest.raises(Refused) as refused:
        services.set_channel(cast.admin, cast.cohort, teams_url="https://evil.example/hook")
    assert refused.value.message == services.TEAMS_RULE
    with pytest.raises(Refused):
        services.set_channel(cast.admin, cast.cohort, slack_channel="C0ALPHA")  # no workspace
    link = services.set_channel(
        cast.admin,
        cast.cohort,
        teams_url="https://prod-01.westeurope.logic.azure.com:443/workflows/x/triggers/manual/paths/invoke",
    )
    assert link is not None and ChannelLink.objects.count() == 1
    assert services.set_channel(cast.admin, cast.cohort) is None
    assert not ChannelLink.objects.exists()


def test_notices_say_only_what_the_cohort_reads(cast):
    assert set(notices.BUILDERS) == {
        "report.published",
        "blocker.posted",
        "experiment.finished",
        "coffee.announced",
    }


@pytest.mark.parametrize(
    "error, hint",
    [
        ("channel_not_found", "choose the cohort's again"),
        ("not_in_channel", "invite it"),
        ("is_archived", "archived"),
        ("msg_too_long", "too long"),
    ],
)
def test_a_slack_error_no_retry_can_mend_fails_at_once(
    cast, workspace, slack, clock, client, django_capture_on_commit_callbacks, error, hint
):
    services.set_channel(cast.admin, cast.cohort, slack_channel="C0ALPHA")
    blocked(django_capture_on_commit_callbacks, cast)
    slack.fail("chat.postMessage", 200, {"ok": False, "error": error})
    assert send_due() == 0
    delivery = ChatDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.REFUSED, 1)
    assert error in delivery.last_error and hint in delivery.last_error
    assert delivery.slack_error == error
    clock.shift(timedelta(days=1))
    assert send_due() == 0 and len(slack.called("chat.postMessage")) == 1  # not tried again
    workspace.refresh_from_db()
    assert workspace.token_refused == ""
    client.force_login(cast.admin)
    page = client.get(reverse("chat:settings", args=[cast.network.slug])).content.decode()
    assert "slack-reconnect" not in page


@pytest.mark.parametrize("error", ["token_revoked", "invalid_auth", "account_inactive"])
def test_a_refused_token_fails_at_once_and_asks_the_admin_to_connect_again(
    cast, workspace, slack, clock, client, django_capture_on_commit_callbacks, error
):
    services.set_channel(cast.admin, cast.cohort, slack_channel="C0ALPHA")
    blocked(django_capture_on_commit_callbacks, cast)
    slack.fail("chat.postMessage", 200, {"ok": False, "error": error})
    send_due()
    delivery = ChatDelivery.objects.get()
    assert delivery.status == DeliveryStatus.REFUSED
    assert "connect the workspace again" in delivery.last_error
    workspace.refresh_from_db()
    assert workspace.token_refused == error
    client.force_login(cast.admin)
    page = client.get(reverse("chat:settings", args=[cast.network.slug])).content.decode()
    assert 'id="slack-reconnect"' in page and error in page
    assert "Not posted: Slack refused it" in page
    assert "gave up after repeated failures" not in page
    assert reverse("chat:slack_connect", args=[cast.network.slug]) in page


def test_a_notice_slack_refused_once_says_so_and_what_to_do_and_can_be_retried(
    cast, workspace, slack, clock, client, django_capture_on_commit_callbacks
):
    services.set_channel(cast.admin, cast.cohort, slack_channel="C0ALPHA")
    blocked(django_capture_on_commit_callbacks, cast)
    slack.fail("chat.postMessage", 200, {"ok": False, "error": "is_archived"})
    send_due()
    delivery = ChatDelivery.objects.get()
    assert delivery.refusal() == "The channel is archived: choose another for the cohort."
    client.force_login(cast.admin)
    for url in ("chat:settings", "chat:deliveries"):
        page = client.get(reverse(url, args=[cast.network.slug])).content.decode()
        assert "Not posted: Slack refused it" in page
        assert "The channel is archived: choose another for the cohort." in page
        assert "gave up after repeated failures" not in page
    client.post(reverse("chat:retry", args=[cast.network.slug, delivery.pk]))
    delivery.refresh_from_db()
    assert (delivery.status, delivery.slack_error, delivery.refusal()) == ("pending", "", "")
    assert send_due() == 1


def test_notices_waiting_when_slack_is_disconnected_say_so(
    cast, workspace, slack, clock, client, django_capture_on_commit_callbacks
):
    services.set_channel(cast.admin, cast.cohort, slack_channel="C0ALPHA")
    blocked(django_capture_on_commit_callbacks, cast)
    services.disconnect_slack(cast.admin, cast.network)
    delivery = ChatDelivery.objects.get()
    assert delivery.status == DeliveryStatus.DROPPED
    assert list(services.failures(cast.network)) == [delivery]
    client.force_login(cast.admin)
    page = client.get(reverse("chat:settings", args=[cast.network.slug])).content.decode()
    assert "Not posted: Slack was disconnected" in page
    assert "gave up after repeated failures" not in page
