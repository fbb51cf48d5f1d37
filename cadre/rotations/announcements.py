"""The e-mail each person gets when a coffee round is generated: who they meet, those
people's time zones, and an hour that suits everyone when their availability overlaps.
Private exclusions are never mentioned."""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext

from cadre.delivery.services import Email, queue_many
from cadre.lib.events import emit
from cadre.people.languages import in_language_of

from .models import CoffeeGroupMember, CoffeeRound
from .planning import common_hour, describe_hour

logger = logging.getLogger(__name__)


def announce_round(round_id: int) -> int:
    """Queue the announcement of round `round_id` to each of its people, and mark the round
    announced, in one transaction; a person queued before is skipped, so a retried task
    queues nothing twice. Returns how many were queued."""
    coffee = CoffeeRound.objects.select_related("ritual__network").filter(pk=round_id).first()
    if coffee is None:
        return 0
    members = list(
        CoffeeGroupMember.objects.filter(group__round=coffee)
        .select_related("user__profile", "group__round__ritual__network")
        .order_by("group__index", "user__name")
    )
    groups: dict[int, list[CoffeeGroupMember]] = defaultdict(list)
    for member in members:
        groups[member.group_id].append(member)
    url = settings.CADRE_SITE_URL.rstrip("/") + coffee.ritual.get_absolute_url()
    with transaction.atomic():
        # The lock and the check keep an undone round (services.undo_coffee_round) silent.
        if (
            not CoffeeRound.objects.select_for_update()
            .filter(pk=coffee.pk, announced_at__isnull=True)
            .exists()
        ):
            return 0
        queued = queue_many(
            _email(coffee, member, groups[member.group_id], url) for member in members
        )
        CoffeeRound.objects.filter(pk=coffee.pk, announced_at__isnull=True).update(
            announced_at=timezone.now()
        )
        emit("coffee.announced", coffee.pk)
    logger.info("Queued the announcement of coffee round %s to %s people", coffee.pk, queued)
    return queued


def _zone(user: Any) -> str:
    profile = getattr(user, "profile", None)
    return profile.time_zone if profile is not None else "UTC"


def _email(
    coffee: CoffeeRound, member: CoffeeGroupMember, group: list[CoffeeGroupMember], url: str
) -> Email:
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
        "room": member.group.room_link,
    }
    names = ", ".join(u.name or u.email for u in others)
    with in_language_of(person):
        subject = gettext("[Cadre] %(ritual)s: your coffee with %(names)s") % {
            "ritual": coffee.ritual.name,
            "names": names,
        }
        body = render_to_string("rotations/email_coffee.txt", context)
    return Email(
        key=f"coffee:{coffee.pk}:{person.pk}",
        to=person.email,
        user=person,
        subject=subject,
        body=body,
    )
