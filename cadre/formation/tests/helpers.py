"""Small builders for the formation tests (on top of the shared cast)."""

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.utils import timezone

from cadre.formation.models import Application, Intake, IntakeStatus
from cadre.networks.models import NetworkMembership, Role
from cadre.people.models import Profile, ProfileSkill
from cadre.testing import (
    make_user,
    run_worker,  # noqa: F401 (used by the tests that import it from here)
)

FUNCTIONS = ["Engineering", "Design", "Product", "Operations", "Data"]
ORGANIZATIONS = ["Acme", "Globex", "Initech", "Umbrella"]
SENIORITIES = ["early", "mid", "senior", "lead"]
GOALS = ["experimentation", "facilitation", "data storytelling", "coaching"]


def make_intake(cast: Any) -> Intake:
    """An open intake of the cast's network, "spring", for cohorts of 3 to 4."""
    today = timezone.localdate()
    return Intake.objects.create(
        network=cast.network,
        title="Spring Intake",
        slug="spring",
        description="For people who want to run better experiments.",
        objective="Run one experiment a month and share what it taught us.",
        questions=["What would you like to change in your work?"],
        opens_on=today - timedelta(days=3),
        closes_on=today + timedelta(days=10),
        min_size=3,
        max_size=4,
        session_minutes=60,
        status=IntakeStatus.OPEN,
        created_by=cast.organizer,
    )


def add_applicants(
    intake: Intake, count: int, *, start: int = 0, include: Iterable[Any] = ()
) -> list[Application]:
    """`count` new members of the intake's network with varied profiles, plus `include`,
    each with an application to `intake`."""
    network = intake.network
    skills = list(network.skills.all())
    users = list(include)
    for i in range(start, start + count):
        user = make_user(f"applicant{i}@example.test", f"Applicant {i:03d}")
        NetworkMembership.objects.create(network=network, user=user, role=Role.MEMBER)
        users.append(user)
    applications = []
    for i, user in enumerate(users, start=start):
        Profile.objects.filter(user=user).update(
            function=FUNCTIONS[i % len(FUNCTIONS)],
            organization=ORGANIZATIONS[i % len(ORGANIZATIONS)],
            industry=["Logistics", "Health", "Finance"][i % 3],
            seniority=SENIORITIES[i % len(SENIORITIES)],
        )
        levels = {s.slug: (i + n) % 5 for n, s in enumerate(skills)}
        ProfileSkill.objects.bulk_create(
            ProfileSkill(profile=user.profile, skill=s, level=levels[s.slug]) for s in skills
        )
        applications.append(
            Application.objects.create(
                intake=intake,
                user=user,
                goals=[GOALS[i % len(GOALS)], GOALS[(i + 1) % len(GOALS)]],
                time_zone="Europe/Berlin",
                availability=[d * 24 + h for d in range(5) for h in range(9 + i % 3, 13 + i % 3)],
                skills=levels,
                answers=dict.fromkeys(intake.questions, f"Answer {i}"),
                statement=f"Statement {i}",
            )
        )
    return applications
