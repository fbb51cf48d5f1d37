"""Builders for the follow-through tests (on top of the shared cast)."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from cadre.networks.models import NetworkMembership
from cadre.pairings.models import Kind, MeetingCheck
from cadre.rotations.models import CoffeeGroup, CoffeeGroupMember, CoffeeRound, Ritual
from cadre.schedule.models import MentorMatch, MentorSettings


def coffee_round(cast: Any, *, announced_days_ago: int = 8, number: int = 1) -> CoffeeRound:
    """A ritual's announced round of two pairs: member with the other cohort's member, and
    the host with the mentor."""
    ritual = Ritual.objects.filter(network=cast.network).first() or Ritual.objects.create(
        network=cast.network, name="Monday coffee", created_by=cast.organizer
    )
    now = timezone.now()
    found = CoffeeRound.objects.create(
        ritual=ritual,
        number=number,
        scheduled_for=timezone.localdate() - timedelta(days=announced_days_ago),
        announced_at=now - timedelta(days=announced_days_ago),
    )
    for index, pair in enumerate(
        ((cast.member, cast.other_cohort_member), (cast.host, cast.mentor))
    ):
        group = CoffeeGroup.objects.create(round=found, index=index)
        for user in pair:
            CoffeeGroupMember.objects.create(group=group, user=user)
    return found


def coffee_check(cast: Any, user: Any, coffee: CoffeeRound | None = None) -> MeetingCheck:
    coffee = coffee or coffee_round(cast)
    group = CoffeeGroup.objects.get(round=coffee, members__user=user)
    return MeetingCheck.objects.create(
        kind=Kind.COFFEE, network=cast.network, coffee_group=group, user=user
    )


def mentor_match(cast: Any, *, days_ago: int = 1) -> MentorMatch:
    """The cast's mentor mentors the cast's member, since `days_ago` days."""
    MentorSettings.objects.get_or_create(
        membership=NetworkMembership.objects.get(network=cast.network, user=cast.mentor)
    )
    return MentorMatch.objects.create(
        network=cast.network,
        mentor=cast.mentor,
        newcomer=cast.member,
        explanation="Both care about reliability.",
        confirmed_by=cast.organizer,
        created_at=timezone.now() - timedelta(days=days_ago),
    )
