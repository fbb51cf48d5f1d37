"""A cohort's impact report as JSON: GET /networks/{slug}/cohorts/{cohort}/impact.

The same `gather(...)` as the report's page and PDF, and the same policy (cadre.impact.policy): people
who may not read the report get 404, the code of conduct comes next. Numbers count only
cohort-visible items; coaching is counted, never described."""

from datetime import date
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from cadre.api.routers import require_conduct, user_of
from cadre.api.schemas import FigureOut
from cadre.impact.policy import get_impact_cohort_or_404
from cadre.impact.report import Commitments, ImpactReport, MetricChange, gather

router = Router(tags=["impact"])


class PurposeOut(Schema):
    objective: str
    outcomes: list[str]
    charter_version: int | None
    mission: str
    weekly_hours: Decimal | None
    learning_formats: list[str]
    project_kinds: str


class ImpactPersonOut(Schema):
    name: str
    role: str


class SessionsOut(Schema):
    held: int = Field(..., description="Past sessions that were not cancelled.")
    hours: float
    attendance_recorded: int = Field(
        ..., description="Present and absent marks on those sessions (excused: neither)."
    )
    present: int
    attendance_rate: float | None = Field(
        ..., description="Attendance since the start: per cent present of the recorded marks."
    )


class CommitmentsOut(Schema):
    made: int
    done: int
    done_on_time: int = Field(..., description="Of with_due_date, done on or before the day.")
    with_due_date: int = Field(
        ..., description="Due by today, dropped ones left out: what the rates are out of."
    )
    missed: int
    open: int
    overdue: int
    dropped: int
    follow_through: float | None = Field(
        ..., description="Follow-through since the start: per cent done of with_due_date."
    )
    on_time_rate: float | None = Field(..., description="Per cent done_on_time of with_due_date.")

    @staticmethod
    def resolve_follow_through(obj: Commitments) -> float | None:
        return obj.follow_through.value


class ImpactExperimentOut(Schema):
    title: str
    owner: str
    capability: str
    outcome: str
    ends_on: date
    result_data: str
    learnings: str
    next_steps: str


class ExperimentsOut(Schema):
    run: int
    running: int
    succeeded: int
    failed: int
    inconclusive: int
    concluded_count: int
    concluded: list[ImpactExperimentOut]


class HelpOut(Schema):
    blockers_raised: int
    blockers_resolved: int
    offers_made: int
    offers_accepted: int
    helpers: int


class CoachingOut(Schema):
    sessions: int
    people_coached: int


class CaseStudyOut(Schema):
    title: str
    url: str
    reuse_count: int
    created_on: date


class WeekOut(Schema):
    week: date = Field(..., description="The Monday of the week.")
    mean: Decimal = Field(..., description="The mean of that week's observations.")


class ImpactMetricOut(Schema):
    name: str
    unit: str
    higher_is_better: bool
    target: Decimal
    start: Decimal | None
    start_source: str = Field(..., description='"baseline", "first observation" or "".')
    start_on: date | None
    latest: Decimal | None
    latest_on: date | None
    observations: int
    change: Decimal | None
    verdict: str = Field(..., description='"better", "worse", "unchanged" or "" (too little data).')
    meets_target: bool | None
    weekly: list[WeekOut] = Field(..., description="Weekly means, oldest first: the chart.")

    @staticmethod
    def resolve_weekly(obj: MetricChange) -> list[dict[str, object]]:
        return [{"week": week, "mean": mean} for week, mean in obj.weekly]


class ImpactSkillOut(Schema):
    skill: str
    target_level: int
    first: float | None = Field(..., description="Cohort average; null with fewer than 2 answers.")
    first_answers: int
    latest: float | None
    latest_answers: int
    change: float | None


class SkillGrowthOut(Schema):
    first_round: str
    latest_round: str
    skills: list[ImpactSkillOut]


class ImpactOut(Schema):
    network: str = Field(..., alias="network_slug")
    cohort: str = Field(..., alias="cohort_slug")
    cohort_name: str
    status: str
    shared_with_network: bool
    starts_on: date | None
    generated_on: date
    purpose: PurposeOut
    members: list[ImpactPersonOut]
    sessions: SessionsOut
    commitments: CommitmentsOut
    experiments: ExperimentsOut
    help: HelpOut
    coaching: CoachingOut
    case_studies: list[CaseStudyOut]
    total_reuses: int
    metrics: list[ImpactMetricOut]
    skills: SkillGrowthOut
    figures: list[FigureOut] = Field(
        ...,
        alias="cohort_figures",
        description="Attendance, follow-through and offers of help since the start; active"
        " members today: the same figures as the page, each with its window.",
    )


@router.get(
    "/networks/{slug}/cohorts/{cohort}/impact",
    response={200: ImpactOut},
    summary="A cohort's impact report",
)
def cohort_impact(request: HttpRequest, slug: str, cohort: str) -> ImpactReport:
    """What the cohort set out to do, what it did and what changed: the same report as the
    page and its PDF."""
    user = user_of(request)
    found = get_impact_cohort_or_404(user, slug, cohort)
    require_conduct(request, found.network)
    return gather(found, viewer=user)
