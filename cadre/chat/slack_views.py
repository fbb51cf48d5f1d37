"""Slack's door into Cadre: the /cadre slash command, the clicks and forms of its
messages and modals, and the events Slack sends (Events API). Every request is checked with
the app's signing secret and its timestamp (five minutes either way, and a signature seen once
is not taken again), then answered within Slack's three seconds.

A Slack user acts as the Cadre person linked by a verified e-mail address
(cadre.chat.people), through the same services and policies as the board's pages: the
commitment check, its problems and rewrite, who may offer help with which blocker. The one
Web API call made while Slack waits is views.open, which must use its trigger_id at once;
everything else Cadre says back is the HTTP answer itself or is queued for the worker."""

from __future__ import annotations

import json
import logging
from datetime import UTC, date, datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from slack_sdk.signature import SignatureVerifier

from cadre.accountability import policy as board
from cadre.accountability import services as accountability
from cadre.accounts.models import User
from cadre.cohorts.models import Cohort
from cadre.lib.rules import Refused

from . import crypto, slackapi
from .models import SlackWorkspace
from .notices import OFFER_HELP
from .people import SlackUnreachable, person_for
from .services import (
    first_sight_of_signature,
    queue_slack_reply,
    slack_token_gone,
    wake_after_commit,
)

logger = logging.getLogger(__name__)

COMMITMENT = "cadre_commitment"
UPDATE = "cadre_update"
USAGE = (
    "Use `/cadre commit` to make a commitment, or `/cadre update` to post a progress update "
    "(what you did, what remains, what blocks you)."
)
NOT_CONNECTED = "This Slack workspace is not connected to Cadre."
UNLINKED = (
    "Cadre does not know you: the e-mail address of your Slack account is not a verified "
    "address of anyone in Cadre. Add it to your Cadre account and confirm it, then try again."
)
NO_COHORT = "You take part in no cohort of this network, so there is nothing to post to."
SLACK_SLOW = "Slack did not say who you are in time; try again in a moment."


def verified(request: HttpRequest) -> bool:
    """The request is Slack's: signed with our signing secret, recent, and not seen before."""
    secret = settings.CADRE_SLACK_SIGNING_SECRET
    timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
    signature = request.headers.get("X-Slack-Signature", "")
    if not secret or not timestamp or not signature:
        return False
    verifier = SignatureVerifier(secret)
    if not verifier.is_valid(body=request.body, timestamp=timestamp, signature=signature):
        return False
    return first_sight_of_signature(signature)


def _refused() -> HttpResponse:
    return HttpResponse(
        "Not a request from Slack.", status=401, content_type="text/plain; charset=utf-8"
    )


def _ephemeral(text: str) -> JsonResponse:
    return JsonResponse({"response_type": "ephemeral", "text": text})


def _workspace(team_id: str) -> SlackWorkspace | None:
    return SlackWorkspace.objects.select_related("network").filter(team_id=team_id).first()


def _cohorts(person: User, workspace: SlackWorkspace) -> list[Cohort]:
    cohorts = Cohort.objects.filter(
        network=workspace.network,
        memberships__user=person,
        memberships__left_on__isnull=True,
    ).order_by("name")
    return [c for c in cohorts if board.can_take_part(person, c)]


def _text(label: str, block: str, *, optional: bool = False, initial: str = "") -> dict[str, Any]:
    element: dict[str, Any] = {"type": "plain_text_input", "action_id": "value", "multiline": True}
    if initial:
        element["initial_value"] = initial
    return {
        "type": "input",
        "block_id": block,
        "optional": optional,
        "label": {"type": "plain_text", "text": label},
        "element": element,
    }


def _plain(text: str) -> dict[str, str]:
    return {"type": "plain_text", "text": text}


def modal(kind: str, cohorts: list[Cohort]) -> dict[str, Any]:
    """The modal of `/cadre commit` (kind COMMITMENT) or `/cadre update` (kind UPDATE)."""
    options = [{"text": _plain(c.name[:75]), "value": str(c.pk)} for c in cohorts]
    select: dict[str, Any] = {"type": "static_select", "action_id": "value", "options": options}
    if len(options) == 1:
        select["initial_option"] = options[0]
    blocks: list[dict[str, Any]] = [
        {"type": "input", "block_id": "cohort", "label": _plain("Cohort"), "element": select}
    ]
    if kind == COMMITMENT:
        title, submit = "Make a commitment", "Commit"
        blocks += [
            _text("What you commit to", "text"),
            {
                "type": "input",
                "block_id": "due_on",
                "optional": True,
                "label": _plain("Due on"),
                "element": {"type": "datepicker", "action_id": "value"},
            },
            {
                "type": "input",
                "block_id": "keep",
                "optional": True,
                "label": _plain("If the check finds problems"),
                "element": {
                    "type": "checkboxes",
                    "action_id": "value",
                    "options": [{"text": _plain("Keep it as I wrote it"), "value": "keep"}],
                },
            },
        ]
    else:
        title, submit = "Post a progress update", "Post"
        blocks += [
            _text("What you did", "done", optional=True),
            _text("What remains", "remaining", optional=True),
            _text("What blocks you", "blocker", optional=True),
        ]
    return {
        "type": "modal",
        "callback_id": kind,
        "title": _plain(title),
        "submit": _plain(submit),
        "close": _plain("Cancel"),
        "blocks": blocks,
    }


@csrf_exempt
@require_POST
def command(request: HttpRequest) -> HttpResponse:
    """`/cadre commit` or `/cadre update`: open the modal for the person who typed it."""
    if not verified(request):
        return _refused()
    workspace = _workspace(request.POST.get("team_id", ""))
    if workspace is None:
        return _ephemeral(NOT_CONNECTED)
    word = request.POST.get("text", "").strip().lower()
    kind = {"commit": COMMITMENT, "commitment": COMMITMENT, "update": UPDATE}.get(word)
    if kind is None:
        return _ephemeral(USAGE)
    try:
        person = person_for(workspace, request.POST.get("user_id", ""))
    except SlackUnreachable:
        return _ephemeral(SLACK_SLOW)
    if person is None:
        return _ephemeral(UNLINKED)
    cohorts = _cohorts(person, workspace)
    if not cohorts:
        return _ephemeral(NO_COHORT)
    try:
        slackapi.client(crypto.decrypt(workspace.token), timeout=slackapi.QUICK_SECONDS).views_open(
            trigger_id=request.POST.get("trigger_id", ""), view=modal(kind, cohorts)
        )
    except Exception as error:
        logger.warning("views.open failed: %s", error)
        return _ephemeral("Slack did not open the form; try again.")
    return HttpResponse(status=200)


def _value(values: dict[str, Any], block: str) -> Any:
    state = (values.get(block) or {}).get("value") or {}
    kind = state.get("type")
    if kind == "static_select":
        return (state.get("selected_option") or {}).get("value", "")
    if kind == "datepicker":
        return state.get("selected_date") or ""
    if kind == "checkboxes":
        return [o.get("value") for o in state.get("selected_options") or []]
    return state.get("value") or ""


def _errors(errors: dict[str, str]) -> JsonResponse:
    return JsonResponse({"response_action": "errors", "errors": errors})


# The board's fields, as the modal's blocks.
BLOCK_OF = {
    accountability.TEXT: "text",
    accountability.DUE_ON: "due_on",
    "body": "done",
    "commitment": "done",
    "blocker": "blocker",
}


def _refusal_errors(refusal: Refused, default: str) -> dict[str, str]:
    if refusal.fields:
        return {
            BLOCK_OF.get(name, default): " ".join(found) for name, found in refusal.fields.items()
        }
    return {default: refusal.message}


def _submission(person: User, workspace: SlackWorkspace, payload: dict[str, Any]) -> HttpResponse:
    view = payload.get("view") or {}
    values = (view.get("state") or {}).get("values") or {}
    kind = view.get("callback_id")
    cohort = next(
        (c for c in _cohorts(person, workspace) if str(c.pk) == _value(values, "cohort")), None
    )
    if cohort is None:
        return _errors({"cohort": accountability.NOT_A_MEMBER})
    if kind == COMMITMENT:
        due = _value(values, "due_on")
        try:
            due_on = date.fromisoformat(due) if due else None
        except ValueError:
            return _errors({"due_on": "Pick a day from the calendar."})
        try:
            accountability.make_commitment(
                cohort=cohort,
                owner=person,
                text=_value(values, "text"),
                due_on=due_on,
                keep_anyway="keep" in _value(values, "keep"),
            )
        except accountability.CommitmentRefused as refusal:
            errors = _refusal_errors(refusal, "text")
            if refusal.needs_keep:
                problems = " ".join(p.message for p in refusal.check.lint.problems)
                rewrite = refusal.check.lint.suggestion
                errors["text"] = problems + (f" Suggested rewrite: “{rewrite}”" if rewrite else "")
            return _errors(errors)
        except Refused as refusal:
            return _errors(_refusal_errors(refusal, "cohort"))
    elif kind == UPDATE:
        try:
            accountability.post_update(
                person,
                cohort,
                done=_value(values, "done"),
                remaining=_value(values, "remaining"),
                blocker=_value(values, "blocker"),
            )
        except Refused as refusal:
            return _errors(_refusal_errors(refusal, "done"))
    else:
        return HttpResponse(status=200)
    return JsonResponse({"response_action": "clear"})


def _offer_help(person: User, workspace: SlackWorkspace, payload: dict[str, Any]) -> HttpResponse:
    action = next(
        (a for a in payload.get("actions") or [] if a.get("action_id") == OFFER_HELP), None
    )
    response_url = payload.get("response_url", "")
    if action is None:
        return HttpResponse(status=200)
    pk = str(action.get("value", ""))
    found = None
    if pk.isdigit():
        from cadre.accountability.models import Blocker

        blocker = (
            Blocker.objects.select_related("update__cohort__network")
            .filter(pk=int(pk), update__cohort__network=workspace.network)
            .first()
        )
        if blocker is not None:
            found = (
                board.visible_blockers(person, blocker.update.cohort).filter(pk=blocker.pk).first()
            )
    if found is None:
        text = "You cannot see this blocker in Cadre, so you cannot offer help with it here."
    else:
        try:
            accountability.offer_help(person, found)
        except Refused as refusal:
            text = refusal.message
        else:
            text = "Your offer of help is recorded; they see it on the board."
    if response_url:
        queue_slack_reply(workspace.network, response_url, text)
        wake_after_commit()
    return HttpResponse(status=200)


@csrf_exempt
@require_POST
def interactivity(request: HttpRequest) -> HttpResponse:
    """A modal submitted (view_submission) or a button clicked (block_actions)."""
    if not verified(request):
        return _refused()
    try:
        payload = json.loads(request.POST.get("payload", ""))
    except ValueError:
        return HttpResponse("No payload.", status=400, content_type="text/plain; charset=utf-8")
    team = (payload.get("team") or {}).get("id") or (payload.get("user") or {}).get("team_id", "")
    workspace = _workspace(team)
    if workspace is None:
        return _ephemeral(NOT_CONNECTED)
    try:
        person = person_for(workspace, (payload.get("user") or {}).get("id", ""))
    except SlackUnreachable:
        person = None
        unlinked = SLACK_SLOW
    else:
        unlinked = UNLINKED
    kind = payload.get("type")
    if person is None:
        if kind == "view_submission":
            return _errors({"cohort": unlinked})
        if payload.get("response_url"):
            queue_slack_reply(workspace.network, payload["response_url"], unlinked)
            wake_after_commit()
        return HttpResponse(status=200)
    if kind == "view_submission":
        return _submission(person, workspace, payload)
    if kind == "block_actions":
        return _offer_help(person, workspace, payload)
    return HttpResponse(status=200)


def _event_time(payload: dict[str, Any]) -> datetime:
    """When the event happened (the envelope's event_time, in seconds); now when it is not
    given."""
    try:
        return datetime.fromtimestamp(int(payload["event_time"]), tz=UTC)
    except (KeyError, TypeError, ValueError, OverflowError, OSError):
        return timezone.now()


@csrf_exempt
@require_POST
def events(request: HttpRequest) -> HttpResponse:
    """Slack's Events API: the check of the Request URL (url_verification, answered with its
    challenge), and `app_uninstalled` or `tokens_revoked`, which leave the network's workspace
    as a refused token does (services.slack_token_gone). Any other event is taken and left
    alone. A 200 at once whatever was done, so that it says nothing of which teams Cadre
    knows, and Slack does not send it again."""
    if not verified(request):
        return _refused()
    try:
        payload = json.loads(request.body)
    except ValueError:
        payload = None
    if not isinstance(payload, dict):
        return HttpResponse("No event.", status=400, content_type="text/plain; charset=utf-8")
    if payload.get("type") == "url_verification":
        return JsonResponse({"challenge": str(payload.get("challenge", ""))})
    event = payload.get("event")
    if payload.get("type") != "event_callback" or not isinstance(event, dict):
        return HttpResponse(status=200)
    kind = event.get("type")
    if kind not in ("app_uninstalled", "tokens_revoked"):
        return HttpResponse(status=200)  # member_joined_channel and the rest: nothing to do
    bot_ids: list[str] | None = None
    if kind == "tokens_revoked":
        tokens = event.get("tokens")
        bots = tokens.get("bot") if isinstance(tokens, dict) else None
        bot_ids = [str(bot) for bot in bots] if isinstance(bots, list) else []
    slack_token_gone(
        team_id=str(payload.get("team_id", "")),
        app_id=str(payload.get("api_app_id", "")),
        happened_at=_event_time(payload),
        bot_ids=bot_ids,
    )
    return HttpResponse(status=200)
