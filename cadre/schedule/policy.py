"""Who may see and change a cohort's schedule, its sessions and their reports, and mentor
matching. Built on the core (`cadre.networks.policy`, `cadre.cohorts.policy`).

A cohort's schedule and sessions are for its active members and the network's organizers;
its hosts and the organizers change the schedule. A session is run (agenda, attendance, live
notes) by its facilitator, the cohort's hosts and the organizers; its report is written by its
note-taker, the hosts and the organizers. A published report is read by the cohort, and by
the network's insiders when it is shared with the network; a draft only by its writers.
Mentor matching is the organizers' work; members see their mentor, mentors their mentees.

`can_view_report` (one report) and `visible_session_reports` (a list) are one rule: the
instance check asks the filter, so a list and a report's page never disagree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet

from cadre.cohorts.models import Cohort
from cadre.cohorts.policy import can_edit_charter, can_view_cohort, is_cohort_member
from cadre.networks.models import Network, Role
from cadre.networks.policy import (
    Person,
    can_manage_network,
    can_view_network,
    is_network_insider,
    network_role,
)

from .models import Holiday, ReportStatus, RoleAssignment, Session, SessionReport

if TYPE_CHECKING:
    from cadre.accounts.models import User

FACILITATOR = "facilitator"
NOTE_TAKER = "note-taker"

# --- the schedule and absences --------------------------------------------------------------


def can_edit_schedule(user: Person, cohort: Cohort) -> bool:
    """The schedule (weekday, time, the roles that rotate, one-off and cancelled sessions)
    is for the cohort's hosts and the network's organizers; members view it."""
    return can_edit_charter(user, cohort)


def can_edit_network_holidays(user: Person, network: Network) -> bool:
    """The days the whole network does not meet are listed by its organizers; a cohort's
    hosts add their cohort's own (can_edit_schedule)."""
    return can_manage_network(user, network)


def can_view_holiday(user: Person, holiday: Holiday) -> bool:
    """A network's holidays are read by whoever sees the network (they show on its cohorts'
    schedules), a cohort's own by whoever sees the cohort."""
    if holiday.cohort is not None:
        return can_view_cohort(user, holiday.cohort)
    return can_view_network(user, holiday.network)


def can_swap_roles(user: Person, cohort: Cohort) -> bool:
    """Active members ask another member to swap a role, and answer such requests (the
    services check the rest: that the role is theirs, the session still to come)."""
    return is_cohort_member(user, cohort)


def can_mark_absence(user: Person, cohort: Cohort) -> bool:
    """Active members mark their own absences for the cohort's upcoming sessions."""
    return is_cohort_member(user, cohort)


def can_answer_rsvp(user: Person, cohort: Cohort) -> bool:
    """Active members say whether they are coming to the cohort's upcoming sessions."""
    return is_cohort_member(user, cohort)


# --- running sessions: agenda, attendance, notes, reports -----------------------------------


def _holds_session_role(user: Person, session: Session, role: str) -> bool:
    if not user.is_authenticated:
        return False
    return any(a.user_id == user.pk and a.role == role for a in session.roles.all())


def can_view_session(user: Person, cohort: Cohort) -> bool:
    """A session's page (agenda, roles, attendance, notes) is for the cohort's active
    members and the network's organizers."""
    return is_cohort_member(user, cohort) or can_manage_network(user, cohort.network)


def can_run_session(user: Person, session: Session) -> bool:
    """Editing the agenda and running the session (attendance, live notes): the session's
    facilitator, the cohort's hosts and the network's organizers."""
    if can_edit_charter(user, session.cohort):
        return True
    return is_cohort_member(user, session.cohort) and _holds_session_role(
        user, session, FACILITATOR
    )


def can_edit_report(user: Person, session: Session) -> bool:
    """Drafting, editing and publishing the report: the session's note-taker, the cohort's
    hosts and the network's organizers."""
    if can_edit_charter(user, session.cohort):
        return True
    return is_cohort_member(user, session.cohort) and _holds_session_role(user, session, NOTE_TAKER)


def visible_session_reports(user: Person, cohort: Cohort) -> QuerySet[SessionReport]:
    """The reports of `cohort`'s sessions that `user` may read: published ones for whoever
    sees the sessions, and for the network's insiders when shared with the network; drafts
    for those who may edit them (the cohort's hosts and the organizers, the note-taker)."""
    reports = SessionReport.objects.filter(session__cohort=cohort)
    published = Q(status=ReportStatus.PUBLISHED)
    if can_view_session(user, cohort):
        readable = published
    elif is_network_insider(user, cohort.network):
        readable = published & Q(share_with_network=True)
    else:
        readable = Q(pk__in=[])
    if can_edit_charter(user, cohort):
        readable |= ~published
    elif user.is_authenticated and is_cohort_member(user, cohort):
        takes_notes = RoleAssignment.objects.filter(
            session=OuterRef("session"), user=user, role=NOTE_TAKER
        )
        readable |= ~published & Q(Exists(takes_notes))
    return reports.filter(readable)


def can_view_report(user: Person, report: SessionReport) -> bool:
    """`visible_session_reports` for one report."""
    cohort = report.session.cohort
    return visible_session_reports(user, cohort).filter(pk=report.pk).exists()


def may_write_report(user: Person, session: Session) -> bool:
    """Those who see the session and may edit its report write it on the report page."""
    return can_view_session(user, session.cohort) and can_edit_report(user, session)


def can_open_report_page(user: Person, session: Session, report: SessionReport | None) -> bool:
    """The report page opens to those who may read the report or write it."""
    readable = report is not None and can_view_report(user, report)
    return readable or may_write_report(user, session)


# --- mentors --------------------------------------------------------------------------------


def can_manage_mentoring(user: Person, network: Network) -> bool:
    """Proposing and confirming mentor matches is the organizers' work."""
    return can_manage_network(user, network)


def can_view_own_mentoring(user: Person, network: Network) -> bool:
    """Members see their mentor, mentors their mentees; partners have no mentoring here."""
    return is_network_insider(user, network)


def can_edit_mentor_settings(user: Person, network: Network, mentor: User) -> bool:
    """A mentor's capacity and whether they accept newcomers: the mentor and the organizers."""
    if can_manage_mentoring(user, network):
        return True
    return user.pk == mentor.pk and network_role(user, network) == Role.MENTOR
