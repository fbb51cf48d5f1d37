"""Every change to a network's code of conduct and its invitations, whichever door it comes
through. Accepting an invitation (the invited person's side) is in `invitations.py`.

Each function checks who may do it and the rule it states, and raises
`cadre.lib.rules.Refused` with the sentence people see."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.db.models import Max
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext, gettext_noop

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
            gettext("Only the network’s organizers publish its code of conduct."), kind="forbidden"
        )
    body = body.strip()
    if not body:
        raise Refused(gettext("The code of conduct cannot be empty."), field="body")
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
        raise Refused(
            gettext("%(network)s has no code of conduct to accept.") % {"network": network.name},
            kind="not_found",
        )
    if str(version) != str(code.version):
        raise Refused(
            gettext(
                "A new version was published while you were reading. Please read it before you "
                "accept."
            ),
            kind="conflict",
        )
    CodeOfConductAcceptance.objects.get_or_create(code=code, user=user)
    forget(user)
    return code


# --- invitations -----------------------------------------------------------------------------


def require_invitation_manager(user: Person, network: Network) -> None:
    if not can_manage_network(user, network):
        raise Refused(
            gettext("Only the network’s organizers manage invitations."), kind="forbidden"
        )


def invitee_standing(network: Network, emails: Iterable[str]) -> dict[str, str]:
    """For each address (lower case): "member" when it belongs to someone in `network`,
    "pending" when it has an open invitation, else "new". One rule for one address and for
    a whole list."""
    wanted = {email.strip().lower() for email in emails}
    members = set(
        NetworkMembership.objects.filter(network=network)
        .annotate(address=Lower("user__email"))
        .filter(address__in=wanted)
        .values_list("address", flat=True)
    )
    invited = set(
        Invitation.objects.pending()
        .filter(network=network, created_at__gt=timezone.now() - invitation_links.max_age())
        .annotate(address=Lower("email"))
        .filter(address__in=wanted)
        .values_list("address", flat=True)
    )
    return {
        email: "member" if email in members else "pending" if email in invited else "new"
        for email in wanted
    }


def check_invitee(network: Network, email: str) -> str:
    """The address, tidied, if it may be invited to `network` now: not a member yet and
    without an open invitation."""
    email = email.strip().lower()
    standing = invitee_standing(network, [email])[email]
    if standing == "member":
        raise Refused(
            gettext("%(email)s is already a member of %(network)s.")
            % {"email": email, "network": network.name},
            field="email",
        )
    if standing == "pending":
        raise Refused(
            gettext("%(email)s already has an open invitation. Revoke it below to send a new one.")
            % {"email": email},
            field="email",
        )
    return email


def check_role(user: Person, network: Network, role: str) -> None:
    """`role` is one a network has, and `user` may invite people in it (only admins invite
    admins)."""
    if role not in Role.values:
        raise Refused(
            gettext("“%(role)s” is not a role in a network.") % {"role": role}, field="role"
        )
    if role == Role.ADMIN and not can_administer_network(user, network):
        raise Refused(
            gettext("Only the network’s admins invite admins."), field="role", kind="forbidden"
        )


def invite(user: User, network: Network, *, email: str, role: str, message: str) -> Invitation:
    """Invite `email` to `network` in `role` and queue the e-mail (the network's organizers;
    only its admins invite admins)."""
    require_invitation_manager(user, network)
    check_role(user, network, role)
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
        raise Refused(
            gettext("%(email)s has already accepted this invitation.")
            % {"email": invitation.email},
            kind="conflict",
        )
    if invitation.revoked_at is not None:
        return False
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    return True


# --- skills ----------------------------------------------------------------------------------

NOT_A_SKILL = gettext_noop("Use skill slugs of this network.")


def skills_by_slug(network: Network, slugs: Iterable[str], *, field: str = "skills") -> list[Skill]:
    """The network's skills named by `slugs` (how the API names them); refused when one is
    not a skill of the network."""
    wanted = set(slugs)
    found = list(network.skills.filter(slug__in=wanted))
    if len(found) != len(wanted):
        raise Refused(gettext(NOT_A_SKILL), field=field)
    return found


# --- the network's settings and skill taxonomy (its admins) ----------------------------------

ADMINS_ONLY = gettext_noop("Only the network’s admins change its settings and skill taxonomy.")


def require_network_admin(user: Person, network: Network) -> None:
    if not can_administer_network(user, network):
        raise Refused(gettext(ADMINS_ONLY), kind="forbidden")


# What a text field's refusals say, by field: (when it is empty, for a field that must not
# be; when it is too long). Whole sentences, so each language words them its own way.
_TEXT_RULES: dict[str, tuple[str | None, str]] = {
    "network.name": (
        gettext_noop("The name cannot be empty."),
        gettext_noop("The name is at most %(most)d characters."),
    ),
    "network.description": (None, gettext_noop("The description is at most %(most)d characters.")),
    "skill.name": (
        gettext_noop("A skill’s name cannot be empty."),
        gettext_noop("A skill’s name is at most %(most)d characters."),
    ),
    "skill.category": (None, gettext_noop("A category is at most %(most)d characters.")),
    "skill.description": (
        None,
        gettext_noop("A skill’s description is at most %(most)d characters."),
    ),
}


def _text(value: str, *, field: str, rule: str, max_length: int) -> str:
    value = value.strip()
    empty, too_long = _TEXT_RULES[rule]
    if empty is not None and not value:
        raise Refused(gettext(empty), field=field)
    if len(value) > max_length:
        raise Refused(gettext(too_long) % {"most": max_length}, field=field)
    return value


def update_network(user: Person, network: Network, *, name: str, description: str) -> Network:
    """Rename the network and change its description (its admins). Its address (slug) stays,
    so links people keep still work."""
    require_network_admin(user, network)
    network.name = _text(name, field="name", rule="network.name", max_length=120)
    network.description = _text(
        description, field="description", rule="network.description", max_length=5000
    )
    network.save(update_fields=["name", "description"])
    return network


def _skill_fields(
    network: Network, *, name: str, category: str, description: str, skill: Skill | None = None
) -> dict[str, str]:
    fields = {
        "name": _text(name, field="name", rule="skill.name", max_length=80),
        "category": _text(category, field="category", rule="skill.category", max_length=80),
        "description": _text(
            description, field="description", rule="skill.description", max_length=2000
        ),
    }
    others = network.skills.exclude(pk=skill.pk) if skill else network.skills.all()
    if others.filter(name__iexact=fields["name"]).exists():
        raise Refused(
            gettext("%(network)s already has a skill called “%(skill)s”.")
            % {"network": network.name, "skill": fields["name"]},
            field="name",
        )
    return fields


def add_skill(
    user: Person, network: Network, *, name: str, category: str = "", description: str = ""
) -> Skill:
    """Add a skill to the network's taxonomy (its admins). Its slug, how the API names it, is
    made from its name once and never changes."""
    require_network_admin(user, network)
    fields = _skill_fields(network, name=name, category=category, description=description)
    base = slugify(fields["name"])[:70] or "skill"
    slug, n = base, 1
    while network.skills.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return Skill.objects.create(network=network, slug=slug, **fields)


def edit_skill(
    user: Person, skill: Skill, *, name: str, category: str = "", description: str = ""
) -> Skill:
    """Rename a skill, or change its category or description (its network's admins). Ratings,
    targets and everything else that names it follow, since they point at the same row."""
    require_network_admin(user, skill.network)
    fields = _skill_fields(
        skill.network, name=name, category=category, description=description, skill=skill
    )
    for attr, value in fields.items():
        setattr(skill, attr, value)
    skill.save(update_fields=list(fields))
    return skill


def retire_skill(user: Person, skill: Skill, *, retired: bool = True) -> Skill:
    """Retire a skill (no longer offered in pickers; what people said about it stays), or
    bring it back with `retired=False`."""
    require_network_admin(user, skill.network)
    if retired and skill.retired_at is None:
        skill.retired_at = timezone.now()
    elif not retired:
        skill.retired_at = None
    skill.save(update_fields=["retired_at"])
    return skill


MERGE_ITSELF = gettext_noop(
    "Choose another skill to merge into: a skill cannot be merged into itself."
)


def merge_skills(user: Person, *, drop: Skill, keep: Skill) -> Skill:
    """Fold `drop` into `keep` (the same network's, its admins) in one transaction: every
    rating, target, assessment, tag and link to `drop` moves to `keep`, then `drop` is
    deleted. Where someone already has a row for `keep` (a rating, say), that row stays and
    theirs for `drop` goes."""
    require_network_admin(user, drop.network)
    if keep.network_id != drop.network_id:
        raise Refused(gettext(NOT_A_SKILL), field="into")
    if keep.pk == drop.pk:
        raise Refused(gettext(MERGE_ITSELF), field="into")
    with transaction.atomic():
        for relation in Skill._meta.related_objects:
            if relation.many_to_many:
                _merge_through(relation, drop=drop, keep=keep)
            else:
                _merge_rows(relation.related_model, relation.field.name, drop=drop, keep=keep)
        drop.delete()
    return keep


def _unique_sets(model: type[models.Model], name: str) -> list[list[str]]:
    """The other fields each unique rule of `model` that includes `name` ties it to."""
    sets = [list(c.fields) for c in model._meta.total_unique_constraints]
    sets += [list(t) for t in model._meta.unique_together]
    return [[f for f in fields if f != name] for fields in sets if name in fields]


def _merge_rows(model: Any, name: str, *, drop: Skill, keep: Skill) -> None:
    unique = _unique_sets(model, name)
    for row in model._default_manager.filter(**{name: drop}):
        clash = any(
            model._default_manager.filter(
                **{name: keep},
                **{f: getattr(row, model._meta.get_field(f).attname) for f in fields},
            ).exists()
            for fields in unique
        )
        if clash:
            row.delete()
        else:
            model._default_manager.filter(pk=row.pk).update(**{name: keep})


def _merge_through(relation: Any, *, drop: Skill, keep: Skill) -> None:
    """A many-to-many (a journal entry's skills, say): add `keep` where `drop` was."""
    through = relation.through
    to_skill = next(
        f.name for f in through._meta.fields if f.is_relation and f.related_model is Skill
    )
    other = next(
        f.name
        for f in through._meta.fields
        if f.is_relation and f.name != to_skill and f.related_model is not None
    )
    owners = through.objects.filter(**{to_skill: drop}).values_list(f"{other}_id", flat=True)
    having = set(through.objects.filter(**{to_skill: keep}).values_list(f"{other}_id", flat=True))
    through.objects.bulk_create(
        [through(**{f"{other}_id": pk, to_skill: keep}) for pk in set(owners) - having]
    )
    through.objects.filter(**{to_skill: drop}).delete()
