"""What the organizer says matters when cohorts are formed, and how that becomes the
engine's weights. The pages, the API and the worker all go through here, so the words an
organizer picks and the numbers the engine weighs are tied together in this one place.

Each of the five score parts gets one of three plain choices:

    matters most  2
    matters       1
    ignore        0

and the weights are these numbers divided by their sum, so they add up to 1 and a cohort's
total stays between 0 and 1. "Matters most" therefore counts twice as much as "matters",
whatever the other choices are. By default diversity matters most and the rest matter
(0.33, then 0.17 each).

"Every cohort must be able to meet" asks the engine for cohorts whose members all share an
hour of the week for a whole session (`require_common_slot`); it is on by default when the
applicants told us when they can meet."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from cadre.lib.rules import Refused

from .models import (
    MAX_SESSION_MINUTES,
    MIN_SESSION_MINUTES,
    SESSION_LENGTH_MESSAGE,
    FormationRun,
    Intake,
)

if TYPE_CHECKING:
    from cadre.engine.formation import Weights

# The engine's names for the parts, in the order the pages show them.
Part = Literal["diversity", "complementarity", "curiosity", "schedule", "balance"]
PARTS: tuple[Part, ...] = ("diversity", "complementarity", "curiosity", "schedule", "balance")
PART_LABELS = {
    "diversity": gettext_lazy("Diversity"),
    "complementarity": gettext_lazy("Complementary skills"),
    "curiosity": gettext_lazy("Shared goals"),
    "schedule": gettext_lazy("Meeting time"),
    "balance": gettext_lazy("Balance"),
}
# The same names inside a sentence ("diversity matters most"), where English writes them in
# lower case and German does not.
PART_NAMES = {
    "diversity": pgettext_lazy("score part in a sentence", "diversity"),
    "complementarity": pgettext_lazy("score part in a sentence", "complementary skills"),
    "curiosity": pgettext_lazy("score part in a sentence", "shared goals"),
    "schedule": pgettext_lazy("score part in a sentence", "meeting time"),
    "balance": pgettext_lazy("score part in a sentence", "balance"),
}
PART_HELP = {
    "diversity": gettext_lazy(
        "Members differ in function, industry, organization, seniority and region."
    ),
    "complementarity": gettext_lazy(
        "Someone in each cohort is strong in each skill it should cover."
    ),
    "curiosity": gettext_lazy("Members share learning goals."),
    "schedule": gettext_lazy("Members share many hours of the week to meet in, not just one."),
    "balance": gettext_lazy("Cohorts are about as large and as experienced as each other."),
}


class Importance(models.TextChoices):
    MATTERS_MOST = "matters_most", gettext_lazy("Matters most")
    MATTERS = "matters", gettext_lazy("Matters")
    IGNORE = "ignore", gettext_lazy("Ignore")


WEIGHT_OF = {Importance.MATTERS_MOST: 2.0, Importance.MATTERS: 1.0, Importance.IGNORE: 0.0}
DEFAULT_IMPORTANCE: dict[str, str] = {
    "diversity": Importance.MATTERS_MOST,
    "complementarity": Importance.MATTERS,
    "curiosity": Importance.MATTERS,
    "schedule": Importance.MATTERS,
    "balance": Importance.MATTERS,
}


class CriteriaProblem(Refused):
    """The choices cannot be used; `fields` maps each field to what is wrong with it."""

    def __init__(self, fields: Mapping[str, list[str]]) -> None:
        super().__init__(
            " ".join(m for messages in fields.values() for m in messages), fields=fields
        )


@dataclass(frozen=True)
class Criteria:
    """What a formation run is formed for."""

    importance: Mapping[str, str]  # part -> an Importance value, for every part
    require_common_slot: bool
    session_minutes: int

    def weights(self) -> Weights:
        """The engine's Weights: each part's number over the sum of all of them."""
        from cadre.engine.formation import Weights

        numbers = {part: WEIGHT_OF[Importance(self.importance[part])] for part in PARTS}
        total = sum(numbers.values())
        return Weights(
            diversity=numbers["diversity"] / total,
            complementarity=numbers["complementarity"] / total,
            curiosity=numbers["curiosity"] / total,
            schedule=numbers["schedule"] / total,
            balance=numbers["balance"] / total,
        )

    def summary(self) -> str:
        """What the run is formed for in words, e.g. "Diversity matters most; shared goals
        and balance matter; complementary skills and meeting time are ignored. Every cohort
        must be able to meet for a 60-minute session." """
        clauses = []
        for value in Importance:
            parts = [str(PART_NAMES[p]) for p in PARTS if self.importance[p] == value]
            if parts:
                clauses.append(_clause(Importance(value), parts))
        text = "; ".join(clauses) + ". "
        if self.require_common_slot:
            text += _("Every cohort must be able to meet for a %(minutes)s-minute session.") % {
                "minutes": self.session_minutes
            }
        else:
            text += _(
                "Sessions last %(minutes)s minutes; not every cohort has to be able to meet."
            ) % {"minutes": self.session_minutes}
        return text[0].upper() + text[1:]

    def as_run_fields(self) -> dict[str, Any]:
        return {
            "importance": dict(self.importance),
            "require_common_slot": self.require_common_slot,
            "session_minutes": self.session_minutes,
        }


def _clause(value: Importance, parts: list[str]) -> str:
    """How the summary says one choice: "diversity matters most", "x and y are ignored"."""
    names = (
        _("%(parts)s and %(last)s") % {"parts": ", ".join(parts[:-1]), "last": parts[-1]}
        if parts[1:]
        else parts[0]
    )
    if value == Importance.MATTERS_MOST:
        text = ngettext("%(parts)s matters most", "%(parts)s matter most", len(parts))
    elif value == Importance.MATTERS:
        text = ngettext("%(parts)s matters", "%(parts)s matter", len(parts))
    else:
        text = ngettext("%(parts)s is ignored", "%(parts)s are ignored", len(parts))
    return text % {"parts": names}


def applicants_gave_availability(intake: Intake) -> bool:
    """Whether any active applicant said when they can meet (an empty list means "any
    time", which every hour suits)."""
    return intake.active_applications().exclude(availability=[]).exists()


def defaults_for(intake: Intake) -> Criteria:
    """The choices a new run starts from: diversity matters most, the rest matter, the
    intake's session length, and every cohort must be able to meet when applicants said
    when they can."""
    return Criteria(
        importance=dict(DEFAULT_IMPORTANCE),
        require_common_slot=applicants_gave_availability(intake),
        session_minutes=intake.session_minutes,
    )


def of_run(run: FormationRun) -> Criteria:
    """What `run` was formed for. Runs from before the choices existed were formed with the
    defaults' parts, without the meeting requirement."""
    importance = {**DEFAULT_IMPORTANCE, **(run.importance or {})}
    return Criteria(
        importance=importance,
        require_common_slot=run.require_common_slot,
        session_minutes=run.session_minutes,
    )


def build(
    intake: Intake,
    *,
    importance: Mapping[Part, str] | Mapping[str, str] | None = None,
    require_common_slot: bool | None = None,
    session_minutes: int | None = None,
    start: Criteria | None = None,
) -> Criteria:
    """Criteria from what the organizer chose; what they left out (None, or a part missing
    from `importance`) comes from `start`, or the intake's defaults. Raises CriteriaProblem
    with field names (`importance.<part>`, `importance`, `session_minutes`)."""
    base = start or defaults_for(intake)
    chosen: dict[str, str] = dict(base.importance)
    for part, value in (importance or {}).items():
        chosen[part] = value
    problems: dict[str, list[str]] = {}
    for part in chosen:
        if part not in PARTS:
            problems.setdefault("importance", []).append(
                _("There is no score part “%(part)s”; the parts are %(parts)s.")
                % {"part": part, "parts": ", ".join(PARTS)}
            )
    for part in PARTS:
        if chosen[part] not in Importance.values:
            problems[f"importance.{part}"] = [
                _("Choose %(values)s for %(part)s.")
                % {"values": ", ".join(Importance.values), "part": PART_NAMES[part]}
            ]
    if not problems and all(chosen[p] == Importance.IGNORE for p in PARTS):
        problems["importance"] = [
            _("Let at least one part matter; when all are ignored every proposal scores the same.")
        ]
    minutes = base.session_minutes if session_minutes is None else session_minutes
    if not MIN_SESSION_MINUTES <= minutes <= MAX_SESSION_MINUTES:
        problems["session_minutes"] = [str(SESSION_LENGTH_MESSAGE)]
    if problems:
        raise CriteriaProblem(problems)
    return Criteria(
        importance={part: str(chosen[part]) for part in PARTS},
        require_common_slot=(
            base.require_common_slot if require_common_slot is None else require_common_slot
        ),
        session_minutes=minutes,
    )
