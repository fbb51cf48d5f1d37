"""Small builders for network tests (on top of the shared cast)."""

from typing import Any

from cadre.networks.models import NetworkMembership, Role
from cadre.people.models import Profile, ProfileSkill
from cadre.testing import make_user


def add_members(network: Any, count: int, *, start: int = 0, **profile: Any) -> list[Any]:
    """`count` extra members of `network`, each rating every skill of the network."""
    skills = list(network.skills.all())
    users = []
    for i in range(start, start + count):
        user = make_user(f"extra{i}@example.test", f"Extra Person {i:03d}")
        NetworkMembership.objects.create(network=network, user=user, role=Role.MEMBER)
        Profile.objects.filter(user=user).update(
            headline=f"Headline {i}",
            organization=f"Org {i % 3}",
            function=f"Fn {i % 4}",
            **profile,
        )
        ProfileSkill.objects.bulk_create(
            ProfileSkill(profile=user.profile, skill=s, level=(i + n) % 5)
            for n, s in enumerate(skills)
        )
        users.append(user)
    return users
