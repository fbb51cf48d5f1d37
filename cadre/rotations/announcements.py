"""The e-mail each person gets when a coffee round is generated: who they meet, those
people's time zones, and an hour that suits everyone when their availability overlaps.
Private exclusions are never mentioned."""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.utils import timezone

from .models import CoffeeGroupMember, CoffeeRound
from .planning import common_hour, describe_hour

logger = logging.getLogger(__name__)


def announce_round(round_id: int) -> int:
    """Send the announcements of round `round_id` not sent yet. Each person's row is claimed
    before their e-mail goes, so a retry never sends it twice; a failed send is released
    for the next try. Returns how many were sent."""
    coffee = CoffeeRound.objects.select_related("ritual__network").filter(pk=round_id).first()
    if coffee is None:
        return 0
    members = list(
        CoffeeGroupMember.objects.filter(group__round=coffee)
        .select_related("user__profile")
        .order_by("group__index", "user__name")
    )
    groups: dict[int, list[CoffeeGroupMember]] = defaultdict(list)
    for member in members:
        groups[member.group_id].append(member)
    url = settings.CADRE_SITE_URL.rstrip("/") + coffee.ritual.get_absolute_url()
    sent = 0
    with get_connection() as connection:
        for member in members:
            if member.announced_at is not None:
                continue
            claimed = CoffeeGroupMember.objects.filter(
                pk=member.pk, announced_at__isnull=True
            ).update(announced_at=timezone.now())
            if not claimed:
                continue
            message = _message(coffee, member, groups[member.group_id], url)
            try:
                connection.send_messages([message])
            except Exception:
                CoffeeGroupMember.objects.filter(pk=member.pk).update(announced_at=None)
                raise
            sent += 1
    if not CoffeeGroupMember.objects.filter(
        group__round=coffee, announced_at__isnull=True
    ).exists():
        CoffeeRound.objects.filter(pk=coffee.pk, announced_at__isnull=True).update(
            announced_at=timezone.now()
        )
    logger.info("Announced coffee round %s to %s people", coffee.pk, sent)
    return sent


def _zone(user: Any) -> str:
    profile = getattr(user, "profile", None)
    return profile.time_zone if profile is not None else "UTC"


def _message(
    coffee: CoffeeRound, member: CoffeeGroupMember, group: list[CoffeeGroupMember], url: str
) -> EmailMessage:
    person = member.user
    others = [m.user for m in group if m.pk != member.pk]
    hour = common_hour([getattr(m.user, "profile", None) for m in group])
    context = {
        "ritual": coffee.ritual,
        "round": coffee,
        "person": person,
        "others": [{"user": u, "time_zone": _zone(u)} for u in others],
        "my_zone": _zone(person),
        "hour_utc": describe_hour(hour) if hour is not None else None,
        "hour_local": describe_hour(hour, _zone(person)) if hour is not None else None,
        "url": url,
    }
    names = ", ".join(u.name or u.email for u in others)
    return EmailMessage(
        subject=f"[Cadre] {coffee.ritual.name}: your coffee with {names}",
        body=render_to_string("rotations/email_coffee.txt", context),
        to=[person.email],
    )
