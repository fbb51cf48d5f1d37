"""What a cohort set out to do, what it did and what changed, gathered once for the impact
report's page, its PDF and the API alike.

`gather(cohort, viewer=...)` reads everything in a fixed number of queries (about twenty)
however many sessions, commitments, experiments, metrics or assessments the cohort has: counts
and averages are worked out in SQL, and only the rows the report lists are fetched.

What the report may show is decided here as much as in the apps' policy modules, because the
report can be read by people who do not see the cohort's board (the network's members, when
the cohort is shared with the network):

- only cohort-visible commitments, experiments and blockers are counted or listed; a member's
  private items stay out of every number, so the report cannot hint at them;
- coaching sessions are counted, never described;
- skill levels appear only as cohort averages, and only when at least MIN_ANSWERS people
  answered, so nobody's own level can be read off the report;
- case studies are listed only when the viewer may read them in the library."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.db.models import Avg, Count, F, OuterRef, Q, Subquery, Sum
from django.urls import reverse
from django.utils import timezone

from cadre.accountability.models import (
    Blocker,
    Commitment,
    CommitmentStatus,
    Experiment,
    Outcome,
    Visibility,
)
from cadre.coaching.models import CoachingSession
from cadre.cohorts.models import Cohort, CohortRole
from cadre.diagnostics.models import LEARNING_ROLES, Assessment, AssessmentRound, TargetSkill
from cadre.lib.numbers import percent
from cadre.metrics import figures
from cadre.metrics.models import Metric, Observation, weekly_means
from cadre.repository.models import ItemKind
from cadre.repository.policy import visible_repository_items
from cadre.schedule.models import Session

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

# A skill average is shown only when at least this many learners answered in that round.
MIN_ANSWERS = 2


# --- what the cohort set out to do ----------------------------------------------------------


@dataclass(frozen=True)
class Purpose:
    objective: str
    outcomes: list[str]
    charter_version: int | None
    mission: str
    weekly_hours: Decimal | None
    learning_formats: list[str]
    project_kinds: str


@dataclass(frozen=True)
class Person:
    name: str
    role: str  # the cohort role's label: Host, Member...


# --- what it did ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Sessions:
    held: int  # past, not cancelled
    hours: float
    attendance: figures.Value  # the cohort's attendance since the start

    @property
    def attendance_recorded(self) -> int:
        """Present and absent marks on those sessions (excused ones count in neither)."""
        return self.attendance.whole or 0

    @property
    def present(self) -> int:
        return self.attendance.part or 0

    @property
    def attendance_rate(self) -> float | None:
        return self.attendance.value


@dataclass(frozen=True)
class Commitments:
    """Cohort-visible commitments only."""

    made: int
    done: int
    missed: int
    open: int
    overdue: int
    dropped: int
    follow_through: figures.Value  # of those due by today (not dropped), the share done
    done_on_time: int  # of those due, done on or before their due date

    @property
    def with_due_date(self) -> int:
        """The commitments due by today, dropped ones left out: what follow-through and
        "on time" are out of."""
        return self.follow_through.whole or 0

    @property
    def on_time_rate(self) -> float | None:
        return percent(self.done_on_time, self.with_due_date)


@dataclass(frozen=True)
class ExperimentRow:
    title: str
    owner: str
    capability: str
    outcome: str  # the outcome's label
    ends_on: date
    result_data: str
    learnings: str
    next_steps: str


@dataclass(frozen=True)
class Experiments:
    """Cohort-visible experiments only; failed ones count as concluded (they taught us)."""

    run: int
    running: int
    succeeded: int
    failed: int
    inconclusive: int
    concluded: list[ExperimentRow]

    @property
    def concluded_count(self) -> int:
        return self.succeeded + self.failed + self.inconclusive


@dataclass(frozen=True)
class Help:
    """Blockers raised in cohort-visible updates and the offers of help they got."""

    blockers_raised: int
    blockers_resolved: int
    offers: figures.Value  # offers of help made since the start
    offers_accepted: int
    helpers: int  # distinct people who offered

    @property
    def offers_made(self) -> int:
        return int(self.offers.value or 0)


@dataclass(frozen=True)
class Coaching:
    """Counts only: what is said in a coaching session stays with its participants."""

    sessions: int
    people_coached: int


@dataclass(frozen=True)
class CaseStudy:
    title: str
    url: str
    reuse_count: int
    created_on: date


# --- what changed ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MetricChange:
    name: str
    unit: str
    higher_is_better: bool
    target: Decimal
    start: Decimal | None
    start_source: str  # "baseline", "first observation" or "" when there is nothing
    start_on: date | None
    latest: Decimal | None
    latest_on: date | None
    observations: int
    # (Monday of the week, mean of that week's observations), oldest first, for the chart
    weekly: list[tuple[date, Decimal]] = field(default_factory=list)

    @property
    def change(self) -> Decimal | None:
        if self.start is None or self.latest is None:
            return None
        return self.latest - self.start

    @property
    def verdict(self) -> str:
        """ "better", "worse", "unchanged" by the metric's direction, or "" with too little
        data. Said in words, so the report never relies on colour."""
        change = self.change
        if change is None or (self.start_source == "first observation" and self.observations < 2):
            return ""
        if change == 0:
            return "unchanged"
        improved = change > 0 if self.higher_is_better else change < 0
        return "better" if improved else "worse"

    @property
    def meets_target(self) -> bool | None:
        if self.latest is None:
            return None
        if self.higher_is_better:
            return self.latest >= self.target
        return self.latest <= self.target


@dataclass(frozen=True)
class SkillChange:
    skill: str
    target_level: int
    first: float | None  # cohort average in the first round (None: too few answers)
    first_answers: int
    latest: float | None
    latest_answers: int

    @property
    def change(self) -> float | None:
        if self.first is None or self.latest is None:
            return None
        return round(self.latest - self.first, 1)


@dataclass(frozen=True)
class SkillGrowth:
    first_round: str  # "1. Start"; empty before any round
    latest_round: str  # empty while there is only one round
    skills: list[SkillChange]


@dataclass(frozen=True)
class ImpactReport:
    network_name: str
    network_slug: str
    cohort_name: str
    cohort_slug: str
    status: str
    shared_with_network: bool
    starts_on: date | None
    generated_on: date
    purpose: Purpose
    members: list[Person]
    active_members: figures.Value
    sessions: Sessions
    commitments: Commitments
    experiments: Experiments
    help: Help
    coaching: Coaching
    case_studies: list[CaseStudy]
    metrics: list[MetricChange]
    skills: SkillGrowth

    @property
    def total_reuses(self) -> int:
        return sum(c.reuse_count for c in self.case_studies)

    @property
    def cohort_figures(self) -> list[figures.Value]:
        """The cohort figures the report shows (since the start; members today)."""
        return [
            self.sessions.attendance,
            self.commitments.follow_through,
            self.help.offers,
            self.active_members,
        ]


# --- gathering ------------------------------------------------------------------------------


def gather(cohort: Cohort, *, viewer: Any, today: date | None = None) -> ImpactReport:
    """The cohort's impact report as `viewer` may read it (the viewer only narrows the case
    studies to those they may open in the library; everything else is the same for every
    reader). `today` fixes the clock for tests."""
    today = today or timezone.localdate()
    now = timezone.now()
    found = figures.of_cohort(cohort, figures.WHOLE, now)
    return ImpactReport(
        network_name=cohort.network.name,
        network_slug=cohort.network.slug,
        cohort_name=cohort.name,
        cohort_slug=cohort.slug,
        status=cohort.get_status_display(),
        shared_with_network=cohort.shared_with_network,
        starts_on=cohort.starts_on,
        generated_on=today,
        purpose=_purpose(cohort),
        members=_members(cohort),
        active_members=found.active_members,
        sessions=_sessions(cohort, now, found.attendance),
        commitments=_commitments(cohort, today, found.follow_through),
        experiments=_experiments(cohort),
        help=_help(cohort, found.help_offered),
        coaching=_coaching(cohort),
        case_studies=_case_studies(cohort, viewer),
        metrics=_metrics(cohort),
        skills=_skills(cohort),
    )


def _purpose(cohort: Cohort) -> Purpose:
    charter = cohort.current_charter()
    return Purpose(
        objective=cohort.objective,
        outcomes=cohort.outcome_list(),
        charter_version=charter.version if charter else None,
        mission=charter.mission if charter else "",
        weekly_hours=charter.weekly_hours if charter else None,
        learning_formats=charter.format_labels() if charter else [],
        project_kinds=charter.project_kinds if charter else "",
    )


def _members(cohort: Cohort) -> list[Person]:
    """The active roster, hosts first: the same names the cohort page shows its readers."""
    labels = dict(CohortRole.choices)
    rows = (
        cohort.memberships.active()
        .select_related("user")
        .order_by("user__name", "user__email")
        .values_list("user__name", "user__email", "role")
    )
    people = [Person(name or email, str(labels.get(role, role))) for name, email, role in rows]
    return sorted(people, key=lambda p: p.role != str(labels[CohortRole.HOST]))


def _sessions(cohort: Cohort, now: datetime, attendance: figures.Value) -> Sessions:
    held = Session.objects.held().past(now).filter(cohort=cohort)
    totals = held.aggregate(n=Count("pk"), minutes=Sum("minutes"))
    return Sessions(
        held=totals["n"],
        hours=round((totals["minutes"] or 0) / 60, 1),
        attendance=attendance,
    )


def _commitments(cohort: Cohort, today: date, follow_through: figures.Value) -> Commitments:
    done = Q(status=CommitmentStatus.DONE)
    counts = Commitment.objects.filter(cohort=cohort, visibility=Visibility.COHORT).aggregate(
        made=Count("pk"),
        done=Count("pk", filter=done),
        missed=Count("pk", filter=Q(status=CommitmentStatus.MISSED)),
        open=Count("pk", filter=Q(status=CommitmentStatus.OPEN)),
        overdue=Count("pk", filter=Q(status=CommitmentStatus.OPEN, due_on__lt=today)),
        dropped=Count("pk", filter=Q(status=CommitmentStatus.DROPPED)),
    )
    on_time = (
        figures.due_commitments([cohort.pk], today)
        .filter(done, completed_at__date__lte=F("due_on"))
        .count()
    )
    return Commitments(
        made=counts["made"],
        done=counts["done"],
        missed=counts["missed"],
        open=counts["open"],
        overdue=counts["overdue"],
        dropped=counts["dropped"],
        follow_through=follow_through,
        done_on_time=on_time,
    )


def _experiments(cohort: Cohort) -> Experiments:
    shown = Experiment.objects.filter(cohort=cohort, visibility=Visibility.COHORT)
    counts = shown.aggregate(
        run=Count("pk"),
        **{o: Count("pk", filter=Q(outcome=o)) for o in Outcome.values},
    )
    labels = dict(Outcome.choices)
    concluded = [
        ExperimentRow(
            title=e.title,
            owner=e.owner.name or e.owner.email,
            capability=e.capability,
            outcome=str(labels.get(e.outcome, e.outcome)),
            ends_on=e.ends_on,
            result_data=e.result_data,
            learnings=e.learnings,
            next_steps=e.next_steps,
        )
        for e in shown.exclude(outcome=Outcome.RUNNING)
        .select_related("owner")
        .order_by("-ends_on", "-pk")
    ]
    return Experiments(
        run=counts["run"],
        running=counts[Outcome.RUNNING],
        succeeded=counts[Outcome.SUCCEEDED],
        failed=counts[Outcome.FAILED],
        inconclusive=counts[Outcome.INCONCLUSIVE],
        concluded=concluded,
    )


def _visible_blockers(prefix: str = "") -> Q:
    """Blockers of free-standing updates or of updates about cohort-visible commitments."""
    return Q(**{f"{prefix}update__commitment__isnull": True}) | Q(
        **{f"{prefix}update__commitment__visibility": Visibility.COHORT}
    )


def _help(cohort: Cohort, offered: figures.Value) -> Help:
    blockers = Blocker.objects.filter(_visible_blockers(), update__cohort=cohort).aggregate(
        raised=Count("pk"), resolved=Count("pk", filter=Q(resolved_at__isnull=False))
    )
    offers = figures.help_offers([cohort.pk]).aggregate(
        accepted=Count("pk", filter=Q(accepted_at__isnull=False)),
        helpers=Count("helper", distinct=True),
    )
    return Help(
        blockers_raised=blockers["raised"],
        blockers_resolved=blockers["resolved"],
        offers=offered,
        offers_accepted=offers["accepted"],
        helpers=offers["helpers"],
    )


def _coaching(cohort: Cohort) -> Coaching:
    counts = CoachingSession.objects.filter(cohort=cohort).aggregate(
        sessions=Count("pk"), people=Count("coachee", distinct=True)
    )
    return Coaching(sessions=counts["sessions"], people_coached=counts["people"])


def _case_studies(cohort: Cohort, viewer: Any) -> list[CaseStudy]:
    rows = (
        visible_repository_items(viewer, cohort.network)
        .filter(origin_cohort=cohort, kind=ItemKind.CASE_STUDY)
        .order_by("-reuse_count", "title", "pk")
        .values_list("pk", "title", "reuse_count", "created_at")
    )
    return [
        CaseStudy(
            title=title,
            url=reverse("repository:item", args=[cohort.network.slug, pk]),
            reuse_count=reuses,
            created_on=timezone.localtime(created).date(),
        )
        for pk, title, reuses, created in rows
    ]


class _MetricFigures(TypedDict):
    """What `_metrics` annotates on each metric."""

    first_value: Decimal | None
    first_on: date | None
    latest_value: Decimal | None
    latest_on: date | None
    n: int


def _metrics(cohort: Cohort) -> list[MetricChange]:
    """Each cohort metric from where it started (its baseline, else its first observation)
    to its latest observation, against its target; two queries for any number of metrics."""
    first = Observation.objects.filter(metric=OuterRef("pk")).order_by("observed_on", "pk")
    latest = Observation.objects.filter(metric=OuterRef("pk")).order_by("-observed_on", "-pk")
    # The stubs forget a custom queryset's annotations when it is iterated; they are there.
    metrics = cast(
        "list[WithAnnotations[Metric, _MetricFigures]]",
        list(
            Metric.objects.of_cohort(cohort)
            .annotate(
                first_value=Subquery(first.values("value")[:1]),
                first_on=Subquery(first.values("observed_on")[:1]),
                latest_value=Subquery(latest.values("value")[:1]),
                latest_on=Subquery(latest.values("observed_on")[:1]),
                n=Count("observations"),
            )
            .order_by("name", "pk")
        ),
    )
    weeks = weekly_means([m.pk for m in metrics]) if metrics else {}
    result = []
    for m in metrics:
        if m.baseline is not None:
            start, source, start_on = m.baseline, "baseline", None
        elif m.first_value is not None:
            start, source, start_on = m.first_value, "first observation", m.first_on
        else:
            start, source, start_on = None, "", None
        result.append(
            MetricChange(
                name=m.name,
                unit=m.unit,
                higher_is_better=m.higher_is_better,
                target=m.target,
                start=start,
                start_source=source,
                start_on=start_on,
                latest=m.latest_value,
                latest_on=m.latest_on,
                observations=m.n,
                weekly=[(week, mean) for week, mean, _ in weeks.get(m.pk, [])],
            )
        )
    return result


def _skills(cohort: Cohort) -> SkillGrowth:
    """The cohort's average self-assessed level per target skill, first round against the
    latest, over the cohort's current learners."""
    targets = list(TargetSkill.objects.filter(cohort=cohort).select_related("skill"))
    rounds = list(AssessmentRound.objects.filter(cohort=cohort).order_by("number"))
    if not rounds:
        return SkillGrowth(
            "", "", [SkillChange(t.skill.name, t.target_level, None, 0, None, 0) for t in targets]
        )
    first, last = rounds[0], rounds[-1]
    learners = cohort.memberships.active().filter(role__in=LEARNING_ROLES).values("user_id")
    rows = (
        Assessment.objects.filter(
            round__in=[first.pk, last.pk],
            subject_id=F("assessor_id"),
            subject__in=learners,
            skill__in=[t.skill_id for t in targets],
        )
        .values("round_id", "skill_id")
        .annotate(mean=Avg("level"), n=Count("pk"))
    )
    found: dict[tuple[int, int], tuple[float, int]] = defaultdict(lambda: (0.0, 0))
    for row in rows:
        found[(row["round_id"], row["skill_id"])] = (float(row["mean"]), row["n"])

    def shown(round_id: int, skill_id: int) -> tuple[float | None, int]:
        mean, n = found[(round_id, skill_id)]
        return (round(mean, 1) if n >= MIN_ANSWERS else None), n

    skills = []
    for t in targets:
        first_mean, first_n = shown(first.pk, t.skill_id)
        if last.pk == first.pk:
            latest_mean, latest_n = None, 0
        else:
            latest_mean, latest_n = shown(last.pk, t.skill_id)
        skills.append(
            SkillChange(t.skill.name, t.target_level, first_mean, first_n, latest_mean, latest_n)
        )
    return SkillGrowth(
        first_round=str(first),
        latest_round=str(last) if last.pk != first.pk else "",
        skills=skills,
    )
