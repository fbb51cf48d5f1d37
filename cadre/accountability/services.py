"""Making a commitment: the one path every front door takes — the board's form, a running
session's capture box, a coaching next step (page and API) and the commitments API.

    check = check_commitment(cohort, "work on the prototype")
    check.lint.problems, check.lint.rewrite       # the same verdict and rewrite everywhere
    commitment = make_commitment(cohort=cohort, owner=me, text=..., keep_anyway=True)

The check is the engine's (cadre.engine.linting), read against the cohort's own calendar
(`Cohort.today()`) and its next planned session, so the same text gets the same verdict and
rewrite whichever door it comes through. Every commitment has a due date: the date field's,
or the one written in the text; without one it is refused, and "keep it anyway" does not
lift that. Keeping a commitment the check finds problems with is the writer's choice
(`keep_anyway`); the problems are stored with it. Who may make a commitment where is the
front door's to check (cadre.lib.permissions), before it calls this."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from cadre.cohorts.models import Cohort
from cadre.engine.linting import CommitmentLint
from cadre.engine.linting import check_commitment as lint_commitment
from cadre.engine.linting.commitments import default_deadline
from cadre.engine.linting.dates import format_day
from cadre.lib import dates

from .models import Commitment, Visibility

TEXT = "text"
DUE_ON = "due_on"


def next_session_day(cohort: Cohort) -> date | None:
    """The day of the cohort's next session in its time zone, if one is planned."""
    session = cohort.sessions.upcoming().filter(cancelled=False).order_by("starts_at").first()
    if session is None:
        return None
    return timezone.localtime(
        session.starts_at, timezone=zoneinfo.ZoneInfo(cohort.time_zone)
    ).date()


def session_held_on(cohort: Cohort, day: date) -> Any:
    """The cohort's first session held on `day` of its own calendar, if any."""
    midnight = datetime.combine(day, time.min, tzinfo=zoneinfo.ZoneInfo(cohort.time_zone))
    return (
        cohort.sessions.held()
        .filter(starts_at__gte=midnight, starts_at__lt=midnight + timedelta(days=1))
        .order_by("starts_at")
        .first()
    )


@dataclass(frozen=True)
class CommitmentCheck:
    """What the check says about one commitment in one cohort: the engine's verdict and
    rewrite (`lint`), and the due date it would be saved with (None: there is none)."""

    lint: CommitmentLint
    due_on: date | None
    today: date
    next_session: date | None

    @property
    def ok(self) -> bool:
        return self.lint.ok

    def due_missing_message(self, field_label: str) -> str:
        """Why there is no due date, naming the field to fill in."""
        if self.lint.rewrite is not None and self.lint.rewrite.date_words and not self.next_session:
            return (
                f"No next session is planned, so “{self.lint.rewrite.date_words}” has no date yet:"
                f" fill in “{field_label}”. Every commitment has a due date."
            )
        example = format_day(default_deadline(self.today, self.next_session), self.today)
        return (
            f"Every commitment has a due date: fill in “{field_label}”, or write the date in the"
            f" commitment, such as “by {example}”."
        )


class CommitmentRefused(Exception):
    """Raised by make_commitment: `errors` maps the fields (TEXT, DUE_ON) to what is wrong,
    `check` holds the verdict and the rewrite to show; `needs_keep` says the check found
    problems and keep_anyway was not given."""

    def __init__(
        self, check: CommitmentCheck, errors: dict[str, list[str]], needs_keep: bool
    ) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.check = check
        self.errors = errors
        self.needs_keep = needs_keep


def check_commitment(
    cohort: Cohort, text: str, *, due_on: date | None = None, deliverable: str = ""
) -> CommitmentCheck:
    """The check of `text` as a commitment in `cohort` today: its verdict, rewrite and the due
    date it would have (the latest of `due_on` and the dates written in the text)."""
    today = cohort.today()
    upcoming = next_session_day(cohort)
    lint = lint_commitment(
        text, due=due_on, today=today, next_session=upcoming, deliverable=deliverable
    )
    return CommitmentCheck(lint=lint, due_on=lint.deadline, today=today, next_session=upcoming)


def make_commitment(
    *,
    cohort: Cohort,
    owner: Any,
    text: str,
    deliverable: str = "",
    due_on: date | None = None,
    visibility: str = Visibility.COHORT,
    session: Any = None,
    keep_anyway: bool = False,
    due_label: str = "Due on",
) -> Commitment:
    """Check and save a commitment of `owner` in `cohort`. Raises CommitmentRefused when the
    text is empty, when there is no due date (in `due_on` or the text), or when the check finds
    problems and `keep_anyway` is not given. `session` is where it was made; by default the
    cohort's session held today, if any. `due_label` names the due-date field in messages."""
    text = text.strip()
    deliverable = deliverable.strip()
    check = check_commitment(cohort, text, due_on=due_on, deliverable=deliverable)
    errors: dict[str, list[str]] = {}
    if not text:
        errors[TEXT] = ["Write what you commit to."]
    needs_keep = bool(text) and not check.ok and not keep_anyway
    if needs_keep:
        errors[TEXT] = [p.message for p in check.lint.problems]
    if check.due_on is None:
        errors[DUE_ON] = [check.due_missing_message(due_label)]
    elif not dates.in_range(check.due_on):
        errors[DUE_ON] = [dates.RANGE_MESSAGE]
    if errors:
        raise CommitmentRefused(check, errors, needs_keep)
    return Commitment.objects.create(
        cohort=cohort,
        owner=owner,
        text=text,
        deliverable=deliverable,
        due_on=check.due_on,
        visibility=visibility,
        session=session if session is not None else session_held_on(cohort, check.today),
        lint_problems=[{"code": p.code, "message": p.message} for p in check.lint.problems],
        kept_anyway=not check.ok,
    )
