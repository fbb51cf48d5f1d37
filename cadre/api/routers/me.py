"""/me: who I am, my networks, and my profile."""

from typing import Any

from django.http import HttpRequest
from ninja import Router

from cadre.api.routers import user_of
from cadre.api.schemas import MeOut, ProfileOut, ProfilePatch
from cadre.networks.policy import visible_networks
from cadre.people import services
from cadre.people.models import Profile

router = Router(tags=["me"])


@router.get("/me", response={200: MeOut}, summary="Who I am")
def me(request: HttpRequest) -> dict[str, Any]:
    """You, and the networks you belong to with your role in each."""
    user = user_of(request)
    return {
        "id": user.pk,
        "email": user.email,
        "name": user.name,
        "networks": list(visible_networks(user).order_by("name")),
    }


def _profile_out(user: Any, profile: Profile) -> dict[str, Any]:
    ratings = services.ratings_in(user) if profile.pk else []
    return {
        **{name: getattr(profile, name) for name in services.PROFILE_FIELDS},
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
    return _profile_out(user, services.profile_of(user))


@router.patch("/me/profile", response={200: ProfileOut}, summary="Change my profile")
def update_profile(request: HttpRequest, payload: ProfilePatch) -> dict[str, Any]:
    """Changes only the fields sent. Everything is checked first and nothing is saved unless
    all of it is valid."""
    user = user_of(request)
    ratings = (
        [services.Rating(r.network, r.skill, r.level) for r in payload.skills]
        if payload.skills is not None
        else None
    )
    profile = services.update_profile(
        user,
        fields=payload.model_dump(exclude_unset=True, exclude={"skills"}),
        ratings=ratings,
    )
    return _profile_out(user, profile)
