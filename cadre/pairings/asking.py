"""Asking "did you meet?": a set time (settings.CADRE_MEETING_CHECK_DAYS, 7 days by default)
after a coffee round's announcement, a mentor match's start and a coaching round's start,
each person of the pairing gets one check and one e-mail with a link that needs no sign-in.

Pairings older than ASK_WITHIN days past their due day are left alone, so turning this on
does not e-mail about the distant past. A check is made once per person and pairing (unique
constraints) and its e-mail once per check (the outbox's key), so a retried or doubled run
asks nobody twice."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext

from cadre.delivery.services import Email, queue_many
from cadre.people.languages import in_language_of
from cadre.rotations.models import CoachingSeat, CoffeeGroupMember
from cadre.schedule.models import MentorMatch

from .models import Kind, MeetingCheck
from .services import link_url

logger = logging.getLogger(__name__)

ASK_WITHIN = timedelta(days=21)


def delay() -> timedelta:
    return timedelta(days=settings.CADRE_MEETING_CHECK_DAYS)


@dataclass
class Asked:
    checks: int = 0
    emails: int = 0


def ask_due(now: datetime | None = None) -> Asked:
    """Make the checks that are due and queue their e-mails; returns how many of each."""
    now = now or timezone.now()
    due, oldest = now - delay(), now - delay() - ASK_WITHIN
    made: list[MeetingCheck] = []
    with transaction.atomic():
        for member in CoffeeGroupMember.objects.filter(
            group__round__announced_at__lte=due, group__round__announced_at__gt=oldest
        ).select_related("group__round__ritual"):
            made += _make(
                kind=Kind.COFFEE,
                network_id=member.group.round.ritual.network_id,
                coffee_group_id=member.group_id,
                user_id=member.user_id,
            )
        for match in MentorMatch.objects.current().filter(
            created_at__lte=due, created_at__gt=oldest
        ):
            for user_id in (match.mentor_id, match.newcomer_id):
                made += _make(
                    kind=Kind.MENTORING,
                    network_id=match.network_id,
                    mentor_match_id=match.pk,
                    user_id=user_id,
                )
        for seat in CoachingSeat.objects.filter(
            group__round__starts_on__lte=timezone.localdate(due),
            group__round__starts_on__gt=timezone.localdate(oldest),
        ).select_related("group__round__cohort"):
            made += _make(
                kind=Kind.COACHING,
                network_id=seat.group.round.cohort.network_id,
                cohort_id=seat.group.round.cohort_id,
                coaching_group_id=seat.group_id,
                user_id=seat.user_id,
            )
        emails = queue_many(_email(check) for check in _with_people(made))
    logger.info("Asked %s people whether they met (%s e-mails)", len(made), emails)
    return Asked(checks=len(made), emails=emails)


def _make(**fields: Any) -> list[MeetingCheck]:
    lookup = {k: v for k, v in fields.items() if k.endswith("group_id") or k == "mentor_match_id"}
    lookup["user_id"] = fields["user_id"]
    if MeetingCheck.objects.filter(**lookup).exists():
        return []
    return [MeetingCheck.objects.create(**fields)]


def _with_people(checks: list[MeetingCheck]) -> list[MeetingCheck]:
    return list(
        MeetingCheck.objects.filter(pk__in=[c.pk for c in checks]).select_related(
            "user",
            "network",
            "coffee_group__round__ritual",
            "mentor_match__mentor",
            "mentor_match__newcomer",
            "coaching_group__round__cohort",
        )
    )


def partners(check: MeetingCheck) -> list[Any]:
    """The other people of the check's pairing."""
    if check.coffee_group is not None:
        return [
            m.user
            for m in check.coffee_group.members.select_related("user")
            if m.user_id != check.user_id
        ]
    if check.coaching_group is not None:
        return [
            s.user
            for s in check.coaching_group.seats.select_related("user")
            if s.user_id != check.user_id
        ]
    match = check.mentor_match
    assert match is not None
    return [match.newcomer if check.user_id == match.mentor_id else match.mentor]


def describe(check: MeetingCheck) -> str:
    """What the pairing was, in a few words ("your coffee in round 3 of Monday coffee")."""
    if check.coffee_group is not None:
        round_ = check.coffee_group.round
        return gettext("your coffee in round %(number)s of %(ritual)s") % {
            "number": round_.number,
            "ritual": round_.ritual.name,
        }
    if check.coaching_group is not None:
        round_c = check.coaching_group.round
        return gettext("coaching round %(number)s of %(cohort)s") % {
            "number": round_c.number,
            "cohort": round_c.cohort.name,
        }
    return gettext("your mentoring in %(network)s") % {"network": check.network.name}


def _email(check: MeetingCheck) -> Email:
    others = partners(check)
    names = ", ".join(str(u) for u in others)
    with in_language_of(check.user):
        body = render_to_string(
            "pairings/email_check.txt",
            {
                "person": check.user,
                "others": names,
                "what": describe(check),
                "url": link_url(check),
                "days": settings.CADRE_MEETING_CHECK_DAYS,
            },
        )
        subject = gettext("[Cadre] Did you meet %(names)s?") % {"names": names}
    return Email(
        key=f"meeting-check:{check.pk}",
        to=check.user.email,
        user=check.user,
        subject=subject,
        body=body,
    )


def waiting_for(user: Any, network: Any, **filters: Any) -> list[dict[str, Any]]:
    """`user`'s checks in `network` still waiting for an answer, with what and who, for the
    in-app prompts (narrowed by `filters`, e.g. to one ritual)."""
    if not user.is_authenticated:
        return []
    checks = (
        MeetingCheck.objects.waiting()
        .filter(network=network, user=user, **filters)
        .select_related(
            "network",
            "coffee_group__round__ritual",
            "mentor_match__mentor",
            "mentor_match__newcomer",
            "coaching_group__round__cohort",
        )
        .order_by("asked_at", "pk")
    )
    return [{"check": c, "what": describe(c), "others": partners(c)} for c in checks]
