"""Invitation links: a signed, expiring token over the invitation's nonce, the e-mail that
carries it, and accepting it (once) into a network membership.

The token is a `TimestampSigner` signature of the invitation's random nonce, so a link cannot
be forged or guessed, proves when it was made, and says nothing about the network or the
person. Whether it may still be used (not accepted, not revoked) is read from the database.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cadre.delivery.services import Email, queue
from cadre.networks import policy
from cadre.networks.models import Invitation, NetworkMembership
from cadre.people.languages import in_language_of, is_offered, saved_language
from cadre.people.models import Profile

SALT = "cadre.invitation"


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SALT)


def max_age() -> timedelta:
    return timedelta(days=settings.CADRE_INVITATION_MAX_AGE_DAYS)


def make_token(invitation: Invitation) -> str:
    return _signer().sign(invitation.nonce)


def accept_url(invitation: Invitation) -> str:
    """The absolute link that goes into the e-mail."""
    path = reverse("invitations:accept", args=[make_token(invitation)])
    return settings.CADRE_SITE_URL.rstrip("/") + path


class InvitationProblem(Exception):
    """Why a link cannot be used, worded for the person who followed it (in the language of the
    page, active when it is raised), with the HTTP status the page answers with."""

    def __init__(self, title: str, detail: str, status: int) -> None:
        super().__init__(title)
        self.title = title
        self.detail = detail
        self.status = status


def _invalid() -> InvitationProblem:
    return InvitationProblem(
        _("This invitation link is not valid"),
        _(
            "The link may have been copied incompletely. Open it again from the e-mail, or ask "
            "the organizer who invited you for a new one."
        ),
        400,
    )


def verify_token(token: str) -> Invitation:
    """The invitation behind `token`, or `InvitationProblem` if the link is forged, expired,
    already used or revoked."""
    try:
        nonce = _signer().unsign(token, max_age=max_age())
    except signing.SignatureExpired as exc:
        raise _expired() from exc
    except signing.BadSignature as exc:
        raise _invalid() from exc
    invitation = Invitation.objects.select_related("network").filter(nonce=nonce).first()
    if invitation is None:
        raise _invalid()
    check_usable(invitation)
    return invitation


def _expired() -> InvitationProblem:
    return InvitationProblem(
        _("This invitation has expired"),
        _(
            "Invitations can be used for %(days)d days. Ask the organizer who invited you to "
            "send a new one."
        )
        % {"days": settings.CADRE_INVITATION_MAX_AGE_DAYS},
        410,
    )


def check_usable(invitation: Invitation) -> None:
    if invitation.accepted_at is not None:
        raise InvitationProblem(
            _("This invitation has already been used"),
            _("Each invitation link works once. If you accepted it, sign in to continue."),
            410,
        )
    if invitation.revoked_at is not None:
        raise InvitationProblem(
            _("This invitation was withdrawn"),
            _("The organizer withdrew this invitation. Ask them if you think that is a mistake."),
            410,
        )
    if timezone.now() >= invitation.expires_at:
        raise _expired()


def _reader(invitation: Invitation) -> Any:
    """Whom the invitation e-mail is written for: the account that already has the address,
    if its owner chose a language, else the organizer who invites (the person invited has
    no account yet, and their message is likely in the organizer's language)."""
    account = get_user_model().objects.filter(email__iexact=invitation.email).first()
    if account is not None and is_offered(saved_language(account)):
        return account
    return invitation.invited_by


def send_invitation(invitation: Invitation) -> None:
    """Queue the invitation e-mail (plain text, so nothing the organizer typed is rendered as
    markup), in the language of `_reader`; call it in the transaction that saves the
    invitation."""
    with in_language_of(_reader(invitation)):
        subject, body = _email(invitation)
    queue(Email(key=f"invitation:{invitation.pk}", to=invitation.email, subject=subject, body=body))


def _email(invitation: Invitation) -> tuple[str, str]:
    network = invitation.network.name
    role = invitation.role_in_a_sentence
    if invitation.invited_by:
        invites = _("%(inviter)s invites you to join %(network)s on Cadre as %(role)s.") % {
            "inviter": invitation.invited_by.get_full_name(),
            "network": network,
            "role": role,
        }
    else:
        invites = _("An organizer invites you to join %(network)s on Cadre as %(role)s.") % {
            "network": network,
            "role": role,
        }
    lines = [invites, ""]
    if invitation.message.strip():
        lines += [_("Their message:"), "", invitation.message.strip(), ""]
    expires = date_format(invitation.expires_at, pgettext("invitation date", "d F Y"))
    lines += [
        _("Accept the invitation here:"),
        accept_url(invitation),
        "",
        _("The link works once and expires on %(date)s.") % {"date": expires},
        _("If you did not expect this e-mail, you can ignore it."),
    ]
    subject = _("[Cadre] Join %(network)s") % {"network": network}
    return subject, "\n".join(lines)


def accept(invitation: Invitation, user: Any) -> NetworkMembership:
    """Make `user` a member of the invitation's network and use the invitation up. Runs in one
    transaction with the invitation locked, so two clicks cannot both use it; raises
    `InvitationProblem` if it was used or revoked meanwhile."""
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        check_usable(locked)
        membership, _created = NetworkMembership.objects.get_or_create(
            network_id=locked.network_id, user=user, defaults={"role": locked.role}
        )
        Profile.objects.get_or_create(user=user)
        locked.accepted_at = timezone.now()
        locked.accepted_by = user
        locked.save(update_fields=["accepted_at", "accepted_by"])
    policy.forget(user)
    return membership
