"""What people do in peer coaching, the one path every front door takes (the pages, the API,
the demo): open a session and write in it, turn its next step into a commitment, edit the
prompt bank, give feedback and choose who reads it.

Each function checks its rule (who may, in which state, with which input) and raises
`cadre.lib.rules.Refused` with the sentence people see; the pages put it on the form and the
API answers it in its error shape. Who may open a page or read a row is the policy's
(cadre.coaching.policy); finding the row (404) is the front door's, through the policy's
lookups, before it calls these.

    session = open_session(me, cohort, focus="Saying no", help_wanted="ideas", coach_id=7)
    write_in_session(me, session, changes={"notes": "..."})
    give_feedback(me, cohort, receiver_id=7, behaviour="...", give_anyway=False)
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cadre.accountability import services as accountability
from cadre.accountability.models import Commitment, Visibility
from cadre.cohorts.models import Cohort
from cadre.cohorts.services import NOT_A_PEER
from cadre.engine.linting import FeedbackResult, LintResult, check_feedback
from cadre.lib.rules import Refused
from cadre.networks.models import Network

from . import policy
from .models import (
    CoachingSession,
    CoachPrompt,
    Feedback,
    FeedbackVisibility,
    HelpKind,
    PromptStage,
    SeatRole,
    active_members,
    compose_feedback,
    current_round,
    current_seat,
)

if TYPE_CHECKING:
    from cadre.accounts.models import User

MEMBERS_ONLY = gettext_noop("Coaching and feedback are for the cohort’s active members.")
NOT_THE_COACHEE = gettext_noop(
    "In this round you are not a coachee; the coachee of your group opens the session."
)
FOCUS_MISSING = gettext_noop("Say what you want to work on.")
UNKNOWN_HELP_KIND = gettext_noop("Choose a kind of help from the list.")
PROMPTS_ARE_THE_ORGANIZERS = gettext_noop("The prompt bank is the organizers’.")
QUESTION_MISSING = gettext_noop("Write the question.")
NOT_YET = gettext_noop(
    "This feedback is not yet about a behaviour and its impact. Use the rewrite, change it "
    "yourself, or give it as written."
)


class FeedbackNotYet(Refused):
    """The feedback check found problems and the giver did not choose to give it as written.
    `result` is what the check said (its problems and its rewrite), for the page to show; the
    API sends it as `detail`."""

    def __init__(self, result: FeedbackResult) -> None:
        super().__init__(_(NOT_YET), field="behaviour", detail=result.to_dict())
        self.result = result


# --- sessions -------------------------------------------------------------------------------


def opening_refusal(coachee: User, cohort: Cohort) -> Refused | None:
    """Why `coachee` may not open a session in `cohort` now (None: they may). While a
    rotation round runs, only the coachee of a group opens its session."""
    if not policy.can_coach(coachee, cohort):
        return Refused(_(MEMBERS_ONLY), kind="forbidden")
    if current_round(cohort) is not None:
        seat = current_seat(coachee, cohort)
        if seat is None or seat.role != SeatRole.COACHEE:
            return Refused(_(NOT_THE_COACHEE), field="coach")
    return None


def coach_choices(coachee: User, cohort: Cohort) -> QuerySet[Any] | None:
    """Whom `coachee` may choose as the coach of an ad-hoc session: the cohort's other
    active members; None while a round runs (the seat decides)."""
    if current_round(cohort) is not None:
        return None
    return active_members(cohort).exclude(pk=coachee.pk)


def open_session(
    coachee: User,
    cohort: Cohort,
    *,
    focus: str,
    help_wanted: str,
    coach_id: int | None = None,
) -> CoachingSession:
    """The coachee opens a session. While a rotation round runs, it is held in the coachee's
    group (their seat must be the coachee's; the group's coach and observer join, and
    `coach_id` is ignored). Without a running round it is ad hoc, with the coach `coach_id`:
    any other active member of the cohort."""
    refusal = opening_refusal(coachee, cohort)
    if refusal is not None:
        raise refusal
    focus = (focus or "").strip()
    if not focus:
        raise Refused(_(FOCUS_MISSING), field="focus")
    if help_wanted not in HelpKind.values:
        raise Refused(_(UNKNOWN_HELP_KIND), field="help_wanted")
    session = CoachingSession(cohort=cohort, coachee=coachee, focus=focus, help_wanted=help_wanted)
    seat = current_seat(coachee, cohort)
    if seat is not None:
        seats = {s.role: s.user for s in seat.group.seats.all()}
        if SeatRole.COACH not in seats:
            raise Refused(_("Your group in this round has no coach."), field="coach")
        session.group = seat.group
        session.coach = seats[SeatRole.COACH]
        session.observer = seats.get(SeatRole.OBSERVER)
    else:
        if coach_id is None:
            raise Refused(_("Choose who will coach you."), field="coach")
        choices = coach_choices(coachee, cohort)
        coach = choices.filter(pk=coach_id).first() if choices is not None else None
        if coach is None:
            raise Refused(_(NOT_A_PEER), field="coach")
        session.coach = coach
    with transaction.atomic():
        session.pick_prompts()
        session.save()
    return session


def write_in_session(
    person: User, session: CoachingSession, *, changes: Mapping[str, str]
) -> CoachingSession:
    """Write `changes` (field -> text) in the session: the coachee writes focus, help_wanted
    and next_step, coachee and coach the notes, the observer observer_notes."""
    for field in changes:
        if not policy.can_edit_coaching_field(person, session, field):
            raise Refused(
                _("“%(field)s” is not yours to write in this session.") % {"field": field},
                kind="forbidden",
            )
    cleaned = {field: value.strip() for field, value in changes.items()}
    if "focus" in cleaned and not cleaned["focus"]:
        raise Refused(_(FOCUS_MISSING), field="focus")
    if "help_wanted" in cleaned and cleaned["help_wanted"] not in HelpKind.values:
        raise Refused(_(UNKNOWN_HELP_KIND), field="help_wanted")
    for field, value in cleaned.items():
        setattr(session, field, value)
    session.updated_at = timezone.now()
    session.save()
    return session


def next_step_refusal(person: User, session: CoachingSession) -> Refused | None:
    """Why `person` may not turn the session's next step into a commitment (None: they
    may): only its coachee, while an active member, and only once."""
    if session.role_of(person) != SeatRole.COACHEE or not policy.can_coach(person, session.cohort):
        return Refused(_("The coachee turns their next step into a commitment."), kind="forbidden")
    if session.commitment_id is not None:
        return Refused(_("This next step is already a commitment."), kind="conflict")
    return None


def commit_next_step(
    person: User,
    session: CoachingSession,
    *,
    text: str | None = None,
    deliverable: str = "",
    due_on: date | None = None,
    visibility: str = Visibility.COHORT,
    keep_anyway: bool = False,
    due_label: str | None = None,
) -> Commitment:
    """The coachee's next step (or `text`) goes on the board through the commitment check
    (accountability.services.make_commitment, which raises CommitmentRefused as on the
    board), and the session keeps it. `due_label` names the due-date field in its messages
    (by default the board form's label)."""
    refusal = next_step_refusal(person, session)
    if refusal is not None:
        raise refusal
    text = (text or session.next_step).strip()
    if not text:
        raise Refused(_("Write the next step first."), field="text")
    with transaction.atomic():
        commitment = accountability.make_commitment(
            cohort=session.cohort,
            owner=person,
            text=text,
            deliverable=deliverable,
            due_on=due_on,
            visibility=visibility,
            keep_anyway=keep_anyway,
            what=_("The next step"),
            due_label=due_label or accountability.DUE_LABEL,
        )
        session.commitment = commitment
        session.next_step = session.next_step or text
        session.save(update_fields=["commitment", "next_step"])
    return commitment


# --- the prompt bank ------------------------------------------------------------------------


def _require_prompt_manager(person: User, network: Network) -> None:
    if not policy.can_manage_prompts(person, network):
        raise Refused(_(PROMPTS_ARE_THE_ORGANIZERS), kind="forbidden")


def prompt_bank(
    person: User, network: Network, *, include_retired: bool = False
) -> QuerySet[CoachPrompt]:
    """The network's coach prompts (seeded with the defaults the first time), by stage and
    position; retired ones too only for organizers who ask for them."""
    CoachPrompt.objects.ensure_defaults(network)
    bank = CoachPrompt.objects.filter(network=network)
    if not (include_retired and policy.can_manage_prompts(person, network)):
        bank = bank.active()
    return bank.order_by("stage", "position", "pk")


def managed_prompt_bank(person: User, network: Network) -> QuerySet[CoachPrompt]:
    """The whole bank, retired prompts too, for an organizer to edit (refused for anyone
    else)."""
    _require_prompt_manager(person, network)
    return prompt_bank(person, network, include_retired=True)


def _prompt_fields(text: str | None, stage: str | None, position: int | None) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if text is not None:
        fields["text"] = text.strip()
        if not fields["text"]:
            raise Refused(_(QUESTION_MISSING), field="text")
    if stage is not None:
        if stage not in PromptStage.values:
            raise Refused(_("Choose opening, reflection or next step."), field="stage")
        fields["stage"] = stage
    if position is not None:
        fields["position"] = position
    return fields


def add_prompt(
    person: User,
    network: Network,
    *,
    text: str,
    stage: str,
    active: bool = True,
    position: int = 0,
) -> CoachPrompt:
    """An organizer adds a question to the network's bank."""
    _require_prompt_manager(person, network)
    fields = _prompt_fields(text, stage, position)
    CoachPrompt.objects.ensure_defaults(network)
    return CoachPrompt.objects.create(network=network, active=active, **fields)


def edit_prompt(
    person: User,
    prompt: CoachPrompt,
    *,
    text: str | None = None,
    stage: str | None = None,
    active: bool | None = None,
    position: int | None = None,
) -> CoachPrompt:
    """An organizer changes a prompt's text, stage or position, or retires it (active=False);
    what is None stays as it is."""
    _require_prompt_manager(person, prompt.network)
    for field, value in _prompt_fields(text, stage, position).items():
        setattr(prompt, field, value)
    if active is not None:
        prompt.active = active
    prompt.save()
    return prompt


# --- feedback -------------------------------------------------------------------------------


def check(situation: str, behaviour: str, impact: str, suggestion: str) -> FeedbackResult:
    """The engine's feedback check over the four parts read as one text."""
    return check_feedback(compose_feedback(situation, behaviour, impact, suggestion))


def problem_list(result: LintResult) -> list[dict[str, str]]:
    return [{"code": p.code, "message": p.message} for p in result.problems]


def receiver_choices(giver: User, cohort: Cohort, session: CoachingSession | None) -> Any:
    """Whom `giver` may give feedback to: another active member of the cohort; in a
    session, one of its people."""
    receivers = active_members(cohort).exclude(pk=giver.pk)
    if session is not None:
        receivers = receivers.filter(pk__in=session.participant_ids())
    return receivers


def giving_refusal(giver: User, cohort: Cohort) -> Refused | None:
    """Why `giver` may not give feedback in `cohort` (None: they may, as an active member)."""
    if not policy.can_coach(giver, cohort):
        return Refused(_(MEMBERS_ONLY), kind="forbidden")
    return None


def give_feedback(
    giver: User,
    cohort: Cohort,
    *,
    receiver_id: int,
    situation: str = "",
    behaviour: str,
    impact: str = "",
    suggestion: str = "",
    give_anyway: bool = False,
    coaching_session_id: int | None = None,
) -> Feedback:
    """Check and save feedback of `giver` for another active member, `receiver_id`. With
    problems the check finds it is given only with `give_anyway` (FeedbackNotYet
    otherwise); the problems are kept with it. `coaching_session_id` names a session of the
    cohort the giver sits in, and it must seat the receiver too."""
    refusal = giving_refusal(giver, cohort)
    if refusal is not None:
        raise refusal
    if receiver_id == giver.pk:
        raise Refused(_("Feedback is for someone else."), field="receiver")
    receiver = active_members(cohort).filter(pk=receiver_id).first()
    if receiver is None:
        raise Refused(_("Choose an active member of this cohort."), field="receiver")
    parts = [(p or "").strip() for p in (situation, behaviour, impact, suggestion)]
    if not parts[1]:
        raise Refused(_("Describe what the person did."), field="behaviour")
    coaching_session = None
    if coaching_session_id is not None:
        coaching_session = (
            policy.visible_coaching_sessions(giver, cohort).filter(pk=coaching_session_id).first()
        )
        if coaching_session is None:
            raise Refused(policy.SESSION_NOT_FOUND, kind="not_found")
        if receiver.pk not in coaching_session.participant_ids():
            raise Refused(
                _("Both of you must sit in the coaching session."), field="coaching_session"
            )
    result = check(*parts)
    if not result.ok and not give_anyway:
        raise FeedbackNotYet(result)
    problems = problem_list(result)
    return Feedback.objects.create(
        cohort=cohort,
        giver=giver,
        receiver=receiver,
        coaching_session=coaching_session,
        situation=parts[0],
        behaviour=parts[1],
        impact=parts[2],
        suggestion=parts[3],
        problems=problems,
        kept_anyway=bool(problems),
    )


def share_candidates(cohort: Cohort, receiver: User) -> QuerySet[Any]:
    """Whom a receiver may name: the cohort's active people (its hosts among them, and so
    their coaches) and their current mentors; never the receiver."""
    from django.contrib.auth import get_user_model

    from cadre.schedule.models import MentorMatch

    mentors = MentorMatch.objects.current().filter(
        network=cohort.network_id, newcomer_id=receiver.pk
    )
    return (
        get_user_model()
        .objects.filter(
            Q(cohort_memberships__cohort=cohort, cohort_memberships__left_on__isnull=True)
            | Q(pk__in=mentors.values("mentor_id"))
        )
        .exclude(pk=receiver.pk)
        .distinct()
        .order_by("name", "pk")
    )


def share_choices(feedback: Feedback) -> QuerySet[Any]:
    """`share_candidates` for this feedback, less its giver (who reads it anyway)."""
    return share_candidates(feedback.cohort, feedback.receiver).exclude(pk=feedback.giver_id)


def visibility_refusal(person: User, feedback: Feedback) -> Refused | None:
    """Why `person` may not choose who reads `feedback` (None: they may, as its receiver)."""
    if not policy.can_set_feedback_visibility(person, feedback):
        return Refused(
            _("Only the person who received the feedback decides who reads it."), kind="forbidden"
        )
    return None


def set_visibility(
    person: User, feedback: Feedback, *, visibility: str, shared_with: Collection[int] = ()
) -> Feedback:
    """The receiver's choice of who else reads feedback about them; the people named
    (`shared_with`, user ids) are kept only for "shared"."""
    refusal = visibility_refusal(person, feedback)
    if refusal is not None:
        raise refusal
    if visibility not in FeedbackVisibility.values:
        raise Refused(_("Choose private, shared or cohort."), field="visibility")
    wanted = set(shared_with)
    people = list(share_choices(feedback).filter(pk__in=wanted))
    if len(people) != len(wanted):
        raise Refused(
            _("Name people of this cohort, your coach or your mentor."), field="shared_with"
        )
    if visibility == FeedbackVisibility.SHARED and not people:
        raise Refused(_("Name at least one person to share it with."), field="shared_with")
    with transaction.atomic():
        feedback.visibility = visibility
        feedback.save(update_fields=["visibility"])
        feedback.shared_with.set(people if visibility == FeedbackVisibility.SHARED else [])
    return feedback
