"""Since last time: what happened on a cohort's board between its previous held session and
this one, so the check-in of "Run the session" reviews follow-through before new work.

One function, `since_last_time`, used by the run view and by the API. What it shows is what
the viewer may see on the board (`cadre.accountability.policy`): a private commitment, and
the updates and blockers about it, only to its owner; organizers see the cohort's ones.

The window is (previous held session, this session]: commitments due in it (done on time,
late, dropped, still open), progress updates posted in it, blockers still open at this
session's start, and experiments that ended in it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import policy
from .models import Blocker, Commitment, CommitmentStatus, Experiment, ProgressUpdate

if TYPE_CHECKING:
    from cadre.schedule.models import Session

DONE, LATE, DROPPED, OPEN = "done", "late", "dropped", "open"


@dataclass
class Followed:
    """One commitment due in the window and how it went."""

    commitment: Commitment
    verdict: str  # DONE (on time), LATE (done after its due date, or past it still not done),
    # DROPPED, or OPEN (due on the session's day and not done yet)

    @property
    def label(self) -> str:
        c = self.commitment
        if self.verdict == LATE:
            return "done late" if c.status == CommitmentStatus.DONE else "late"
        return {DONE: "done", DROPPED: "dropped", OPEN: "due today"}[self.verdict]


@dataclass
class MemberSince:
    person: Any
    commitments: list[Followed] = field(default_factory=list)
    updates: list[ProgressUpdate] = field(default_factory=list)
    blockers: list[Blocker] = field(default_factory=list)
    experiments: list[Experiment] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.commitments or self.updates or self.blockers or self.experiments)


@dataclass
class SinceLastTime:
    previous: Session | None
    since: date | None
    until: date
    members: list[MemberSince] = field(default_factory=list)

    def count(self, verdict: str) -> int:
        return sum(1 for m in self.members for f in m.commitments if f.verdict == verdict)

    @property
    def due(self) -> int:
        return sum(len(m.commitments) for m in self.members)

    @property
    def summary(self) -> str:
        """ "9 of 12 commitments done, 2 late, 1 dropped", for the whole cohort."""
        if self.previous is None:
            return _(
                "This is the cohort’s first session: there is no earlier session to look back on."
            )
        if not self.due:
            return _("No commitments fell due since the last session.")
        figures = {
            "done": self.count(DONE),
            "due": self.due,
            "late": self.count(LATE),
            "dropped": self.count(DROPPED),
            "today": self.count(OPEN),
        }
        if figures["today"]:
            return (
                ngettext(
                    "%(done)s of %(due)s commitment done, %(late)s late, %(dropped)s dropped, "
                    "%(today)s due today",
                    "%(done)s of %(due)s commitments done, %(late)s late, %(dropped)s dropped, "
                    "%(today)s due today",
                    self.due,
                )
                % figures
            )
        return (
            ngettext(
                "%(done)s of %(due)s commitment done, %(late)s late, %(dropped)s dropped",
                "%(done)s of %(due)s commitments done, %(late)s late, %(dropped)s dropped",
                self.due,
            )
            % figures
        )


def _verdict(commitment: Commitment, until: date) -> str:
    due = commitment.due_on
    if commitment.status == CommitmentStatus.DROPPED:
        return DROPPED
    if commitment.status == CommitmentStatus.DONE:
        done_on = commitment.completed_at.date() if commitment.completed_at else due
        return DONE if due is None or done_on is None or done_on <= due else LATE
    if commitment.status == CommitmentStatus.MISSED or (due is not None and due < until):
        return LATE
    return OPEN


def since_last_time(*, viewer: Any, session: Session) -> SinceLastTime:
    """What happened between the cohort's previous held session and `session`, per active
    member, as `viewer` may see it on the board (nothing when they may not see the board)."""
    from cadre.schedule.reports import previous_session

    cohort = session.cohort
    previous = previous_session(session)
    until = session.starts_at.date()
    result = SinceLastTime(previous=previous, since=None, until=until)
    if previous is None:
        return result
    result.since = since = previous.starts_at.date()
    start: datetime = previous.starts_at
    members = [
        m.user
        for m in cohort.memberships.active().select_related("user").order_by("user__name", "pk")
    ]
    by_person = {u.pk: MemberSince(person=u) for u in members}
    commitments = (
        policy.visible_commitments(viewer, cohort)
        .filter(due_on__gt=since, due_on__lte=until)
        .order_by("due_on", "pk")
    )
    for c in commitments:
        if c.owner_id in by_person:
            by_person[c.owner_id].commitments.append(Followed(c, _verdict(c, until)))
    updates = (
        policy.visible_updates(viewer, cohort)
        .filter(created_at__gt=start, created_at__lte=session.starts_at)
        .select_related("commitment")
        .order_by("created_at", "pk")
    )
    for u in updates:
        if u.author_id in by_person:
            by_person[u.author_id].updates.append(u)
    blockers = (
        policy.visible_blockers(viewer, cohort)
        .filter(created_at__lte=session.starts_at)
        .exclude(resolved_at__lte=session.starts_at)
        .select_related("update")
        .order_by("created_at", "pk")
    )
    for b in blockers:
        if b.update.author_id in by_person:
            by_person[b.update.author_id].blockers.append(b)
    experiments = (
        policy.visible_experiments(viewer, cohort)
        .filter(ends_on__gt=since, ends_on__lte=until)
        .order_by("ends_on", "pk")
    )
    for e in experiments:
        if e.owner_id in by_person:
            by_person[e.owner_id].experiments.append(e)
    result.members = [by_person[u.pk] for u in members]
    return result
