"""Rounds on their cadence. `cadre worker` runs `generate_due_rounds` every quarter of an
hour: a virtual-coffee ritual that has had its first round gets its next one a few days
before it is due (the organizer starts a ritual by generating round 1, once people have
joined), a running cohort's coaching rotation is extended by one round before it runs out,
and each coaching round is announced to its seats the same few days ahead. Paused rituals
and cohorts that are not running are left alone."""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from cadre.cohorts.models import Cohort, CohortStatus
from cadre.delivery.services import Email, queue_many
from cadre.people.languages import in_language_of

from .models import CoachingRound, CoachingSeat, Ritual, cadence_days
from .planning import PlanningProblem, plan_coaching, plan_coffee_round

logger = logging.getLogger(__name__)


def lead() -> timedelta:
    """How far ahead of its date a round is generated and announced."""
    return timedelta(days=settings.CADRE_ROUNDS_LEAD_DAYS)


@dataclass
class Generated:
    coffee_rounds: int = 0
    coaching_rounds: int = 0
    coaching_announced: int = 0


def generate_coffee_rounds(today: date, horizon: date) -> int:
    made = 0
    rituals = Ritual.objects.active().filter(rounds__isnull=False).distinct()
    for ritual in rituals.select_related("network"):
        day = ritual.next_date(today)
        if day > horizon:
            continue
        try:
            plan_coffee_round(ritual, scheduled_for=day)
        except PlanningProblem as problem:
            logger.info("No round for ritual %s on %s: %s", ritual.pk, day, problem)
            continue
        made += 1
    return made


def extend_coaching(today: date, horizon: date) -> int:
    made = 0
    running = Cohort.objects.filter(status=CohortStatus.ACTIVE, coaching_rounds__isnull=False)
    for cohort in running.distinct():
        last = cohort.coaching_rounds.order_by("-number").first()
        if last is None:
            continue
        due = last.starts_on + timedelta(days=cadence_days(cohort.cadence))
        if due > horizon:
            continue
        try:
            plan_coaching(
                cohort,
                rounds=1,
                format=last.format,
                starts_on=max(due, today),
                today=today,
                keep_planned=True,
            )
        except PlanningProblem as problem:
            logger.info("Coaching of cohort %s not extended: %s", cohort.pk, problem)
            continue
        made += 1
    return made


def announce_coaching_round(round: CoachingRound) -> int:
    """Queue round `round`'s e-mail to each of its seats and mark it announced, both or
    neither. Returns how many were queued."""
    cohort = round.cohort
    seats = list(
        CoachingSeat.objects.filter(group__round=round)
        .select_related("user__profile")
        .order_by("group__index", "role")
    )
    groups: dict[int, list[CoachingSeat]] = defaultdict(list)
    for seat in seats:
        groups[seat.group_id].append(seat)
    url = settings.CADRE_SITE_URL.rstrip("/") + reverse(
        "coaching:rotation", args=[cohort.network.slug, cohort.slug]
    )
    emails = []
    for seat in seats:
        with in_language_of(seat.user):
            subject = gettext("[Cadre] %(cohort)s: coaching round %(number)s starts %(day)s") % {
                "cohort": cohort.name,
                "number": round.number,
                "day": date_format(round.starts_on, "j M"),
            }
            body = render_to_string(
                "rotations/email_coaching.txt",
                {
                    "person": seat.user,
                    "seat": seat,
                    "others": [s for s in groups[seat.group_id] if s.pk != seat.pk],
                    "round": round,
                    "cohort": cohort,
                    "url": url,
                },
            )
        emails.append(
            Email(
                key=f"coaching:{round.pk}:{seat.user_id}",
                to=seat.user.email,
                user=seat.user,
                subject=subject,
                body=body,
            )
        )
    with transaction.atomic():
        marked = CoachingRound.objects.filter(pk=round.pk, announced_at__isnull=True).update(
            announced_at=timezone.now()
        )
        return queue_many(emails) if marked else 0


def announce_coaching(today: date, horizon: date) -> int:
    rounds = CoachingRound.objects.filter(
        announced_at__isnull=True,
        starts_on__gte=today,
        starts_on__lte=horizon,
        cohort__status=CohortStatus.ACTIVE,
    ).select_related("cohort__network")
    return sum(announce_coaching_round(r) for r in rounds)


def generate_due_rounds(today: date | None = None) -> Generated:
    """Generate and announce every round due within `lead()` of `today`."""
    today = today or timezone.localdate()
    horizon = today + lead()
    done = Generated(
        coffee_rounds=generate_coffee_rounds(today, horizon),
        coaching_rounds=extend_coaching(today, horizon),
    )
    done.coaching_announced = announce_coaching(today, horizon)
    logger.info("Rounds on their cadence: %s", done)
    return done
