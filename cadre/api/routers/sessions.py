"""One session's agenda, attendance, live notes and report under
/networks/{slug}/cohorts/{cohort}/sessions/{session}: the same policy and services
(cadre.schedule.policy, cadre.schedule.services) as the web pages. People who may not see the session get
404, the code of conduct comes next, and people who may see but not change get 403."""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from cadre.api import errors
from cadre.api.routers import require_conduct, user_of
from cadre.api.schemas import ErrorOut, Id, UserRef
from cadre.networks.policy import can_view_network
from cadre.schedule import policy, services
from cadre.schedule.models import (
    AgendaBlock,
    AgendaKind,
    Attendance,
    AttendanceStatus,
    NoteKind,
    Session,
    SessionNote,
    SessionReport,
)

router = Router(tags=["sessions"])

SESSION = "/networks/{slug}/cohorts/{cohort}/sessions/{session}"


# --- schemas -------------------------------------------------------------------------------


class AgendaBlockOut(Schema):
    kind: str
    title: str
    minutes: int
    presenter: UserRef | None
    notes: str


class AgendaBlockIn(Schema):
    kind: AgendaKind = AgendaKind.OTHER
    title: str = Field(..., min_length=1, max_length=120)
    minutes: int = Field(..., ge=1, le=480)
    presenter: Id | None = Field(None, description="User id of a member of the cohort.")
    notes: str = Field("", max_length=300)


class AgendaIn(Schema):
    blocks: list[AgendaBlockIn] = Field(..., description="In order; minutes add up to the session.")
    confirm_overwrite: bool = Field(
        False,
        description="Needed to replace the agenda of a session that already ran (409 "
        "`confirm_overwrite` without it); the agenda it had is kept for agenda/undo.",
    )


class AttendanceOut(Schema):
    user: UserRef
    status: str


class AttendanceIn(Schema):
    status: AttendanceStatus


class NoteOut(Schema):
    id: int
    kind: str
    text: str
    author: UserRef | None
    created_at: datetime


class NoteIn(Schema):
    kind: NoteKind = NoteKind.NOTE
    text: str = Field(..., min_length=1, max_length=1000)


class ReportOut(Schema):
    body: str
    what_worked: str
    what_did_not: str
    status: str
    share_with_network: bool
    published_at: datetime | None


class PublishIn(Schema):
    share_with_network: bool = False


# --- helpers -------------------------------------------------------------------------------


def _session(request: HttpRequest, slug: str, cohort: str, session: int) -> Session:
    """The session, or 404 for anyone who may not see it (the report allows more readers,
    see _report)."""
    found = (
        Session.objects.select_related("cohort__network")
        .filter(pk=session, cohort__slug=cohort, cohort__network__slug=slug)
        .first()
    )
    user = user_of(request)
    if found is None or not can_view_network(user, found.cohort.network):
        raise errors.not_found("No such session.")
    require_conduct(request, found.cohort.network)
    return found


def _viewable(request: HttpRequest, slug: str, cohort: str, session: int) -> Session:
    found = _session(request, slug, cohort, session)
    if not policy.can_view_session(user_of(request), found.cohort):
        raise errors.not_found("No such session.")
    return found


# --- agenda --------------------------------------------------------------------------------


@router.get(SESSION + "/agenda", response={200: list[AgendaBlockOut]}, summary="Agenda")
def agenda(request: HttpRequest, slug: str, cohort: str, session: Id) -> list[AgendaBlock]:
    """The session's timeboxed blocks, in order (the default agenda until someone edits it)."""
    return services.agenda_of(_viewable(request, slug, cohort, session))


@router.put(
    SESSION + "/agenda",
    response={200: list[AgendaBlockOut], 409: ErrorOut},
    summary="Replace agenda",
)
def put_agenda(
    request: HttpRequest, slug: str, cohort: str, session: Id, payload: AgendaIn
) -> list[AgendaBlock]:
    """Replaces every block; the minutes must add up to the session's length (422 and
    nothing saved otherwise)."""
    found = _viewable(request, slug, cohort, session)
    blocks = [services.Block(**b.model_dump()) for b in payload.blocks]
    return services.replace_agenda(
        user_of(request), found, blocks=blocks, confirm_overwrite=payload.confirm_overwrite
    )


@router.post(
    SESSION + "/agenda/undo",
    response={200: list[AgendaBlockOut]},
    summary="Undo agenda replacement",
)
def restore_agenda(request: HttpRequest, slug: str, cohort: str, session: Id) -> list[AgendaBlock]:
    """Undo the last replacement of a past session's agenda (404 when there is none); the
    replaced agenda is kept in turn."""
    found = _viewable(request, slug, cohort, session)
    return services.restore_agenda(user_of(request), found)


# --- since last time -----------------------------------------------------------------------


class FollowedOut(Schema):
    id: int
    text: str
    due_on: date | None
    status: str
    verdict: str = Field(..., description="done, late, dropped or open (due on the day).")


class UpdateSinceOut(Schema):
    id: int
    done: str
    remaining: str
    created_at: datetime


class BlockerSinceOut(Schema):
    id: int
    text: str
    created_at: datetime


class ExperimentSinceOut(Schema):
    id: int
    title: str
    ends_on: date
    outcome: str


class MemberSinceOut(Schema):
    user: UserRef
    commitments: list[FollowedOut]
    updates: list[UpdateSinceOut]
    blockers: list[BlockerSinceOut]
    experiments: list[ExperimentSinceOut]


class SinceLastTimeOut(Schema):
    previous_session: int | None
    since: date | None
    until: date
    summary: str
    done: int
    late: int
    dropped: int
    due: int
    members: list[MemberSinceOut]


@router.get(
    SESSION + "/since-last-time", response={200: SinceLastTimeOut}, summary="Since last time"
)
def since_last_time(request: HttpRequest, slug: str, cohort: str, session: Id) -> dict[str, Any]:
    """What happened on the board since the cohort's previous held session, per member:
    commitments due in between (done, late, dropped), updates, open blockers, experiments
    that ended. For those who run the session; private items only to their owner."""
    found = _viewable(request, slug, cohort, session)
    user = user_of(request)
    services.require_runner(user, found)
    since = services.since_last_time(user, found)
    if since is None:
        raise errors.not_found("No such session.")
    return {
        "previous_session": since.previous.pk if since.previous else None,
        "since": since.since,
        "until": since.until,
        "summary": since.summary,
        "done": since.count("done"),
        "late": since.count("late"),
        "dropped": since.count("dropped"),
        "due": since.due,
        "members": [
            {
                "user": m.person,
                "commitments": [
                    {
                        "id": f.commitment.pk,
                        "text": f.commitment.text,
                        "due_on": f.commitment.due_on,
                        "status": f.commitment.status,
                        "verdict": f.verdict,
                    }
                    for f in m.commitments
                ],
                "updates": m.updates,
                "blockers": m.blockers,
                "experiments": m.experiments,
            }
            for m in since.members
        ],
    }


# --- attendance and notes ------------------------------------------------------------------


@router.get(SESSION + "/attendance", response={200: list[AttendanceOut]}, summary="Attendance")
def attendance(request: HttpRequest, slug: str, cohort: str, session: Id) -> list[Attendance]:
    found = _viewable(request, slug, cohort, session)
    return list(found.attendance.select_related("user").order_by("user__name"))


@router.put(
    SESSION + "/attendance/{user}",
    response={200: AttendanceOut},
    summary="Record attendance",
)
def put_attendance(
    request: HttpRequest, slug: str, cohort: str, session: Id, user: Id, payload: AttendanceIn
) -> Attendance:
    found = _viewable(request, slug, cohort, session)
    return services.record_attendance(user_of(request), found, user=user, status=payload.status)


@router.get(SESSION + "/notes", response={200: list[NoteOut]}, summary="Notes")
def notes(request: HttpRequest, slug: str, cohort: str, session: Id) -> list[SessionNote]:
    found = _viewable(request, slug, cohort, session)
    return list(found.notes.select_related("author"))


@router.post(SESSION + "/notes", response={201: NoteOut}, summary="Add a note")
def add_note(
    request: HttpRequest, slug: str, cohort: str, session: Id, payload: NoteIn
) -> Status[SessionNote]:
    found = _viewable(request, slug, cohort, session)
    return Status(201, services.add_note(user_of(request), found, **payload.model_dump()))


# --- the report ----------------------------------------------------------------------------


@router.get(SESSION + "/report", response={200: ReportOut}, summary="Report")
def report(request: HttpRequest, slug: str, cohort: str, session: Id) -> SessionReport:
    """The published report (for the cohort, and the network when shared), or the draft
    for those who edit it."""
    found = _session(request, slug, cohort, session)
    row = SessionReport.objects.select_related("session__cohort__network").filter(session=found)
    result = row.first()
    if result is None or not policy.can_view_report(user_of(request), result):
        raise errors.not_found("No report.")
    return result


@router.post(
    SESSION + "/report/draft", response={200: ReportOut, 422: ErrorOut}, summary="Draft report"
)
def draft_report(request: HttpRequest, slug: str, cohort: str, session: Id) -> SessionReport:
    """Fills the draft's body from the session's data; a published report does not change."""
    found = _viewable(request, slug, cohort, session)
    return services.draft_report(user_of(request), found)


@router.post(
    SESSION + "/report/publish",
    response={200: ReportOut},
    summary="Publish report",
)
def publish_report(
    request: HttpRequest, slug: str, cohort: str, session: Id, payload: PublishIn
) -> Any:
    """Publishes the draft and queues an e-mail to every active member of the cohort."""
    found = _viewable(request, slug, cohort, session)
    return services.publish_report(
        user_of(request), found, share_with_network=payload.share_with_network
    )
