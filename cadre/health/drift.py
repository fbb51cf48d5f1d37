"""Drift signals of one cohort, computed from plain facts: no database.

`signals(facts, thresholds)` looks at what a cohort's recent weeks looked like (sessions and
their attendance and roles, members' commitments and updates, open blockers, the charter's
review date) and returns the signals that cross the network's thresholds, most serious
first. Each signal explains itself in words: what drifts, since when, the numbers, and what
to do. `message` may name people (for the cohort's hosts and the network's organizers);
`summary` never does (for the cohort's members).

The database layer (cadre.health.facts) gathers the facts; this module decides. A signal
keeps the words its text is written from, so a page or an e-mail writes it in its reader's
language (`worded`, docs/languages.md); the text kept in the snapshot (and given by the API)
is English. Numbers are printed by cadre.lib.numbers, as on every page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import dateformat, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cadre.lib.number_filter import number_filter

WARNING = "warning"
ALERT = "alert"

OK = "ok"
WATCH = "watch"
DRIFTING = "drifting"

# Signals in the order they are shown when equally severe.
CODES = (
    "blockers_unanswered",
    "attendance_falling",
    "commitments_missed",
    "no_updates",
    "roles_not_rotating",
    "charter_review_overdue",
)


@dataclass(frozen=True)
class Thresholds:
    """When a signal fires. The defaults are what a network gets until an organizer changes
    them (cadre.health.models.HealthSettings holds one set per network)."""

    attendance_window: int = 3  # the last N sessions, compared with the ones before
    attendance_drop_points: int = 20  # fall in percentage points that fires the signal
    missed_in_a_row: int = 2  # a member's most recent commitments missed one after another
    blocker_wait_hours: int = 48  # an open blocker without an offer of help for this long
    update_gap_days: int = 7  # an active member without a progress update for this long
    role_repeat: int = 3  # the same person in the same role this many sessions running
    charter_grace_days: int = 0  # days past the charter's review date before it is flagged


@dataclass(frozen=True)
class SessionFact:
    """A past, held session: who was marked present or absent (excused people count in
    neither), and who held which role."""

    starts_at: datetime
    present: int = 0
    absent: int = 0
    roles: dict[str, int] = field(default_factory=dict)  # role -> user id

    @property
    def recorded(self) -> int:
        return self.present + self.absent


@dataclass(frozen=True)
class CommitmentFact:
    """A closed commitment the cohort can see: done or missed, with the day it was due."""

    owner_id: int
    status: str  # "done" or "missed"
    due_on: date


@dataclass(frozen=True)
class MemberFact:
    user_id: int
    name: str
    joined_on: date
    last_update_at: datetime | None = None


@dataclass(frozen=True)
class BlockerFact:
    """An unresolved blocker the cohort can see, with whether anybody offered help."""

    author_id: int
    text: str
    created_at: datetime
    offered: bool = False


@dataclass(frozen=True)
class CohortFacts:
    now: datetime
    members: list[MemberFact] = field(default_factory=list)
    sessions: list[SessionFact] = field(default_factory=list)  # oldest first
    commitments: list[CommitmentFact] = field(default_factory=list)
    blockers: list[BlockerFact] = field(default_factory=list)
    charter_review_on: date | None = None

    @property
    def today(self) -> date:
        return self.now.date()

    def name_of(self, user_id: int) -> str:
        for m in self.members:
            if m.user_id == user_id:
                return m.name
        return "A former member"


@dataclass(frozen=True)
class Signal:
    code: str
    severity: str  # WARNING or ALERT
    title: str
    message: str  # may name people: for hosts and organizers
    summary: str  # names nobody: for the cohort's members
    action: str
    since: date | None = None
    numbers: dict[str, float | int] = field(default_factory=dict)
    words: dict[str, Any] = field(default_factory=dict)  # what `phrase` writes the text from

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": self.severity,
            "title": self.title,
            "message": self.message,
            "summary": self.summary,
            "action": self.action,
            "since": self.since.isoformat() if self.since else None,
            "numbers": dict(self.numbers),
            "words": dict(self.words),
        }


# --- the words -----------------------------------------------------------------------------
# A snapshot keeps each signal's text in English (for the API) and the `words` it was
# written from, so a page or an e-mail writes it again in its reader's language (`worded`).


def _day(iso: str) -> str:
    return dateformat.format(date.fromisoformat(iso), "j M Y")


def _number(value: float | int) -> str:
    return number_filter(value)


def _percent(x: float) -> str:
    return number_filter(round(100 * x), "%")


def _sessions(count: int) -> str:
    return ngettext("%(count)s session", "%(count)s sessions", count) % {"count": count}


def _who(name: str | None) -> str:
    return name if name is not None else _("A former member")


def _names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


Wording = tuple[str, str, str, str]  # title, message, summary, action


def _attendance_falling(w: dict[str, Any]) -> Wording:
    text = _(
        "Attendance fell from %(before)s in the %(earlier)s before to %(now)s in the last"
        " %(recent)s (since %(day)s): %(drop)s points down."
    ) % {
        "before": _percent(w["before"]),
        "earlier": _sessions(w["earlier_sessions"]),
        "now": _percent(w["now"]),
        "recent": _sessions(w["recent_sessions"]),
        "day": _day(w["since"]),
        "drop": w["drop"],
    }
    action = _(
        "Ask the people who stopped coming what would make the session worth their hour;"
        " check that the time still suits everyone and that the agenda ends in action."
    )
    return _("Attendance is falling"), text, text, action


def _commitments_missed(w: dict[str, Any]) -> Wording:
    parts = [
        _("%(name)s missed %(count)s in a row (since %(day)s)")
        % {"name": _who(name), "count": count, "day": _day(start)}
        for count, name, start in w["streaks"]
    ]
    members = len(w["streaks"])
    summary = ngettext(
        "%(count)s member missed their last %(run)s or more commitments in a row.",
        "%(count)s members missed their last %(run)s or more commitments in a row.",
        members,
    ) % {"count": members, "run": w["in_a_row"]}
    action = _(
        "Talk with them before the next session: a run of misses usually means the"
        " commitments are too big or the week changed. Agree on one small, dated step."
    )
    return _("Commitments missed in a row"), "; ".join(parts) + ".", summary, action


def _blockers_unanswered(w: dict[str, Any]) -> Wording:
    count = len(w["waiting"])
    summary = ngettext(
        "%(count)s blocker waited %(hours)s hours or more with no offer of help; the oldest"
        " for %(days)s days.",
        "%(count)s blockers waited %(hours)s hours or more with no offer of help; the oldest"
        " for %(days)s days.",
        count,
    ) % {"count": count, "hours": w["hours"], "days": _number(w["days"])}
    parts = [
        _("%(name)s: “%(text)s” (since %(day)s)")
        % {"name": _who(name), "text": text, "day": _day(since)}
        for name, text, since in w["waiting"]
    ]
    action = _(
        "Open the board and offer help, or ask someone with the skill to; if nobody in the"
        " cohort can help, bring it to the next session or ask a mentor."
    )
    message = summary + " " + "; ".join(parts) + "."
    return _("Blockers without an offer of help"), message, summary, action


def _no_updates(w: dict[str, Any]) -> Wording:
    quiet, eligible, days = len(w["quiet"]), w["eligible"], w["days"]
    # Said against the members who have been here long enough to be expected to post, and
    # named as such, so "4 of 6" never reads as a contradiction of the 7 active members.
    if eligible == 1:
        counted = _(
            "The only member in the cohort for %(days)s days or more posted no update in the"
            " last %(days)s days"
        ) % {"days": days}
    else:
        counted = ngettext(
            "%(quiet)s of the %(members)s members in the cohort for %(days)s days or more"
            " posted no update in the last %(days)s days",
            "%(quiet)s of the %(members)s members in the cohort for %(days)s days or more"
            " posted no update in the last %(days)s days",
            quiet,
        ) % {"quiet": quiet, "members": eligible, "days": days}
    parts = [
        _("%(name)s (last %(day)s)") % {"name": name, "day": _day(last)}
        if last
        else _("%(name)s (never)") % {"name": name}
        for name, last in w["quiet"]
    ]
    action = _(
        "A two-line update (done, remaining, blockers) is enough; remind people at the next"
        " check-in and make posting one the first minute of the session."
    )
    message = _("%(counted)s: %(names)s.") % {"counted": counted, "names": _names(parts)}
    return _("No progress updates"), message, counted + ".", action


def _roles_not_rotating(w: dict[str, Any]) -> Wording:
    parts = [
        _("%(name)s has been %(role)s for the last %(count)s sessions (since %(day)s)")
        % {"name": _who(name), "role": role, "count": run, "day": _day(since)}
        for name, role, run, since in w["stuck"]
    ]
    count = len(w["stuck"])
    summary = ngettext(
        "%(count)s role (%(roles)s) stayed with the same person for %(sessions)s sessions or more.",
        "%(count)s roles (%(roles)s) stayed with the same person for %(sessions)s sessions or"
        " more.",
        count,
    ) % {
        "count": count,
        "roles": ", ".join(role for _name, role, *_rest in w["stuck"]),
        "sessions": w["sessions"],
    }
    action = _(
        "Let the rota hand the role to someone else next time: holding the roles in turn is"
        " how everyone learns to run a session."
    )
    return _("Roles are not rotating"), "; ".join(parts) + ".", summary, action


def _charter_review_overdue(w: dict[str, Any]) -> Wording:
    overdue = w["overdue"]
    text = ngettext(
        "The charter was due for review on %(day)s: %(count)s day ago.",
        "The charter was due for review on %(day)s: %(count)s days ago.",
        overdue,
    ) % {"day": _day(w["review_on"]), "count": overdue}
    action = _(
        "Put a 15-minute charter review on the next agenda: is the mission still the right"
        " one, and are the norms being kept? Saving the charter sets the next review date."
    )
    return _("Charter review overdue"), text, text, action


PHRASES: dict[str, Callable[[dict[str, Any]], Wording]] = {
    "attendance_falling": _attendance_falling,
    "commitments_missed": _commitments_missed,
    "blockers_unanswered": _blockers_unanswered,
    "no_updates": _no_updates,
    "roles_not_rotating": _roles_not_rotating,
    "charter_review_overdue": _charter_review_overdue,
}


def _signal(
    code: str,
    severity: str,
    words: dict[str, Any],
    since: date | None,
    numbers: dict[str, float | int],
) -> Signal:
    """The signal with its text in English, as snapshots keep it."""
    with translation.override("en"):
        title, message, summary, action = PHRASES[code](words)
    return Signal(code, severity, title, message, summary, action, since, numbers, words)


def worded(stored: dict[str, Any]) -> dict[str, Any]:
    """A snapshot's signal with its text written again in the active language; one kept
    before signals carried their words stays as it was written."""
    words = stored.get("words")
    phrase = PHRASES.get(stored.get("code", ""))
    if not words or phrase is None:
        return stored
    title, message, summary, action = phrase(words)
    return {**stored, "title": title, "message": message, "summary": summary, "action": action}


def rate(present: int, recorded: int) -> float | None:
    return present / recorded if recorded else None


def _named(facts: CohortFacts, user_id: int) -> str | None:
    """The member's name, None for someone no longer in the cohort."""
    return next((m.name for m in facts.members if m.user_id == user_id), None)


def attendance_falling(facts: CohortFacts, t: Thresholds) -> Signal | None:
    """The last `attendance_window` sessions against the ones before them (up to three
    windows' worth): fires when the rate fell by `attendance_drop_points` or more."""
    sessions = [s for s in facts.sessions if s.recorded]
    n = t.attendance_window
    if len(sessions) < n + 1:
        return None
    recent = sessions[-n:]
    earlier = sessions[-4 * n : -n]
    now_rate = rate(sum(s.present for s in recent), sum(s.recorded for s in recent))
    before = rate(sum(s.present for s in earlier), sum(s.recorded for s in earlier))
    if now_rate is None or before is None:
        return None
    drop = round(100 * (before - now_rate))
    if drop < t.attendance_drop_points:
        return None
    since = recent[0].starts_at.date()
    words = {
        "before": before,
        "now": now_rate,
        "earlier_sessions": len(earlier),
        "recent_sessions": n,
        "since": since.isoformat(),
        "drop": drop,
    }
    return _signal(
        "attendance_falling",
        ALERT if drop >= 2 * t.attendance_drop_points else WARNING,
        words,
        since,
        {"recent_rate": round(now_rate, 3), "earlier_rate": round(before, 3), "drop": drop},
    )


def commitments_missed(facts: CohortFacts, t: Thresholds) -> Signal | None:
    """Members whose most recent `missed_in_a_row` (or more) closed commitments were all
    missed."""
    by_owner: dict[int, list[CommitmentFact]] = {}
    for c in sorted(facts.commitments, key=lambda c: c.due_on):
        by_owner.setdefault(c.owner_id, []).append(c)
    active = {m.user_id for m in facts.members}
    streaks: list[tuple[int, str, date]] = []
    for owner_id, items in by_owner.items():
        if owner_id not in active:
            continue
        run: list[CommitmentFact] = []
        for c in reversed(items):
            if c.status != "missed":
                break
            run.append(c)
        if len(run) >= t.missed_in_a_row:
            streaks.append((len(run), facts.name_of(owner_id), run[-1].due_on))
    if not streaks:
        return None
    streaks.sort(key=lambda s: (-s[0], s[1]))
    since = min(s[2] for s in streaks)
    longest = streaks[0][0]
    words = {
        "streaks": [[count, name, start.isoformat()] for count, name, start in streaks],
        "in_a_row": t.missed_in_a_row,
    }
    return _signal(
        "commitments_missed",
        ALERT if longest >= 2 * t.missed_in_a_row or len(streaks) >= 3 else WARNING,
        words,
        since,
        {"members": len(streaks), "longest": longest},
    )


def blockers_unanswered(facts: CohortFacts, t: Thresholds) -> Signal | None:
    wait = timedelta(hours=t.blocker_wait_hours)
    waiting = sorted(
        (b for b in facts.blockers if not b.offered and facts.now - b.created_at >= wait),
        key=lambda b: b.created_at,
    )
    if not waiting:
        return None
    oldest = waiting[0]
    days = (facts.now - oldest.created_at).total_seconds() / 86400
    words = {
        "waiting": [
            [_named(facts, b.author_id), b.text[:80], b.created_at.date().isoformat()]
            for b in waiting
        ],
        "hours": t.blocker_wait_hours,
        "days": round(days, 1),
    }
    return _signal(
        "blockers_unanswered",
        ALERT if facts.now - oldest.created_at >= 2 * wait else WARNING,
        words,
        oldest.created_at.date(),
        {"blockers": len(waiting), "oldest_days": round(days, 1)},
    )


def no_updates(facts: CohortFacts, t: Thresholds) -> Signal | None:
    """Active members, there for at least `update_gap_days`, with no progress update in
    that time."""
    gap = timedelta(days=t.update_gap_days)
    eligible = [m for m in facts.members if facts.today - m.joined_on >= gap]
    quiet = [m for m in eligible if m.last_update_at is None or facts.now - m.last_update_at >= gap]
    if not quiet:
        return None
    quiet.sort(key=lambda m: (m.last_update_at is not None, m.last_update_at or facts.now, m.name))
    last = [m.last_update_at for m in quiet if m.last_update_at]
    since = min(last).date() if len(last) == len(quiet) else None
    words = {
        "quiet": [
            [m.name, m.last_update_at.date().isoformat() if m.last_update_at else None]
            for m in quiet
        ],
        "eligible": len(eligible),
        "days": t.update_gap_days,
    }
    return _signal(
        "no_updates",
        ALERT if 2 * len(quiet) > len(eligible) else WARNING,
        words,
        since,
        {"quiet": len(quiet), "members": len(eligible)},
    )


def roles_not_rotating(facts: CohortFacts, t: Thresholds) -> Signal | None:
    """The same person held the same role in each of the last `role_repeat` sessions."""
    sessions = [s for s in facts.sessions if s.roles]
    n = t.role_repeat
    if len(sessions) < n:
        return None
    last = sessions[-n:]
    stuck: list[tuple[str, int, int, date]] = []
    for role, holder in sorted(last[-1].roles.items()):
        if all(s.roles.get(role) == holder for s in last):
            run = 0
            for s in reversed(sessions):
                if s.roles.get(role) != holder:
                    break
                run += 1
            stuck.append((role, holder, run, sessions[-run].starts_at.date()))
    if not stuck:
        return None
    words = {
        "stuck": [
            [_named(facts, holder), role, run, since.isoformat()]
            for role, holder, run, since in stuck
        ],
        "sessions": n,
    }
    return _signal(
        "roles_not_rotating",
        WARNING,
        words,
        min(s[3] for s in stuck),
        {"roles": len(stuck), "longest": max(s[2] for s in stuck)},
    )


def charter_review_overdue(facts: CohortFacts, t: Thresholds) -> Signal | None:
    if facts.charter_review_on is None:
        return None
    overdue = (facts.today - facts.charter_review_on).days
    if overdue <= t.charter_grace_days:
        return None
    return _signal(
        "charter_review_overdue",
        ALERT if overdue > 30 + t.charter_grace_days else WARNING,
        {"review_on": facts.charter_review_on.isoformat(), "overdue": overdue},
        facts.charter_review_on,
        {"days_overdue": overdue},
    )


CHECKS = (
    blockers_unanswered,
    attendance_falling,
    commitments_missed,
    no_updates,
    roles_not_rotating,
    charter_review_overdue,
)


def signals(facts: CohortFacts, thresholds: Thresholds | None = None) -> list[Signal]:
    """Every signal that fires for `facts`, alerts first, then in the order of CODES."""
    t = thresholds or Thresholds()
    found = [s for check in CHECKS if (s := check(facts, t)) is not None]
    return sorted(found, key=lambda s: (s.severity != ALERT, CODES.index(s.code)))


def status_of(found: list[Signal]) -> str:
    """ok: nothing fires; drifting: an alert or three signals at once; watch otherwise."""
    if not found:
        return OK
    if any(s.severity == ALERT for s in found) or len(found) >= 3:
        return DRIFTING
    return WATCH
