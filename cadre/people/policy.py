"""Who sees a person's picture: the people who may see them in a directory, the same rule as
their profile page (the insiders of a network they belong to), and the person themselves.
Everyone else sees their initials."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from cadre.accounts.models import User
from cadre.cohorts.models import CohortMembership
from cadre.networks.models import NetworkMembership
from cadre.networks.policy import Person, insider_network_ids, remembered


def can_view_avatar(viewer: Person, person: Any) -> bool:
    if not viewer.is_authenticated:
        return False
    if viewer.pk == person.pk:
        return True
    return person.pk in _people_near(viewer) or person.pk in _people_seen_by(viewer)


def _seen(viewer: Person) -> QuerySet[NetworkMembership]:
    # No ordering: the ids are put in a set, and NetworkMembership's ordering would join the
    # networks and sort every row.
    return NetworkMembership.objects.filter(
        network_id__in=insider_network_ids(viewer), user__is_active=True
    ).order_by()


def _people_near(viewer: Person) -> set[int]:
    """The ids of the people `viewer` sees who share a cohort with them, read once a request:
    the people of most pages (a cohort's roster, board and journal), found in one query whose
    cost is that of the viewer's cohorts, not of their networks."""
    cache = remembered(viewer)
    if "people_near" not in cache:
        assert viewer.pk is not None, "can_view_avatar asks only about signed-in viewers"
        theirs = CohortMembership.objects.filter(user_id=viewer.pk).values("cohort_id")
        mates = CohortMembership.objects.filter(cohort__in=theirs).values("user_id")
        # As subqueries, so that the database starts from the viewer's cohorts.
        cache["people_near"] = set(
            _seen(viewer).filter(user_id__in=mates).values_list("user_id", flat=True)
        )
    near: set[int] = cache["people_near"]
    return near


def _people_seen_by(viewer: Person) -> set[int]:
    """The ids of the active people in the networks `viewer` is an insider of, read once a
    request, so a roster of any length costs one query; only read when a page shows someone
    outside the viewer's cohorts (its cost grows with the networks)."""
    cache = remembered(viewer)
    if "people_seen" not in cache:
        cache["people_seen"] = set(_seen(viewer).values_list("user_id", flat=True))
    seen: set[int] = cache["people_seen"]
    return seen


def avatar_visible_people(viewer: Person) -> QuerySet[User]:
    """The people whose pictures `viewer` sees (the list side of `can_view_avatar`)."""
    if not viewer.is_authenticated:
        return User.objects.none()
    return User.objects.filter(
        Q(pk=viewer.pk)
        | Q(network_memberships__network_id__in=insider_network_ids(viewer), is_active=True)
    ).distinct()
