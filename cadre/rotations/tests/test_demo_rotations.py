"""The demo comes with a virtual-coffee ritual with two past rounds and coaching rotations in
two cohorts, the same for the same seed."""

from django.utils import timezone

from cadre.demo import data
from cadre.demo.builder import build_demo, delete_demo
from cadre.rotations.models import (
    CoachingRound,
    CoachingSeat,
    CoffeeGroupMember,
    PairingExclusion,
    Ritual,
    SeatRole,
)


def rotations_digest() -> list[tuple]:
    coffee = sorted(
        CoffeeGroupMember.objects.values_list("group__round__number", "group__index", "user__email")
    )
    coaching = sorted(
        CoachingSeat.objects.values_list(
            "group__round__cohort__slug",
            "group__round__number",
            "group__index",
            "user__email",
            "role",
        )
    )
    return coffee + coaching


def test_the_demo_has_a_coffee_ritual_and_two_coaching_rotations(db):
    build_demo(seed=5)
    ritual = Ritual.objects.get(network__slug=data.NETWORK_SLUG)
    assert ritual.active and ritual.participants.count() == 30
    rounds = list(ritual.rounds.order_by("number"))
    assert [r.number for r in rounds] == [1, 2]
    assert all(r.announced_at for r in rounds)
    for coffee in rounds:
        placed = [m.user_id for g in coffee.groups.all() for m in g.members.all()]
        assert len(placed) == len(set(placed)) == 29  # the snoozer is not in them
        assert all(2 <= g.members.count() <= 3 for g in coffee.groups.all())
    assert PairingExclusion.objects.count() == 1

    today = timezone.localdate()
    cohorts = {r.cohort_id for r in CoachingRound.objects.all()}
    assert len(cohorts) == 2
    for cohort_id in cohorts:
        mine = CoachingRound.objects.filter(cohort_id=cohort_id)
        assert mine.filter(starts_on__lte=today).count() == 2
        assert mine.filter(starts_on__gt=today).count() == 2
    formats = set(CoachingRound.objects.values_list("format", flat=True))
    assert formats == {"pair", "triad"}
    assert set(CoachingSeat.objects.values_list("role", flat=True)) == set(SeatRole.values)


def test_the_demo_rotations_are_the_same_for_the_same_seed(db):
    build_demo(people=60, seed=9)
    first = rotations_digest()
    delete_demo()
    build_demo(people=60, seed=9)
    assert rotations_digest() == first
