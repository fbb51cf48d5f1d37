"""The world the route × role matrix (test_route_role_matrix.py) requests pages in: two
networks of the same shape, each with two cohorts and a row of every kind a person can write,
and in every free-text field of every row a canary, a string found nowhere else
("CANARY-n1-alpha-0042"), so a page that shows a row to someone who may not read it is caught
by searching the page for the string.

Who may read each canary is asked of the policies (the apps' policy modules, and for the rows of
a cohort the rules cadre.transfer.cohort.READABLE gives the pages), never decided here.

Each network ("n1" and "n2") has: an admin, an organizer, a mentor, a partner (in a partner
group), cohort "alpha" (shared with the network) with its host and three members, and cohort
"beta" (not shared) with its host and one member. Outside both networks: a newcomer (signed
in, in no network) and a staff account (superuser, in no network).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import models

from cadre.tests.matrix_rules import CANARY_FIELDS

NOW = datetime(2026, 3, 11, 9, 30, tzinfo=UTC)  # a Wednesday
TODAY = NOW.date()

NETWORKS = ("n1", "n2")


@dataclass(frozen=True)
class Canary:
    token: str
    label: str  # the model, "app.Model"
    pk: int
    field: str
    where: str  # "n1/alpha", "n1", or "" for rows of no network

    def __str__(self) -> str:
        return f"{self.token} ({self.label}#{self.pk}.{self.field}, {self.where or 'no network'})"


# --- the world -------------------------------------------------------------------------------


@dataclass
class World:
    people: dict[str, Any]  # "n1.member_a" -> User; "newcomer", "staff"
    networks: dict[str, Any]
    cohorts: dict[str, Any]  # "n1.alpha"
    canaries: dict[str, Canary] = field(default_factory=dict)
    secrets: dict[str, tuple[Any, str]] = field(default_factory=dict)  # value -> (owner, what)
    tokens: dict[str, str] = field(default_factory=dict)  # person key -> raw API token
    rows: dict[str, list[Any]] = field(default_factory=lambda: defaultdict(list))
    by_row: dict[tuple[str, int], set[str]] = field(default_factory=lambda: defaultdict(set))
    by_field: dict[tuple[str, int, str], str] = field(default_factory=dict)

    def canaries_of(self, row: Any) -> set[str]:
        return set(self.by_row.get((row._meta.label, row.pk), set()))

    def rows_by_pk(self, label: str) -> list[Any]:
        return list(apps.get_model(label)._default_manager.order_by("pk"))

    def row_choices(
        self, label: str, network: str | None, cohort: str | None
    ) -> list[tuple[int, bool]]:
        """Ids of `label` rows to fill a path with, each with whether it is foreign to the
        path: every row of the cohort (or of the network when the path names no cohort or
        the model has none), then one of the network's other cohort and one of the other
        network, which a page must not show under this path."""
        from cadre.transfer.graph import cohort_models, owned_models

        model = apps.get_model(label)
        rows = model._default_manager.order_by("pk")
        in_cohort = {o.label: o.lookup for o in cohort_models()}.get(label)
        in_network = {o.label: o.lookup for o in owned_models()}.get(label)
        if in_network is None:
            return [(pk, False) for pk in rows.values_list("pk", flat=True)[:4]]
        net_key = f"{in_network}__slug" if in_network else "slug"
        network = network or "n1"
        other_network = next(n for n in NETWORKS if n != network)
        own = rows.filter(**{net_key: network})
        foreign = list(rows.filter(**{net_key: other_network}).values_list("pk", flat=True)[:1])
        if cohort and in_cohort is not None:
            key = f"{in_cohort}__slug" if in_cohort else "slug"
            foreign = [*own.exclude(**{key: cohort}).values_list("pk", flat=True)[:1], *foreign]
            own = own.filter(**{key: cohort})
        return [(pk, False) for pk in own.values_list("pk", flat=True)] + [
            (pk, True) for pk in foreign
        ]

    def admin_choices(self, model: type[models.Model]) -> list[int]:
        """The row to open in the admin: what an admin page shows is the same for every row
        of a kind, so one is enough: the second member of n1's alpha (who wrote the most), or
        the first of n1's alpha."""
        label = model._meta.label
        if label == "accounts.User":
            return [self.people["n1.member_a2"].pk]
        return [pk for pk, _ in self.row_choices(label, "n1", "alpha")[:1]]


class Builder:
    def __init__(self) -> None:
        self.people: dict[str, Any] = {}
        self.networks: dict[str, Any] = {}
        self.cohorts: dict[str, Any] = {}
        self.partner_groups: dict[str, Any] = {}
        self.webhook_secrets: dict[str, Any] = {}

    # people

    def person(self, key: str, **extra: Any) -> Any:
        from allauth.account.models import EmailAddress

        from cadre.accounts.models import User
        from cadre.people.models import Profile

        email = f"{key.replace('.', '-').replace('_', '-')}@matrix.test"
        user = User.objects.create_user(
            email=email, password="correct horse battery", name=key, **extra
        )
        Profile.objects.create(
            user=user,
            time_zone="Europe/Berlin",
            availability=[33, 34, 57, 58],
            learning_goals=["coaching"],
        )
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        self.people[key] = user
        return user

    def build(self) -> World:
        self.people["anonymous"] = None
        self.person("newcomer")
        self.person("staff", is_staff=True, is_superuser=True)
        for net in NETWORKS:
            self.network(net)
        world = World(self.people, self.networks, self.cohorts)
        for secret, admin in self.webhook_secrets.items():
            world.secrets[secret] = (admin, "webhook secret")
        self.tokens(world)
        self.sso_secrets(world)
        stamp(world)
        from cadre.repository.search import rebuild_index

        rebuild_index()
        return world

    def network(self, net: str) -> None:
        from cadre.cohorts.models import Cohort, CohortMembership, CohortRole, CohortStatus
        from cadre.networks.models import (
            CodeOfConduct,
            CodeOfConductAcceptance,
            Network,
            NetworkMembership,
            Role,
            Skill,
        )
        from cadre.people.models import ProfileSkill

        network = Network.objects.create(name=net, slug=net, description=net)
        self.networks[net] = network
        code = CodeOfConduct.objects.create(network=network, version=1, body="Be kind.")
        skills = [
            Skill.objects.create(network=network, name=f"{net} skill {n}", category="Core")
            for n in range(3)
        ]
        roles = {
            "admin": Role.ADMIN,
            "organizer": Role.ORGANIZER,
            "mentor": Role.MENTOR,
            "partner": Role.PARTNER,
            "host_a": Role.MEMBER,
            "member_a": Role.MEMBER,
            "member_a2": Role.MEMBER,
            "member_a3": Role.MEMBER,
            "host_b": Role.MEMBER,
            "member_b": Role.MEMBER,
        }
        p: dict[str, Any] = {}
        for key, role in roles.items():
            user = self.person(f"{net}.{key}")
            NetworkMembership.objects.create(network=network, user=user, role=role)
            CodeOfConductAcceptance.objects.create(code=code, user=user)
            p[key] = user
        cohorts = {}
        for slug, shared in (("alpha", True), ("beta", False)):
            cohorts[slug] = Cohort.objects.create(
                network=network,
                name=slug,
                slug=slug,
                objective=slug,
                status=CohortStatus.ACTIVE,
                time_zone="Europe/Berlin",
                starts_on=TODAY - timedelta(days=60),
                shared_with_network=shared,
            )
            self.cohorts[f"{net}.{slug}"] = cohorts[slug]
        seats = {
            "alpha": [
                ("host_a", CohortRole.HOST),
                ("member_a", CohortRole.MEMBER),
                ("member_a2", CohortRole.MEMBER),
                ("member_a3", CohortRole.MEMBER),
            ],
            "beta": [("host_b", CohortRole.HOST), ("member_b", CohortRole.MEMBER)],
        }
        for slug, places in seats.items():
            for key, seat in places:
                CohortMembership.objects.create(
                    cohort=cohorts[slug],
                    user=p[key],
                    role=seat,
                    joined_on=TODAY - timedelta(days=60),
                    learning_statement="statement",
                )
        for user in p.values():
            ProfileSkill.objects.create(profile=user.profile, skill=skills[0], level=2)
        self.network_content(net, network, p, skills)
        self.closing_content(network, cohorts["alpha"], p)
        self.cohort_content(
            net, cohorts["alpha"], p, skills, ("host_a", "member_a", "member_a2", "member_a3")
        )
        self.cohort_content(
            net, cohorts["beta"], p, skills, ("host_b", "member_b", "host_b", "member_b")
        )
        self.programme_content(network, cohorts, p)

    def programme_content(self, network: Any, cohorts: dict[str, Any], p: dict[str, Any]) -> None:
        """A programme of two weeks; each cohort's upcoming session follows week 1, and each
        cohort's last held session has an agenda that was replaced (the earlier one kept)."""
        from cadre.programmes.models import Programme, ProgrammeWeek, SessionWeek
        from cadre.schedule.models import PreviousAgenda

        programme = Programme.objects.create(
            network=network, title="p", summary="s", created_by=p["organizer"]
        )
        weeks = [
            ProgrammeWeek.objects.create(
                programme=programme,
                number=n,
                theme="t",
                blocks=[{"kind": "other", "title": "b", "minutes": 60, "notes": ""}],
                prompts=["q"],
                experiment={"title": "e", "hypothesis": "h", "measure": "m"},
                readings=[{"title": "r", "link": "https://example.org/"}],
            )
            for n in (1, 2)
        ]
        for cohort in cohorts.values():
            sessions = list(cohort.sessions.order_by("starts_at"))
            SessionWeek.objects.create(
                session=sessions[-1], week=weeks[0], applied_by=p["organizer"]
            )
            PreviousAgenda.objects.create(
                session=sessions[-2],
                blocks=[
                    {"kind": "other", "title": "b", "minutes": 60, "presenter": None, "notes": ""}
                ],
                replaced_by=p["organizer"],
            )

    def closing_content(self, network: Any, alpha: Any, p: dict[str, Any]) -> None:
        """Alpha as if published from an intake: a past member replaced from the intake's
        waitlist, an earlier spell, and an end-of-cohort survey answer."""
        from cadre.cohorts.models import (
            CohortMembership,
            CohortRole,
            MembershipPeriod,
            SurveyAnswer,
            Turnover,
        )
        from cadre.formation.models import FormationRun, Intake, IntakeStatus, RunStatus
        from cadre.networks.models import NetworkMembership, Role

        published = Intake.objects.create(
            network=network,
            title="published",
            slug="published",
            description="published",
            objective="published",
            opens_on=TODAY - timedelta(days=90),
            closes_on=TODAY - timedelta(days=70),
            status=IntakeStatus.PUBLISHED,
            created_by=p["organizer"],
        )
        FormationRun.objects.create(
            intake=published, status=RunStatus.DONE, published_cohorts=[alpha.pk]
        )
        leaver = self.person(f"{network.slug}.leaver")
        NetworkMembership.objects.create(network=network, user=leaver, role=Role.MEMBER)
        CohortMembership.objects.create(
            cohort=alpha,
            user=leaver,
            role=CohortRole.MEMBER,
            joined_on=TODAY - timedelta(days=60),
            left_on=TODAY - timedelta(days=10),
        )
        MembershipPeriod.objects.create(
            cohort=alpha,
            user=leaver,
            role=CohortRole.MEMBER,
            joined_on=TODAY - timedelta(days=80),
            left_on=TODAY - timedelta(days=70),
        )
        Turnover.objects.create(
            cohort=alpha, left=leaver, joined=p["member_a3"], on=TODAY - timedelta(days=9)
        )
        published.waitlist.create(user=p["member_b"], position=1, why="w")
        SurveyAnswer.objects.create(
            cohort=alpha,
            user=p["member_a"],
            value=4,
            changed="c",
            keep_or_change="k",
            join_again="yes",
        )

    def network_content(self, net: str, network: Any, p: dict[str, Any], skills: list[Any]) -> None:
        from cadre.coaching.models import CoachPrompt
        from cadre.formation.models import (
            Application,
            FormationRun,
            Intake,
            IntakeStatus,
            RunStatus,
        )
        from cadre.health.models import HealthSettings
        from cadre.networks.models import Invitation, NetworkMembership
        from cadre.repository.models import PartnerGroup
        from cadre.rotations.models import (
            CoffeeGroup,
            CoffeeGroupMember,
            CoffeeRound,
            PairingExclusion,
            Ritual,
            RitualParticipant,
        )
        from cadre.schedule.models import MentorMatch, MentorSettings

        # Two prompts (one of them retired) instead of the default bank of fifteen: the
        # prompts of a network all have the same readers.
        for position, active in enumerate((True, False)):
            CoachPrompt.objects.create(
                network=network, text="p", stage="opening", position=position, active=active
            )
        HealthSettings.objects.create(network=network)
        self.webhooks(net, network, p["admin"])
        self.chat(net, network, p["admin"])
        Invitation.objects.create(
            network=network,
            email=f"invited-{net}@matrix.test",
            message="m",
            invited_by=p["organizer"],
        )
        for slug, status in (("open", IntakeStatus.OPEN), ("draft", IntakeStatus.DRAFT)):
            intake = Intake.objects.create(
                network=network,
                title=slug,
                slug=slug,
                description=slug,
                objective=slug,
                questions=["Why?"],
                opens_on=TODAY - timedelta(days=5),
                closes_on=TODAY + timedelta(days=10),
                min_size=3,
                max_size=6,
                status=status,
                created_by=p["organizer"],
            )
            if status == IntakeStatus.OPEN:
                Application.objects.create(
                    intake=intake,
                    user=p["member_a2"],
                    goals=["coaching"],
                    time_zone="Europe/Berlin",
                    availability=[33, 34],
                    skills={skills[0].slug: 2},
                    answers={"Why?": "because"},
                    statement="s",
                )
                FormationRun.objects.create(
                    intake=intake,
                    status=RunStatus.FAILED,
                    error="e",
                    created_by=p["organizer"],
                    started_at=NOW - timedelta(hours=2),
                    finished_at=NOW - timedelta(hours=1),
                )
        for name, active in (("coffee", True), ("paused", False)):
            ritual = Ritual.objects.create(
                network=network,
                name=name,
                description=name,
                active=active,
                created_by=p["organizer"],
            )
            for key in ("member_a", "member_a2", "member_b", "host_a"):
                RitualParticipant.objects.create(ritual=ritual, user=p[key])
            round_ = CoffeeRound.objects.create(
                ritual=ritual,
                number=1,
                scheduled_for=TODAY - timedelta(days=3),
                created_by=p["organizer"],
            )
            for index, pair in enumerate((("member_a", "member_b"), ("member_a2", "host_a"))):
                group = CoffeeGroup.objects.create(round=round_, index=index)
                for key in pair:
                    CoffeeGroupMember.objects.create(group=group, user=p[key])
        PairingExclusion.objects.create(network=network, owner=p["member_a2"], other=p["member_a3"])
        MentorSettings.objects.create(
            membership=NetworkMembership.objects.get(network=network, user=p["mentor"]), capacity=2
        )
        match = MentorMatch.objects.create(
            network=network,
            mentor=p["mentor"],
            newcomer=p["member_a2"],
            explanation="x",
            confirmed_by=p["organizer"],
        )
        from cadre.pairings.models import MeetingCheck, MentorMeeting, Relationship

        # "Did you meet?": the coffee pair of round 1 of the active ritual, and the mentoring
        # pair, each with a note; the agreement and a meeting of the mentoring relationship.
        coffee_group = CoffeeGroup.objects.filter(
            round__ritual__network=network, round__ritual__active=True, index=0
        ).first()
        for key in ("member_a", "member_b"):
            MeetingCheck.objects.create(
                kind="coffee",
                network=network,
                coffee_group=coffee_group,
                user=p[key],
                answer="met",
                note="n",
            )
        for key in ("mentor", "member_a2"):
            MeetingCheck.objects.create(
                kind="mentoring", network=network, mentor_match=match, user=p[key], note="n"
            )
        Relationship.objects.create(match=match, what="w", how_often="h")
        MentorMeeting.objects.create(
            match=match, met_on=TODAY - timedelta(days=1), notes="n", added_by=p["mentor"]
        )
        partners = PartnerGroup.objects.create(
            network=network,
            name=f"{net} partners",
            organization="o",
            shares=["case_study", "template", "learning"],
        )
        partners.members.add(p["partner"])
        self.partner_groups[net] = partners
        self.identity_providers(net, network, p["admin"])

    def identity_providers(self, net: str, network: Any, admin: Any) -> None:
        """An OpenID Connect and a SAML provider, set up by the network's admin."""
        from allauth.socialaccount.models import SocialAccount

        from cadre.sso.services import save_provider

        oidc = save_provider(
            admin,
            network,
            protocol="oidc",
            name=f"{net} sign-in",
            domains=f"{net}.sso.test",
            server_url=f"https://{net}.idp.test/o",
            client_id=f"{net}-client",
            client_secret=f"{net}-sso-client-secret-matrix",
        )
        save_provider(
            admin,
            network,
            protocol="saml",
            name=f"{net} SAML",
            domains=f"{net}.saml.test",
            entity_id=f"https://{net}.idp.test/saml",
            sso_url=f"https://{net}.idp.test/saml/sso",
            x509cert="MIIC",
            slo_url=f"https://{net}.idp.test/saml/slo",
        )
        # The admin of its network, linked to its provider (the Django admin lists such links).
        SocialAccount.objects.create(user=admin, provider=oidc.slug, uid=f"{net}-admin")

    def cohort_content(
        self, net: str, cohort: Any, p: dict[str, Any], skills: list[Any], cast: tuple[str, ...]
    ) -> None:
        """`cast`: (host, member, second member, third member); in beta the second and third
        are the host and the member again, so beta has the same rows with fewer people."""
        from cadre.accountability.models import (
            Blocker,
            Commitment,
            Experiment,
            HelpOffer,
            Kudos,
            ProgressUpdate,
        )
        from cadre.coaching.models import CoachingSession, CoachPrompt, Feedback, choose_prompts
        from cadre.cohorts.models import Charter, CharterAcknowledgement
        from cadre.diagnostics.models import Assessment, AssessmentRound, TargetSkill
        from cadre.health.models import CohortHealth
        from cadre.journal.models import JournalEntry, JournalTag
        from cadre.metrics.models import Metric, MetricReporter, Observation
        from cadre.repository.models import RepositoryItem, Reuse
        from cadre.rotations.models import CoachingGroup, CoachingRound, CoachingSeat
        from cadre.schedule.models import (
            Absence,
            AgendaBlock,
            Attendance,
            CohortSchedule,
            Holiday,
            RoleAssignment,
            RoleSwap,
            Session,
            SessionNote,
            SessionReport,
        )

        host, member, second, third = (p[k] for k in cast)
        organizer = p["organizer"]
        charter = Charter.objects.create(
            cohort=cohort,
            version=1,
            mission="m",
            weekly_hours=2,
            learning_formats=["case"],
            project_kinds="k",
            norms="n",
            next_review_on=TODAY + timedelta(days=30),
            created_by=host,
            change_note="c",
        )
        CharterAcknowledgement.objects.create(charter=charter, user=member)
        CohortSchedule.objects.create(cohort=cohort, weekday=1, local_time=time(15, 0))
        held = [
            Session.objects.create(
                cohort=cohort,
                starts_at=NOW - timedelta(days=days),
                minutes=60,
                title="t",
            )
            for days in (15, 8)
        ]
        upcoming = Session.objects.create(
            cohort=cohort, starts_at=NOW + timedelta(days=6), minutes=60, title="t"
        )
        for session in [*held, upcoming]:
            RoleAssignment.objects.create(session=session, role="facilitator", user=host)
            RoleAssignment.objects.create(session=session, role="note-taker", user=member)
            AgendaBlock.objects.create(session=session, order=0, title="t", minutes=10, notes="n")
        for session in held:
            for user in {host, member, second, third}:
                Attendance.objects.create(session=session, user=user, status="present")
            SessionNote.objects.create(session=session, author=member, text="t")
        SessionReport.objects.create(
            session=held[0],
            body="b",
            what_worked="w",
            what_did_not="d",
            status="published",
            share_with_network=True,
            published_at=NOW - timedelta(days=14),
            published_by=member,
        )
        SessionReport.objects.create(session=held[1], body="b", what_worked="w", what_did_not="d")
        Absence.objects.create(session=upcoming, user=second, note="n")
        Holiday.objects.create(
            network=cohort.network, cohort=cohort, on=TODAY + timedelta(days=20), name="h"
        )
        Holiday.objects.get_or_create(
            network=cohort.network,
            cohort=None,
            on=TODAY + timedelta(days=21),
            defaults={"name": "h", "created_by": organizer},
        )
        if member != host:
            RoleSwap.objects.create(
                session=upcoming, role="note-taker", asked_by=member, partner=host
            )

        commitments = {}
        for owner_key, owner in (("member", member), ("second", second)):
            for visibility in ("cohort", "private"):
                commitments[owner_key, visibility] = Commitment.objects.create(
                    cohort=cohort,
                    owner=owner,
                    text="t",
                    deliverable="d",
                    evidence="e",
                    due_on=TODAY + timedelta(days=7),
                    visibility=visibility,
                    session=held[1],
                )
        Kudos.objects.create(commitment=commitments["second", "cohort"], giver=third)
        updates = {}
        for visibility in ("cohort", "private"):
            update = updates[visibility] = ProgressUpdate.objects.create(
                cohort=cohort,
                author=second,
                commitment=commitments["second", visibility],
                done="d",
                remaining="r",
            )
            blocker = Blocker.objects.create(update=update, text="t")
            blocker.skills.add(skills[0])
            HelpOffer.objects.create(blocker=blocker, helper=third, message="m")
        experiments = {}
        for visibility in ("cohort", "private"):
            experiments[visibility] = Experiment.objects.create(
                cohort=cohort,
                owner=second,
                title="t",
                skill=skills[0],
                capability="c",
                hypothesis="h",
                plan="p",
                starts_on=TODAY - timedelta(days=30),
                ends_on=TODAY - timedelta(days=2),
                measure="m",
                baseline="b",
                result_data="r",
                outcome="succeeded",
                learnings="l",
                next_steps="n",
                visibility=visibility,
            )

        self.conversation(cohort, (host, member, second, third), updates, experiments)

        round_ = CoachingRound.objects.create(
            cohort=cohort, number=1, starts_on=TODAY - timedelta(days=7)
        )
        group = CoachingGroup.objects.create(round=round_, index=0)
        CoachingSeat.objects.create(group=group, user=second, role="coachee")
        CoachingSeat.objects.create(
            group=group, user=third if third != second else host, role="coach"
        )
        bank = list(CoachPrompt.objects.filter(network=cohort.network))
        sessions = []
        # Who sits in each coaching session: (coachee, coach, observer). In alpha: one the
        # requesting people sit in none of, one the member coaches (on the second member's
        # private commitment), one the member is coached in by the host.
        trios = [(second, third, None), (second, member, None), (member, host, third)]
        for coachee, coach, observer in trios:
            if coach == coachee:
                coach = host if coachee != host else member
            if observer in (coach, coachee):
                observer = None
            sessions.append(
                CoachingSession.objects.create(
                    cohort=cohort,
                    group=group if coachee == second else None,
                    coachee=coachee,
                    coach=coach,
                    observer=observer,
                    focus="f",
                    prompts=choose_prompts(bank, 0),
                    notes="n",
                    observer_notes="o" if observer else "",
                    next_step="s",
                )
            )
        sessions[1].commitment = commitments["second", "private"]
        sessions[1].save(update_fields=["commitment"])
        feedback = [
            (third, second, "private", sessions[0]),
            (second, member, "cohort", sessions[1]),
            (third, second, "shared", None),
            (member, third, "private", None),
        ]
        for giver, receiver, visibility, coaching_session in feedback:
            if giver == receiver:
                giver = host if receiver != host else member
            row = Feedback.objects.create(
                cohort=cohort,
                giver=giver,
                receiver=receiver,
                coaching_session=coaching_session,
                situation="s",
                behaviour="b",
                impact="i",
                suggestion="x",
                visibility=visibility,
            )
            if visibility == "shared":
                row.shared_with.add(p["mentor"])

        TargetSkill.objects.create(cohort=cohort, skill=skills[0], target_level=3)
        assessment_round = AssessmentRound.objects.create(
            cohort=cohort,
            number=1,
            label="l",
            opens_on=TODAY - timedelta(days=20),
            peer_assessments_enabled=True,
            opened_by=host,
        )
        for assessor, subject in (
            (member, member),
            (second, member),
            (third, member),
            (member, second),
        ):
            Assessment.objects.get_or_create(
                round=assessment_round,
                skill=skills[0],
                subject=subject,
                assessor=assessor,
                defaults={"level": 2, "note": "n"},
            )

        for visibility, author in (
            ("private", second),
            ("cohort", second),
            ("network", second),
            ("private", member),
        ):
            entry = JournalEntry.objects.create(
                network=cohort.network,
                author=author,
                cohort=cohort if visibility == "cohort" else None,
                title="t",
                body="b",
                visibility=visibility,
                experiment=experiments["private"]
                if author == second and visibility == "network"
                else None,
            )
            JournalTag.objects.create(entry=entry, name=f"tag{entry.pk}")
        shared_entry = JournalEntry.objects.create(
            network=cohort.network, author=second, title="t", body="b", visibility="private"
        )
        shared_entry.shared_with.add(p["mentor"])
        JournalTag.objects.create(entry=shared_entry, name=f"tag{shared_entry.pk}")

        items = []
        for visibility in ("network", "partners", "public"):
            item = RepositoryItem.objects.create(
                network=cohort.network,
                kind="learning",
                title="t",
                summary="s",
                body="b",
                author=second,
                origin_cohort=cohort,
                visibility=visibility,
            )
            if visibility == "partners":
                item.partner_groups.add(self.partner_groups[net])
            items.append(item)
        RepositoryItem.objects.create(
            network=cohort.network,
            kind="case_study",
            title="t",
            summary="s",
            body="b",
            author=second,
            origin_cohort=cohort,
            source_experiment=experiments["cohort"],
            data={"hypothesis": "h"},
        )
        Reuse.objects.create(item=items[0], user=third, cohort=cohort, note="n")

        metrics = []
        for name in ("first", "second"):
            metric = Metric.objects.create(
                network=cohort.network,
                cohort=cohort,
                name=name,
                unit="u",
                direction="higher",
                target=Decimal("10"),
                baseline=Decimal("1"),
                description="d",
                created_by=host,
            )
            Observation.objects.create(
                metric=metric,
                value=Decimal("3"),
                observed_on=TODAY - timedelta(days=3),
                person=second,
                note="n",
                recorded_by=second,
            )
            metrics.append(metric)
        if cohort.slug == "alpha":
            # The member of beta reports alpha's second metric: that one, nothing else.
            MetricReporter.objects.create(
                network=cohort.network, metric=metrics[1], user=p["member_b"], granted_by=host
            )
            network_metric = Metric.objects.create(
                network=cohort.network,
                name="network",
                unit="u",
                direction="higher",
                target=Decimal("10"),
                description="d",
                created_by=organizer,
            )
            Observation.objects.create(
                metric=network_metric,
                value=Decimal("3"),
                observed_on=TODAY - timedelta(days=3),
                note="n",
                recorded_by=organizer,
            )
        CohortHealth.objects.create(cohort=cohort, network=cohort.network, members=4)

    def conversation(
        self,
        cohort: Any,
        people: tuple[Any, ...],
        updates: dict[str, Any],
        experiments: dict[str, Any],
    ) -> None:
        """Comments (a reply too), reactions and the notifications they make, on a cohort
        update, blocker and experiment, on private ones (by their owner) and on the session
        reports (published and draft), through the conversation's services."""
        from cadre.conversation import services
        from cadre.conversation.models import Subject
        from cadre.conversation.policy import Item
        from cadre.schedule.models import SessionReport

        host, member, second, third = people
        # (the item, who comments, who replies): private items only their owner talks about.
        items = [
            (Item(Subject.UPDATE, updates["cohort"], cohort), member, host),
            (Item(Subject.BLOCKER, updates["cohort"].blocker, cohort), third, second),
            (Item(Subject.EXPERIMENT, experiments["cohort"], cohort), host, second),
            (Item(Subject.UPDATE, updates["private"], cohort), second, second),
            (Item(Subject.BLOCKER, updates["private"].blocker, cohort), second, second),
            (Item(Subject.EXPERIMENT, experiments["private"], cohort), second, second),
        ]
        for report in SessionReport.objects.filter(session__cohort=cohort).order_by("pk"):
            items.append((Item(Subject.REPORT, report, cohort), host, host))
        for item, author, answerer in items:
            comment = services.post_comment(author=author, item=item, body="c")
            services.post_comment(author=answerer, item=item, body="r", parent=comment)
            services.toggle_reaction(person=author, item=item, kind="tada")
            services.toggle_reaction(person=answerer, item=item, kind="bulb", comment=comment)

    def tokens(self, world: World) -> None:
        """Every person's API token, calendar feed and reminder settings, and one reminder
        e-mail (the admin lists them)."""
        from cadre.api.models import ApiToken
        from cadre.delivery.models import Message
        from cadre.reminders.models import NotificationPreference, Reminder
        from cadre.schedule.models import CalendarToken

        member = self.people["n1.member_a"]
        message = Message.objects.create(
            key="matrix", user=member, to=member.email, subject="Reminder", body="Due soon."
        )
        Reminder.objects.create(kind="digest", user=member, key="matrix", message=message)
        self.admin_only_rows(world)
        for key, user in self.people.items():
            if user is None:
                continue
            NotificationPreference.objects.create(user=user)
            _, raw = ApiToken.issue(user, "t")
            world.tokens[key] = raw
            world.secrets[raw] = (user, "API token")
            feed = CalendarToken.objects.create(user=user)
            world.secrets[feed.token] = (user, "calendar feed token")

    def webhooks(self, net: str, network: Any, admin: Any) -> None:
        """An endpoint with one delivery of a test event; its secret is looked for as one."""
        from cadre.webhooks import events
        from cadre.webhooks.models import Delivery, Endpoint
        from cadre.webhooks.signing import new_secret

        endpoint = Endpoint.objects.create(
            network=network,
            url=f"https://hooks.{net}.matrix.test/in",
            description="d",
            secret=new_secret(),
            created_by=admin,
        )
        self.webhook_secrets[endpoint.secret] = admin
        Delivery.objects.create(
            endpoint=endpoint,
            event_type="webhook.test",
            message_id=f"msg_matrix_{net}",
            payload=events.envelope("webhook.test", events.test(network)),
            status="failed",
            attempts=5,
        )

    def sso_secrets(self, world: World) -> None:
        """The providers' client secrets and SAML signing keys: no page shows them, not even to
        the admins who typed them (the network's admin stands as their owner)."""
        from cadre.sso.models import IdentityProvider

        for provider in IdentityProvider.objects.exclude(client_secret=""):
            world.secrets[provider.client_secret] = (provider.created_by, "SSO client secret")
        # A SAML provider's own signing key (single logout), by a line from its middle.
        for provider in IdentityProvider.objects.exclude(sp_private_key=""):
            line = provider.sp_private_key.strip().splitlines()[5]
            world.secrets[line] = (provider.created_by, "SAML signing key")

    def chat(self, net: str, network: Any, admin: Any) -> None:
        """A Slack workspace (its token looked for as a secret), a cohort's channel and a
        failed notice."""
        from cryptography.fernet import Fernet

        from cadre.chat.models import ChannelLink, ChatDelivery, SlackIdentity, SlackWorkspace

        token = f"xoxb-matrix-{net}"
        workspace = SlackWorkspace.objects.create(
            network=network,
            team_id=f"T{net}",
            team_name="t",
            token=Fernet(Fernet.generate_key()).encrypt(token.encode()).decode(),
            installed_by=admin,
        )
        self.webhook_secrets[token] = admin
        SlackIdentity.objects.create(workspace=workspace, slack_user_id=f"U{net}", email="")
        cohort = network.cohorts.order_by("pk").first()
        ChannelLink.objects.create(
            cohort=cohort, slack_channel_id="C0MATRIX", teams_url="https://x.logic.azure.com/w"
        )
        ChatDelivery.objects.create(
            network=network,
            cohort=cohort,
            channel="teams",
            target="https://x.logic.azure.com/w",
            event_type="chat.test",
            key=f"chat.test:matrix:{net}",
            payload={"type": "message"},
            status="failed",
            attempts=6,
        )

    def admin_only_rows(self, world: World) -> None:
        """Rows that only the admin shows: a group of operators, a queued task, and the
        second member's two-factor authenticator, whose secret is theirs alone."""
        from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
        from django.contrib.auth.models import Group
        from django_tasks_db.models import DBTaskResult

        Group.objects.create(name="operators")
        DBTaskResult.objects.create(
            enqueued_at=NOW,
            run_after=NOW,
            args_kwargs={"args": [], "kwargs": {}},
            task_path="cadre.worker.tasks.matrix",
            backend_name="default",
            exception_class_path="",
            traceback="",
        )
        owner = self.people["n1.member_a2"]
        secret = generate_totp_secret()
        TOTP.activate(owner, secret)
        world.secrets[secret] = (owner, "two-factor secret")


def _where(row: Any) -> str:
    from cadre.transfer.graph import cohort_models, owned_models

    label = row._meta.label
    cohort_lookup = {o.label: o.lookup for o in cohort_models()}.get(label)
    network_lookup = {o.label: o.lookup for o in owned_models()}.get(label)
    model = type(row)
    if cohort_lookup is not None:
        value = (
            model._default_manager.filter(pk=row.pk)
            .values_list(
                f"{cohort_lookup}__network__slug" if cohort_lookup else "network__slug",
                f"{cohort_lookup}__slug" if cohort_lookup else "slug",
            )
            .first()
        )
        if value and value[0]:
            return f"{value[0]}/{value[1]}"
    if network_lookup is not None:
        slug = (
            model._default_manager.filter(pk=row.pk)
            .values_list(f"{network_lookup}__slug" if network_lookup else "slug", flat=True)
            .first()
        )
        return slug or ""
    return ""


def stamp(world: World) -> None:
    """Write a canary into every canary field of every row, and record it."""
    counter = 0
    for label, fields in CANARY_FIELDS.items():
        model = apps.get_model(label)
        for row in model._default_manager.order_by("pk"):
            where = _where(row)
            values: dict[str, Any] = {}
            for name in fields:
                counter += 1
                token = f"CANARY-{where.replace('/', '-') or 'x'}-{counter:04d}"
                if isinstance(model._meta.get_field(name), models.SlugField):
                    token = token.lower()
                values[name] = token
                world.canaries[token] = Canary(token, label, row.pk, name, where)
                world.by_row[label, row.pk].add(token)
                world.by_field[label, row.pk, name] = token
            model._default_manager.filter(pk=row.pk).update(**values)
            world.rows[label].append(row)


def iter_rows(world: World) -> Iterator[tuple[str, Any]]:
    for label, rows in world.rows.items():
        for row in rows:
            yield label, row


def build_world() -> World:
    return Builder().build()
