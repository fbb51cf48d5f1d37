"""What people do with a cohort's schedule, its sessions and mentor matching, whichever door
they come through (the pages, the API): change the schedule, add or cancel sessions, mark
absences, run a session (agenda, attendance, notes), write and publish its report, and match
mentors with newcomers.

Each function checks the rule (cadre.schedule.policy) and raises `Refused`, whose message
is the sentence people see. The rota follows every change (cadre.schedule.rota)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cadre.accounts.models import User
from cadre.cohorts.models import Cohort
from cadre.lib.rules import Refused
from cadre.networks.models import Network, NetworkMembership, Role
from cadre.networks.policy import Person

from . import mentoring, policy, reports, rota
from .models import (
    Absence,
    AgendaBlock,
    Attendance,
    CohortSchedule,
    MentorMatch,
    MentorSettings,
    NoteKind,
    Session,
    SessionKind,
    SessionNote,
    SessionReport,
    validate_roles,
)

ALREADY_PUBLISHED = "The report is already published."

# --- the schedule ---------------------------------------------------------------------------


def require_schedule_editor(by: Person, cohort: Cohort) -> None:
    """Refuse anyone but the cohort's hosts and the network's organizers."""
    if not policy.can_edit_schedule(by, cohort):
        raise Refused(
            "Only the cohort’s hosts and the network’s organizers change its schedule.",
            kind="forbidden",
        )


def schedule_of(cohort: Cohort) -> CohortSchedule:
    """The cohort's schedule, or an unsaved one with the defaults."""
    found = CohortSchedule.objects.filter(cohort=cohort).select_related("cohort").first()
    return found or CohortSchedule(cohort=cohort)


def _follow(schedule: CohortSchedule) -> None:
    schedule.sync_sessions()
    rota.regenerate(schedule.cohort)


def update_schedule(
    by: Person,
    cohort: Cohort,
    *,
    weekday: int | None = None,
    local_time: time | None = None,
    roles: Sequence[str] | None = None,
) -> CohortSchedule:
    """Change when the cohort meets and the roles that rotate (what is None stays; a cohort
    without a schedule gets one). Upcoming regular sessions move, missing ones are added and
    the rota is recomputed; past sessions never change."""
    require_schedule_editor(by, cohort)
    schedule = schedule_of(cohort)
    if weekday is not None:
        schedule.weekday = weekday
    if local_time is not None:
        schedule.local_time = local_time
    if roles is not None:
        schedule.roles = [" ".join(r.split()) for r in roles]
    try:
        validate_roles(schedule.roles)
    except ValidationError as exc:
        raise Refused(exc.messages[0], field="roles") from None
    schedule.save()
    _follow(schedule)
    return schedule


def use_slot(by: Person, cohort: Cohort, *, start: int) -> CohortSchedule:
    """Move the schedule to a slot from the finder (a UTC hour of the week)."""
    require_schedule_editor(by, cohort)
    schedule, _ = CohortSchedule.objects.get_or_create(cohort=cohort)
    rota.use_slot(schedule, start)
    return schedule


def add_one_off_session(
    by: Person, cohort: Cohort, *, starts_at: datetime, minutes: int, title: str
) -> Session:
    """Add a session outside the cadence, starting in the future; the rota follows."""
    require_schedule_editor(by, cohort)
    if starts_at <= timezone.now():
        raise Refused("A new session must start in the future.", field="date")
    session = Session.objects.create(
        cohort=cohort, starts_at=starts_at, minutes=minutes, kind=SessionKind.ONE_OFF, title=title
    )
    rota.regenerate(cohort)
    return session


def cohort_session(cohort: Cohort, *, session: int) -> Session:
    """The cohort's session `session`."""
    found = Session.objects.filter(pk=session, cohort=cohort).select_related("cohort").first()
    if found is None:
        raise Refused("This cohort has no such session.", kind="not_found")
    return found


def cancel_session(by: Person, cohort: Cohort, *, session: int, cancelled: bool) -> Session:
    """Cancel an upcoming session, or hold it again; its roles move to the other sessions."""
    require_schedule_editor(by, cohort)
    session_ = cohort_session(cohort, session=session)
    if session_.is_past():
        raise Refused("Past sessions are history and do not change.", kind="conflict")
    session_.cancelled = cancelled
    session_.save(update_fields=["cancelled"])
    rota.regenerate(cohort)
    return session_


# --- absences -------------------------------------------------------------------------------


def upcoming_session(by: Person, cohort: Cohort, *, session: int) -> Session:
    """The cohort's upcoming session `session`, for marking an absence from it."""
    if not policy.can_mark_absence(by, cohort):
        raise Refused("Only the cohort’s active members mark absences.", kind="forbidden")
    found = cohort_session(cohort, session=session)
    if found.is_past() or found.cancelled:
        raise Refused("That session is over or cancelled; nothing changed.", field="session")
    return found


def absence_of(person: User, session: Session) -> Absence | None:
    return Absence.objects.filter(session=session, user=person).first()


def mark_absent(by: User, cohort: Cohort, *, session: int, note: str = "") -> tuple[Absence, bool]:
    """Mark `by` absent from an upcoming session (the note is updated when they already
    were). Returns the absence and whether it is new; the rota follows (signals)."""
    found = upcoming_session(by, cohort, session=session)
    existing = absence_of(by, found)
    if existing is not None:
        existing.note = note
        existing.save(update_fields=["note"])
        return existing, False
    return Absence.objects.create(session=found, user=by, note=note), True


def withdraw_absence(by: User, cohort: Cohort, *, session: int) -> Session:
    """`by` will come after all; the rota follows (signals)."""
    found = upcoming_session(by, cohort, session=session)
    absence = absence_of(by, found)
    if absence is None:
        raise Refused("You are not marked absent from this session.", kind="not_found")
    absence.delete()
    return found


# --- running a session ----------------------------------------------------------------------


def require_runner(by: Person, session: Session) -> None:
    if not policy.can_run_session(by, session):
        raise Refused(
            "Only the session’s facilitator, the cohort’s hosts and the organizers run it.",
            kind="forbidden",
        )


def require_report_writer(by: Person, session: Session) -> None:
    if not policy.can_edit_report(by, session):
        raise Refused(
            "Only the session’s note-taker, the cohort’s hosts and the organizers edit the report.",
            kind="forbidden",
        )


def member_ids(session: Session) -> set[int]:
    return set(session.cohort.memberships.active().values_list("user_id", flat=True))


@dataclass(frozen=True)
class Block:
    """One timeboxed block of an agenda, as sent."""

    kind: str
    title: str
    minutes: int
    presenter: int | None = None
    notes: str = ""


def check_agenda(session: Session, blocks: Sequence[Block]) -> None:
    """Refuse an agenda whose blocks do not fill the session exactly or whose presenters are
    not members of the cohort."""
    if not blocks:
        raise Refused("An agenda needs at least one block.", field="blocks")
    total = sum(b.minutes for b in blocks)
    if total != session.minutes:
        diff = total - session.minutes
        more_or_less = f"{diff} minutes too many" if diff > 0 else f"{-diff} minutes short"
        raise Refused(
            f"The blocks add up to {total} minutes but the session is "
            f"{session.minutes} minutes long ({more_or_less}).",
            field="blocks",
        )
    members = member_ids(session)
    if any(b.presenter is not None and b.presenter not in members for b in blocks):
        raise Refused("A presenter must be a member of the cohort.", field="blocks")


def agenda_of(session: Session) -> list[AgendaBlock]:
    """The session's blocks in order (the default agenda until someone edits it)."""
    AgendaBlock.ensure_for(session)
    return list(session.agenda.select_related("presenter").order_by("order", "pk"))


def replace_agenda(by: Person, session: Session, *, blocks: Sequence[Block]) -> list[AgendaBlock]:
    """Replace every block of the agenda, in order; nothing is saved when it is refused."""
    require_runner(by, session)
    check_agenda(session, blocks)
    with transaction.atomic():
        session.agenda.all().delete()
        AgendaBlock.objects.bulk_create(
            AgendaBlock(
                session=session,
                order=i,
                kind=b.kind,
                title=b.title,
                minutes=b.minutes,
                presenter_id=b.presenter,
                notes=b.notes,
            )
            for i, b in enumerate(blocks)
        )
    return agenda_of(session)


def record_attendance(by: Person, session: Session, *, user: int, status: str) -> Attendance:
    """Record whether the member `user` was present, absent or excused."""
    require_runner(by, session)
    if user not in member_ids(session):
        raise Refused("That person is not a member of the cohort.", kind="not_found", field="user")
    row, _ = Attendance.objects.update_or_create(
        session=session, user_id=user, defaults={"status": status}
    )
    return Attendance.objects.select_related("user").get(pk=row.pk)


def add_note(by: User, session: Session, *, kind: str, text: str) -> SessionNote:
    """A live note or insight of the session."""
    require_runner(by, session)
    return SessionNote.objects.create(session=session, author=by, kind=kind, text=text)


def commitments() -> Any:
    """cadre.accountability.services when that app is installed, else None."""
    if reports.accountability() is None:
        return None
    from cadre.accountability import services

    return services


def capture_commitment(
    by: User,
    session: Session,
    *,
    owner: Any,
    text: str,
    due_on: date | None,
    keep_anyway: bool = False,
) -> str:
    """Record a commitment said in the session: through the accountability app's
    make_commitment when it is installed (its check, its "keep it anyway", its due date; it
    raises CommitmentRefused), otherwise a note line. Returns "commitment" or "note"."""
    require_runner(by, session)
    made = commitments()
    if made is not None:
        made.make_commitment(
            cohort=session.cohort,
            owner=owner,
            text=text,
            due_on=due_on,
            session=session,
            keep_anyway=keep_anyway,
            due_label="Due",
        )
        return "commitment"
    due = f" (due {due_on:%-d %b})" if due_on else ""
    SessionNote.objects.create(
        session=session, author=by, kind=NoteKind.NOTE, text=f"Commitment — {owner}: {text}{due}"
    )
    return "note"


# --- the report -----------------------------------------------------------------------------


def draft_report(by: Person, session: Session) -> SessionReport:
    """Fill the draft's text from the session's data (attendance, roles, notes, insights,
    commitments…); a published report does not change."""
    require_report_writer(by, session)
    report, _ = SessionReport.objects.get_or_create(session=session)
    if report.is_published:
        raise Refused(ALREADY_PUBLISHED, field="status")
    report.body = reports.draft_text(session)
    report.save(update_fields=["body", "updated_at"])
    return report


def save_report(
    by: Person, session: Session, *, body: str, what_worked: str, what_did_not: str
) -> SessionReport:
    """Write the report's text (a draft, or a published report's correction)."""
    require_report_writer(by, session)
    report = SessionReport.objects.filter(session=session).first() or SessionReport(session=session)
    report.body, report.what_worked, report.what_did_not = body, what_worked, what_did_not
    report.save()
    return report


def publish_report(by: Person, session: Session, *, share_with_network: bool) -> SessionReport:
    """Publish the draft and queue an e-mail to every active member of the cohort."""
    require_report_writer(by, session)
    report = SessionReport.objects.filter(session=session).first()
    if report is None:
        raise Refused("Draft the report first.", kind="not_found")
    if not reports.publish(report, by, share_with_network):
        raise Refused(ALREADY_PUBLISHED, field="status")
    return report


# --- mentors --------------------------------------------------------------------------------


def require_mentoring_manager(by: Person, network: Network) -> None:
    if not policy.can_manage_mentoring(by, network):
        raise Refused(
            f"Only the organizers of {network.name} match mentors and newcomers.",
            kind="forbidden",
        )


def propose_matches(by: Person, network: Network, *, days: int) -> mentoring.Proposals:
    """Newcomers who joined within `days` days matched to mentors with free places."""
    require_mentoring_manager(by, network)
    return mentoring.propose(network, days)


def confirm_match(
    by: Person, network: Network, *, mentor: int, newcomer: int, explanation: str = ""
) -> MentorMatch:
    """Record the match and e-mail the mentor and the newcomer."""
    require_mentoring_manager(by, network)
    return mentoring.confirm(network, mentor, newcomer, by, explanation)


def end_match(by: Person, network: Network, *, match: int) -> MentorMatch:
    require_mentoring_manager(by, network)
    found = (
        MentorMatch.objects.current()
        .filter(pk=match, network=network)
        .select_related("mentor", "newcomer")
        .first()
    )
    if found is None:
        raise Refused("No such match.", kind="not_found")
    found.ended_at = timezone.now()
    found.save(update_fields=["ended_at"])
    return found


def mentor_places_of(by: Person, network: Network, *, mentor: int) -> NetworkMembership:
    """The mentor `mentor`'s membership, for `by` to change their places (the mentor and the
    organizers)."""
    membership = (
        NetworkMembership.objects.select_related("user")
        .filter(network=network, user_id=mentor, role=Role.MENTOR)
        .first()
    )
    if membership is None:
        raise Refused("No such mentor.", kind="not_found")
    if not policy.can_edit_mentor_settings(by, network, membership.user):
        raise Refused(
            "Only the mentor and the organizers change a mentor’s places.", kind="forbidden"
        )
    return membership


def set_mentor_places(
    by: Person, network: Network, *, mentor: int, capacity: int, accepting: bool
) -> MentorSettings:
    """How many newcomers the mentor `mentor` takes at once, and whether they take new ones."""
    membership = mentor_places_of(by, network, mentor=mentor)
    found, _ = MentorSettings.objects.update_or_create(
        membership=membership, defaults={"capacity": capacity, "accepting": accepting}
    )
    return found


def my_mentoring(by: User, network: Network) -> tuple[MentorMatch | None, list[MentorMatch]]:
    """`by`'s current mentor (or None) and mentees."""
    if not policy.can_view_own_mentoring(by, network):
        raise Refused("Partners have no mentoring in this network.", kind="forbidden")
    current = (
        MentorMatch.objects.current().filter(network=network).select_related("mentor", "newcomer")
    )
    return (
        current.filter(newcomer=by).first(),
        list(current.filter(mentor=by).order_by("newcomer__name", "pk")),
    )
