"""A cohort with a story to tell: sessions with attendance, commitments, experiments,
blockers with offers of help, coaching sessions, case studies, metrics and three assessment
rounds, plus private rows and other cohorts' rows the report must leave out. The expected
numbers are worked out by hand in the tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from cadre.accountability.models import (
    Blocker,
    Commitment,
    CommitmentStatus,
    Experiment,
    HelpOffer,
    Outcome,
    ProgressUpdate,
    Visibility,
)
from cadre.coaching.models import CoachingSession
from cadre.cohorts.models import CohortMembership, CohortRole
from cadre.diagnostics.models import Assessment, AssessmentRound, TargetSkill
from cadre.metrics.models import Direction, Metric, Observation
from cadre.networks.models import CodeOfConductAcceptance, NetworkMembership, Role, Skill
from cadre.repository.models import ItemKind, RepositoryItem
from cadre.schedule.models import Attendance, AttendanceStatus, Session
from cadre.testing import make_user


@dataclass
class Story:
    lukasz: Any
    zoe: Any
    today: date


def join(cast: Any, name: str, email: str, cohort: Any = None, left: bool = False) -> Any:
    """A network member who accepted the code of conduct, in `cohort` (the cast's by
    default)."""
    user = make_user(email, name)
    NetworkMembership.objects.create(network=cast.network, user=user, role=Role.MEMBER)
    CodeOfConductAcceptance.objects.create(code=cast.network.current_code_of_conduct(), user=user)
    CohortMembership.objects.create(
        cohort=cohort or cast.cohort,
        user=user,
        role=CohortRole.MEMBER,
        joined_on=timezone.localdate() - timedelta(days=90),
        left_on=timezone.localdate() - timedelta(days=1) if left else None,
    )
    return user


def tell(cast: Any) -> Story:
    """Write the story into cast.cohort."""
    now = timezone.now()
    today = timezone.localdate()
    cohort, host, member = cast.cohort, cast.host, cast.member
    lukasz = join(cast, "Łukasz Nowak", "lukasz@northwind.test")
    zoe = join(cast, "Zoë Ng", "zoe@northwind.test")
    leaver = join(cast, "Lee Leaver", "lee@northwind.test", left=True)

    # Sessions: three held in the past, one cancelled, one to come.
    held = [
        Session.objects.create(cohort=cohort, starts_at=now - timedelta(days=d))
        for d in (21, 14, 7)
    ]
    cancelled = Session.objects.create(
        cohort=cohort, starts_at=now - timedelta(days=10), cancelled=True
    )
    upcoming = Session.objects.create(cohort=cohort, starts_at=now + timedelta(days=7))
    marks = [
        (held[0], host, "present"),
        (held[0], member, "present"),
        (held[0], lukasz, "absent"),
        (held[1], host, "present"),
        (held[1], member, "excused"),
        (held[1], lukasz, "present"),
        (held[2], host, "present"),
        (held[2], member, "present"),
        (held[2], lukasz, "present"),
        (cancelled, host, "present"),
        (upcoming, host, "absent"),
    ]
    Attendance.objects.bulk_create(
        Attendance(session=s, user=u, status=AttendanceStatus(st)) for s, u, st in marks
    )

    # Commitments: seven the cohort sees, two private ones.
    def commit(status: str, due: int | None, done_days_ago: int | None = None, **kw: Any):
        return Commitment.objects.create(
            cohort=cohort,
            owner=kw.pop("owner", member),
            text=kw.pop("text", "Write the runbook"),
            status=status,
            due_on=None if due is None else today + timedelta(days=due),
            completed_at=None if done_days_ago is None else now - timedelta(days=done_days_ago),
            **kw,
        )

    commit(CommitmentStatus.DONE, -10, 12)  # on time
    commit(CommitmentStatus.DONE, -10, 5)  # late
    commit(CommitmentStatus.DONE, None, 0)  # no due date
    commit(CommitmentStatus.MISSED, -3)
    overdue = commit(CommitmentStatus.OPEN, -2)
    commit(CommitmentStatus.OPEN, 5)
    commit(CommitmentStatus.DROPPED, 4)
    private = commit(
        CommitmentStatus.DONE, -10, 12, visibility=Visibility.PRIVATE, text="Secret goal"
    )
    commit(CommitmentStatus.MISSED, -3, visibility=Visibility.PRIVATE, text="Secret goal")

    # Experiments: two concluded and one running that the cohort sees, one private.
    def experiment(title: str, outcome: str, learnings: str, **kw: Any) -> Experiment:
        return Experiment.objects.create(
            cohort=cohort,
            owner=kw.pop("owner", lukasz),
            title=title,
            capability="Incident response",
            hypothesis="If we drill, we recover faster.",
            plan="Monthly drills.",
            starts_on=today - timedelta(days=40),
            ends_on=today - timedelta(days=kw.pop("ended", 5)),
            measure="Recovery minutes",
            outcome=outcome,
            learnings=learnings,
            result_data="Recovery went from 50 to 32 minutes.",
            **kw,
        )

    experiment("Game day drills", Outcome.SUCCEEDED, "Runbooks beat memory.")
    experiment("Pager rotation swap", Outcome.FAILED, "Handover matters.", ended=9)
    experiment("Chaos Fridays", Outcome.RUNNING, "")
    experiment(
        "Secret side project",
        Outcome.SUCCEEDED,
        "Private insight.",
        visibility=Visibility.PRIVATE,
        owner=member,
    )

    # Blockers: one free-standing (resolved), one on a cohort commitment, one private.
    def blocker(commitment: Any, text: str, helpers: list[Any], accept: bool) -> None:
        update = ProgressUpdate.objects.create(
            cohort=cohort, author=member, commitment=commitment, done="Some."
        )
        found = Blocker.objects.create(update=update, text=text)
        for helper in helpers:
            found.offer(helper, "I can help.")
        if accept:
            offer = HelpOffer.objects.filter(blocker=found).first()
            assert offer is not None, "the helpers above offered"
            offer.accept()

    blocker(None, "No staging environment", [host, lukasz], accept=True)
    blocker(overdue, "Waiting for access", [host], accept=False)
    blocker(private, "Secret blocker", [zoe], accept=True)

    # Coaching: counted, never described.
    CoachingSession.objects.create(
        cohort=cohort, coachee=member, coach=host, focus="Confidential focus", notes="Hush."
    )
    CoachingSession.objects.create(
        cohort=cohort, coachee=lukasz, coach=member, focus="Confidential focus"
    )
    CoachingSession.objects.create(
        cohort=cast.other_cohort,
        coachee=cast.other_cohort_member,
        coach=cast.admin,
        focus="Elsewhere",
    )

    # Case studies: two from this cohort; a template from it and one from elsewhere.
    for title, reuses in (("Game day playbook", 3), ("Pager swap lessons", 1)):
        RepositoryItem.objects.create(
            network=cast.network,
            kind=ItemKind.CASE_STUDY,
            title=title,
            author=lukasz,
            origin_cohort=cohort,
            reuse_count=reuses,
        )
    RepositoryItem.objects.create(
        network=cast.network,
        kind=ItemKind.TEMPLATE,
        title="Drill agenda",
        origin_cohort=cohort,
        reuse_count=9,
    )
    RepositoryItem.objects.create(
        network=cast.network,
        kind=ItemKind.CASE_STUDY,
        title="Design crit",
        origin_cohort=cast.other_cohort,
        reuse_count=5,
    )

    # Metrics: one with a baseline, one without, one with no observations yet.
    recovery = Metric.objects.create(
        network=cast.network,
        cohort=cohort,
        name="Recovery time",
        unit="minutes",
        direction=Direction.LOWER,
        target=Decimal(30),
        baseline=Decimal(50),
    )
    satisfaction = Metric.objects.create(
        network=cast.network,
        cohort=cohort,
        name="Stakeholder satisfaction",
        unit="points",
        direction=Direction.HIGHER,
        target=Decimal(8),
    )
    Metric.objects.create(
        network=cast.network,
        cohort=cohort,
        name="Adoption",
        unit="%",
        direction=Direction.HIGHER,
        target=Decimal(50),
    )
    Metric.objects.create(
        network=cast.network,
        name="Network reach",
        unit="people",
        direction=Direction.HIGHER,
        target=Decimal(100),
    )
    for metric, values in ((recovery, (45, 32)), (satisfaction, (7, 6))):
        for days, value in zip((20, 3), values, strict=True):
            Observation.objects.create(
                metric=metric, value=Decimal(value), observed_on=today - timedelta(days=days)
            )

    # Skills: rounds 1..3; the report compares round 1 with round 3.
    facilitation = Skill.objects.get(network=cast.network, name="Facilitation")
    analysis = Skill.objects.get(network=cast.network, name="Data analysis")
    TargetSkill.objects.create(cohort=cohort, skill=facilitation, target_level=3)
    TargetSkill.objects.create(cohort=cohort, skill=analysis, target_level=3)
    rounds = [
        AssessmentRound.objects.create(cohort=cohort, number=n, label=label)
        for n, label in ((1, "Start"), (2, "Midpoint"), (3, "End"))
    ]
    levels = [
        (rounds[0], facilitation, host, 1),
        (rounds[0], facilitation, member, 2),
        (rounds[0], facilitation, lukasz, 1),
        (rounds[0], facilitation, leaver, 4),  # has left: not counted
        (rounds[0], analysis, member, 2),  # alone: too few answers to show
        (rounds[1], facilitation, host, 0),  # the middle round is not compared
        (rounds[2], facilitation, host, 3),
        (rounds[2], facilitation, member, 3),
        (rounds[2], facilitation, lukasz, 2),
        (rounds[2], analysis, host, 2),
        (rounds[2], analysis, member, 3),
    ]
    for rnd, skill, person, level in levels:
        Assessment.objects.create(
            round=rnd, skill=skill, subject=person, assessor=person, level=level
        )
    # A peer's score is not a self-assessment.
    Assessment.objects.create(
        round=rounds[2], skill=facilitation, subject=member, assessor=host, level=4
    )
    return Story(lukasz=lukasz, zoe=zoe, today=today)


def impact_url(cast: Any, name: str = "report", cohort: Any = None) -> str:
    from django.urls import reverse

    cohort = cohort or cast.cohort
    return reverse(f"impact:{name}", args=[cast.network.slug, cohort.slug])


def api_url(cast: Any, cohort: Any = None) -> str:
    cohort = cohort or cast.cohort
    return f"/api/v1/networks/{cast.network.slug}/cohorts/{cohort.slug}/impact"


def grow(cast: Any, copies: int) -> None:
    """`copies` more of every session, commitment, experiment, case study and metric of the
    cohort (with their observations), without new people: for the query-count tests."""
    for model, field, scope in (
        (Session, "", {"cohort": cast.cohort}),
        (Commitment, "text", {"cohort": cast.cohort}),
        (Experiment, "title", {"cohort": cast.cohort}),
        (RepositoryItem, "title", {"origin_cohort": cast.cohort}),
    ):
        rows = list(model.objects.filter(**scope))
        for k in range(copies):
            for row in rows:
                row.pk = None
                if field:
                    setattr(row, field, f"{getattr(row, field)} copy {k}")
                row.save()
    for k in range(copies):
        originals = Metric.objects.filter(cohort=cast.cohort).exclude(name__contains=" copy ")
        for metric in list(originals):
            observations = list(metric.observations.all())
            metric.pk, metric.name = None, f"{metric.name} copy {k}"
            metric.save()
            Observation.objects.bulk_create(
                Observation(metric=metric, value=o.value, observed_on=o.observed_on)
                for o in observations
            )
