"""Slack's door: connecting with OAuth v2 (state checked, token stored encrypted), revoking
on disconnect, every request's signature and timestamp, /cadre opening the modal, the modal
going through the commitment check, progress updates and "Offer help" as the person linked
by a verified e-mail address, and people Cadre does not know refused."""

from __future__ import annotations

import json
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from cadre.accountability.models import Commitment, HelpOffer, ProgressUpdate
from cadre.accountability.services import post_update
from cadre.chat import crypto
from cadre.chat.models import ChannelLink, ChatDelivery, SlackSignature, SlackWorkspace
from cadre.chat.sending import send_due

from .conftest import TOKEN, form, signed

COMMANDS = "/chat/slack/commands/"
INTERACTIVITY = "/chat/slack/interactivity/"


@pytest.fixture(autouse=True)
def fresh_cache():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def workspace(cast, slack) -> SlackWorkspace:
    return SlackWorkspace.objects.create(
        network=cast.network, team_id="T0TEAM", team_name="Northwind", token=crypto.encrypt(TOKEN)
    )


def command(client, text="commit", user="U_MEMBER", **headers):
    body = form(
        {
            "token": "deprecated",
            "team_id": "T0TEAM",
            "team_domain": "northwind",
            "channel_id": "C0ALPHA",
            "user_id": user,
            "user_name": "mo",
            "command": "/cadre",
            "text": text,
            "response_url": "https://hooks.slack.com/commands/T0TEAM/1/abc",
            "trigger_id": "13345224609.738474920.8088930838d88f008e0",
            "api_app_id": "A0APP",
        }
    )
    return client.post(
        COMMANDS,
        body,
        content_type="application/x-www-form-urlencoded",
        **(headers or signed(body)),
    )


def interact(client, payload):
    body = form({"payload": json.dumps(payload)})
    return client.post(
        INTERACTIVITY, body, content_type="application/x-www-form-urlencoded", **signed(body)
    )


def submission(cohort, kind, user="U_MEMBER", **values):
    state = {
        "cohort": {"value": {"type": "static_select", "selected_option": {"value": str(cohort.pk)}}}
    }
    for block, value in values.items():
        if block == "due_on":
            state[block] = {"value": {"type": "datepicker", "selected_date": value}}
        elif block == "keep":
            state[block] = {
                "value": {
                    "type": "checkboxes",
                    "selected_options": [{"value": "keep"}] if value else [],
                }
            }
        else:
            state[block] = {"value": {"type": "plain_text_input", "value": value}}
    return {
        "type": "view_submission",
        "team": {"id": "T0TEAM", "domain": "northwind"},
        "user": {"id": user, "team_id": "T0TEAM"},
        "view": {"id": "V0VIEW", "callback_id": kind, "state": {"values": state}},
    }


# --- connecting ---------------------------------------------------------------------------------


def test_connecting_checks_the_state_and_stores_the_token_encrypted(cast, slack, client):
    client.force_login(cast.admin)
    answer = client.post(reverse("chat:slack_connect", args=[cast.network.slug]))
    assert answer.status_code == 302 and answer["Location"].startswith(
        "https://slack.com/oauth/v2/authorize?"
    )
    query = parse_qs(urlsplit(answer["Location"]).query)
    assert "users:read.email" in query["scope"][0].split(",")
    state = query["state"][0]
    bad = client.get("/chat/slack/oauth/", {"state": state + "x", "code": "good-code"})
    assert bad.status_code == 400 and not SlackWorkspace.objects.exists()
    client.force_login(cast.organizer)  # someone else with the admin's link
    assert (
        client.get("/chat/slack/oauth/", {"state": state, "code": "good-code"}).status_code == 400
    )
    client.force_login(cast.admin)
    done = client.get("/chat/slack/oauth/", {"state": state, "code": "good-code"})
    assert done.status_code == 302
    workspace = SlackWorkspace.objects.get()
    assert (workspace.team_id, workspace.network) == ("T0TEAM", cast.network)
    [access] = slack.called("oauth.v2.access")
    assert access["code"] == "good-code"
    with connection.cursor() as cursor:
        cursor.execute("SELECT token FROM chat_slackworkspace")
        [(raw,)] = cursor.fetchall()
    assert TOKEN not in raw and crypto.decrypt(raw) == TOKEN


def test_connecting_again_clears_a_refused_token(cast, workspace, slack, client):
    SlackWorkspace.objects.filter(pk=workspace.pk).update(token_refused="token_revoked")
    client.force_login(cast.admin)
    answer = client.post(reverse("chat:slack_connect", args=[cast.network.slug]))
    state = parse_qs(urlsplit(answer["Location"]).query)["state"][0]
    assert (
        client.get("/chat/slack/oauth/", {"state": state, "code": "good-code"}).status_code == 302
    )
    workspace.refresh_from_db()
    assert workspace.token_refused == ""


def test_connecting_is_refused_without_an_encryption_key(cast, slack, client, settings):
    settings.CADRE_ENCRYPTION_KEY = ""
    client.force_login(cast.admin)
    answer = client.post(reverse("chat:slack_connect", args=[cast.network.slug]), follow=True)
    assert "CADRE_ENCRYPTION_KEY" in answer.content.decode()
    assert not slack.calls


def test_disconnecting_revokes_the_token_and_forgets_the_channels(cast, workspace, slack, client):
    ChannelLink.objects.create(cohort=cast.cohort, slack_channel_id="C0ALPHA")
    client.force_login(cast.admin)
    client.post(reverse("chat:slack_disconnect", args=[cast.network.slug]))
    assert len(slack.called("auth.revoke")) == 1
    assert slack.calls[0][2] == f"Bearer {TOKEN}"
    assert not SlackWorkspace.objects.exists()
    assert ChannelLink.objects.get().slack_channel_id == ""


def test_the_mapping_page_lists_the_workspaces_channels(cast, workspace, slack, client):
    client.force_login(cast.admin)
    page = client.get(reverse("chat:settings", args=[cast.network.slug])).content.decode()
    assert "#alpha-cohort" in page
    client.post(
        reverse("chat:cohort", args=[cast.network.slug, cast.cohort.slug]),
        {"slack_channel": "C0ALPHA", "teams_url": ""},
    )
    link = ChannelLink.objects.get()
    assert (link.slack_channel_id, link.slack_channel_name) == ("C0ALPHA", "alpha-cohort")


# --- signatures ----------------------------------------------------------------------------------


def test_unsigned_forged_stale_and_replayed_requests_are_refused(cast, workspace, slack, client):
    import time

    assert (
        command(client, HTTP_X_SLACK_REQUEST_TIMESTAMP="1", HTTP_X_SLACK_SIGNATURE="").status_code
        == 401
    )
    body = form({"team_id": "T0TEAM", "user_id": "U_MEMBER", "text": "commit", "trigger_id": "t"})
    forged = signed(body, secret="not-our-secret")
    assert (
        client.post(
            COMMANDS, body, content_type="application/x-www-form-urlencoded", **forged
        ).status_code
        == 401
    )
    stale = signed(body, at=int(time.time()) - 10 * 60)
    assert (
        client.post(
            COMMANDS, body, content_type="application/x-www-form-urlencoded", **stale
        ).status_code
        == 401
    )
    good = signed(body)
    first = client.post(COMMANDS, body, content_type="application/x-www-form-urlencoded", **good)
    again = client.post(COMMANDS, body, content_type="application/x-www-form-urlencoded", **good)
    assert (first.status_code, again.status_code) == (200, 401)
    assert len(slack.called("views.open")) == 1
    assert (
        client.post(
            INTERACTIVITY, "payload=%7B%7D", content_type="application/x-www-form-urlencoded"
        ).status_code
        == 401
    )


def test_a_replay_is_refused_even_by_a_process_whose_cache_never_saw_it(
    cast, workspace, slack, client
):
    from django.core.cache import cache

    body = form({"team_id": "T0TEAM", "user_id": "U_MEMBER", "text": "commit", "trigger_id": "t"})
    good = signed(body)
    first = client.post(COMMANDS, body, content_type="application/x-www-form-urlencoded", **good)
    cache.clear()  # as another web process would have it: its own, empty, local cache
    again = client.post(COMMANDS, body, content_type="application/x-www-form-urlencoded", **good)
    assert (first.status_code, again.status_code) == (200, 401)
    assert SlackSignature.objects.count() == 1
    assert len(slack.called("views.open")) == 1


def test_signatures_are_forgotten_once_too_old_to_be_replayed(cast, workspace, slack, client):
    from cadre.chat.services import KEEP_SIGNATURES, first_sight_of_signature, prune_signatures
    from cadre.worker.tasks import prune_worker_records

    now = timezone.now()
    assert first_sight_of_signature("v0=old", now - KEEP_SIGNATURES - timedelta(seconds=1))
    assert first_sight_of_signature("v0=recent", now - KEEP_SIGNATURES + timedelta(seconds=30))
    assert not first_sight_of_signature("v0=recent", now)
    assert prune_signatures(now) == 1
    assert not first_sight_of_signature("v0=recent", now)  # still kept: still refused
    with time_machine.travel(now + KEEP_SIGNATURES, tick=False):
        prune_worker_records.call()
    assert not SlackSignature.objects.exists()


# --- /cadre and its modal --------------------------------------------------------------------------


def test_the_slash_command_opens_the_commitment_modal(cast, workspace, slack, client):
    assert command(client).status_code == 200
    [opened] = slack.called("views.open")
    assert opened["trigger_id"] == "13345224609.738474920.8088930838d88f008e0"
    view = json.loads(opened["view"]) if isinstance(opened["view"], str) else opened["view"]
    assert view["callback_id"] == "cadre_commitment"
    options = view["blocks"][0]["element"]["options"]
    assert [o["text"]["text"] for o in options] == [cast.cohort.name]


def test_people_cadre_does_not_know_get_a_clear_message(cast, workspace, slack, client):
    answer = command(client, user="U_STRANGER").json()
    assert answer["response_type"] == "ephemeral" and "verified" in answer["text"]
    assert "/cadre commit" in command(client, text="help").json()["text"]
    assert not slack.called("views.open")


def test_a_vague_commitment_comes_back_with_its_problems_and_rewrite_and_saves_nothing(
    cast, workspace, slack, client
):
    due = (cast.cohort.today() + timedelta(days=2)).isoformat()
    answer = interact(
        client,
        submission(cast.cohort, "cadre_commitment", text="work on the prototype", due_on=due),
    ).json()
    assert answer["response_action"] == "errors"
    assert "Suggested rewrite" in answer["errors"]["text"]
    assert not Commitment.objects.exists()
    kept = interact(
        client,
        submission(
            cast.cohort, "cadre_commitment", text="work on the prototype", due_on=due, keep=True
        ),
    ).json()
    assert kept == {"response_action": "clear"}
    assert Commitment.objects.get().kept_anyway


def test_a_good_commitment_is_saved_for_the_linked_person(cast, workspace, slack, client):
    due = (cast.cohort.today() + timedelta(days=2)).isoformat()
    answer = interact(
        client,
        submission(
            cast.cohort, "cadre_commitment", text="Send the runbook to the on-call team", due_on=due
        ),
    ).json()
    assert answer == {"response_action": "clear"}
    made = Commitment.objects.get()
    assert (made.owner, made.cohort, made.due_on.isoformat()) == (cast.member, cast.cohort, due)


def test_no_one_posts_to_a_cohort_they_do_not_take_part_in(cast, workspace, slack, client):
    answer = interact(
        client, submission(cast.other_cohort, "cadre_update", done="Finished the draft")
    ).json()
    assert answer["response_action"] == "errors" and "cohort" in answer["errors"]
    assert not ProgressUpdate.objects.exists()


def test_a_progress_update_from_slack_goes_through_the_service(cast, workspace, slack, client):
    empty = interact(client, submission(cast.cohort, "cadre_update")).json()
    assert empty["response_action"] == "errors"
    answer = interact(
        client,
        submission(cast.cohort, "cadre_update", done="Finished the draft", blocker="No access"),
    ).json()
    assert answer == {"response_action": "clear"}
    update = ProgressUpdate.objects.get()
    assert (update.author, update.done, update.blocker.text) == (
        cast.member,
        "Finished the draft",
        "No access",
    )


def test_offer_help_records_the_offer_and_someone_who_cannot_see_the_blocker_cannot(
    cast, workspace, slack, client, django_capture_on_commit_callbacks
):
    from cadre.accountability.models import Blocker
    from cadre.networks.models import NetworkMembership

    blocker = post_update(cast.host, cast.cohort, blocker="Stuck on the budget").blocker
    assert isinstance(blocker, Blocker)

    def click(user):
        return interact(
            client,
            {
                "type": "block_actions",
                "team": {"id": "T0TEAM"},
                "user": {"id": user, "team_id": "T0TEAM"},
                "response_url": f"{slack.url}/hooks/response",
                "actions": [
                    {"action_id": "offer_help", "value": str(blocker.pk), "type": "button"}
                ],
            },
        )

    assert click("U_OTHER").status_code == 200  # Oscar is in the other cohort
    assert not HelpOffer.objects.exists()
    assert click("U_MEMBER").status_code == 200
    assert HelpOffer.objects.get().helper == cast.member
    assert NetworkMembership.objects.filter(user=cast.member).exists()
    send_due()
    replies = [args["text"] for name, args, _ in slack.calls if name == "response"]
    assert replies[0].startswith("You cannot see this blocker")
    assert replies[1].startswith("Your offer of help is recorded")
    assert ChatDelivery.objects.filter(event_type="slack.reply").count() == 2


@pytest.mark.parametrize(
    "text",
    ["work on the prototype", "I'll try to send the contract to legal", "Be a better listener"],
)
def test_slack_gives_the_boards_verdict_and_rewrite(cast, workspace, slack, client, text):
    from cadre.accountability.services import CommitmentRefused, make_commitment

    due = cast.cohort.today() + timedelta(days=2)
    with pytest.raises(CommitmentRefused) as board:
        make_commitment(cohort=cast.cohort, owner=cast.member, text=text, due_on=due)
    answer = interact(
        client,
        submission(cast.cohort, "cadre_commitment", text=text, due_on=due.isoformat()),
    ).json()
    shown = answer["errors"]["text"]
    for problem in board.value.check.lint.problems:
        assert problem.message in shown
    rewrite = board.value.check.lint.suggestion
    assert (f"Suggested rewrite: “{rewrite}”" in shown) == bool(rewrite)
    assert not Commitment.objects.exists()
