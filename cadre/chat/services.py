"""Every change to a network's chat set-up, and the queueing of notices.

Events come from cadre.lib.events once the transaction that made them commits
(`record_events`): a notice (cadre.chat.notices) per event, queued as one ChatDelivery per
channel of the cohort it is about; the worker posts them (cadre.chat.sending). "A session
starts soon" comes from the worker's periodic `queue_session_notices`. Set-up is for the
network's admins and raises `cadre.lib.rules.Refused` with the sentence people see."""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from slack_sdk.errors import SlackApiError

from cadre.accounts.models import User
from cadre.cohorts.models import Cohort
from cadre.lib.events import Event
from cadre.lib.rules import Refused
from cadre.networks.models import Network
from cadre.networks.policy import Person
from cadre.schedule.models import Session

from . import crypto, notices, slackapi
from .models import (
    NOT_POSTED,
    TOKEN_GONE_CODES,
    Channel,
    ChannelLink,
    ChatDelivery,
    DeliveryStatus,
    SlackSignature,
    SlackWorkspace,
)
from .policy import can_manage_chat
from .sending import NO_WORKSPACE, refuse_token

logger = logging.getLogger(__name__)

ADMINS_ONLY = gettext_noop("Only the network’s admins set up its chat.")
NOT_CONFIGURED = gettext_noop(
    "Slack is not set up on this server: the operator sets CADRE_SLACK_CLIENT_ID, "
    "CADRE_SLACK_CLIENT_SECRET and CADRE_SLACK_SIGNING_SECRET (see docs/slack.md)."
)
BAD_STATE = gettext_noop(
    "This Slack sign-in link is not valid or is older than ten minutes; start again."
)
TEAMS_RULE = gettext_noop(
    "Give the address of a Teams workflow (“When a Teams webhook request is received”), "
    "starting with https:// on logic.azure.com or api.powerplatform.com."
)
TEAMS_HOSTS = (".logic.azure.com", ".api.powerplatform.com")
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
STATE_SALT = "cadre.chat.slack-install"
STATE_MAX_AGE = 600


def require_chat_admin(user: Person, network: Network) -> None:
    if not can_manage_chat(user, network):
        raise Refused(gettext(ADMINS_ONLY), kind="forbidden")


def slack_configured() -> bool:
    return bool(
        settings.CADRE_SLACK_CLIENT_ID
        and settings.CADRE_SLACK_CLIENT_SECRET
        and settings.CADRE_SLACK_SIGNING_SECRET
    )


def redirect_uri() -> str:
    return notices.site_url(reverse("slack:callback"))


# --- connecting and disconnecting Slack -------------------------------------------------------


def slack_install_url(by: User, network: Network) -> str:
    """Where the admin is sent to add Cadre to their workspace: Slack's OAuth v2 page, with a
    signed state naming the network and the admin (checked by `finish_slack_install`)."""
    require_chat_admin(by, network)
    if not slack_configured():
        raise Refused(gettext(NOT_CONFIGURED), kind="conflict")
    if not crypto.has_key():
        raise Refused(gettext(crypto.NO_KEY), kind="conflict")
    state = signing.dumps({"n": network.pk, "u": by.pk}, salt=STATE_SALT)
    query = urlencode(
        {
            "client_id": settings.CADRE_SLACK_CLIENT_ID,
            "scope": ",".join(slackapi.SCOPES),
            "redirect_uri": redirect_uri(),
            "state": state,
        }
    )
    return f"{slackapi.authorize_url()}?{query}"


def network_of_state(by: User, state: str) -> Network:
    try:
        data = signing.loads(state, salt=STATE_SALT, max_age=STATE_MAX_AGE)
    except signing.BadSignature:
        raise Refused(gettext(BAD_STATE)) from None
    network = Network.objects.filter(pk=data.get("n")).first()
    if network is None or data.get("u") != by.pk:
        raise Refused(gettext(BAD_STATE))
    require_chat_admin(by, network)
    return network


def finish_slack_install(by: User, *, state: str, code: str) -> SlackWorkspace:
    """Slack sent the admin back with `code`: exchange it for the bot token (oauth.v2.access)
    and keep the workspace, the token encrypted. A workspace is one network's."""
    network = network_of_state(by, state)
    if not code:
        raise Refused(gettext("Slack did not grant access, so nothing was connected."))
    try:
        answer = slackapi.client().oauth_v2_access(
            client_id=settings.CADRE_SLACK_CLIENT_ID,
            client_secret=settings.CADRE_SLACK_CLIENT_SECRET,
            code=code,
            redirect_uri=redirect_uri(),
        )
    except SlackApiError as error:
        raise Refused(
            gettext("Slack refused the connection (%(reason)s); try again.")
            % {"reason": error.response.get("error", gettext("no reason given"))},
            kind="conflict",
        ) from None
    except Exception as error:
        logger.warning("Slack's oauth.v2.access failed: %s", error)
        raise Refused(
            gettext("Slack could not be reached; try again in a moment."), kind="conflict"
        ) from None
    team = answer.get("team") or {}
    token = answer.get("access_token") or ""
    if not token or not team.get("id"):
        raise Refused(gettext("Slack's answer had no bot token; try again."), kind="conflict")
    taken = SlackWorkspace.objects.filter(team_id=team["id"]).exclude(network=network).exists()
    if taken:
        raise Refused(
            gettext("This Slack workspace is already connected to another network."),
            kind="conflict",
        )
    with transaction.atomic():
        workspace, _ = SlackWorkspace.objects.update_or_create(
            network=network,
            defaults={
                "team_id": team["id"],
                "team_name": team.get("name", ""),
                "bot_user_id": answer.get("bot_user_id", ""),
                "app_id": answer.get("app_id") or "",
                "token": crypto.encrypt(token),
                "scopes": answer.get("scope", ""),
                "installed_by": by,
                "installed_at": timezone.now(),
                "token_refused": "",
            },
        )
    return workspace


@dataclass(frozen=True)
class Disconnected:
    revoked: bool
    dropped: int  # notices to Slack that were waiting and will not be posted


def disconnect_slack(by: Person, network: Network) -> Disconnected:
    """Revoke the bot token at Slack (auth.revoke, unless Slack said it is gone) and forget
    it, with the channels chosen and the people of Slack seen. Forgotten even when Slack cannot
    be reached: the admin is told, and removes the app from the workspace's settings instead."""
    require_chat_admin(by, network)
    workspace = SlackWorkspace.objects.filter(network=network).first()
    if workspace is None:
        raise Refused(gettext(NO_WORKSPACE), kind="conflict")
    # A token Slack refused as gone (a post's token error, or the app removed) is dead already:
    # Slack is not asked again. One that lacks a permission still works, and is revoked.
    revoked = workspace.token_refused in TOKEN_GONE_CODES
    if not revoked:
        try:
            token = crypto.decrypt(workspace.token)
            slackapi.client(token).auth_revoke()
            revoked = True
        except Exception as error:
            logger.warning("Could not revoke the Slack token of %s: %s", network, error)
    with transaction.atomic():
        dropped = _drop_waiting_slack_notices(network.pk)
        ChannelLink.objects.filter(cohort__network=network).update(
            slack_channel_id="", slack_channel_name=""
        )
        workspace.delete()
    return Disconnected(revoked, dropped)


def _drop_waiting_slack_notices(network_id: int) -> int:
    """The notices to Slack not yet posted will not be: marked dropped (shown as "Not posted:
    Slack was disconnected", and "Retry now" queues one again)."""
    return ChatDelivery.objects.filter(
        network_id=network_id,
        channel=Channel.SLACK,
        status__in=(DeliveryStatus.PENDING, DeliveryStatus.SENDING),
    ).update(status=DeliveryStatus.DROPPED, last_error="", claimed_by="")


# The error kept on a workspace whose app was removed or whose bot token was revoked, as Slack
# said by an event: the one chat.postMessage answers with from then on.
TOKEN_GONE = "token_revoked"


def slack_token_gone(
    *,
    team_id: str,
    app_id: str,
    happened_at: datetime,
    bot_ids: Sequence[str] | None = None,
) -> bool:
    """Slack's Events API said the app was removed from the workspace `team_id`
    (app_uninstalled), or that bot tokens were revoked (tokens_revoked, `bot_ids` the bot users
    whose tokens were). The network's workspace is then left as a refused token leaves it
    (sending.refuse_token: its admins' page asks to connect again, and nothing more is sent
    to Slack with the token), and the notices still waiting for Slack are dropped, as a
    disconnect drops them. True when that was done.

    Nothing is done for a team no network connected, an event of another app, a revocation of
    another bot's token, a workspace already marked, or an event from before the workspace was
    last connected (Slack retrying an old event after an admin connected again): so an event
    sent again (X-Slack-Retry-Num) does nothing the first one did not."""
    with transaction.atomic():
        workspace = SlackWorkspace.objects.select_for_update().filter(team_id=team_id).first()
        if workspace is None or workspace.token_refused:
            return False
        if workspace.app_id and app_id != workspace.app_id:
            return False
        if bot_ids is not None and not (
            bot_ids and (not workspace.bot_user_id or workspace.bot_user_id in bot_ids)
        ):
            return False  # users' tokens only (Cadre has none), or another bot's
        if happened_at < workspace.installed_at.replace(microsecond=0):
            return False
        refuse_token(workspace.pk, TOKEN_GONE)
        _drop_waiting_slack_notices(workspace.network_id)
    return True


def slack_channels(network: Network) -> list[tuple[str, str]]:
    """(id, name) of the channels the workspace lets Cadre see, for the mapping page; empty
    when Slack cannot be reached or refused the token (the page then takes a channel id typed
    in)."""
    workspace = SlackWorkspace.objects.filter(network=network).first()
    if workspace is None or workspace.token_refused:
        return []
    try:
        answer = slackapi.client(
            crypto.decrypt(workspace.token), timeout=slackapi.QUICK_SECONDS
        ).conversations_list(
            types="public_channel,private_channel", exclude_archived=True, limit=500
        )
    except Exception as error:
        logger.warning("Could not list the Slack channels of %s: %s", network, error)
        return []
    found: list[dict[str, Any]] = answer.get("channels") or []
    return sorted(((c["id"], c.get("name", c["id"])) for c in found), key=lambda pair: pair[1])


# --- where each cohort's notices go ------------------------------------------------------------


def _teams_url(value: str) -> str:
    value = value.strip()
    if not value:
        return ""
    parts = urlsplit(value)
    host = parts.hostname or ""
    workflow = parts.scheme == "https" and host.endswith(TEAMS_HOSTS)
    local = parts.scheme in ("http", "https") and host in LOCAL_HOSTS
    if len(value) > 1000 or not (workflow or local):
        raise Refused(gettext(TEAMS_RULE), field="teams_url")
    return value


def _channel_id(value: str) -> str:
    value = value.strip().lstrip("#")
    if value and (len(value) > 40 or not value.isalnum() or value[0] not in "CG"):
        raise Refused(
            gettext(
                "Give the Slack channel’s id, such as C0123ABCD (in Slack: the channel’s details, "
                "at the bottom)."
            ),
            field="slack_channel",
        )
    return value


def set_channel(
    by: Person,
    cohort: Cohort,
    *,
    slack_channel: str = "",
    slack_channel_name: str = "",
    teams_url: str = "",
) -> ChannelLink | None:
    """Where `cohort`'s notices go from now on; both empty: nowhere (the link is removed)."""
    require_chat_admin(by, cohort.network)
    channel = _channel_id(slack_channel)
    url = _teams_url(teams_url)
    if channel and not SlackWorkspace.objects.filter(network=cohort.network_id).exists():
        raise Refused(
            gettext("Connect a Slack workspace before choosing channels."), field="slack_channel"
        )
    if not channel and not url:
        ChannelLink.objects.filter(cohort=cohort).delete()
        return None
    link, _ = ChannelLink.objects.update_or_create(
        cohort=cohort,
        defaults={
            "slack_channel_id": channel,
            "slack_channel_name": (slack_channel_name or channel)[:100] if channel else "",
            "teams_url": url,
            "updated_at": timezone.now(),
        },
    )
    return link


def send_test(by: Person, cohort: Cohort) -> int:
    """A test notice to each of the cohort's channels, queued like the others."""
    require_chat_admin(by, cohort.network)
    link = ChannelLink.objects.filter(cohort=cohort).first()
    if link is None:
        raise Refused(gettext("Choose a channel for this cohort first."), kind="conflict")
    with transaction.atomic():
        queued = _queue(notices.test_notice(cohort), link, _has_slack({cohort.network_id}))
        if queued:
            wake_after_commit()
    return queued


def retry_now(by: Person, delivery: ChatDelivery) -> ChatDelivery:
    require_chat_admin(by, delivery.network)
    if delivery.status == DeliveryStatus.DELIVERED:
        raise Refused(
            gettext("This notice was already posted; there is nothing to retry."), kind="conflict"
        )
    with transaction.atomic():
        ChatDelivery.objects.filter(pk=delivery.pk).exclude(status=DeliveryStatus.DELIVERED).update(
            status=DeliveryStatus.PENDING,
            attempts=0,
            next_attempt_at=timezone.now(),
            slack_error="",
            claimed_by="",
        )
        wake_after_commit()
    delivery.refresh_from_db()
    return delivery


# --- queueing notices --------------------------------------------------------------------------


def _has_slack(network_ids: Iterable[int]) -> set[int]:
    return set(
        SlackWorkspace.objects.filter(network_id__in=set(network_ids)).values_list(
            "network_id", flat=True
        )
    )


def _queue(notice: notices.Notice, link: ChannelLink, slack_networks: set[int]) -> int:
    rows = []
    network_id = notice.cohort.network_id
    if link.slack_channel_id and network_id in slack_networks:
        rows.append(
            ChatDelivery(
                network_id=network_id,
                cohort=notice.cohort,
                channel=Channel.SLACK,
                target=link.slack_channel_id,
                event_type=notice.event_type,
                key=f"{notice.key}:slack",
                payload=notices.slack_message(notice),
            )
        )
    if link.teams_url:
        rows.append(
            ChatDelivery(
                network_id=network_id,
                cohort=notice.cohort,
                channel=Channel.TEAMS,
                target=link.teams_url,
                event_type=notice.event_type,
                key=f"{notice.key}:teams",
                payload=notices.teams_message(notice),
            )
        )
    keys = {row.key for row in rows}
    known = set(ChatDelivery.objects.filter(key__in=keys).values_list("key", flat=True))
    fresh = [row for row in rows if row.key not in known]
    ChatDelivery.objects.bulk_create(fresh, ignore_conflicts=True)
    return len(fresh)


def record_events(happened: Sequence[Event]) -> int:
    """Subscribed to cadre.lib.events: queue the notices of the events that have one, to the
    channels of the cohort each is about; returns how many. Nothing is read for a network with
    no channels: one look at the links for all the events of a transaction."""
    wanted = [event for event in happened if event.name in notices.BUILDERS]
    if not wanted or not ChannelLink.objects.exists():
        return 0
    queued = 0
    with transaction.atomic():
        for event in wanted:
            built = notices.BUILDERS[event.name](event.pk)
            links = {
                link.cohort_id: link
                for link in ChannelLink.objects.filter(cohort__in=[n.cohort.pk for n in built])
            }
            slack = _has_slack(n.cohort.network_id for n in built)
            for notice in built:
                link = links.get(notice.cohort.pk)
                if link is not None:
                    queued += _queue(notice, link, slack)
        if queued:
            wake_after_commit()
    return queued


def queue_session_notices(now: datetime | None = None) -> int:
    """ "Starts soon" for each session held within CADRE_CHAT_SESSION_LEAD_HOURS from `now` of
    a cohort with a channel; once per session and channel (the delivery's key)."""
    now = now or timezone.now()
    lead = timedelta(hours=settings.CADRE_CHAT_SESSION_LEAD_HOURS)
    links = {link.cohort_id: link for link in ChannelLink.objects.select_related("cohort")}
    if not links:
        return 0
    sessions = (
        Session.objects.held()
        .filter(starts_at__gt=now, starts_at__lte=now + lead, cohort_id__in=list(links))
        .select_related("cohort__network", "cohort__schedule")
        .order_by("starts_at", "pk")
    )
    queued = 0
    with transaction.atomic():
        slack = _has_slack(link.cohort.network_id for link in links.values())
        for session in sessions:
            queued += _queue(notices.session_soon(session), links[session.cohort_id], slack)
        if queued:
            wake_after_commit()
    return queued


def queue_slack_reply(network: Network, response_url: str, text: str) -> ChatDelivery:
    """A message only the Slack user who clicked sees (posted to Slack's response_url by the
    worker, so the click is answered at once)."""
    return ChatDelivery.objects.create(
        network=network,
        channel=Channel.SLACK,
        target=response_url,
        event_type="slack.reply",
        key=f"slack.reply:{uuid.uuid4().hex}",
        payload={"response_type": "ephemeral", "replace_original": False, "text": text},
    )


# Slack's timestamp may be five minutes off either way; a signature older than this cannot come
# back with a timestamp still taken, so it need not be kept.
KEEP_SIGNATURES = timedelta(minutes=6)


def first_sight_of_signature(signature: str, now: datetime | None = None) -> bool:
    """Record a verified request's signature; False when it was seen before (a replay). The
    row is committed at once, before the request acts, so every web process sees it whatever
    the cache; two processes racing on one signature meet at the unique digest."""
    digest = hashlib.sha256(signature.encode()).hexdigest()
    try:
        with transaction.atomic():
            SlackSignature.objects.create(digest=digest, seen_at=now or timezone.now())
    except IntegrityError:
        return False
    return True


def prune_signatures(now: datetime | None = None) -> int:
    """Forget the signatures too old to be replayed; returns how many."""
    deleted, _ = SlackSignature.objects.stale(now or timezone.now(), KEEP_SIGNATURES).delete()
    return deleted


def failures(network: Network) -> Any:
    return ChatDelivery.objects.filter(network=network).filter(
        Q(status__in=NOT_POSTED) | Q(attempts__gt=0, status=DeliveryStatus.PENDING)
    )


def _wake() -> None:
    from .tasks import send_chat

    try:
        send_chat.enqueue()
    except Exception:
        # The worker's periodic sweep posts them anyway, within a minute.
        logger.exception("Could not wake the worker to post chat notices")


def wake_after_commit() -> None:
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        entry[1] is _wake for entry in getattr(connection, "run_on_commit", [])
    ):
        return
    transaction.on_commit(_wake)
