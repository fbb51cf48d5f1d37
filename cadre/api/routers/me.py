"""/me: who I am, my networks, and my profile."""

from typing import Any

from django.http import HttpRequest
from ninja import File, Router, Status
from ninja.files import UploadedFile

from cadre.api.routers import user_of
from cadre.api.schemas import AvatarOut, MeOut, ProfileOut, ProfilePatch
from cadre.networks.policy import visible_networks
from cadre.people import avatars, services
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
        "avatar_url": _absolute(request, avatars.avatar_url(user)),
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


def _absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path) if path else ""


@router.post("/me/avatar", response={200: AvatarOut}, summary="Upload my picture")
def upload_avatar(request: HttpRequest, avatar: File[UploadedFile]) -> dict[str, str]:
    """A JPEG, PNG or WebP image up to 5 MB, sent as multipart form data in the field
    `avatar`. It is cropped to a square, resized, and stored without its metadata."""
    user = user_of(request)
    profile = avatars.set_avatar(user, avatar, size=avatar.size)
    return {"avatar_url": _absolute(request, avatars.avatar_url(profile.user))}


@router.delete("/me/avatar", response={204: None}, summary="Remove my picture")
def delete_avatar(request: HttpRequest) -> Status[None]:
    """Your initials show again. Removing a picture you do not have is not an error."""
    avatars.remove_avatar(user_of(request))
    return Status(204, None)
