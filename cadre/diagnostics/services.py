"""Every write of skill diagnostics, for the pages and the API alike: setting the cohort's
target skills, opening the next round, saving a self-assessment and assessing a peer. Each
checks who may (`cadre.diagnostics.policy`) and the rules, and raises
`cadre.lib.rules.Refused` with the sentence people see.

Skills are named by their slug in the network's taxonomy, as the API names them; a refusal
about one entry of a list names it as `targets.<n>.skill` or `levels.<n>.skill` (0-based)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_noop

from cadre.cohorts.models import Cohort
from cadre.cohorts.services import NOT_A_PEER
from cadre.lib.rules import Refused
from cadre.networks.policy import Person

from . import policy
from .models import (
    NOT_A_TARGET,
    Assessment,
    AssessmentRound,
    TargetSkill,
    current_among,
    learners,
)

LISTED_TWICE = gettext_noop("This skill is listed twice.")


def check_can_manage(user: Person, cohort: Cohort) -> None:
    if not policy.can_manage_diagnostics(user, cohort):
        raise Refused(
            gettext("Target skills and rounds are set by the cohort’s hosts."), kind="forbidden"
        )


def check_can_assess(user: Person, cohort: Cohort) -> None:
    if not policy.can_assess(user, cohort):
        raise Refused(gettext("Assessments are given by the cohort’s members."), kind="forbidden")


# --- targets and rounds ------------------------------------------------------------------------


def set_targets(
    user: Person, cohort: Cohort, *, targets: Sequence[tuple[str, int]]
) -> list[TargetSkill]:
    """Make the cohort's targets exactly `targets` ((skill slug, target level), in order):
    skills no longer listed stop being targets (their assessments are kept, and come back if
    the skill becomes a target again). All or nothing."""
    check_can_manage(user, cohort)
    if not targets:
        raise Refused(gettext("Choose at least one target skill."), field="targets")
    slugs = [slug for slug, _ in targets]
    skills = dict(cohort.network.skills.filter(slug__in=slugs).values_list("slug", "pk"))
    problems: dict[str, list[str]] = {}
    for i, slug in enumerate(slugs):
        if slug not in skills:
            problems[f"targets.{i}.skill"] = [
                gettext("“%(slug)s” is not a skill of %(network)s.")
                % {"slug": slug, "network": cohort.network.name}
            ]
        elif slug in slugs[:i]:
            problems[f"targets.{i}.skill"] = [gettext(LISTED_TWICE)]
    if problems:
        raise Refused(next(iter(problems.values()))[0], fields=problems)
    wanted = {skills[slug]: level for slug, level in targets}
    with transaction.atomic():
        TargetSkill.objects.filter(cohort=cohort).exclude(skill_id__in=wanted).delete()
        existing = {t.skill_id: t for t in TargetSkill.objects.filter(cohort=cohort)}
        for skill_id, level in wanted.items():
            target = existing.get(skill_id)
            if target is None:
                TargetSkill.objects.create(cohort=cohort, skill_id=skill_id, target_level=level)
            elif target.target_level != level:
                target.target_level = level
                target.save(update_fields=["target_level"])
    return list(TargetSkill.objects.filter(cohort=cohort).select_related("skill"))


def open_round(
    user: Person,
    cohort: Cohort,
    *,
    label: str,
    opens_on: date | None = None,
    peer_assessments_enabled: bool = False,
) -> AssessmentRound:
    """Open the cohort's next round (today when `opens_on` is None); the previous one stops
    taking answers once it opens."""
    check_can_manage(user, cohort)
    label = label.strip()
    if not label:
        raise Refused(gettext("Give the round a name, for example Start."), field="label")
    opens_on = opens_on or timezone.localdate()
    last = AssessmentRound.objects.filter(cohort=cohort).order_by("-number").first()
    if last is not None and opens_on < last.opens_on:
        raise Refused(
            gettext("A new round opens on or after the last one (%(day)s).")
            % {"day": date_format(last.opens_on, "j F Y")},
            field="opens_on",
        )
    with transaction.atomic():
        return AssessmentRound.open_next(
            cohort,
            label=label,
            opens_on=opens_on,
            peer_assessments_enabled=peer_assessments_enabled,
            opened_by=user if user.is_authenticated else None,
        )


# --- assessing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenRound:
    """The round the cohort's learners assess in now, and its target skills."""

    round: AssessmentRound
    targets: list[TargetSkill]

    def target(self, slug: str) -> TargetSkill | None:
        return next((t for t in self.targets if t.skill.slug == slug), None)


def open_round_for_assessing(cohort: Cohort) -> OpenRound:
    """The round that takes answers now; a conflict while no round is open or the cohort has
    no target skills to assess."""
    targets = list(cohort.target_skills.select_related("skill"))
    if not targets:
        raise _no_targets()
    return _open_round(targets, AssessmentRound.objects.filter(cohort=cohort).current())


def open_round_among(
    targets: list[TargetSkill], rounds: list[AssessmentRound], today: date | None = None
) -> OpenRound:
    """`open_round_for_assessing` over the cohort's target skills and rounds already loaded
    (a page that reads them anyway, as the gap map does): the same answer, no query."""
    if not targets:
        raise _no_targets()
    return _open_round(targets, current_among(rounds, today))


def _no_targets() -> Refused:
    return Refused(
        gettext("The cohort has no target skills yet; its hosts choose them."), kind="conflict"
    )


def _open_round(targets: list[TargetSkill], current: AssessmentRound | None) -> OpenRound:
    if current is None:
        raise Refused(
            gettext("No assessment round is open yet; the cohort’s hosts open one."),
            kind="conflict",
        )
    return OpenRound(current, targets)


def check_peer_round(now: OpenRound) -> None:
    if not now.round.peer_assessments_enabled:
        raise Refused(gettext("This round has no peer assessments."), kind="forbidden")


def peers_of(user: Person, cohort: Cohort) -> list[Any]:
    """The learners of the cohort `user` may assess: every one but themselves."""
    return [m.user for m in learners(cohort) if m.user_id != user.pk]


def _save(
    round: AssessmentRound, skill_id: int, subject: Any, assessor: Any, level: int, note: str
) -> tuple[Assessment, bool]:
    note = note.strip()
    with transaction.atomic():
        assessment, created = Assessment.objects.get_or_create(
            round=round,
            skill_id=skill_id,
            subject=subject,
            assessor=assessor,
            defaults={"level": level, "note": note},
        )
        if not created and (assessment.level, assessment.note) != (level, note):
            assessment.level = level
            assessment.note = note
            assessment.updated_at = timezone.now()
            assessment.save(update_fields=["level", "note", "updated_at"])
    return assessment, created


def save_self_assessment(
    user: Person, cohort: Cohort, *, levels: Sequence[tuple[str, int, str]]
) -> list[Assessment]:
    """`user`'s levels in the open round, (skill slug, level, note) for every target skill,
    saved together or not at all; saving again updates them."""
    check_can_assess(user, cohort)
    now = open_round_for_assessing(cohort)
    problems: dict[str, list[str]] = {}
    slugs = [slug for slug, _, _ in levels]
    for i, slug in enumerate(slugs):
        if now.target(slug) is None:
            problems[f"levels.{i}.skill"] = [gettext(NOT_A_TARGET)]
        elif slug in slugs[:i]:
            problems[f"levels.{i}.skill"] = [gettext(LISTED_TWICE)]
    missing = sorted({t.skill.slug for t in now.targets} - set(slugs))
    if missing:
        problems["levels"] = [
            gettext("Give a level for every target skill; missing: %(skills)s.")
            % {"skills": ", ".join(missing)}
        ]
    if problems:
        raise Refused(next(iter(problems.values()))[0], fields=problems)
    by_slug: Mapping[str, TargetSkill] = {t.skill.slug: t for t in now.targets}
    with transaction.atomic():
        return [
            _save(now.round, by_slug[slug].skill_id, user, user, level, note)[0]
            for slug, level, note in levels
        ]


def assess_peer(
    user: Person, cohort: Cohort, *, subject_id: int, skill: str, level: int, note: str = ""
) -> tuple[Assessment, bool]:
    """`user`'s level for another learner of the cohort in one target skill, when the open
    round allows peer assessments; (the assessment, whether it is new). Giving it again
    updates it."""
    check_can_assess(user, cohort)
    now = open_round_for_assessing(cohort)
    check_peer_round(now)
    subject = next((p for p in peers_of(user, cohort) if p.pk == subject_id), None)
    target = now.target(skill)
    problems = {}
    if subject is None:
        problems["subject"] = [gettext(NOT_A_PEER)]
    if target is None:
        problems["skill"] = [gettext(NOT_A_TARGET)]
    if problems:
        raise Refused(next(iter(problems.values()))[0], fields=problems)
    assert subject is not None and target is not None
    return _save(now.round, target.skill_id, subject, user, level, note)
