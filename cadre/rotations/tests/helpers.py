"""Small builders for the rotation tests (on top of the shared cast)."""

from typing import Any

from cadre.cohorts.models import Cohort, CohortMembership
from cadre.networks.models import CodeOfConductAcceptance, NetworkMembership, Role
from cadre.people.models import Profile
from cadre.rotations.models import Ritual, RitualParticipant
from cadre.testing import (
    make_user,
    run_worker,  # noqa: F401 (used by the tests that import it from here)
)

ZONES = ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "Europe/London"]
FUNCTIONS = ["Engineering", "Design", "Product", "Operations"]


def add_members(network: Any, count: int, *, start: int = 0, cohort: Cohort | None = None) -> list:
    """`count` new members of `network` who accepted its code of conduct, with varied
    profiles (and a place in `cohort` when given)."""
    code = network.current_code_of_conduct()
    users = []
    for i in range(start, start + count):
        user = make_user(f"person{i}@northwind.test", f"Person {i:03d}")
        NetworkMembership.objects.create(network=network, user=user, role=Role.MEMBER)
        CodeOfConductAcceptance.objects.create(code=code, user=user)
        Profile.objects.filter(user=user).update(
            function=FUNCTIONS[i % len(FUNCTIONS)],
            organization=f"Org {i % 3}",
            time_zone=ZONES[i % len(ZONES)],
            availability=[d * 24 + h for d in range(5) for h in range(9, 17)],
        )
        if cohort is not None:
            CohortMembership.objects.create(cohort=cohort, user=user)
        users.append(user)
    return users


def make_ritual(cast: Any, **fields: Any) -> Ritual:
    values = {
        "network": cast.network,
        "name": "Friday coffee",
        "group_size": 2,
        "created_by": cast.organizer,
        **fields,
    }
    return Ritual.objects.create(**values)


def join(ritual: Ritual, users: list) -> None:
    RitualParticipant.objects.bulk_create(RitualParticipant(ritual=ritual, user=u) for u in users)
