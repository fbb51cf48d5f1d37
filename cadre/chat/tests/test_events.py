"""Slack's Events API (/chat/slack/events/), with the payloads Slack's documentation shows: the
Request URL check, the app removed from the workspace and its bot token revoked (the workspace
left as a refused token leaves it: the page asks to connect again, waiting notices dropped,
nothing more sent to the Slack stand-in), other events left alone, and the requests that are
refused or ignored: bad or stale signatures, replays, another team or app, and Slack's
retries."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.urls import reverse

from cadre.accountability.services import post_update
from cadre.chat import crypto, services
from cadre.chat.models import ChannelLink, ChatDelivery, DeliveryStatus, SlackWorkspace
from cadre.chat.sending import send_due

from .conftest import TOKEN, signed

EVENTS = "/chat/slack/events/"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def workspace(cast, slack, clock) -> SlackWorkspace:
    # As the OAuth answer of the stand-in leaves it (app A0APP, bot user U0BOT).
    return SlackWorkspace.objects.create(
        network=cast.network,
        team_id="T0TEAM",
        team_name="Northwind",
        app_id="A0APP",
        bot_user_id="U0BOT",
        token=crypto.encrypt(TOKEN),
    )


def envelope(event, *, team="T0TEAM", app="A0APP", at=None, event_id="Ev0PV52K21"):
    """An event_callback as Slack sends it (the Events API's outer event)."""
    return {
        "token": "XXYYZZ",
        "team_id": team,
        "api_app_id": app,
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int((at or NOW).timestamp()),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": team,
                "user_id": "U0BOT",
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
    }


UNINSTALLED = {"type": "app_uninstalled"}


def revoked(*, bot=("U0BOT",), oauth=("U_ADMIN",)):
    return {"type": "tokens_revoked", "tokens": {"oauth": list(oauth), "bot": list(bot)}}


def send(client, payload, headers=None, **extra):
    body = json.dumps(payload)
    return client.post(
        EVENTS, body, content_type="application/json", **(headers or signed(body)), **extra
    )


def blocked(capture, cast, text="The staging database is down"):
    with capture(execute=True):
        return post_update(cast.member, cast.cohort, blocker=text)


def connected(workspace) -> bool:
    workspace.refresh_from_db()
    return workspace.token_refused == ""


# --- the Request URL ---------------------------------------------------------------------------


def test_the_request_url_check_is_answered_with_its_challenge(cast, slack, client, clock):
    challenge = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
    answer = send(
        client,
        {"token": "Jhj5dZrVaK7ZwHHjRyZWjbDl", "challenge": challenge, "type": "url_verification"},
    )
    assert answer.status_code == 200
    assert answer.json() == {"challenge": challenge}
    assert not slack.calls


def test_the_challenge_is_not_answered_without_slacks_signature(cast, slack, client, clock):
    body = json.dumps({"challenge": "abc", "type": "url_verification"})
    answer = client.post(
        EVENTS, body, content_type="application/json", **signed(body, secret="not-our-secret")
    )
    assert answer.status_code == 401 and b"abc" not in answer.content


# --- the app removed, the token revoked --------------------------------------------------------


def test_app_uninstalled_leaves_the_workspace_to_be_connected_again_and_posts_nothing_more(
    cast, workspace, slack, teams, client, clock, django_capture_on_commit_callbacks
):
    services.set_channel(cast.admin, cast.cohort, slack_channel="C0ALPHA", teams_url=teams.url)
    blocked(django_capture_on_commit_callbacks, cast)
    assert ChatDelivery.objects.filter(status=DeliveryStatus.PENDING).count() == 2

    answer = send(client, envelope(UNINSTALLED))
    assert (answer.status_code, answer.content) == (200, b"")
    workspace.refresh_from_db()
    assert workspace.token_refused == "token_revoked"
    waiting = ChatDelivery.objects.get(channel="slack")
    assert waiting.status == DeliveryStatus.DROPPED  # as a disconnect leaves it
    assert ChatDelivery.objects.get(channel="teams").status == DeliveryStatus.PENDING

    # A blocker posted afterwards goes to Teams; nothing reaches Slack.
    clock.shift(timedelta(minutes=1))
    blocked(django_capture_on_commit_callbacks, cast, "The build server is down")
    assert send_due() == 2  # both Teams notices
    assert slack.calls == []
    later = ChatDelivery.objects.filter(channel="slack").exclude(pk=waiting.pk).get()
    assert (later.status, later.slack_error) == (DeliveryStatus.REFUSED, "token_revoked")
    assert "connect the workspace again" in later.last_error

    client.force_login(cast.admin)
    page = client.get(reverse("chat:settings", args=[cast.network.slug])).content.decode()
    assert 'id="slack-reconnect"' in page and "Connect Slack again" in page
    assert "Not posted: Slack was disconnected" in page
    assert slack.calls == []  # the page did not ask Slack for channels with a refused token
    assert ChannelLink.objects.get().slack_channel_id == "C0ALPHA"  # kept for reconnecting


def test_tokens_revoked_for_cadres_bot_does_the_same(cast, workspace, slack, client):
    ChatDelivery.objects.create(
        network=cast.network,
        cohort=cast.cohort,
        channel="slack",
        target="C0ALPHA",
        event_type="test",
        key="waiting:slack",
        payload={"text": "hello"},
    )
    assert send(client, envelope(revoked())).status_code == 200
    assert not connected(workspace)
    assert ChatDelivery.objects.get().status == DeliveryStatus.DROPPED
    assert send_due() == 0 and slack.calls == []


@pytest.mark.parametrize(
    "event",
    [
        revoked(bot=()),  # a person's token only: Cadre keeps none
        revoked(bot=("U0OTHERBOT",)),  # another bot's
        {"type": "tokens_revoked"},
    ],
    ids=["users-only", "other-bot", "no-tokens"],
)
def test_tokens_revoked_for_other_tokens_changes_nothing(cast, workspace, slack, client, event):
    assert send(client, envelope(event)).status_code == 200
    assert connected(workspace)


def test_a_workspace_that_does_not_know_its_bot_takes_any_bot_revocation(
    cast, workspace, slack, client
):
    SlackWorkspace.objects.filter(pk=workspace.pk).update(bot_user_id="", app_id="")
    assert send(client, envelope(revoked(bot=("U0SOMEBOT",)))).status_code == 200
    assert not connected(workspace)


@pytest.mark.parametrize(
    "event",
    [
        {
            "type": "member_joined_channel",
            "user": "W06GH7XHN",
            "channel": "C0698JE0H",
            "channel_type": "C",
            "team": "T0TEAM",
        },
        {"type": "app_mention", "user": "U_MEMBER", "text": "<@U0BOT> hi", "channel": "C0ALPHA"},
    ],
)
def test_other_events_are_taken_and_left_alone(cast, workspace, slack, client, event):
    answer = send(client, envelope(event))
    assert (answer.status_code, answer.content) == (200, b"")
    assert connected(workspace)
    assert slack.calls == [] and not ChatDelivery.objects.exists()


# --- who may send them -------------------------------------------------------------------------


def test_another_team_or_app_gets_the_same_answer_and_nothing_is_done(
    cast, workspace, slack, client
):
    known = send(client, envelope(UNINSTALLED, team="T0TEAM", app="A0OTHER"))
    unknown = send(client, envelope(UNINSTALLED, team="T0ELSEWHERE", event_id="Ev2"))
    assert (known.status_code, known.content) == (200, b"")
    assert (unknown.status_code, unknown.content) == (200, b"")
    assert connected(workspace)


def test_unsigned_forged_stale_and_replayed_events_are_refused(cast, workspace, slack, client):
    body = json.dumps(envelope(UNINSTALLED))

    def post(**headers):
        return client.post(EVENTS, body, content_type="application/json", **headers)

    assert post().status_code == 401
    assert post(**signed(body, secret="not-our-secret")).status_code == 401
    stale = signed(body, at=int(NOW.timestamp()) - 6 * 60)
    assert post(**stale).status_code == 401
    altered = signed(body.replace("T0TEAM", "T0TEAX"))
    assert post(**altered).status_code == 401
    assert connected(workspace)
    good = signed(body)
    assert post(**good).status_code == 200
    SlackWorkspace.objects.filter(pk=workspace.pk).update(token_refused="")
    assert post(**good).status_code == 401  # the same signature again: a replay
    assert connected(workspace)


def test_the_endpoint_takes_only_a_post_of_json(cast, workspace, slack, client):
    assert client.get(EVENTS).status_code == 405
    body = "payload=not-json"
    answer = client.post(
        EVENTS, body, content_type="application/x-www-form-urlencoded", **signed(body)
    )
    assert answer.status_code == 400
    assert connected(workspace)


# --- Slack's retries ---------------------------------------------------------------------------


def test_a_retry_does_not_apply_twice(
    cast, workspace, slack, client, clock, django_capture_on_commit_callbacks
):
    services.set_channel(cast.admin, cast.cohort, slack_channel="C0ALPHA")
    event = envelope(UNINSTALLED)
    assert send(client, event).status_code == 200
    assert not connected(workspace)
    # A notice queued since: refused when its turn comes, not dropped by the retry.
    blocked(django_capture_on_commit_callbacks, cast)
    clock.shift(timedelta(minutes=1))
    retry = send(
        client, event, HTTP_X_SLACK_RETRY_NUM="1", HTTP_X_SLACK_RETRY_REASON="http_timeout"
    )
    assert retry.status_code == 200
    assert ChatDelivery.objects.get().status == DeliveryStatus.PENDING
    assert send_due() == 0 and slack.calls == []
    assert ChatDelivery.objects.get().status == DeliveryStatus.REFUSED


def test_a_retry_of_an_old_event_leaves_a_workspace_connected_again_alone(
    cast, workspace, slack, client, clock
):
    event = envelope(UNINSTALLED)
    assert send(client, event).status_code == 200
    assert not connected(workspace)

    # The admin connects the workspace again with Slack's OAuth.
    clock.shift(timedelta(minutes=2))
    client.force_login(cast.admin)
    answer = client.post(reverse("chat:slack_connect", args=[cast.network.slug]))
    state = parse_qs(urlsplit(answer["Location"]).query)["state"][0]
    client.get("/chat/slack/oauth/", {"state": state, "code": "good-code"})
    assert connected(workspace)
    assert (workspace.app_id, workspace.bot_user_id) == ("A0APP", "U0BOT")

    # Slack's last retry of the event from before, five minutes after it.
    clock.shift(timedelta(minutes=3))
    retry = send(
        client, event, HTTP_X_SLACK_RETRY_NUM="3", HTTP_X_SLACK_RETRY_REASON="http_timeout"
    )
    assert retry.status_code == 200
    assert connected(workspace)

    # The app removed again, after connecting: taken.
    again = envelope(UNINSTALLED, at=NOW + timedelta(minutes=6), event_id="Ev3")
    clock.shift(timedelta(minutes=1))
    assert send(client, again).status_code == 200
    assert not connected(workspace)


def test_disconnecting_after_the_app_was_removed_does_not_ask_slack_again(
    cast, workspace, slack, client
):
    assert send(client, envelope(UNINSTALLED)).status_code == 200
    client.force_login(cast.admin)
    page = client.post(
        reverse("chat:slack_disconnect", args=[cast.network.slug]), follow=True
    ).content.decode()
    assert not SlackWorkspace.objects.exists()
    assert slack.calls == []  # no auth.revoke with a token Slack already refused
    assert "Cadre’s token is revoked" in page and "remove the Cadre app" not in page


def test_a_token_refused_for_a_missing_permission_is_still_revoked_on_disconnecting(
    cast, workspace, slack, client
):
    SlackWorkspace.objects.filter(pk=workspace.pk).update(token_refused="missing_scope")
    client.force_login(cast.admin)
    client.post(reverse("chat:slack_disconnect", args=[cast.network.slug]))
    assert not SlackWorkspace.objects.exists()
    assert len(slack.called("auth.revoke")) == 1  # the token still works: it is revoked
