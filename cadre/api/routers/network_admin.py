"""/networks/{slug}/settings, /skills and /invitations: what a network's admins change (its
name, description and skill taxonomy) and what its organizers send (invitations from a
list). Each endpoint calls the service the pages call."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Status

from cadre.api import errors
from cadre.api.routers import user_of
from cadre.api.schemas import (
    Id,
    InvitationListIn,
    InvitationListSendIn,
    InvitationListSentOut,
    InvitationPreviewOut,
    NetworkOut,
    NetworkSettingsIn,
    SkillAdminOut,
    SkillIn,
    SkillMergeIn,
    SkillPatch,
)
from cadre.networks import bulk_invitations, policy, services
from cadre.networks.models import Network, Skill

router = Router(tags=["network admin"])

SKILLS = "/networks/{slug}/skills"


def _admin_network(request: HttpRequest, slug: str) -> Network:
    network = policy.get_network_or_404(user_of(request), slug)
    services.require_network_admin(user_of(request), network)
    return network


def _skill(network: Network, skill: int) -> Skill:
    found = network.skills.filter(pk=skill).first()
    if found is None:
        raise errors.not_found(f"No such skill in {network.name}.")
    return found


@router.put("/networks/{slug}/settings", response={200: NetworkOut}, summary="Change a network")
def update_settings(request: HttpRequest, slug: str, payload: NetworkSettingsIn) -> Network:
    """The network's name and description (its admins). Its slug stays."""
    network = _admin_network(request, slug)
    return services.update_network(user_of(request), network, **payload.model_dump())


@router.get(SKILLS, response={200: list[SkillAdminOut]}, summary="The whole skill taxonomy")
def skills(request: HttpRequest, slug: str) -> QuerySet[Skill]:
    """Every skill, retired ones too (admins)."""
    return _admin_network(request, slug).skills.order_by("category", "name", "pk")


@router.post(SKILLS, response={201: SkillAdminOut}, summary="Add a skill (admins)")
def add_skill(request: HttpRequest, slug: str, payload: SkillIn) -> Status[Skill]:
    network = _admin_network(request, slug)
    return Status(201, services.add_skill(user_of(request), network, **payload.model_dump()))


@router.patch(SKILLS + "/{skill}", response={200: SkillAdminOut}, summary="Change a skill")
def update_skill(request: HttpRequest, slug: str, skill: Id, payload: SkillPatch) -> Skill:
    """Rename it, change its category or description, retire it (`retired: true`) or offer
    it again (`retired: false`); only the fields sent change."""
    network = _admin_network(request, slug)
    found = _skill(network, skill)
    changes = payload.model_dump(exclude_unset=True)
    retired = changes.pop("retired", None)
    user = user_of(request)
    if changes:
        current = {"name": found.name, "category": found.category}
        current["description"] = found.description
        services.edit_skill(user, found, **(current | changes))
    if retired is not None:
        services.retire_skill(user, found, retired=retired)
    return found


@router.post(SKILLS + "/{skill}/merge", response={200: SkillAdminOut}, summary="Merge a skill")
def merge_skill(request: HttpRequest, slug: str, skill: Id, payload: SkillMergeIn) -> Skill:
    """Fold this skill into the one named by `into`, which is returned; this one is gone."""
    network = _admin_network(request, slug)
    drop = _skill(network, skill)
    keep = services.skills_by_slug(network, [payload.into], field="into")[0]
    return services.merge_skills(user_of(request), drop=drop, keep=keep)


def _preview_out(preview: bulk_invitations.Preview) -> dict[str, Any]:
    return {
        group: [vars(entry) for entry in getattr(preview, group)]
        for group in ("new", "member", "pending", "invalid")
    }


def _managed(request: HttpRequest, slug: str) -> Network:
    network = policy.get_network_or_404(user_of(request), slug)
    services.require_invitation_manager(user_of(request), network)
    return network


@router.post(
    "/networks/{slug}/invitations/preview",
    response={200: InvitationPreviewOut},
    summary="Read a list of people to invite (organizers)",
)
def preview_invitations(request: HttpRequest, slug: str, payload: InvitationListIn) -> Any:
    """Sorts the list as sending it would: new, already members, already invited, and lines
    that cannot be used (with their line numbers and why). Sends nothing."""
    network = _managed(request, slug)
    return _preview_out(
        bulk_invitations.read_list(network, text=payload.text, format=payload.format)
    )


@router.post(
    "/networks/{slug}/invitations/bulk",
    response={201: InvitationListSentOut},
    summary="Invite everyone new on a list (organizers)",
)
def send_invitations(request: HttpRequest, slug: str, payload: InvitationListSendIn) -> Any:
    """Invites the list's new people in one go, each e-mailed their own link; the others are
    left out, as the preview shows."""
    network = _managed(request, slug)
    made, preview = bulk_invitations.invite_list(
        user_of(request),
        network,
        text=payload.text,
        format=payload.format,
        role=payload.role,
        message=payload.message,
    )
    return Status(
        201,
        {
            "sent": [
                {"id": i.pk, "email": i.email, "role": i.role, "status": i.status} for i in made
            ],
            "preview": _preview_out(preview),
        },
    )
