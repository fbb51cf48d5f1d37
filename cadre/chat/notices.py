"""What a notice says: one per event, to the channel of the cohort it is about, and only
what every member of that cohort may read in Cadre.

- a session starts soon: its label, cohort, time and meeting link (the session page);
- a report was published: the session it reports on (the report page);
- a blocker was posted: its author and text, with an "Offer help" button in Slack (not for
  a blocker about a private commitment: that is its author's alone, so no notice at all);
- an experiment finished: its owner, title and outcome (never a private one);
- a coffee round was announced: the ritual's name and the round's number, to the cohorts
  whose members are in it (who meets whom stays in the e-mails).

The same Notice is rendered for Slack (text and Block Kit blocks) and for Teams (an Adaptive
Card). Nothing here writes; cadre.chat.services queues what it returns."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from cadre.accountability.models import Blocker, Experiment, Visibility
from cadre.cohorts.models import Cohort, CohortMembership
from cadre.rotations.models import CoffeeGroupMember, CoffeeRound
from cadre.schedule.models import Session, SessionReport

OFFER_HELP = "offer_help"
ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"


@dataclass(frozen=True)
class Notice:
    cohort: Cohort
    event_type: str
    key: str  # what makes it once, with the channel: "blocker.posted:12"
    title: str
    lines: tuple[str, ...] = ()
    url: str = ""
    link_label: str = "Open in Cadre"
    offer_blocker: int | None = None  # a blocker's id: Slack shows "Offer help"
    facts: tuple[tuple[str, str], ...] = field(default=())


def site_url(path: str) -> str:
    return settings.CADRE_SITE_URL.rstrip("/") + path


def _cohort_url(name: str, cohort: Cohort, *extra: Any) -> str:
    return site_url(reverse(name, args=[cohort.network.slug, cohort.slug, *extra]))


def when(cohort: Cohort, moment: datetime) -> str:
    local = timezone.localtime(moment, zoneinfo.ZoneInfo(cohort.time_zone))
    return f"{local:%A %-d %B at %H:%M} ({local.tzname()})"


def session_soon(session: Session) -> Notice:
    cohort = session.cohort
    where = session.where()
    lines = [f"Starts {when(cohort, session.starts_at)}."]
    if where.meeting_url:
        lines.append(f"Join the meeting: {where.meeting_url}")
    if where.place:
        lines.append(f"Place: {where.place}")
    return Notice(
        cohort,
        "session.soon",
        f"session.soon:{session.pk}",
        f"{session.label} of {cohort.name} starts soon",
        tuple(lines),
        where.meeting_url or _cohort_url("schedule:session", cohort, session.pk),
        "Join the meeting" if where.meeting_url else "Open in Cadre",
    )


def report(pk: int) -> list[Notice]:
    found = SessionReport.objects.select_related("session__cohort__network").filter(pk=pk).first()
    if found is None:
        return []
    session = found.session
    cohort = session.cohort
    return [
        Notice(
            cohort,
            "report.published",
            f"report.published:{found.pk}",
            f"The report of {session.label} is published",
            (f"{cohort.name}, {when(cohort, session.starts_at)}.",),
            _cohort_url("schedule:report", cohort, session.pk),
            "Read the report",
        )
    ]


def blocker(pk: int) -> list[Notice]:
    found = (
        Blocker.objects.select_related(
            "update__cohort__network", "update__author", "update__commitment"
        )
        .filter(pk=pk)
        .first()
    )
    if found is None:
        return []
    about = found.update.commitment
    if about is not None and about.visibility == Visibility.PRIVATE:
        return []
    cohort = found.update.cohort
    return [
        Notice(
            cohort,
            "blocker.posted",
            f"blocker.posted:{found.pk}",
            f"{found.update.author.name} is blocked",
            (found.text,),
            _cohort_url("accountability:board", cohort),
            "Open the board",
            offer_blocker=found.pk,
        )
    ]


def experiment(pk: int) -> list[Notice]:
    found = Experiment.objects.select_related("cohort__network", "owner").filter(pk=pk).first()
    if found is None or found.visibility == Visibility.PRIVATE:
        return []
    cohort = found.cohort
    return [
        Notice(
            cohort,
            "experiment.finished",
            f"experiment.finished:{found.pk}:{found.outcome}",
            f"{found.owner.name}’s experiment “{found.title}” finished",
            (f"Outcome: {found.get_outcome_display()}.",),
            _cohort_url("accountability:experiment", cohort, found.pk),
            "Read what they learned",
        )
    ]


def coffee(pk: int) -> list[Notice]:
    found = CoffeeRound.objects.select_related("ritual__network").filter(pk=pk).first()
    if found is None:
        return []
    people = CoffeeGroupMember.objects.filter(group__round=found).values("user_id")
    cohort_ids = (
        CohortMembership.objects.filter(user_id__in=people, left_on__isnull=True)
        .values_list("cohort_id", flat=True)
        .distinct()
    )
    cohorts = Cohort.objects.filter(
        pk__in=cohort_ids, network_id=found.ritual.network_id
    ).select_related("network")
    return [
        Notice(
            cohort,
            "coffee.announced",
            f"coffee.announced:{found.pk}:{cohort.pk}",
            f"Round {found.number} of {found.ritual.name} is out",
            ("Your e-mail says who you meet; so does the round’s page.",),
            site_url(found.get_absolute_url()),
            "See your group",
        )
        for cohort in cohorts.order_by("pk")
    ]


Builder = Callable[[int], "list[Notice]"]
BUILDERS: dict[str, Builder] = {
    "report.published": report,
    "blocker.posted": blocker,
    "experiment.finished": experiment,
    "coffee.announced": coffee,
}


# --- rendering --------------------------------------------------------------------------------


def _fallback(notice: Notice) -> str:
    return " ".join([f"{notice.title}.", *notice.lines])


def slack_message(notice: Notice) -> dict[str, Any]:
    """chat.postMessage's arguments but the channel: the text (shown in notifications) and the
    Block Kit blocks."""
    body = "\n".join([f"*{_escape(notice.title)}*", *(_escape(line) for line in notice.lines)])
    elements: list[dict[str, Any]] = []
    if notice.url:
        elements.append(
            {
                "type": "button",
                "text": {"type": "plain_text", "text": notice.link_label},
                "url": notice.url,
                "action_id": "open",
            }
        )
    if notice.offer_blocker is not None:
        elements.append(
            {
                "type": "button",
                "text": {"type": "plain_text", "text": "Offer help"},
                "style": "primary",
                "action_id": OFFER_HELP,
                "value": str(notice.offer_blocker),
            }
        )
    blocks: list[dict[str, Any]] = [{"type": "section", "text": {"type": "mrkdwn", "text": body}}]
    if elements:
        blocks.append({"type": "actions", "elements": elements})
    return {"text": _fallback(notice), "blocks": blocks}


def _escape(text: str) -> str:
    """Slack's three control characters, so that a member's text cannot mention @channel."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def teams_message(notice: Notice) -> dict[str, Any]:
    """The message a Teams Workflows "post to a channel when a webhook request is received"
    flow takes: one Adaptive Card attachment."""
    body: list[dict[str, Any]] = [
        {
            "type": "TextBlock",
            "text": notice.title,
            "weight": "Bolder",
            "size": "Medium",
            "wrap": True,
        }
    ]
    body += [{"type": "TextBlock", "text": line, "wrap": True} for line in notice.lines]
    card: dict[str, Any] = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": body,
    }
    if notice.url:
        card["actions"] = [
            {"type": "Action.OpenUrl", "title": notice.link_label, "url": notice.url}
        ]
    return {
        "type": "message",
        "attachments": [{"contentType": ADAPTIVE_CARD, "contentUrl": None, "content": card}],
    }


def test_notice(cohort: Cohort) -> Notice:
    return Notice(
        cohort,
        "chat.test",
        f"chat.test:{cohort.pk}:{timezone.now().timestamp()}",
        f"Cadre is connected to this channel for {cohort.name}",
        ("A test message, sent from the network’s chat settings.",),
        _cohort_url("cohorts:detail", cohort),
    )
