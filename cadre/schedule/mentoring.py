"""Mentors for the network's newcomers: who counts as a newcomer and as a mentor, their
skills as the engine's plain inputs (cadre.engine.rotation.match_mentors), and confirming a
match with an e-mail to both people.

Newcomers are members (role member) who joined within the last `days` days and have no
current mentor. Mentors are the network's mentors who accept newcomers; a mentor's free
places are their capacity minus their current mentees."""

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cadre.delivery.services import Email, queue_many
from cadre.lib.rules import Refused
from cadre.networks.models import Network, NetworkMembership, Role, Skill
from cadre.people.languages import in_language_of
from cadre.people.models import ProfileSkill

from .models import MentorMatch, MentorSettings

logger = logging.getLogger(__name__)

DEFAULT_NEWCOMER_DAYS = 60


def matched(match: MentorMatch) -> str:
    """What the person who confirmed or changed a match is told once it is made."""
    return _("%(mentor)s now mentors %(newcomer)s; both have been e-mailed.") % {
        "mentor": match.mentor,
        "newcomer": match.newcomer,
    }


class MatchProblem(Refused):
    """A match that cannot be made; `field` names the input it is about."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, field=field)


@dataclass
class MentorLoad:
    user: Any
    settings: MentorSettings
    current: int
    proposed: int = 0

    @property
    def free(self) -> int:
        if not self.settings.accepting:
            return 0
        return max(0, self.settings.capacity - self.current)


@dataclass
class Proposal:
    newcomer: Any
    mentor: Any
    score: float
    explanation: str


@dataclass
class Proposals:
    matches: list[Proposal] = field(default_factory=list)
    unmatched: list[Any] = field(default_factory=list)
    loads: list[MentorLoad] = field(default_factory=list)
    message: str = ""
    status: str = ""


def mentor_loads(network: Network) -> list[MentorLoad]:
    """Every mentor of the network with their settings and current number of mentees."""
    memberships = list(
        NetworkMembership.objects.filter(network=network, role=Role.MENTOR)
        .select_related("user", "mentor_settings")
        .order_by("user__name", "pk")
    )
    current: dict[int, int] = {}
    for mentor_id in (
        MentorMatch.objects.current().filter(network=network).values_list("mentor_id", flat=True)
    ):
        current[mentor_id] = current.get(mentor_id, 0) + 1
    loads = []
    for m in memberships:
        found = getattr(m, "mentor_settings", None)
        loads.append(
            MentorLoad(
                user=m.user,
                settings=found if found is not None else MentorSettings(membership=m),
                current=current.get(m.user_id, 0),
            )
        )
    return loads


def newcomers(network: Network, days: int = DEFAULT_NEWCOMER_DAYS) -> list[Any]:
    since = timezone.now() - timedelta(days=days)
    matched = MentorMatch.objects.current().filter(network=network).values("newcomer_id")
    return [
        m.user
        for m in NetworkMembership.objects.filter(
            network=network, role=Role.MEMBER, joined_at__gte=since
        )
        .exclude(user_id__in=matched)
        .select_related("user__profile")
        .order_by("joined_at", "pk")
    ]


def _skills(network: Network, user_ids: list[int]) -> dict[int, dict[str, int]]:
    levels: dict[int, dict[str, int]] = {pk: {} for pk in user_ids}
    for user_id, slug, level in ProfileSkill.objects.filter(
        skill__network=network, profile__user_id__in=user_ids
    ).values_list("profile__user_id", "skill__slug", "level"):
        levels[user_id][slug] = level
    return levels


def wanted_skills(goals: list[str], skills: dict[str, str]) -> list[str]:
    """Learning goals that name one of the network's skills (by name or slug) -> slugs.
    `skills` maps slug -> name."""
    by_key = {slug: slug for slug in skills} | {name.lower(): slug for slug, name in skills.items()}
    found = []
    for goal in goals:
        slug = by_key.get(goal.strip().lower()) or by_key.get(slugify(goal))
        if slug and slug not in found:
            found.append(slug)
    return found


def propose(network: Network, days: int = DEFAULT_NEWCOMER_DAYS) -> Proposals:
    """The best mentor for each newcomer within the mentors' free places, solved exactly by
    the engine, with its explanation per match."""
    from cadre.engine.rotation import match_mentors

    loads = mentor_loads(network)
    people = newcomers(network, days)
    result = Proposals(loads=loads)
    open_loads = [load for load in loads if load.free > 0]
    if not people:
        result.message = _("No newcomers without a mentor.")
        return result
    if not open_loads:
        result.unmatched = people
        result.message = _("No mentor has a free place; raise a capacity or ask a mentor.")
        return result
    # The engine explains each match with the keys it is given, so the keys are people's
    # names and skills' names (an e-mail address tells two people of the same name apart).
    skill_names = dict(Skill.objects.filter(network=network).values_list("slug", "name"))
    everyone = [*people, *(m.user for m in open_loads)]
    levels = _skills(network, [u.pk for u in everyone])
    names = [str(u) for u in everyone]
    key_of = {u.pk: (str(u) if names.count(str(u)) == 1 else f"{u} <{u.email}>") for u in everyone}
    by_key = {key_of[u.pk]: u for u in everyone}

    def named(user_id: int) -> dict[str, int]:
        return {skill_names.get(slug, slug): level for slug, level in levels[user_id].items()}

    wanted = {}
    for p in people:
        goals = list(getattr(getattr(p, "profile", None), "learning_goals", None) or [])
        slugs = wanted_skills(goals, skill_names)
        if slugs:
            wanted[key_of[p.pk]] = [skill_names[slug] for slug in slugs]
    answer = match_mentors(
        {key_of[p.pk]: named(p.pk) for p in people},
        {key_of[m.user.pk]: named(m.user.pk) for m in open_loads},
        {key_of[m.user.pk]: m.free for m in open_loads},
        wanted=wanted,
    )
    load_of = {key_of[m.user.pk]: m for m in open_loads}
    for match in answer.matches:
        result.matches.append(
            Proposal(
                newcomer=by_key[match.newcomer],
                mentor=by_key[match.mentor],
                score=float(match.score),
                explanation=str(match.explanation),
            )
        )
        load_of[match.mentor].proposed += 1
    result.unmatched = [by_key[key] for key in answer.unmatched if key in by_key]
    result.message = str(answer.message or "")
    result.status = str(answer.status)
    return result


def confirm(
    network: Network, mentor_id: int, newcomer_id: int, by: Any, explanation: str = ""
) -> MentorMatch:
    """Record the match and e-mail both people. Raises MatchProblem when the mentor is not a
    mentor with a free place or the newcomer is not a member without a mentor."""
    mentor = next((m for m in mentor_loads(network) if m.user.pk == mentor_id), None)
    if mentor is None:
        raise MatchProblem("mentor", "Pick one of the network's mentors.")
    if mentor.free <= 0:
        raise MatchProblem(
            "mentor", f"{mentor.user} has no free place (capacity {mentor.settings.capacity})."
        )
    membership = (
        NetworkMembership.objects.filter(network=network, user_id=newcomer_id, role=Role.MEMBER)
        .select_related("user")
        .first()
    )
    if membership is None:
        raise MatchProblem("newcomer", "Pick a member of the network.")
    if MentorMatch.objects.current().filter(network=network, newcomer_id=newcomer_id).exists():
        raise MatchProblem("newcomer", f"{membership.user} already has a mentor.")
    try:
        with transaction.atomic():
            match = MentorMatch.objects.create(
                network=network,
                mentor=mentor.user,
                newcomer=membership.user,
                explanation=explanation[:2000],
                confirmed_by=by,
            )
            queue_match_emails(match)
    except IntegrityError:
        raise MatchProblem("newcomer", f"{membership.user} already has a mentor.") from None
    return match


def queue_match_emails(match: MentorMatch) -> int:
    """Queue one e-mail to the mentor and one to the newcomer; call it in the transaction
    that records the match."""
    url = settings.CADRE_SITE_URL.rstrip("/") + reverse("mentors:mine", args=[match.network.slug])
    emails = []
    for person, other, as_mentor in (
        (match.mentor, match.newcomer, True),
        (match.newcomer, match.mentor, False),
    ):
        context = {
            "match": match,
            "person": person,
            "other": other,
            "as_mentor": as_mentor,
            "url": url,
        }
        with in_language_of(person):
            subject = (
                _("[Cadre] You are mentoring %(other)s") % {"other": other}
                if as_mentor
                else _("[Cadre] Your mentor in %(network)s: %(other)s")
                % {"network": match.network.name, "other": other}
            )
            body = render_to_string("schedule/email_mentor_match.txt", context)
        emails.append(
            Email(
                key=f"mentor-match:{match.pk}:{person.pk}",
                to=person.email,
                user=person,
                subject=subject,
                body=body,
            )
        )
    return queue_many(emails)
