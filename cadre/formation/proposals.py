"""What organizers do with an intake's formation runs: start one, adjust its proposal (moves
and locks, rescored by the engine) and read it. Views and the API both call these; each
write checks that `by` runs the intake's network's intakes, and a refusal is a
ProposalProblem (a `cadre.lib.rules.Refused`) with the sentence people see. Publishing is in
publishing.py.

The engine (cadre.engine.formation) knows nothing of Django: applications become its
`Person`s keyed by the application id as a string."""

from __future__ import annotations

import logging
import zoneinfo
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from cadre.lib.rules import Refused
from cadre.people.models import DAYS

from . import criteria as choices
from . import wording
from .criteria import Criteria
from .models import Application, FormationRun, Intake, RunStatus
from .services import require_intake_manager

if TYPE_CHECKING:
    from cadre.accounts.models import User

logger = logging.getLogger(__name__)

# The parts carry the names the organizer chose their importance by.
SCORE_PARTS = choices.PARTS
SCORE_LABELS = choices.PART_LABELS
COMPOSITION = (
    ("function", gettext_lazy("Function")),
    ("industry", gettext_lazy("Industry")),
    ("organization", gettext_lazy("Organization")),
    ("seniority", gettext_lazy("Seniority")),
)


NOT_IN_PROPOSAL = gettext_noop("That person is not in this proposal.")


class ProposalProblem(Refused):
    """Something the organizer asked of a run or its proposal cannot be done; the message
    says why. A refusal about the request (`field`) is `invalid`; one about the state the
    intake or its proposal is in is a `conflict`."""


def current_proposal(intake: Intake) -> FormationRun:
    """The intake's proposal (its latest finished run); refused (not found) before one."""
    run = intake.proposal()
    if run is None:
        raise ProposalProblem(_("There is no proposal yet; run formation first."), kind="not_found")
    return run


def time_zone_of(user: User) -> str:
    """The reader's own time zone (their profile's), for the hours a cohort can meet."""
    try:
        return user.profile.time_zone or "UTC"
    except ObjectDoesNotExist:
        return "UTC"


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
    criteria: Criteria | None = None,
    groups: int | None = None,
    pinned: dict[str, int] | None = None,
) -> Any:
    """The engine's problem: the intake's sizes and skills, formed for `criteria` (the
    intake's defaults when None)."""
    from cadre.engine.formation import FormationProblem

    wanted = criteria or choices.defaults_for(intake)
    return FormationProblem(
        people=[to_person(a) for a in applications],
        min_size=intake.min_size,
        max_size=intake.max_size,
        groups=groups,
        pinned=dict(pinned or {}),
        session_minutes=wanted.session_minutes,
        require_common_slot=wanted.require_common_slot,
        target_skills=tuple(intake.skill_slugs()),
        weights=wanted.weights(),
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
    by: User,
    *,
    seconds: float,
    seed: int,
    criteria: Criteria | None = None,
    around: FormationRun | None = None,
) -> FormationRun:
    """Queue a formation run formed for `criteria` (criteria.build makes them from the
    organizer's choices; None: those of `around`, or the intake's defaults). With `around`,
    the new run keeps that proposal's locked people in their cohorts and forms the same
    number of cohorts."""
    require_intake_manager(user=by, network=intake.network)
    if intake.is_published:
        raise ProposalProblem(
            _("The cohorts of this intake are published; it is not re-formed."), kind="conflict"
        )
    if not intake.active_applications().exists():
        raise ProposalProblem(
            _("No one has applied yet; there is nobody to form cohorts from."), kind="conflict"
        )
    if criteria is None:
        criteria = choices.of_run(around) if around is not None else choices.defaults_for(intake)
    run = FormationRun(
        intake=intake, seconds=seconds, seed=seed, created_by=by, **criteria.as_run_fields()
    )
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
            _fail(run_id, wording.NOBODY_APPLIED)
            return RunStatus.FAILED
        problem = build_problem(
            run.intake,
            applications,
            criteria=choices.of_run(run),
            groups=run.groups,
            pinned=_pins(run, applications),
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
        _fail(run_id, wording.STOPPED % {"error": exc})
        return RunStatus.FAILED

    if not solved.groups:
        _fail(run_id, solved.message or wording.NO_PROPOSAL % {"status": solved.status})
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
            "explanation": explanation_of(solved),
            "groups": groups,
            "scores": scores,
        },
        assignment=groups,
        scores=scores,
        finished_at=timezone.now(),
    )
    return RunStatus.DONE


def explanation_of(solved: Any) -> list[str]:
    """Why not every cohort can meet, in the engine's sentences (its result's
    `meeting.explanation`); [] when every cohort can meet or the engine said nothing."""
    meeting = getattr(solved, "meeting", None)
    if meeting is None or not meeting.cannot_meet:
        return []
    return [str(line) for line in meeting.explanation if str(line).strip()]


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
        run.intake,
        [by_pk[pk] for pk in ids if pk in by_pk],
        criteria=choices.of_run(run),
        groups=len(groups),
    )
    run.scores = [score_to_json(s) for s in score_groups(problem, groups)]
    run.save(update_fields=["scores"])


def _editable(run: FormationRun, by: User) -> None:
    require_intake_manager(user=by, network=run.intake.network)
    if run.status != RunStatus.DONE:
        raise ProposalProblem(_("Only a finished run's proposal can be changed."), kind="conflict")
    if run.intake.is_published:
        raise ProposalProblem(
            _("The cohorts are published; the proposal no longer changes."), kind="conflict"
        )
    latest = run.intake.proposal()
    if latest is not None and latest.pk != run.pk:
        raise ProposalProblem(
            _("A newer run replaced this proposal; change that one instead."), kind="conflict"
        )


def move(*, run: FormationRun, by: User, application: int, cohort: int) -> None:
    """Move one person (`application`, its id) to the cohort numbered `cohort` (from 1) and
    rescore."""
    _editable(run, by)
    application_id, to_group = application, cohort - 1
    source = run.group_of(application_id)
    if source is None:
        raise ProposalProblem(_(NOT_IN_PROPOSAL), field="application")
    if not 0 <= to_group < len(run.assignment):
        raise ProposalProblem(
            _("There is no cohort %(cohort)s; pick 1 to %(last)s.")
            % {"cohort": cohort, "last": len(run.assignment)},
            field="cohort",
        )
    if run.is_locked(application_id):
        raise ProposalProblem(
            _("This person is locked in their cohort; unlock them first."), field="application"
        )
    if source == to_group:
        return
    if len(run.assignment[source]) == 1:
        raise ProposalProblem(_("A cohort cannot be left empty."), field="application")
    with transaction.atomic():
        locked_run = FormationRun.objects.select_for_update().get(pk=run.pk)
        run.assignment = locked_run.assignment
        run.assignment[source].remove(application_id)
        run.assignment[to_group].append(application_id)
        run.save(update_fields=["assignment"])
        rescore(run)


def set_locked(*, run: FormationRun, by: User, application: int, locked: bool) -> None:
    """Lock one person (`application`, its id) in their cohort for re-runs, or unlock them."""
    _editable(run, by)
    if run.group_of(application) is None:
        raise ProposalProblem(_(NOT_IN_PROPOSAL), field="application")
    ids = [pk for pk in run.locked if pk != application]
    if locked:
        ids.append(application)
    run.locked = sorted(ids)
    run.save(update_fields=["locked"])


# --- reading a proposal ---------------------------------------------------------------------


# Hours of the week are turned into times of day in the same reference week as
# Profile.availability_utc (January, when no zone changes its offset inside the week).
REFERENCE_MONDAY = datetime(2024, 1, 1, tzinfo=zoneinfo.ZoneInfo("UTC"))
SLOTS_SHOWN = 4


def slot_label(hour: int) -> str:
    return f"{DAYS[hour // 24]} {hour % 24:02d}:00 UTC"


def local_slot(hour: int, time_zone: str, minutes: int) -> str:
    """A session starting at UTC hour-of-week `hour` as it falls in `time_zone`, e.g.
    "Tue 10:00–11:00"."""
    try:
        zone = zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    start = (REFERENCE_MONDAY + timedelta(hours=hour)).astimezone(zone)
    end = start + timedelta(minutes=minutes)
    return f"{WEEKDAYS_ABBR[start.weekday()]} {start:%H:%M}–{end:%H:%M}"


@dataclass
class Bar:
    label: str
    count: int
    percent: int


@dataclass(frozen=True)
class Seat:
    """A member of a proposed cohort, with when the cohort's first common slot falls in
    their own time zone ("" when it cannot meet)."""

    member: Application
    meets_at: str


@dataclass
class ProposedCohort:
    number: int
    index: int
    members: list[Application]
    score: dict[str, Any]
    composition: list[tuple[str, list[Bar]]] = field(default_factory=list)
    size_problem: str = ""
    time_zone: str = "UTC"  # the reader's, for `times`
    session_minutes: int = 60

    @property
    def common_slots(self) -> list[int]:
        """UTC hours of the week at which every member can start a whole session."""
        return [int(h) for h in self.score.get("common_slots", [])]

    @property
    def can_meet(self) -> bool:
        return bool(self.common_slots)

    @property
    def reasons(self) -> list[str]:
        """Why the cohort looks the way it does, in the reader's language."""
        return wording.all_in_words(self.score.get("reasons", []))

    @property
    def times(self) -> list[str]:
        """The first common slots in the reader's time zone."""
        return [
            local_slot(h, self.time_zone, self.session_minutes)
            for h in self.common_slots[:SLOTS_SHOWN]
        ]

    @property
    def more_times(self) -> int:
        return max(0, len(self.common_slots) - SLOTS_SHOWN)

    @property
    def seats(self) -> list[Seat]:
        """The members, each with the time the cohort first meets in their time zone."""
        return [Seat(member, self.time_for(member)) for member in self.members]

    def time_for(self, member: Application) -> str:
        """When the cohort's first common slot falls in `member`'s own time zone; "" when
        the cohort cannot meet."""
        if not self.common_slots:
            return ""
        return local_slot(self.common_slots[0], member.time_zone, self.session_minutes)

    @property
    def parts(self) -> list[tuple[str, str, float, int]]:
        parts = self.score.get("parts", {})
        return [
            (name, str(SCORE_LABELS[name]), parts.get(name, 0.0), round(100 * parts.get(name, 0.0)))
            for name in SCORE_PARTS
        ]

    @property
    def slots(self) -> list[str]:
        return [slot_label(h) for h in self.common_slots[:SLOTS_SHOWN]]


def _composition(members: Sequence[Application]) -> list[tuple[str, list[Bar]]]:
    from cadre.people.models import Seniority

    labels = {value: str(label) for value, label in Seniority.choices}
    result = []
    for attribute, title in COMPOSITION:
        counts: Counter[str] = Counter()
        for m in members:
            profile = getattr(m.user, "profile", None)
            value = getattr(profile, attribute, "") if profile else ""
            if attribute == "seniority":
                value = labels.get(value, value)
            counts[value or _("not given")] += 1
        size = max(len(members), 1)
        bars = [
            Bar(label, count, round(100 * count / size))
            for label, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].casefold()))
        ]
        result.append((str(title), bars))
    return result


def proposed_cohorts(run: FormationRun, time_zone: str = "UTC") -> list[ProposedCohort]:
    """The proposal as cards: members (with profiles, one query), score, composition, and
    when the cohort can meet in `time_zone` (the reader's); its `seats` say when that is in
    each member's own time zone."""
    ids = [pk for group in run.assignment for pk in group]
    by_pk = {a.pk: a for a in applications_for(run.intake, ids)}
    cohorts = []
    for index, group in enumerate(run.assignment):
        members = sorted(
            (by_pk[pk] for pk in group if pk in by_pk),
            key=lambda a: (a.user.name or a.user.email).casefold(),
        )
        score = run.scores[index] if index < len(run.scores) else {}
        cohort = ProposedCohort(
            index + 1,
            index,
            members,
            score,
            _composition(members),
            time_zone=time_zone,
            session_minutes=run.session_minutes,
        )
        if len(members) > run.intake.max_size:
            cohort.size_problem = _("%(count)s people, above the largest size of %(size)s.") % {
                "count": len(members),
                "size": run.intake.max_size,
            }
        elif len(members) < run.intake.min_size:
            cohort.size_problem = _("%(count)s people, below the smallest size of %(size)s.") % {
                "count": len(members),
                "size": run.intake.min_size,
            }
        cohorts.append(cohort)
    return cohorts


def unplaced_count(run: FormationRun) -> int:
    """Applications that arrived after the run (re-run to place them)."""
    placed = {pk for group in run.assignment for pk in group}
    return run.intake.active_applications().exclude(pk__in=placed).count()
