"""Every change to a network's code of conduct and its invitations, whichever door it comes
through. Accepting an invitation (the invited person's side) is in `invitations.py`.

Each function checks who may do it and the rule it states, and raises
`cadre.lib.rules.Refused` with the sentence people see."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cadre.lib.rules import Refused

from . import invitations as invitation_links
from .models import (
    CodeOfConduct,
    CodeOfConductAcceptance,
    Invitation,
    Network,
    NetworkMembership,
    Role,
    Skill,
)
from .policy import Person, can_administer_network, can_manage_network, forget

if TYPE_CHECKING:
    from cadre.accounts.models import User

# --- code of conduct -------------------------------------------------------------------------


def publish_conduct(user: User, network: Network, *, body: str, change_note: str) -> CodeOfConduct:
    """Publish the next version of the network's code of conduct (its organizers). Whoever
    publishes a version has read it: it counts as accepted by them."""
    if not can_manage_network(user, network):
        raise Refused(
            "Only the network’s organizers publish its code of conduct.", kind="forbidden"
        )
    body = body.strip()
    if not body:
        raise Refused("The code of conduct cannot be empty.", field="body")
    with transaction.atomic():
        # Lock the network row so two organizers publishing at once get consecutive versions.
        Network.objects.select_for_update().filter(pk=network.pk).first()
        latest = network.codes_of_conduct.aggregate(v=Max("version"))["v"] or 0
        code = CodeOfConduct.objects.create(
            network=network,
            version=latest + 1,
            body=body,
            change_note=change_note,
            created_by=user,
        )
        CodeOfConductAcceptance.objects.create(code=code, user=user)
    forget(user)
    return code


def accept_conduct(user: User, network: Network, *, version: str | int | None) -> CodeOfConduct:
    """`user` accepts the current code of conduct, the version they read (`version`). Refused
    (conflict) when a newer version was published meanwhile, or when there is none."""
    code = network.current_code_of_conduct()
    if code is None:
        raise Refused(f"{network.name} has no code of conduct to accept.", kind="not_found")
    if str(version) != str(code.version):
        raise Refused(
            "A new version was published while you were reading. Please read it before you accept.",
            kind="conflict",
        )
    CodeOfConductAcceptance.objects.get_or_create(code=code, user=user)
    forget(user)
    return code


# --- invitations -----------------------------------------------------------------------------


def require_invitation_manager(user: Person, network: Network) -> None:
    if not can_manage_network(user, network):
        raise Refused("Only the network’s organizers manage invitations.", kind="forbidden")


def check_invitee(network: Network, email: str) -> str:
    """The address, tidied, if it may be invited to `network` now: not a member yet and
    without an open invitation."""
    email = email.strip().lower()
    if NetworkMembership.objects.filter(network=network, user__email__iexact=email).exists():
        raise Refused(f"{email} is already a member of {network.name}.", field="email")
    still_open = Invitation.objects.pending().filter(
        network=network,
        email__iexact=email,
        created_at__gt=timezone.now() - invitation_links.max_age(),
    )
    if still_open.exists():
        raise Refused(
            f"{email} already has an open invitation. Revoke it below to send a new one.",
            field="email",
        )
    return email


def invite(user: User, network: Network, *, email: str, role: str, message: str) -> Invitation:
    """Invite `email` to `network` in `role` and queue the e-mail (the network's organizers;
    only its admins invite admins)."""
    require_invitation_manager(user, network)
    if role == Role.ADMIN and not can_administer_network(user, network):
        raise Refused("Only the network’s admins invite admins.", field="role", kind="forbidden")
    email = check_invitee(network, email)
    with transaction.atomic():
        invitation = Invitation.objects.create(
            network=network, invited_by=user, email=email, role=role, message=message
        )
        invitation_links.send_invitation(invitation)
    return invitation


def revoke_invitation(user: Person, invitation: Invitation) -> bool:
    """Withdraw an invitation not used yet; False if it was already withdrawn."""
    require_invitation_manager(user, invitation.network)
    if invitation.accepted_at is not None:
        raise Refused(f"{invitation.email} has already accepted this invitation.", kind="conflict")
    if invitation.revoked_at is not None:
        return False
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    return True


# --- skills ----------------------------------------------------------------------------------

NOT_A_SKILL = "Use skill slugs of this network."


def skills_by_slug(network: Network, slugs: Iterable[str], *, field: str = "skills") -> list[Skill]:
    """The network's skills named by `slugs` (how the API names them); refused when one is
    not a skill of the network."""
    wanted = set(slugs)
    found = list(network.skills.filter(slug__in=wanted))
    if len(found) != len(wanted):
        raise Refused(NOT_A_SKILL, field=field)
    return found
