"""Changing a person's own profile, whichever door it comes through: the profile page or the
API (PATCH /me/profile).

    update_profile(me, name="Mo", fields={"headline": "SRE"}, ratings=[Rating("northwind",
                   "facilitation", 3)])

Everything is checked first and nothing is saved unless all of it is valid; the refusal names
every field that is wrong (`cadre.lib.rules.Refused`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cadre.lib.rules import Refused
from cadre.networks.models import Network, Skill
from cadre.networks.policy import Person, visible_networks

from .models import Profile, ProfileSkill, tidy_goals

if TYPE_CHECKING:
    from cadre.accounts.models import User

NOT_SAVED = gettext_noop("Nothing was saved yet: please correct the marked fields.")

# The profile's own fields a person changes (their name is kept on the user).
PROFILE_FIELDS = (
    "headline",
    "function",
    "industry",
    "organization",
    "seniority",
    "time_zone",
    "language",
    "availability",
    "learning_goals",
    "bio",
)


class Rating(NamedTuple):
    """A self-rating: the network's slug, the skill's slug in it, a level from 0 to 4."""

    network: str
    skill: str
    level: int


def profile_of(user: User) -> Profile:
    """The person's profile; an unsaved blank one if they have never filled it in."""
    return Profile.objects.filter(user=user.pk).first() or Profile(user=user)


def _resolve(
    user: Person, ratings: Sequence[Rating]
) -> tuple[list[tuple[Skill, int]], dict[str, list[str]]]:
    """Ratings -> (skill, level) pairs, or problems by field (`skills.<i>.skill`). Only the
    person's own networks count; any other network is "not one of yours", whether it exists
    or not."""
    mine: dict[str, Network] = {n.slug: n for n in visible_networks(user)}
    skills = {
        (s.network_id, s.slug): s
        for s in Skill.objects.filter(
            network__in=mine.values(), slug__in={r.skill for r in ratings}
        )
    }
    resolved: list[tuple[Skill, int]] = []
    problems: dict[str, list[str]] = {}
    seen: set[int] = set()
    for i, rating in enumerate(ratings):
        network = mine.get(rating.network)
        if network is None:
            problems[f"skills.{i}.network"] = [
                _("You are not a member of a network called “%(network)s”.")
                % {"network": rating.network}
            ]
            continue
        skill = skills.get((network.pk, rating.skill))
        if skill is None:
            problems[f"skills.{i}.skill"] = [
                _("%(network)s has no skill called “%(skill)s”.")
                % {"network": network.name, "skill": rating.skill}
            ]
        elif skill.pk in seen:
            problems[f"skills.{i}.skill"] = [
                _("“%(skill)s” is rated twice.") % {"skill": rating.skill}
            ]
        else:
            seen.add(skill.pk)
            resolved.append((skill, rating.level))
    return resolved, problems


def update_profile(
    user: User,
    *,
    fields: Mapping[str, Any],
    name: str | None = None,
    ratings: Sequence[Rating] | None = None,
) -> Profile:
    """Change the fields of the person's profile named in `fields` (PROFILE_FIELDS), their
    name when given, and, when `ratings` is given, replace their skill ratings in their
    networks with it. Learning goals are tidied (spaces collapsed, repeats dropped)."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not profile fields: {sorted(unknown)}")
    profile = profile_of(user)
    changes = dict(fields)
    if isinstance(changes.get("learning_goals"), list):
        changes["learning_goals"] = tidy_goals(changes["learning_goals"])
    for field, value in changes.items():
        setattr(profile, field, value)

    problems: dict[str, list[str]] = {}
    if name is not None:
        name = name.strip()
        if not name:
            problems["name"] = [_("Please give your name.")]
    try:
        profile.full_clean(exclude=["user"])
    except ValidationError as exc:
        problems.update(
            {
                ("body" if field == "__all__" else field): list(messages)
                for field, messages in exc.message_dict.items()
            }
        )
    resolved: list[tuple[Skill, int]] | None = None
    if ratings is not None:
        resolved, rating_problems = _resolve(user, ratings)
        problems.update(rating_problems)
    if problems:
        raise Refused(_(NOT_SAVED), fields=problems)

    with transaction.atomic():
        if name is not None and name != user.name:
            user.name = name
            user.save(update_fields=["name"])
        profile.save()
        if resolved is not None:
            ProfileSkill.objects.filter(
                profile=profile, skill__network__in=visible_networks(user)
            ).delete()
            ProfileSkill.objects.bulk_create(
                ProfileSkill(profile=profile, skill=skill, level=level) for skill, level in resolved
            )
    return profile


def ratings_in(user: Person) -> Iterable[ProfileSkill]:
    """The person's skill ratings in their networks, by network and skill name."""
    return (
        ProfileSkill.objects.filter(
            profile__user=user.pk, skill__network__in=visible_networks(user)
        )
        .select_related("skill__network")
        .order_by("skill__network__slug", "skill__name")
    )
