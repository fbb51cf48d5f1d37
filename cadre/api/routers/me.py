"""/me: who I am, my networks, and my profile."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import HttpRequest
from ninja import Router

from cadre.api import errors
from cadre.api.routers import user_of
from cadre.api.schemas import MeOut, ProfileOut, ProfilePatch, SkillRating
from cadre.lib import permissions
from cadre.networks.models import Network, Skill
from cadre.people.models import Profile, ProfileSkill

router = Router(tags=["me"])

PROFILE_FIELDS = (
    "headline",
    "function",
    "industry",
    "organization",
    "seniority",
    "time_zone",
    "availability",
    "learning_goals",
    "bio",
)


@router.get("/me", response={200: MeOut}, summary="Who I am")
def me(request: HttpRequest) -> dict[str, Any]:
    """You, and the networks you belong to with your role in each."""
    user = user_of(request)
    return {
        "id": user.pk,
        "email": user.email,
        "name": user.name,
        "networks": list(permissions.visible_networks(user).order_by("name")),
    }


def _profile_of(user: Any) -> Profile:
    """The person's profile; an unsaved blank one if they have never filled it in."""
    return Profile.objects.filter(user=user).first() or Profile(user=user)


def _profile_out(user: Any, profile: Profile) -> dict[str, Any]:
    ratings = (
        ProfileSkill.objects.filter(
            profile__user=user, skill__network__in=permissions.visible_networks(user)
        )
        .select_related("skill__network")
        .order_by("skill__network__slug", "skill__name")
        if profile.pk
        else []
    )
    return {
        **{name: getattr(profile, name) for name in PROFILE_FIELDS},
        "skills": [
            {
                "network": r.skill.network.slug,
                "skill": r.skill.slug,
                "skill_name": r.skill.name,
                "level": r.level,
            }
            for r in ratings
        ],
    }


@router.get("/me/profile", response={200: ProfileOut}, summary="My profile")
def profile(request: HttpRequest) -> dict[str, Any]:
    user = user_of(request)
    return _profile_out(user, _profile_of(user))


def _resolve_ratings(
    user: Any, ratings: list[SkillRating]
) -> tuple[list[tuple[Skill, int]], dict[str, list[str]]]:
    """Skill ratings -> (skill, level) pairs, or field errors. Only the person's own networks
    count; any other network is "not one of yours", whether it exists or not."""
    mine = {n.slug: n for n in permissions.visible_networks(user)}
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
        network: Network | None = mine.get(rating.network)
        if network is None:
            problems[f"skills.{i}.network"] = [
                f"You are not a member of a network called “{rating.network}”."
            ]
            continue
        skill = skills.get((network.pk, rating.skill))
        if skill is None:
            problems[f"skills.{i}.skill"] = [
                f"{network.name} has no skill called “{rating.skill}”."
            ]
        elif skill.pk in seen:
            problems[f"skills.{i}.skill"] = [f"“{rating.skill}” is rated twice."]
        else:
            seen.add(skill.pk)
            resolved.append((skill, rating.level))
    return resolved, problems


@router.patch("/me/profile", response={200: ProfileOut}, summary="Change my profile")
def update_profile(request: HttpRequest, payload: ProfilePatch) -> dict[str, Any]:
    """Changes only the fields sent. Everything is checked first and nothing is saved unless
    all of it is valid."""
    user = user_of(request)
    profile = _profile_of(user)
    changes = payload.model_dump(exclude_unset=True, exclude={"skills"})
    if isinstance(changes.get("learning_goals"), list):
        changes["learning_goals"] = [goal.strip() for goal in changes["learning_goals"]]
    for name, value in changes.items():
        setattr(profile, name, value)

    problems: dict[str, list[str]] = {}
    try:
        profile.full_clean(exclude=["user"])
    except DjangoValidationError as exc:
        problems.update(errors.invalid_from_django(exc).fields or {})
    ratings: list[tuple[Skill, int]] | None = None
    if payload.skills is not None:
        ratings, rating_problems = _resolve_ratings(user, payload.skills)
        problems.update(rating_problems)
    if problems:
        raise errors.invalid(problems)

    with transaction.atomic():
        profile.save()
        if ratings is not None:
            ProfileSkill.objects.filter(
                profile=profile, skill__network__in=permissions.visible_networks(user)
            ).delete()
            ProfileSkill.objects.bulk_create(
                ProfileSkill(profile=profile, skill=skill, level=level) for skill, level in ratings
            )
    return _profile_out(user, profile)
