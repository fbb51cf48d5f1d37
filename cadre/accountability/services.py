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
(`keep_anyway`); the problems are stored with it.

Every other write of the board is here too, for the pages, the API, commands and tasks
alike: a commitment's status, kudos, progress updates and their blockers, offers of help and
accepting one, experiments. Each checks its rule (cadre.accountability.policy for who may)
and raises `cadre.lib.rules.Refused` with the sentence people see."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cadre.cohorts.models import Cohort
from cadre.engine.linting import CommitmentLint
from cadre.engine.linting import check_commitment as lint_commitment
from cadre.engine.linting.commitments import default_deadline
from cadre.engine.linting.dates import format_day
from cadre.lib import dates
from cadre.lib.rules import Refused
from cadre.networks.models import Skill
from cadre.networks.services import NOT_A_SKILL

from . import policy
from .models import (
    Blocker,
    Commitment,
    CommitmentStatus,
    Experiment,
    HelpOffer,
    Kudos,
    Outcome,
    ProgressUpdate,
    Visibility,
)

if TYPE_CHECKING:
    from cadre.accounts.models import User
    from cadre.schedule.models import Session

TEXT = "text"
DUE_ON = "due_on"
# What the due-date field is called in messages unless the caller names it otherwise.
DUE_LABEL = gettext_noop("Due on")

NOT_A_MEMBER = gettext_noop("Only the cohort’s active members take part on its board.")


def require_member(person: User, cohort: Cohort) -> None:
    """Taking part on the board is for the cohort's active members (organizers read only)."""
    if not policy.can_take_part(person, cohort):
        raise Refused(_(NOT_A_MEMBER), kind="forbidden")


def next_session_day(cohort: Cohort) -> date | None:
    """The day of the cohort's next session in its time zone, if one is planned."""
    session = cohort.sessions.upcoming().filter(cancelled=False).order_by("starts_at").first()
    if session is None:
        return None
    return timezone.localtime(
        session.starts_at, timezone=zoneinfo.ZoneInfo(cohort.time_zone)
    ).date()


def session_held_on(cohort: Cohort, day: date) -> Session | None:
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
            return _(
                "No next session is planned, so “%(words)s” has no date yet:"
                " fill in “%(field)s”. Every commitment has a due date."
            ) % {"words": self.lint.rewrite.date_words, "field": field_label}
        example = format_day(default_deadline(self.today, self.next_session), self.today)
        # The example stays English: the check reads English dates only.
        return _(
            "Every commitment has a due date: fill in “%(field)s”, or write the date in the"
            " commitment, such as “by %(example)s”."
        ) % {"field": field_label, "example": example}


class CommitmentRefused(Refused):
    """Raised by make_commitment: `errors` maps the inputs (TEXT, DUE_ON) to what is wrong
    (`fields` too, with the message in place of the check's problems), `check` holds the
    verdict and the rewrite to show (the API sends it as `detail`); `needs_keep` says the check
    found problems and keep_anyway was not given. `what` names the commitment in the message
    ("The next step", on a coaching session)."""

    def __init__(
        self,
        check: CommitmentCheck,
        errors: Mapping[str, list[str]],
        needs_keep: bool,
        *,
        what: str = "",
    ) -> None:
        names = {"what": what or _("The commitment")}
        if needs_keep:
            message = (
                _(
                    "%(what)s is not yet specific, observable and time-bound: use the rewrite,"
                    " change it yourself, or keep it anyway."
                )
                % names
            )
        elif list(errors) == [DUE_ON]:
            message = (
                _("%(what)s has no due date: give one, or write the date in the text.") % names
            )
        else:
            message = _("%(what)s is missing something; see what is wrong with each field.") % names
        # On the text, the message sums up the check's problems; they are listed one by one
        # beside the rewrite on the page, and in `detail` for the API.
        fields = {
            name: [message] if name == TEXT and needs_keep else list(found)
            for name, found in errors.items()
        }
        super().__init__(message, fields=fields, kind="invalid", detail=check.lint.to_dict())
        self.check = check
        self.errors = dict(errors)
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
    owner: User,
    text: str,
    deliverable: str = "",
    due_on: date | None = None,
    visibility: str = Visibility.COHORT,
    session: Session | None = None,
    keep_anyway: bool = False,
    due_label: str = "",
    what: str = "",
) -> Commitment:
    """Check and save a commitment of `owner` in `cohort`. Refused (403) when `owner` does not
    take part in the cohort; raises CommitmentRefused when the text is empty, when there is no
    due date (in `due_on` or the text), or when the check finds problems and `keep_anyway` is
    not given. `session` is where it was made; by default the cohort's session held today, if
    any. `due_label` names the due-date field in messages, `what` the commitment."""
    require_member(owner, cohort)
    text = text.strip()
    deliverable = deliverable.strip()
    check = check_commitment(cohort, text, due_on=due_on, deliverable=deliverable)
    errors: dict[str, list[str]] = {}
    if not text:
        errors[TEXT] = [_("Write what you commit to.")]
    needs_keep = bool(text) and not check.ok and not keep_anyway
    if needs_keep:
        errors[TEXT] = [p.message for p in check.lint.problems]
    if check.due_on is None:
        errors[DUE_ON] = [check.due_missing_message(due_label or _(DUE_LABEL))]
    elif not dates.in_range(check.due_on):
        errors[DUE_ON] = [dates.RANGE_MESSAGE]
    if errors:
        raise CommitmentRefused(check, errors, needs_keep, what=what)
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


# --- a commitment's status and kudos --------------------------------------------------------


def check_status_change(person: User, commitment: Commitment, *, status: str) -> None:
    """The owner changes their commitment's status; hosts and organizers may mark one missed."""
    if not policy.can_set_commitment_status(person, commitment, status):
        raise Refused(_("Only the owner changes this commitment."), kind="forbidden")


def set_commitment_status(
    person: User, commitment: Commitment, *, status: str, evidence: str = ""
) -> Commitment:
    """Close (done, missed, dropped) or reopen `commitment`; done needs evidence (the rule is
    Commitment.mark's)."""
    check_status_change(person, commitment, status=status)
    try:
        commitment.mark(status, evidence)
    except ValidationError as exc:
        raise _invalid(exc) from None
    return commitment


def give_kudos(giver: User, commitment: Commitment) -> tuple[Kudos, bool]:
    """Kudos from a member for a peer's commitment that is done: (the kudos, whether they are
    new; giving them twice keeps the first)."""
    require_member(giver, commitment.cohort)
    if commitment.owner_id == giver.pk:
        raise Refused(_("Kudos are for other people’s commitments."), kind="forbidden")
    if commitment.status != CommitmentStatus.DONE:
        raise Refused(_("Kudos are for commitments that are done."), kind="forbidden")
    return Kudos.objects.get_or_create(commitment=commitment, giver=giver)


# --- progress updates, blockers and offers of help -------------------------------------------


def update_commitments(author: User, cohort: Cohort) -> QuerySet[Commitment]:
    """The commitments an update of `author` may be about: their open ones in the cohort."""
    return Commitment.objects.open().filter(cohort=cohort, owner_id=author.pk)


def post_update(
    author: User,
    cohort: Cohort,
    *,
    commitment: Commitment | int | None = None,
    done: str = "",
    remaining: str = "",
    blocker: str = "",
    skills: Iterable[Skill] = (),
) -> ProgressUpdate:
    """Done / remaining / blocker, free-standing or about one of the author's open
    commitments (an instance or its id). The skills say who could help with the blocker, so
    they need one: they are refused without it rather than dropped."""
    require_member(author, cohort)
    about = None
    if commitment is not None:
        pk = commitment.pk if isinstance(commitment, Commitment) else commitment
        about = update_commitments(author, cohort).filter(pk=pk).first()
        if about is None:
            raise Refused(_("Choose one of your open commitments."), field="commitment")
    done, remaining, blocker = done.strip(), remaining.strip(), blocker.strip()
    if not (done or remaining or blocker):
        raise Refused(_("Say what you did, what remains, or what blocks you."), field="body")
    skills = list(skills)
    if any(skill.network_id != cohort.network_id for skill in skills):
        raise Refused(_(NOT_A_SKILL), field="skills")
    if skills and not blocker:
        raise Refused(_("Describe the blocker the skills would help with."), field="blocker")
    with transaction.atomic():
        update = ProgressUpdate.objects.create(
            cohort=cohort, author=author, commitment=about, done=done, remaining=remaining
        )
        if blocker:
            Blocker.objects.create(update=update, text=blocker).skills.set(skills)
    return update


def offer_help(helper: User, blocker: Blocker, *, message: str = "") -> HelpOffer:
    """A member's offer of help with a peer's open blocker; the first offer is timed (the
    rules on whose and which blockers are Blocker.offer's)."""
    require_member(helper, blocker.update.cohort)
    try:
        return blocker.offer(helper, message)
    except ValidationError as exc:
        raise Refused(" ".join(exc.messages), kind="forbidden") from None


def accept_offer(person: User, offer: HelpOffer) -> HelpOffer:
    """The blocked person accepts an offer of help; the blocker is resolved."""
    if offer.blocker.update.author_id != person.pk:
        raise Refused(_("Only the person who is blocked accepts offers of help."), kind="forbidden")
    offer.accept()
    return offer


# --- experiments ---------------------------------------------------------------------------


def start_experiment(
    owner: User,
    cohort: Cohort,
    *,
    title: str,
    capability: str,
    hypothesis: str,
    plan: str,
    starts_on: date,
    ends_on: date,
    measure: str,
    skill: Skill | None = None,
    baseline: str = "",
    result_data: str = "",
    outcome: str = Outcome.RUNNING,
    learnings: str = "",
    next_steps: str = "",
    visibility: str = Visibility.COHORT,
) -> Experiment:
    """A member starts an experiment; it must end after it starts (the model's rule)."""
    require_member(owner, cohort)
    experiment = Experiment(cohort=cohort, owner=owner)
    return _save_experiment(
        experiment,
        title=title,
        capability=capability,
        hypothesis=hypothesis,
        plan=plan,
        starts_on=starts_on,
        ends_on=ends_on,
        measure=measure,
        skill=skill,
        baseline=baseline,
        result_data=result_data,
        outcome=outcome,
        learnings=learnings,
        next_steps=next_steps,
        visibility=visibility,
    )


def check_experiment_change(person: User, experiment: Experiment) -> None:
    """Only its owner, while taking part in the cohort, changes an experiment."""
    if experiment.owner_id != person.pk or not policy.can_take_part(person, experiment.cohort):
        raise Refused(_("Only the person running the experiment changes it."), kind="forbidden")


def may_change_experiment(person: User, experiment: Experiment) -> bool:
    try:
        check_experiment_change(person, experiment)
    except Refused:
        return False
    return True


def change_experiment(
    person: User,
    experiment: Experiment,
    *,
    title: str,
    capability: str,
    hypothesis: str,
    plan: str,
    starts_on: date,
    ends_on: date,
    measure: str,
    skill: Skill | None = None,
    baseline: str = "",
    result_data: str = "",
    outcome: str = Outcome.RUNNING,
    learnings: str = "",
    next_steps: str = "",
    visibility: str = Visibility.COHORT,
) -> Experiment:
    """Its owner changes an experiment: the plan, the results, the outcome."""
    check_experiment_change(person, experiment)
    return _save_experiment(
        experiment,
        title=title,
        capability=capability,
        hypothesis=hypothesis,
        plan=plan,
        starts_on=starts_on,
        ends_on=ends_on,
        measure=measure,
        skill=skill,
        baseline=baseline,
        result_data=result_data,
        outcome=outcome,
        learnings=learnings,
        next_steps=next_steps,
        visibility=visibility,
    )


def _save_experiment(
    experiment: Experiment, *, skill: Skill | None, **fields: str | date
) -> Experiment:
    if skill is not None and skill.network_id != experiment.cohort.network_id:
        raise Refused(_(NOT_A_SKILL), field="skill")
    for name, value in fields.items():
        setattr(experiment, name, value)
    experiment.skill = skill
    try:
        experiment.full_clean()
    except ValidationError as exc:
        raise _invalid(exc) from None
    experiment.save()
    return experiment


def _invalid(exc: ValidationError) -> Refused:
    """A model's validation errors as one refusal: each on its field, the rest on `body`."""
    fields = {
        ("body" if name == "__all__" else name): list(messages)
        for name, messages in exc.message_dict.items()
    }
    return Refused(" ".join(m for found in fields.values() for m in found), fields=fields)
