"""What organizers do with an intake's formation runs: start one, adjust its proposal (moves
and locks, rescored by the engine) and read it. Views and the API both call these; the
permission checks stay with them. Publishing is in publishing.py.

The engine (cadre.engine.formation) knows nothing of Django: applications become its
`Person`s keyed by the application id as a string."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from cadre.people.models import DAYS

from .models import Application, FormationRun, Intake, RunStatus

logger = logging.getLogger(__name__)

SCORE_PARTS = ("diversity", "complementarity", "curiosity", "schedule", "balance")
SCORE_LABELS = {
    "diversity": "Diversity",
    "complementarity": "Complementary skills",
    "curiosity": "Shared curiosity",
    "schedule": "Can meet",
    "balance": "Balance",
}
COMPOSITION = (
    ("function", "Function"),
    ("industry", "Industry"),
    ("organization", "Organization"),
    ("seniority", "Seniority"),
)


class ProposalProblem(Exception):
    """Something the organizer asked for cannot be done; the message says why."""

    def __init__(self, message: str, *, field: str = "body") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


# --- from applications to the engine ------------------------------------------------------


def _region(time_zone: str) -> str:
    return time_zone.split("/", 1)[0] if "/" in time_zone else time_zone


def applications_for(intake: Intake, ids: Iterable[int] | None = None) -> list[Application]:
    """The intake's active applications (or those of `ids`) with their people and profiles,
    in one query."""
    found = intake.applications.active().select_related("user__profile").order_by("pk")
    if ids is not None:
        found = found.filter(pk__in=list(ids))
    return list(found)


def to_person(application: Application) -> Any:
    from cadre.engine.formation import Person

    profile = getattr(application.user, "profile", None)
    return Person(
        key=str(application.pk),
        name=application.user.name or application.user.email,
        function=(profile.function if profile else "").strip().casefold(),
        industry=(profile.industry if profile else "").strip().casefold(),
        organization=(profile.organization if profile else "").strip().casefold(),
        seniority=profile.seniority if profile else "",
        region=_region(application.time_zone),
        availability_utc=frozenset(application.availability_utc()),
        skills=dict(application.skills),
        goals=frozenset(g.strip().casefold() for g in application.goals),
    )


def build_problem(
    intake: Intake,
    applications: Sequence[Application],
    *,
    groups: int | None = None,
    pinned: dict[str, int] | None = None,
) -> Any:
    from cadre.engine.formation import FormationProblem

    return FormationProblem(
        people=[to_person(a) for a in applications],
        min_size=intake.min_size,
        max_size=intake.max_size,
        groups=groups,
        pinned=dict(pinned or {}),
        session_minutes=intake.session_minutes,
        require_common_slot=False,
        target_skills=tuple(intake.skill_slugs()),
    )


def score_to_json(score: Any) -> dict[str, Any]:
    return {
        "parts": {name: float(score.parts.get(name, 0.0)) for name in SCORE_PARTS},
        "total": float(score.total),
        "reasons": [str(r) for r in score.reasons],
        "common_slots": [int(s) for s in score.common_slots],
    }


# --- starting and running ----------------------------------------------------------------


def start_run(
    intake: Intake,
    by: Any,
    *,
    seconds: float,
    seed: int,
    around: FormationRun | None = None,
) -> FormationRun:
    """Queue a formation run. With `around`, the new run keeps that proposal's locked people
    in their cohorts and forms the same number of cohorts."""
    if intake.is_published:
        raise ProposalProblem("The cohorts of this intake are published; it is not re-formed.")
    if not intake.active_applications().exists():
        raise ProposalProblem("No one has applied yet; there is nobody to form cohorts from.")
    run = FormationRun(intake=intake, seconds=seconds, seed=seed, created_by=by)
    if around is not None and around.assignment:
        active = set(intake.active_applications().values_list("pk", flat=True))
        run.groups = len(around.assignment)
        run.locked = [pk for pk in around.locked if pk in active]
        run.pinned = {
            str(pk): index
            for index, group in enumerate(around.assignment)
            for pk in group
            if pk in run.locked
        }
    with transaction.atomic():
        run.save()
        transaction.on_commit(lambda: _queue_run(run.pk))
    run.refresh_from_db()
    return run


def _queue_run(run_id: int) -> None:
    from .tasks import run_formation

    result = run_formation.enqueue(run_id)
    FormationRun.objects.filter(pk=run_id).update(task_id=str(result.id)[:64])


def give_up_run(run_id: int, reason: str) -> None:
    """Fail run `run_id` with `reason` unless it finished (the worker running it was lost)."""
    FormationRun.objects.filter(pk=run_id).exclude(
        status__in=[RunStatus.DONE, RunStatus.FAILED]
    ).update(status=RunStatus.FAILED, error=reason[:1000], finished_at=timezone.now())


def _fail(run_id: int, message: str) -> None:
    FormationRun.objects.filter(pk=run_id).update(
        status=RunStatus.FAILED, error=message, finished_at=timezone.now()
    )


def execute_run(run_id: int, *, report_every: float = 0.5) -> str:
    """Run formation for one run (the worker calls this through the task). A run that is
    already done or failed is left alone, so a retried task does no harm."""
    import time

    run = FormationRun.objects.select_related("intake__network").filter(pk=run_id).first()
    if run is None:
        return "missing"
    if run.finished:
        return run.status
    FormationRun.objects.filter(pk=run_id).update(
        status=RunStatus.RUNNING, started_at=timezone.now(), progress=0.0, error=""
    )
    try:
        from cadre.engine.formation import solve_formation, validate_problem

        applications = applications_for(run.intake)
        if not applications:
            _fail(run_id, "No one has applied; there is nobody to form cohorts from.")
            return RunStatus.FAILED
        problem = build_problem(
            run.intake, applications, groups=run.groups, pinned=_pins(run, applications)
        )
        problems = validate_problem(problem)
        if problems:
            _fail(run_id, " ".join(problems))
            return RunStatus.FAILED

        last = 0.0

        def progress(fraction: float, best: float) -> None:
            nonlocal last
            now = time.monotonic()
            if now - last < report_every:
                return
            last = now
            FormationRun.objects.filter(pk=run_id).update(
                progress=min(max(float(fraction), 0.0), 1.0), best_objective=float(best)
            )

        solved = solve_formation(problem, seconds=run.seconds, seed=run.seed, progress=progress)
    except Exception as exc:  # the organizer sees what went wrong; the log has the rest
        logger.exception("Formation run %s failed", run_id)
        _fail(run_id, f"Formation stopped with an error: {exc}")
        return RunStatus.FAILED

    if not solved.groups:
        _fail(run_id, solved.message or f"No proposal could be formed ({solved.status}).")
        return RunStatus.FAILED
    groups = [[int(key) for key in group] for group in solved.groups]
    scores = [score_to_json(s) for s in solved.scores]
    FormationRun.objects.filter(pk=run_id).update(
        status=RunStatus.DONE,
        progress=1.0,
        best_objective=float(solved.objective),
        result={
            "status": str(solved.status),
            "objective": float(solved.objective),
            "message": str(solved.message or ""),
            "groups": groups,
            "scores": scores,
        },
        assignment=groups,
        scores=scores,
        finished_at=timezone.now(),
    )
    return RunStatus.DONE


def _pins(run: FormationRun, applications: Sequence[Application]) -> dict[str, int]:
    present = {str(a.pk) for a in applications}
    return {key: int(index) for key, index in run.pinned.items() if key in present}


# --- adjusting a proposal ------------------------------------------------------------------


def rescore(run: FormationRun) -> None:
    """Recompute the scores of the run's assignment with the engine and save them."""
    from cadre.engine.formation import score_groups

    ids = [pk for group in run.assignment for pk in group]
    by_pk = {a.pk: a for a in applications_for(run.intake, ids)}
    # Someone who withdrew since the run is left out of the score (and of publishing).
    groups = [[str(pk) for pk in group if pk in by_pk] for group in run.assignment]
    problem = build_problem(
        run.intake, [by_pk[pk] for pk in ids if pk in by_pk], groups=len(groups)
    )
    run.scores = [score_to_json(s) for s in score_groups(problem, groups)]
    run.save(update_fields=["scores"])


def _editable(run: FormationRun) -> None:
    if run.status != RunStatus.DONE:
        raise ProposalProblem("Only a finished run's proposal can be changed.")
    if run.intake.is_published:
        raise ProposalProblem("The cohorts are published; the proposal no longer changes.")
    latest = run.intake.proposal()
    if latest is not None and latest.pk != run.pk:
        raise ProposalProblem("A newer run replaced this proposal; change that one instead.")


def move(run: FormationRun, application_id: int, to_group: int) -> None:
    """Move one person to cohort `to_group` (0-based) and rescore."""
    _editable(run)
    source = run.group_of(application_id)
    if source is None:
        raise ProposalProblem("That person is not in this proposal.", field="application")
    if not 0 <= to_group < len(run.assignment):
        raise ProposalProblem(
            f"There is no cohort {to_group + 1}; pick 1 to {len(run.assignment)}.", field="cohort"
        )
    if run.is_locked(application_id):
        raise ProposalProblem(
            "This person is locked in their cohort; unlock them first.", field="application"
        )
    if source == to_group:
        return
    if len(run.assignment[source]) == 1:
        raise ProposalProblem("A cohort cannot be left empty.", field="application")
    with transaction.atomic():
        locked_run = FormationRun.objects.select_for_update().get(pk=run.pk)
        run.assignment = locked_run.assignment
        run.assignment[source].remove(application_id)
        run.assignment[to_group].append(application_id)
        run.save(update_fields=["assignment"])
        rescore(run)


def set_locked(run: FormationRun, application_id: int, locked: bool) -> None:
    _editable(run)
    if run.group_of(application_id) is None:
        raise ProposalProblem("That person is not in this proposal.", field="application")
    ids = [pk for pk in run.locked if pk != application_id]
    if locked:
        ids.append(application_id)
    run.locked = sorted(ids)
    run.save(update_fields=["locked"])


# --- reading a proposal ---------------------------------------------------------------------


def slot_label(hour: int) -> str:
    return f"{DAYS[hour // 24]} {hour % 24:02d}:00 UTC"


@dataclass
class Bar:
    label: str
    count: int
    percent: int


@dataclass
class ProposedCohort:
    number: int
    index: int
    members: list[Application]
    score: dict[str, Any]
    composition: list[tuple[str, list[Bar]]] = field(default_factory=list)
    size_problem: str = ""

    @property
    def parts(self) -> list[tuple[str, str, float, int]]:
        parts = self.score.get("parts", {})
        return [
            (name, SCORE_LABELS[name], parts.get(name, 0.0), round(100 * parts.get(name, 0.0)))
            for name in SCORE_PARTS
        ]

    @property
    def slots(self) -> list[str]:
        return [slot_label(h) for h in self.score.get("common_slots", [])[:4]]

    @property
    def more_slots(self) -> int:
        return max(0, len(self.score.get("common_slots", [])) - 4)


def _composition(members: Sequence[Application]) -> list[tuple[str, list[Bar]]]:
    from cadre.people.models import Seniority

    labels = dict(Seniority.choices)
    result = []
    for attribute, title in COMPOSITION:
        counts: Counter[str] = Counter()
        for m in members:
            profile = getattr(m.user, "profile", None)
            value = getattr(profile, attribute, "") if profile else ""
            if attribute == "seniority":
                value = labels.get(value, value)
            counts[value or "not given"] += 1
        size = max(len(members), 1)
        bars = [
            Bar(label, count, round(100 * count / size))
            for label, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].casefold()))
        ]
        result.append((title, bars))
    return result


def proposed_cohorts(run: FormationRun) -> list[ProposedCohort]:
    """The proposal as cards: members (with profiles, one query), score and composition."""
    ids = [pk for group in run.assignment for pk in group]
    by_pk = {a.pk: a for a in applications_for(run.intake, ids)}
    cohorts = []
    for index, group in enumerate(run.assignment):
        members = sorted(
            (by_pk[pk] for pk in group if pk in by_pk),
            key=lambda a: (a.user.name or a.user.email).casefold(),
        )
        score = run.scores[index] if index < len(run.scores) else {}
        cohort = ProposedCohort(index + 1, index, members, score, _composition(members))
        if len(members) > run.intake.max_size:
            cohort.size_problem = (
                f"{len(members)} people, above the largest size of {run.intake.max_size}."
            )
        elif len(members) < run.intake.min_size:
            cohort.size_problem = (
                f"{len(members)} people, below the smallest size of {run.intake.min_size}."
            )
        cohorts.append(cohort)
    return cohorts


def unplaced_count(run: FormationRun) -> int:
    """Applications that arrived after the run (re-run to place them)."""
    placed = {pk for group in run.assignment for pk in group}
    return run.intake.active_applications().exclude(pk__in=placed).count()
