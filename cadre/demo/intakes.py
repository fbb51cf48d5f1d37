"""The demo's open intake: "Autumn Intake" in Northwind with about forty applications from
members who are not in a cohort yet, prefilled from their profiles, so an organizer can run
formation, adjust the proposal and publish it straight away. The fixed demo log-ins have not
applied, so the demo member can apply themselves."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.utils.text import slugify

from cadre.cohorts.models import CohortMembership
from cadre.formation.models import Application, Intake, IntakeStatus
from cadre.networks.models import Network, Role

if TYPE_CHECKING:
    from cadre.demo.builder import Builder, Person

APPLICANTS = 40
QUESTIONS = [
    "What would you like to be able to do in six months that you cannot do today?",
    "Which problem at work would you bring to your cohort first?",
]
FIRST_ANSWERS = [
    "Run a small experiment every sprint and read its results with confidence.",
    "Facilitate a retrospective that ends with decisions, not just notes.",
    "Tell a clear story with data to people who do not live in spreadsheets.",
    "Coach a colleague through a hard conversation without taking it over.",
    "Plan discovery work so that we kill weak ideas early and cheaply.",
]
SECOND_ANSWERS = [
    "Our releases stall for days waiting on reviews.",
    "Stakeholders ask for features before we understand the problem.",
    "Two teams solve the same problem without talking to each other.",
    "Our dashboards are full, but nobody changes what they do because of them.",
    "New joiners take months to feel confident.",
]


class IntakeBuilder:
    def __init__(self, builder: Builder) -> None:
        self.b = builder

    def build(self, network: Network, people: list[Person]) -> Intake:
        b = self.b
        organizer = next(p.user for p in people if p.key == "organizer")
        intake = Intake.objects.create(
            network=network,
            title="Autumn Intake",
            slug="autumn",
            description=(
                "Six-week cohorts for practitioners who want to turn experiments into habits. "
                "Apply with your goals and the hours you can meet; we form cohorts that mix "
                "functions, industries and organizations."
            ),
            objective=(
                "Each member runs two experiments in their own work and shares what they "
                "learned with the network."
            ),
            questions=QUESTIONS,
            opens_on=b.day(10),
            closes_on=b.today + timedelta(days=11),
            min_size=5,
            max_size=7,
            session_minutes=60,
            status=IntakeStatus.OPEN,
            created_by=organizer,
            created_at=b.ago(11),
        )
        in_cohorts = set(
            CohortMembership.objects.filter(
                cohort__network=network, left_on__isnull=True
            ).values_list("user_id", flat=True)
        )
        pool = [
            p
            for p in people
            if not p.key and p.role in (Role.MEMBER, Role.MENTOR) and p.user.pk not in in_cohorts
        ]
        if len(pool) < APPLICANTS:
            pool += [
                p for p in people if not p.key and p.role == Role.MEMBER and p.user.pk in in_cohorts
            ]
        chosen = b.rng.sample(pool, min(APPLICANTS, len(pool)))
        applications = []
        for n, person in enumerate(chosen):
            submitted = b.ago(b.rng.uniform(0.5, 9.5))
            applications.append(
                Application(
                    intake=intake,
                    user=person.user,
                    goals=list(person.goals),
                    time_zone=person.time_zone,
                    availability=list(person.availability),
                    skills={slugify(name): level for name, level in person.skills.items()},
                    answers={
                        QUESTIONS[0]: b.rng.choice(FIRST_ANSWERS),
                        QUESTIONS[1]: b.rng.choice(SECOND_ANSWERS),
                    },
                    statement=f"As {person.headline.split(' at ')[0].lower()}, I will try "
                    "what I learn with my own team.",
                    submitted_at=submitted,
                    updated_at=submitted,
                    withdrawn=n == len(chosen) - 1,  # one person changed their mind
                )
            )
        b.bulk(Application, applications)
        b.step("intake and applications", len(applications) + 1)
        return intake
