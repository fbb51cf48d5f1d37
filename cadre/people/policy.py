"""Who sees a person's picture: the people who may see them in a directory, the same rule as
their profile page (the insiders of a network they belong to), and the person themselves.
Everyone else sees their initials."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from cadre.accounts.models import User
from cadre.networks.models import NetworkMembership
from cadre.networks.policy import Person, insider_network_ids, remembered


def can_view_avatar(viewer: Person, person: Any) -> bool:
    if not viewer.is_authenticated:
        return False
    if viewer.pk == person.pk:
        return True
    cache = remembered(viewer)
    key = f"sees_person:{person.pk}"
    if key not in cache:
        cache[key] = NetworkMembership.objects.filter(
            user_id=person.pk,
            user__is_active=True,
            network_id__in=insider_network_ids(viewer),
        ).exists()
    return bool(cache[key])


def avatar_visible_people(viewer: Person) -> QuerySet[User]:
    """The people whose pictures `viewer` sees (the list side of `can_view_avatar`)."""
    if not viewer.is_authenticated:
        return User.objects.none()
    return User.objects.filter(
        network_memberships__network_id__in=insider_network_ids(viewer)
    ).distinct() | User.objects.filter(pk=viewer.pk)
