"""The demo's learning journal: a few hundred entries by members of active cohorts, with all
three visibilities, tags and skills, some tied to a session, an experiment or a commitment of
the author's cohort, some shared by name with a mentor; and a few private entries by
partners.

Everything is written with bulk_create, so the 10,000-person demo stays quick. Randomness
comes from a local generator, never the builder's, so what was built before is unchanged."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import TYPE_CHECKING

from cadre.accountability.models import Commitment, Experiment
from cadre.cohorts.models import CohortMembership, CohortStatus
from cadre.journal.models import JournalEntry, JournalTag, JournalVisibility
from cadre.networks.models import Network, NetworkMembership, Role
from cadre.schedule.models import Session

if TYPE_CHECKING:
    from cadre.demo.builder import Builder

SEED = 20_260_131
ENTRIES = 300
PARTNER_ENTRIES = 6

TAGS = [
    "incident-review",
    "retro",
    "on-call",
    "facilitation",
    "stakeholders",
    "metrics",
    "feedback",
    "game-day",
    "pairing",
    "writing",
    "estimation",
    "mentoring",
]
TITLES = [
    "What the retro taught me about listening",
    "Running my first game day",
    "Feedback I did not expect",
    "Why our estimates keep slipping",
    "Notes after pairing with a peer",
    "A smaller experiment next time",
    "How I prepared the stakeholder demo",
    "Three things I will try this week",
    "On asking for help earlier",
    "What changed after the incident review",
]
BODIES = [
    "## What happened\n\nWe tried **{tag}** in the session. It went better than I feared.\n\n"
    "## What I learned\n\n- Ask one question at a time\n- Write the decision down\n\n"
    "Next: try it again with the whole team.",
    "Short note to self: the *{tag}* exercise worked when I kept it to ten minutes.\n\n"
    "> Slow down to go faster.\n\nI will share the template with the cohort.",
    "| Before | After |\n|---|---|\n| 45 min | 30 min |\n\nThe {tag} change paid off. "
    "See [the guide](https://example.org/guide) we followed.",
    "I was stuck on {tag} for a week. Talking it through in the session unblocked me:\n\n"
    "1. Name the blocker\n2. Ask who has done it before\n3. Pair for twenty minutes",
]
VISIBILITY_WEIGHTS = [
    (JournalVisibility.PRIVATE, 3),
    (JournalVisibility.COHORT, 4),
    (JournalVisibility.NETWORK, 3),
]


class JournalBuilder:
    def __init__(self, builder: Builder) -> None:
        self.b = builder
        self.rng = random.Random(SEED)

    def build(self, network: Network) -> int:
        entries, tags, skills, shared = self.plan(network)
        JournalEntry.objects.bulk_create(entries, batch_size=500)
        JournalTag.objects.bulk_create(
            [JournalTag(entry=entries[i], name=name) for i, name in tags], batch_size=1000
        )
        skill_rows = JournalEntry.skills.through
        skill_rows.objects.bulk_create(
            [skill_rows(journalentry_id=entries[i].pk, skill_id=s) for i, s in skills],
            batch_size=1000,
        )
        shared_rows = JournalEntry.shared_with.through
        shared_rows.objects.bulk_create(
            [shared_rows(journalentry_id=entries[i].pk, user_id=u) for i, u in shared],
            batch_size=1000,
        )
        rows = len(entries) + len(tags) + len(skills) + len(shared)
        self.b.step("journal entries", rows)
        return rows

    def plan(
        self, network: Network
    ) -> tuple[
        list[JournalEntry], list[tuple[int, str]], list[tuple[int, int]], list[tuple[int, int]]
    ]:
        """The entries, and (entry index, tag), (entry index, skill id), (entry index, reader
        id) rows for them."""
        rng = self.rng
        places = list(
            CohortMembership.objects.active()
            .filter(cohort__network=network, cohort__status=CohortStatus.ACTIVE)
            .order_by("cohort_id", "user_id")
            .values_list("user_id", "cohort_id")
        )
        if not places:
            return [], [], [], []
        sessions: dict[int, list[int]] = {}
        for pk, cohort_id in (
            Session.objects.filter(cohort__network=network, starts_at__lte=self.b.now)
            .order_by("pk")
            .values_list("pk", "cohort_id")
        ):
            sessions.setdefault(cohort_id, []).append(pk)
        owned: dict[tuple[str, int], list[tuple[int, int]]] = {}
        for kind, model in (("experiment", Experiment), ("commitment", Commitment)):
            for pk, cohort_id, owner_id, visibility in (
                model.objects.filter(cohort__network=network)
                .order_by("pk")
                .values_list("pk", "cohort_id", "owner_id", "visibility")
            ):
                # Cohort items are anyone's in the cohort; private ones only their owner's.
                if visibility == "private":
                    owned.setdefault((kind, cohort_id), []).append((pk, owner_id))
                else:
                    owned.setdefault((kind, cohort_id), []).append((pk, 0))
        skill_ids = list(network.skills.order_by("pk").values_list("pk", flat=True))
        roles = dict(
            NetworkMembership.objects.filter(
                network=network, role__in=[Role.MENTOR, Role.PARTNER]
            ).values_list("user_id", "role")
        )
        mentors = sorted(u for u, r in roles.items() if r == Role.MENTOR)
        partners = sorted(u for u, r in roles.items() if r == Role.PARTNER)

        entries: list[JournalEntry] = []
        tags: list[tuple[int, str]] = []
        skills: list[tuple[int, int]] = []
        shared: list[tuple[int, int]] = []
        choices, weights = zip(*VISIBILITY_WEIGHTS, strict=True)
        for i in range(ENTRIES):
            author_id, cohort_id = rng.choice(places)
            visibility = rng.choices(choices, weights)[0]
            entry_tags = rng.sample(TAGS, rng.randint(1, 3))
            created = self.b.now - timedelta(days=rng.uniform(0, 90))
            entry = JournalEntry(
                network=network,
                author_id=author_id,
                cohort_id=cohort_id if visibility != JournalVisibility.NETWORK or i % 2 else None,
                title=rng.choice(TITLES),
                body=rng.choice(BODIES).format(tag=entry_tags[0]),
                visibility=visibility,
                created_at=created,
                updated_at=created,
            )
            if entry.cohort_id is not None:
                self.tie(entry, rng, sessions, owned)
            entries.append(entry)
            tags += [(i, t) for t in entry_tags]
            if skill_ids:
                skills += [(i, s) for s in rng.sample(skill_ids, min(len(skill_ids), 2))]
            if mentors and rng.random() < 0.15:
                shared.append((i, rng.choice(mentors)))
        for n, partner_id in enumerate(partners[:PARTNER_ENTRIES]):
            created = self.b.now - timedelta(days=3 + n)
            entries.append(
                JournalEntry(
                    network=network,
                    author_id=partner_id,
                    title="What our team can offer the cohorts",
                    body="Notes for myself before the partner call.\n\n- Case studies\n- A host",
                    visibility=JournalVisibility.PRIVATE,
                    created_at=created,
                    updated_at=created,
                )
            )
            tags.append((len(entries) - 1, "partnership"))
        return entries, tags, skills, shared

    @staticmethod
    def tie(
        entry: JournalEntry,
        rng: random.Random,
        sessions: dict[int, list[int]],
        owned: dict[tuple[str, int], list[tuple[int, int]]],
    ) -> None:
        """Tie about a third of the entries to one session, experiment or commitment of the
        author's cohort that the author may see."""
        roll = rng.random()
        cohort_id = entry.cohort_id
        assert cohort_id is not None, "only an entry in a cohort is tied to what it holds"
        if roll < 0.2 and sessions.get(cohort_id):
            entry.session_id = rng.choice(sessions[cohort_id])
            return
        kind = "experiment" if roll < 0.27 else "commitment" if roll < 0.35 else ""
        if not kind:
            return
        allowed = [
            pk for pk, owner in owned.get((kind, cohort_id), []) if owner in (0, entry.author_id)
        ]
        if allowed:
            setattr(entry, f"{kind}_id", rng.choice(allowed))
