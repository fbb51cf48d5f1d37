"""The demo's library: a partner group (Harbor Logistics) with the network's partner people,
about thirty items (templates of each kind, case studies promoted from the concluded
experiments, learnings) with mixed visibility, a few public, and some reuses.

Nothing here draws from the builder's random generator; the few choices use a local
generator with a fixed seed, so the people and cohorts built before stay as they were."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from cadre.accountability.models import Experiment, Outcome
from cadre.cohorts.models import Cohort, CohortMembership, CohortStatus
from cadre.demo.data import SHORTER_MEETINGS
from cadre.networks.models import Network, NetworkMembership, Role
from cadre.repository import content
from cadre.repository.models import (
    ItemKind,
    ItemVisibility,
    PartnerGroup,
    RepositoryItem,
    Reuse,
    TemplateKind,
)

if TYPE_CHECKING:
    from cadre.demo.builder import Builder

SEED = 8

AGENDAS = [
    (
        "Classic session: check-in, learn, practise, reflect",
        [
            ("check_in", "Check-in", 10),
            ("learning", "Case discussion", 40),
            ("practice", "Practice in pairs", 30),
            ("reflection", "Reflection", 10),
        ],
    ),
    (
        "Demo day: experiments on show",
        [
            ("check_in", "Round of wins", 10),
            ("demo", "Experiment demos (incl. failed ones)", 50),
            ("reflection", "What I will try next", 15),
            ("other", "Commitments", 15),
        ],
    ),
    (
        "Skill share and coaching triads",
        [
            ("check_in", "Check-in", 5),
            ("skill_share", "Skill share", 25),
            ("practice", "Coaching triads", 45),
            ("reflection", "Reflection", 15),
        ],
    ),
]

CHARTERS = [
    ("Charter for a reliability cohort", "Cut incident recovery time by sharing what works.", 2),
    ("Charter for a product discovery cohort", "Talk to customers every week, together.", 1.5),
    ("Charter for a first-line managers cohort", "Become the manager we wanted to have.", 2),
]

PLANS = [
    (
        "Experiment plan: shorter meetings",
        "Running shorter, sharper meetings",
        SHORTER_MEETINGS,
        "Meeting minutes",
    ),
    (
        "Experiment plan: pre-reads before reviews",
        "Better design reviews",
        "Pre-reads halve the questions asked in the review.",
        "Questions per review",
    ),
    (
        "Experiment plan: weekly customer calls",
        "Continuous discovery",
        "One call a week changes at least one backlog item a month.",
        "Backlog changes",
    ),
]

LEARNINGS = [
    "Timeboxes make quiet people speak",
    "Failed experiments teach the most when demoed",
    "Rotate the facilitator from week one",
    "Write commitments as what someone else will see",
    "Blockers answered within a day keep people in",
    "Coaching triads need an observer with a script",
    "Pre-reads only work when they are short",
    "A charter review every quarter keeps the mission honest",
    "Celebrate done commitments in the session, not only online",
    "Skill shares under fifteen minutes get repeated",
    "Cameras-on is a norm to agree, not to impose",
    "Pair newcomers with a mentor before the first session",
]


class RepositoryBuilder:
    def __init__(self, builder: Builder) -> None:
        self.b = builder
        self.rng = random.Random(SEED)

    def build(self, network: Network) -> int:
        partners = list(
            NetworkMembership.objects.filter(network=network, role=Role.PARTNER)
            .select_related("user")
            .order_by("user__email")
        )
        group = PartnerGroup.objects.create(
            network=network,
            name="Harbor Logistics",
            organization="Harbor Logistics Ltd",
            shares=[ItemKind.CASE_STUDY, ItemKind.TEMPLATE],
            created_at=self.b.ago(60),
        )
        group.members.set([m.user for m in partners])
        cohorts = list(
            Cohort.objects.filter(network=network, status=CohortStatus.ACTIVE).order_by("slug")
        )
        authors = self._authors(network, cohorts)
        skills = list(network.skills.order_by("slug"))
        items: list[RepositoryItem] = []
        items += self._templates(network, cohorts, authors)
        items += self._case_studies(network)
        items += self._learnings(network, cohorts, authors)
        for n, item in enumerate(items):
            if skills:
                item.skills.set(self.rng.sample(skills, k=min(2, len(skills))))
            if item.visibility == ItemVisibility.PARTNERS:
                item.partner_groups.add(group)
            item.created_at = self.b.ago(50 - n)
        RepositoryItem.objects.bulk_update(items, ["created_at"])
        reuses = self._reuses(items, cohorts)
        self.b.step("library items and reuses", len(items) + reuses + 1)
        return len(items)

    def _authors(self, network: Network, cohorts: list[Cohort]) -> list[Any]:
        members = (
            CohortMembership.objects.active()
            .filter(cohort__in=cohorts)
            .select_related("user")
            .order_by("user__email")[:12]
        )
        people = [m.user for m in members]
        if not people:
            people = [
                m.user
                for m in NetworkMembership.objects.filter(network=network)
                .select_related("user")
                .order_by("user__email")[:3]
            ]
        return people

    def _visibility(self, n: int, partner_kind: bool) -> str:
        if n % 5 == 0:
            return ItemVisibility.PUBLIC
        if partner_kind and n % 2 == 0:
            return ItemVisibility.PARTNERS
        return ItemVisibility.NETWORK

    def _templates(
        self, network: Network, cohorts: list[Cohort], authors: list[Any]
    ) -> list[RepositoryItem]:
        made = []
        specs: list[tuple[str, str, dict[str, Any], str]] = []
        for title, blocks in AGENDAS:
            data: dict[str, Any] = {
                "blocks": [{"kind": k, "title": t, "minutes": m} for k, t, m in blocks]
            }
            specs.append((TemplateKind.AGENDA, title, data, "A session agenda that worked for us."))
        for title, mission, hours in CHARTERS:
            data = {
                "mission": mission,
                "weekly_hours": hours,
                "learning_formats": ["case", "demo", "coaching"],
                "project_kinds": "Real work from our teams",
                "norms": "Start on time.\nWhat is said here stays here.\nCandour with care.",
            }
            specs.append((TemplateKind.CHARTER, title, data, "A lightweight charter to adapt."))
        for title, capability, hypothesis, measure in PLANS:
            data = {
                "title": title.removeprefix("Experiment plan: ").capitalize(),
                "capability": capability,
                "hypothesis": hypothesis,
                "plan": "Try it for two weeks and record the measure each time.",
                "measure": measure,
                "baseline": "",
            }
            specs.append((TemplateKind.EXPERIMENT_PLAN, title, data, "A plan to run in two weeks."))
        for n, (template_kind, title, data, summary) in enumerate(specs):
            made.append(
                RepositoryItem.objects.create(
                    network=network,
                    kind=ItemKind.TEMPLATE,
                    template_kind=template_kind,
                    title=title,
                    summary=summary,
                    body=f"{summary}\n\nCopy it into your cohort and change what does not fit.",
                    data=data,
                    author=authors[n % len(authors)] if authors else None,
                    origin_cohort=cohorts[n % len(cohorts)] if cohorts else None,
                    visibility=self._visibility(n, partner_kind=True),
                )
            )
        return made

    def _case_studies(self, network: Network) -> list[RepositoryItem]:
        concluded = (
            Experiment.objects.filter(cohort__network=network, visibility="cohort")
            .exclude(outcome=Outcome.RUNNING)
            .select_related("cohort", "skill", "owner")
            .order_by("cohort__slug", "pk")[:8]
        )
        made = []
        for n, experiment in enumerate(concluded):
            made.append(
                RepositoryItem.objects.create(
                    network=network,
                    kind=ItemKind.CASE_STUDY,
                    title=f"{experiment.title} in {experiment.cohort.name}",
                    summary=f"{experiment.capability}: {experiment.get_outcome_display().lower()}.",
                    body=content.experiment_body(experiment),
                    data=content.experiment_data(experiment),
                    author=experiment.owner,
                    origin_cohort=experiment.cohort,
                    source_experiment=experiment,
                    visibility=self._visibility(n + 1, partner_kind=True),
                )
            )
        return made

    def _learnings(
        self, network: Network, cohorts: list[Cohort], authors: list[Any]
    ) -> list[RepositoryItem]:
        made = []
        for n, title in enumerate(LEARNINGS):
            made.append(
                RepositoryItem.objects.create(
                    network=network,
                    kind=ItemKind.LEARNING,
                    title=title,
                    summary="What one cohort found, in a sentence.",
                    body=f"**{title}.** We noticed it over several sessions; "
                    "here is what we changed and what happened.",
                    author=authors[(n + 3) % len(authors)] if authors else None,
                    origin_cohort=cohorts[n % len(cohorts)] if cohorts else None,
                    # Harbor Logistics is not offered learnings: network or public only.
                    visibility=self._visibility(n, partner_kind=False),
                )
            )
        return made

    def _reuses(self, items: list[RepositoryItem], cohorts: list[Cohort]) -> int:
        memberships = list(
            CohortMembership.objects.active()
            .filter(cohort__in=cohorts)
            .select_related("user", "cohort")
            .order_by("cohort__slug", "user__email")[:40]
        )
        rows = []
        seen: set[tuple[int, int, int]] = set()
        for item in items[::2]:
            for membership in self.rng.sample(memberships, k=min(3, len(memberships))):
                key = (item.pk, membership.user_id, membership.cohort_id)
                if key in seen:
                    continue
                seen.add(key)
                rows.append(
                    Reuse(
                        item=item,
                        user=membership.user,
                        cohort=membership.cohort,
                        created_at=self.b.ago(self.rng.randint(1, 30)),
                    )
                )
        Reuse.objects.bulk_create(rows)
        counts: dict[int, int] = {}
        for row in rows:
            counts[row.item_id] = counts.get(row.item_id, 0) + 1
        for item in items:
            item.reuse_count = counts.get(item.pk, 0)
        RepositoryItem.objects.bulk_update(items, ["reuse_count"])
        return len(rows)
