"""Who may see, run and apply to an intake, and who may host a cohort formed from one.

Intakes, their applications, formation runs and publishing are the network's organizers'.
Members and mentors see open intakes and those they applied to, and apply while an intake is
open; partners see none. `visible_intakes` (a list) is the rule; `can_view_intake` (one
intake) asks it, so a list and a detail page never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from cadre.networks.models import Network, NetworkMembership, Role
from cadre.networks.policy import Person, can_manage_network, network_role

from .models import Application, Intake, IntakeStatus

# The people who apply to intakes (organizers run them, partners are outside the network).
APPLICANT_ROLES = (Role.MEMBER, Role.MENTOR)


def can_manage_intakes(user: Person, network: Network) -> bool:
    """Intakes, their applications, formation runs and publishing are the organizers'."""
    return can_manage_network(user, network)


def can_apply(user: Person, intake: Intake) -> bool:
    """Members and mentors of the intake's network apply while the intake is open; partners
    and organizers (who run it) do not."""
    return network_role(user, intake.network) in APPLICANT_ROLES and intake.accepts_applications()


def visible_intakes(user: Person, network: Network) -> QuerySet[Intake]:
    """The intakes of `network` that `user` may open: every one for organizers; open ones and
    those they applied to for members and mentors; none for partners and outsiders."""
    role = network_role(user, network)
    if role is None or role == Role.PARTNER:
        return Intake.objects.none()
    intakes = Intake.objects.filter(network=network)
    if can_manage_intakes(user, network):
        return intakes
    applied = Application.objects.filter(intake=OuterRef("pk"), user=user.pk)
    return intakes.filter(Q(status=IntakeStatus.OPEN) | Q(Exists(applied)))


def can_view_intake(user: Person, intake: Intake) -> bool:
    """`visible_intakes` for one intake."""
    role = network_role(user, intake.network)
    if role is None or role == Role.PARTNER:
        return False
    if can_manage_intakes(user, intake.network):
        return True
    return visible_intakes(user, intake.network).filter(pk=intake.pk).exists()


def get_intake_or_404(user: Person, network_slug: str, intake_slug: str) -> Intake:
    """The intake, or 404 for anyone who may not see it."""
    intake = (
        Intake.objects.select_related("network")
        .filter(network__slug=network_slug, slug=intake_slug)
        .first()
    )
    if intake is None or not can_view_intake(user, intake):
        raise Http404("No such intake.")
    return intake


def formed_cohort_hosts(network: Network, member_ids: Iterable[int]) -> QuerySet[Any]:
    """Who may host a cohort formed from an intake, as users: one of its own members
    (`member_ids`, user ids) or one of the network's organizers, who then joins it as its
    host."""
    organizing = NetworkMembership.objects.organizing().filter(network=network, user=OuterRef("pk"))
    return get_user_model().objects.filter(Q(pk__in=list(member_ids)) | Exists(organizing))
