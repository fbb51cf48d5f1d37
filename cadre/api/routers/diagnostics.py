"""Skill diagnostics under /networks/{slug}/cohorts/{cohort}/skills: target skills, rounds,
my self-assessment, peer assessments, the gap map, growth and suggestions.

The same policy (cadre.diagnostics.policy), services and analysis as the pages: people who may not see the
cohort's diagnostics get 404, the code of conduct comes next, targets and rounds are for
hosts and organizers, assessing for the cohort's learners (403 for the others), and peer
scores come out only as means of at least two assessors."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from cadre.api import errors
from cadre.api.routers import require_conduct, user_of
from cadre.api.schemas import COHORT_SKILL, SKILL_LEVEL, Date, ErrorOut, Id, UserRef
from cadre.cohorts.models import Cohort
from cadre.diagnostics import policy, services
from cadre.diagnostics.analysis import CohortData, SkillSeries
from cadre.diagnostics.models import (
    MAX_LEVEL,
    PEER_MEAN_MIN,
    Assessment,
    AssessmentRound,
    TargetSkill,
)

router = Router(tags=["diagnostics"])

SKILLS = "/networks/{slug}/cohorts/{cohort}/skills"
LEVEL = Field(..., ge=0, le=MAX_LEVEL, description=SKILL_LEVEL)


# --- schemas -------------------------------------------------------------------------------


class TargetOut(Schema):
    skill: str = Field(..., description="The skill's slug in the network's taxonomy.")
    skill_name: str
    target_level: int


class TargetIn(Schema):
    skill: str = Field(..., description=COHORT_SKILL)
    target_level: int = Field(3, ge=1, le=MAX_LEVEL)


class TargetsIn(Schema):
    targets: list[TargetIn] = Field(..., min_length=1)


class RoundOut(Schema):
    number: int
    label: str
    opens_on: date
    peer_assessments_enabled: bool
    is_current: bool = False


class RoundIn(Schema):
    label: str = Field(..., min_length=1, max_length=60)
    opens_on: Date | None = Field(None, description="Today when left out.")
    peer_assessments_enabled: bool = False


class LevelIn(Schema):
    skill: str = Field(..., description="A target skill's slug.")
    level: int = LEVEL
    note: str = Field("", max_length=500)


class SelfAssessmentIn(Schema):
    levels: list[LevelIn] = Field(..., description="One entry for every target skill.")


class LevelOut(Schema):
    skill: str
    level: int | None
    note: str = ""


class SelfAssessmentOut(Schema):
    round: RoundOut
    levels: list[LevelOut]
    complete: bool


class PeerIn(Schema):
    subject: Id = Field(..., description="The user id of another active member.")
    skill: str = Field(..., description="A target skill's slug.")
    level: int = LEVEL
    note: str = Field("", max_length=500)


class PeerOut(Schema):
    round: int
    subject: UserRef
    skill: str
    level: int


class CellOut(Schema):
    skill: str
    target_level: int
    level: int | None
    round: int | None
    gap: int | None
    peer_mean: float | None = Field(None, description=f"Only with {PEER_MEAN_MIN}+ peers.")
    peer_count: int | None


class GapRowOut(Schema):
    member: UserRef
    role: str
    cells: list[CellOut]


class SkillListOut(Schema):
    skill: str
    needs: list[UserRef]
    can_teach: list[UserRef]


class GapMapOut(Schema):
    targets: list[TargetOut]
    rounds: list[RoundOut]
    members: list[GapRowOut]
    by_skill: list[SkillListOut]


class SkillSeriesOut(Schema):
    skill: str
    target_level: int
    values: list[float | None] = Field(..., description="One per round, in round order.")
    peer_means: list[float | None] | None = None
    answers: list[int] | None = None


class GrowthOut(Schema):
    rounds: list[RoundOut]
    member: UserRef | None = None
    skills: list[SkillSeriesOut]


class PairingOut(Schema):
    learner: UserRef
    teacher: UserRef
    skill: str
    gap: int
    teacher_level: int


class SuggestionsOut(Schema):
    skill_shares: list[PairingOut]
    mentors: list[PairingOut]


# --- helpers -------------------------------------------------------------------------------


def _cohort(request: HttpRequest, slug: str, cohort: str) -> Cohort:
    found = policy.get_diagnostics_cohort_or_404(user_of(request), slug, cohort)
    require_conduct(request, found.network)
    return found


def _round_out(r: AssessmentRound, current: AssessmentRound | None) -> RoundOut:
    return RoundOut(
        number=r.number,
        label=r.label,
        opens_on=r.opens_on,
        peer_assessments_enabled=r.peer_assessments_enabled,
        is_current=current is not None and current.pk == r.pk,
    )


def _target_out(t: TargetSkill) -> TargetOut:
    return TargetOut(skill=t.skill.slug, skill_name=t.skill.name, target_level=t.target_level)


def _ref(user: Any) -> UserRef:
    return UserRef(id=user.pk, name=user.name)


def _series(s: SkillSeries, member: bool) -> SkillSeriesOut:
    return SkillSeriesOut(
        skill=s.target.skill.slug,
        target_level=s.target.target_level,
        values=s.values,
        peer_means=s.peer_values if member else None,
        answers=None if member else s.counts,
    )


# --- targets and rounds --------------------------------------------------------------------


@router.get(SKILLS + "/targets", response={200: list[TargetOut]}, summary="Target skills")
def targets(request: HttpRequest, slug: str, cohort: str) -> list[TargetOut]:
    found = _cohort(request, slug, cohort)
    return [
        _target_out(t) for t in TargetSkill.objects.filter(cohort=found).select_related("skill")
    ]


@router.put(
    SKILLS + "/targets",
    response={200: list[TargetOut]},
    summary="Set target skills",
)
def set_target_skills(
    request: HttpRequest, slug: str, cohort: str, payload: TargetsIn
) -> list[TargetOut]:
    """Replace the cohort's target skills with this list (hosts and organizers)."""
    found = _cohort(request, slug, cohort)
    targets = [(t.skill, t.target_level) for t in payload.targets]
    saved = services.set_targets(user_of(request), found, targets=targets)
    return [_target_out(t) for t in saved]


@router.get(SKILLS + "/rounds", response={200: list[RoundOut]}, summary="Rounds")
def rounds(request: HttpRequest, slug: str, cohort: str) -> list[RoundOut]:
    found = _cohort(request, slug, cohort)
    all_rounds = list(AssessmentRound.objects.filter(cohort=found).order_by("number"))
    current = AssessmentRound.objects.filter(cohort=found).current()
    return [_round_out(r, current) for r in all_rounds]


@router.post(SKILLS + "/rounds", response={201: RoundOut}, summary="Open the next round")
def open_round(request: HttpRequest, slug: str, cohort: str, payload: RoundIn) -> Status[RoundOut]:
    """Opens the cohort's next round (hosts and organizers); the previous one stops taking
    answers once it opens."""
    found = _cohort(request, slug, cohort)
    opened = services.open_round(
        user_of(request),
        found,
        label=payload.label,
        opens_on=payload.opens_on,
        peer_assessments_enabled=payload.peer_assessments_enabled,
    )
    current = AssessmentRound.objects.filter(cohort=found).current()
    return Status(201, _round_out(opened, current))


# --- assessing -----------------------------------------------------------------------------


def _my_assessment(cohort: Cohort, current: AssessmentRound, user: Any) -> SelfAssessmentOut:
    mine = {
        a.skill_id: a for a in Assessment.objects.filter(round=current, subject=user, assessor=user)
    }
    target_list = list(TargetSkill.objects.filter(cohort=cohort).select_related("skill"))
    levels = [
        LevelOut(
            skill=t.skill.slug,
            level=mine[t.skill_id].level if t.skill_id in mine else None,
            note=mine[t.skill_id].note if t.skill_id in mine else "",
        )
        for t in target_list
    ]
    return SelfAssessmentOut(
        round=_round_out(current, current),
        levels=levels,
        complete=bool(levels) and all(lv.level is not None for lv in levels),
    )


@router.get(
    SKILLS + "/self-assessment",
    response={200: SelfAssessmentOut, 409: ErrorOut},
    summary="My self-assessment",
)
def my_self_assessment(request: HttpRequest, slug: str, cohort: str) -> SelfAssessmentOut:
    """Your levels in the open round (null where not given yet); 409 before a round opens."""
    found = _cohort(request, slug, cohort)
    services.check_can_assess(user_of(request), found)
    now = services.open_round_for_assessing(found)
    return _my_assessment(found, now.round, user_of(request))


@router.put(
    SKILLS + "/self-assessment",
    response={200: SelfAssessmentOut, 409: ErrorOut},
    summary="Save my self-assessment",
)
def save_my_self_assessment(
    request: HttpRequest, slug: str, cohort: str, payload: SelfAssessmentIn
) -> SelfAssessmentOut:
    """A level for every target skill of the cohort, saved together or not at all; sending it
    again updates it."""
    found = _cohort(request, slug, cohort)
    me = user_of(request)
    levels = [(e.skill, e.level, e.note) for e in payload.levels]
    saved = services.save_self_assessment(me, found, levels=levels)
    return _my_assessment(found, saved[0].round, me)


@router.post(
    SKILLS + "/peer-assessments",
    response={200: PeerOut, 201: PeerOut, 409: ErrorOut},
    summary="Assess a peer",
)
def assess_peer(request: HttpRequest, slug: str, cohort: str, payload: PeerIn) -> Status[PeerOut]:
    """Your level for another active member in one target skill, when the open round allows
    peer assessments (201; 200 when it updates the one you gave before)."""
    found = _cohort(request, slug, cohort)
    saved, created = services.assess_peer(
        user_of(request),
        found,
        subject_id=payload.subject,
        skill=payload.skill,
        level=payload.level,
        note=payload.note,
    )
    out = PeerOut(
        round=saved.round.number,
        subject=_ref(saved.subject),
        skill=saved.skill.slug,
        level=saved.level,
    )
    return Status(201 if created else 200, out)


# --- what it adds up to --------------------------------------------------------------------


@router.get(SKILLS + "/gap-map", response={200: GapMapOut}, summary="Gap map")
def gap_map(request: HttpRequest, slug: str, cohort: str) -> GapMapOut:
    """Every learner against every target skill: latest self level, gap to target, and the
    peer mean where at least two peers gave one; who needs what and who can teach what."""
    found = _cohort(request, slug, cohort)
    data = CohortData.load(found)
    rows = data.rows()
    current = AssessmentRound.objects.filter(cohort=found).current()
    return GapMapOut(
        targets=[_target_out(t) for t in data.targets],
        rounds=[_round_out(r, current) for r in data.rounds],
        members=[
            GapRowOut(
                member=_ref(row.user),
                role=row.role,
                cells=[
                    CellOut(
                        skill=c.target.skill.slug,
                        target_level=c.target.target_level,
                        level=c.level,
                        round=c.round_number,
                        gap=c.gap,
                        peer_mean=c.peer_mean,
                        peer_count=c.peer_count if c.peer_mean is not None else None,
                    )
                    for c in row.cells
                ],
            )
            for row in rows
        ],
        by_skill=[
            SkillListOut(
                skill=entry["target"].skill.slug,
                needs=[_ref(u) for u, _ in entry["needs"]],
                can_teach=[_ref(u) for u, _ in entry["teachers"]],
            )
            for entry in data.needs_and_teachers(rows)
        ],
    )


@router.get(SKILLS + "/growth", response={200: GrowthOut}, summary="Cohort growth")
def cohort_growth(request: HttpRequest, slug: str, cohort: str) -> GrowthOut:
    """The cohort's average self level per target skill per round, and how many answered."""
    found = _cohort(request, slug, cohort)
    data = CohortData.load(found)
    current = AssessmentRound.objects.filter(cohort=found).current()
    return GrowthOut(
        rounds=[_round_out(r, current) for r in data.rounds],
        skills=[_series(s, member=False) for s in data.cohort_growth()],
    )


@router.get(SKILLS + "/growth/{user_id}", response={200: GrowthOut}, summary="A member's growth")
def member_growth(request: HttpRequest, slug: str, cohort: str, user_id: Id) -> GrowthOut:
    """One member's self level and peer mean per target skill per round: for the member, the
    cohort's hosts and the network's organizers (404 for everyone else)."""
    found = _cohort(request, slug, cohort)
    data = CohortData.load(found)
    subject = data.growth_subject(user_of(request), user_id)
    if subject is None:
        raise errors.not_found("This cohort has no such member.")
    current = AssessmentRound.objects.filter(cohort=found).current()
    return GrowthOut(
        rounds=[_round_out(r, current) for r in data.rounds],
        member=_ref(subject),
        skills=[_series(s, member=True) for s in data.growth_of(user_id)],
    )


@router.get(SKILLS + "/suggestions", response={200: SuggestionsOut}, summary="Suggestions")
def suggestions(request: HttpRequest, slug: str, cohort: str) -> SuggestionsOut:
    """Skill shares between peers and mentors for the gaps left: all of them for hosts and
    organizers, the ones you are part of for members."""
    found = _cohort(request, slug, cohort)
    data = CohortData.load(found)
    result = policy.visible_suggestions(user_of(request), found, data.suggestions(data.rows()))

    def pairing(p: dict[str, Any], key: str) -> PairingOut:
        return PairingOut(
            learner=_ref(p["learner"]),
            teacher=_ref(p[key]),
            skill=p["target"].skill.slug,
            gap=p["gap"],
            teacher_level=p["level"],
        )

    return SuggestionsOut(
        skill_shares=[pairing(p, "teacher") for p in result.peer],
        mentors=[pairing(m, "mentor") for m in result.mentors],
    )
