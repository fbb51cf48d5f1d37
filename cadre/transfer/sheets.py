"""A cohort's data as spreadsheets a host can read: a zip of a few CSV files named for what
they hold (members, sessions, attendance, commitments, updates, experiments, metrics), with
human column names, people by name and e-mail instead of ids, dates in ISO form
(2026-03-04) and times on the cohort's own clock.

Which rows each file holds is not decided here: every row comes through the rule the pages
apply to its kind of record (`cadre.transfer.cohort.READABLE`, the same rules as the JSON
export), so a private commitment, its updates and its blockers are in its owner's export
only. E-mail addresses are given for the cohort's own roster (its members, past and present,
whom its hosts and organizers run the cohort with), never for anyone else a row names.

The files are UTF-8 with a byte order mark, so that Excel, which reads a CSV file without one
in the computer's legacy code page, shows "Zoë" and "Łukasz" as written; LibreOffice,
Numbers, Google Sheets and Python's "utf-8-sig" read the mark and drop it. Every cell goes
through `cadre.engine.safecsv`, so text a spreadsheet would run as a formula is shown as text.
"""

from __future__ import annotations

import io
import zipfile
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from cadre.accountability.models import (
    Blocker,
    Commitment,
    Experiment,
    ProgressUpdate,
    Visibility,
)
from cadre.cohorts.models import Cohort, CohortMembership
from cadre.engine import safecsv
from cadre.lib.rules import Refused
from cadre.metrics.models import Metric, Observation
from cadre.schedule.models import Absence, Attendance, RoleAssignment, Session
from cadre.transfer.cohort import READABLE
from cadre.transfer.policy import EXPORT_IS_FOR_HOSTS, can_export_cohort

ZIP_TYPE = "application/zip"
ENCODING = "utf-8-sig"  # UTF-8 with a byte order mark: see the module's docstring
ONLY_OWNER = "Only the owner"
THE_COHORT = "The cohort"
YES = "yes"


@dataclass
class Sheet:
    """One CSV file of the export: its name in the zip, its header and its rows."""

    name: str
    columns: list[str]
    rows: list[list[object]] = field(default_factory=list)


def _readable(reader: Any, cohort: Cohort, rows: QuerySet[Any]) -> QuerySet[Any]:
    """The rows of `rows` that `reader` may open on the pages: the JSON export's rule."""
    return READABLE[rows.model._meta.label](reader, cohort, rows)


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _number(value: Decimal | None) -> str:
    """4.5000 -> "4.5", 100.0000 -> "100": the figure as a person would write it."""
    if value is None:
        return ""
    return f"{value.normalize():f}"


def _who(user: Any) -> str:
    if user is None:
        return ""
    return str(user.name or user.email)


class _Clock:
    """Datetimes on the cohort's own clock, in ISO form without seconds."""

    def __init__(self, cohort: Cohort) -> None:
        self.zone = zoneinfo.ZoneInfo(cohort.time_zone)
        self.name = cohort.time_zone

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.zone)

    def day(self, moment: datetime | None) -> str:
        return self.local(moment).date().isoformat() if moment else ""

    def time(self, moment: datetime) -> str:
        return self.local(moment).strftime("%H:%M")

    def stamp(self, moment: datetime | None) -> str:
        return self.local(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


class _Roster:
    """E-mail addresses for the cohort's own members (those the reader may see), by user id."""

    def __init__(self, memberships: Iterable[CohortMembership]) -> None:
        self.emails = {m.user_id: m.user.email for m in memberships}

    def email(self, user: Any) -> str:
        return self.emails.get(user.pk, "") if user is not None else ""


def _members(memberships: list[CohortMembership]) -> Sheet:
    sheet = Sheet(
        "members.csv",
        ["Name", "E-mail", "Role", "Joined on", "Left on", "Learning statement"],
    )
    for m in memberships:
        sheet.rows.append(
            [
                _who(m.user),
                m.user.email,
                m.get_role_display(),
                _day(m.joined_on),
                _day(m.left_on),
                m.learning_statement,
            ]
        )
    return sheet


def _sessions(sessions: list[Session], clock: _Clock) -> Sheet:
    sheet = Sheet(
        "sessions.csv",
        ["Date", f"Starts at ({clock.name})", "Minutes", "Title", "Kind", "Cancelled"],
    )
    for s in sessions:
        sheet.rows.append(
            [
                clock.day(s.starts_at),
                clock.time(s.starts_at),
                s.minutes,
                s.title,
                s.get_kind_display(),
                YES if s.cancelled else "",
            ]
        )
    return sheet


def _attendance(
    reader: Any,
    cohort: Cohort,
    sessions: list[Session],
    memberships: list[CohortMembership],
    roster: _Roster,
    clock: _Clock,
) -> Sheet:
    """A row per session that was not cancelled and person: each member on the roster that
    day, and anyone else the session's attendance, rota or away notices name."""
    sheet = Sheet(
        "attendance.csv",
        [
            "Session date",
            f"Starts at ({clock.name})",
            "Session title",
            "Name",
            "E-mail",
            "Attendance",
            "Rota role",
            "Told us they would be away",
        ],
    )
    marks = {
        (a.session_id, a.user_id): a.get_status_display()
        for a in _readable(reader, cohort, Attendance.objects.filter(session__cohort=cohort))
    }
    roles: dict[tuple[int, int], list[str]] = {}
    for r in _readable(reader, cohort, RoleAssignment.objects.filter(session__cohort=cohort)):
        if r.user_id is not None:
            roles.setdefault((r.session_id, r.user_id), []).append(r.role)
    away = {
        (a.session_id, a.user_id): a.note or YES
        for a in _readable(reader, cohort, Absence.objects.filter(session__cohort=cohort))
    }
    people = {m.user_id: m.user for m in memberships}
    named = {user for _, user in [*marks, *roles, *away]} - set(people)
    people.update({u.pk: u for u in get_user_model()._default_manager.filter(pk__in=named)})
    for s in sessions:
        if s.cancelled:
            continue  # nobody met: sessions.csv says it was cancelled
        on = clock.local(s.starts_at).date()
        there = [
            m.user_id
            for m in memberships
            if m.joined_on <= on and (m.left_on is None or m.left_on >= on)
        ]
        for key in (*marks, *roles, *away):
            if key[0] == s.pk and key[1] not in there and key[1] in people:
                there.append(key[1])
        for user_id in sorted(there, key=lambda pk: _who(people[pk]).casefold()):
            key = (s.pk, user_id)
            sheet.rows.append(
                [
                    clock.day(s.starts_at),
                    clock.time(s.starts_at),
                    s.title,
                    _who(people[user_id]),
                    roster.email(people[user_id]),
                    marks.get(key, ""),
                    "; ".join(sorted(roles.get(key, []))),
                    away.get(key, ""),
                ]
            )
    return sheet


def _visibility(value: str) -> str:
    return ONLY_OWNER if value == Visibility.PRIVATE else THE_COHORT


def _commitments(commitments: list[Commitment], roster: _Roster, clock: _Clock) -> Sheet:
    sheet = Sheet(
        "commitments.csv",
        [
            "Owner",
            "Owner's e-mail",
            "Commitment",
            "Deliverable",
            "Due on",
            "Status",
            "Done on",
            "Evidence",
            "Made at the session of",
            "Who sees it",
            "Written on",
        ],
    )
    for c in commitments:
        sheet.rows.append(
            [
                _who(c.owner),
                roster.email(c.owner),
                c.text,
                c.deliverable,
                _day(c.due_on),
                c.get_status_display(),
                clock.day(c.completed_at),
                c.evidence,
                clock.day(c.session.starts_at) if c.session else "",
                _visibility(c.visibility),
                clock.day(c.created_at),
            ]
        )
    return sheet


def _updates(
    updates: list[ProgressUpdate],
    blockers: dict[int, Blocker],
    commitments: dict[int, Commitment],
    roster: _Roster,
    clock: _Clock,
) -> Sheet:
    sheet = Sheet(
        "updates.csv",
        [
            f"Written at ({clock.name})",
            "Author",
            "Author's e-mail",
            "Commitment",
            "Commitment due on",
            "Done",
            "Remaining",
            "Blocker",
            "Skills that could help",
            "Blocker resolved on",
        ],
    )
    for u in updates:
        about = commitments.get(u.commitment_id) if u.commitment_id else None
        blocker = blockers.get(u.pk)
        sheet.rows.append(
            [
                clock.stamp(u.created_at),
                _who(u.author),
                roster.email(u.author),
                about.text if about else "",
                _day(about.due_on) if about else "",
                u.done,
                u.remaining,
                blocker.text if blocker else "",
                "; ".join(sorted(s.name for s in blocker.skills.all())) if blocker else "",
                clock.day(blocker.resolved_at) if blocker else "",
            ]
        )
    return sheet


def _experiments(experiments: list[Experiment], roster: _Roster) -> Sheet:
    sheet = Sheet(
        "experiments.csv",
        [
            "Owner",
            "Owner's e-mail",
            "Title",
            "Skill",
            "Capability",
            "Hypothesis",
            "Plan",
            "Starts on",
            "Ends on",
            "Measure",
            "Baseline",
            "Result",
            "Outcome",
            "What was learned",
            "Next steps",
            "Who sees it",
        ],
    )
    for e in experiments:
        sheet.rows.append(
            [
                _who(e.owner),
                roster.email(e.owner),
                e.title,
                e.skill.name if e.skill else "",
                e.capability,
                e.hypothesis,
                e.plan,
                _day(e.starts_on),
                _day(e.ends_on),
                e.measure,
                e.baseline,
                e.result_data,
                e.get_outcome_display(),
                e.learnings,
                e.next_steps,
                _visibility(e.visibility),
            ]
        )
    return sheet


def _metrics(observations: list[Observation]) -> Sheet:
    sheet = Sheet(
        "metrics.csv",
        ["Metric", "Unit", "Date", "Value", "About", "Recorded by", "Note"],
    )
    for o in observations:
        sheet.rows.append(
            [
                o.metric.name,
                o.metric.unit,
                _day(o.observed_on),
                _number(o.value),
                _who(o.person),
                _who(o.recorded_by),
                o.note,
            ]
        )
    return sheet


def cohort_sheets(cohort: Cohort, reader: Any) -> list[Sheet]:
    """The cohort's spreadsheets as `reader` may read them. Callers check can_export_cohort
    first (as for export_cohort); this only decides which rows, through READABLE."""
    clock = _Clock(cohort)
    memberships = list(
        _readable(reader, cohort, CohortMembership.objects.filter(cohort=cohort))
        .select_related("user")
        .order_by("left_on", "user__name", "pk")
    )
    memberships.sort(
        key=lambda m: (m.left_on is not None, m.role != "host", _who(m.user).casefold())
    )
    roster = _Roster(memberships)
    sessions = list(
        _readable(reader, cohort, Session.objects.filter(cohort=cohort)).order_by("starts_at", "pk")
    )
    commitments = list(
        _readable(reader, cohort, Commitment.objects.filter(cohort=cohort))
        .select_related("owner", "session")
        .order_by("owner__name", "due_on", "pk")
    )
    updates = list(
        _readable(reader, cohort, ProgressUpdate.objects.filter(cohort=cohort))
        .select_related("author")
        .order_by("created_at", "pk")
    )
    blockers = {
        b.update_id: b
        for b in _readable(
            reader, cohort, Blocker.objects.filter(update__cohort=cohort)
        ).prefetch_related("skills")
    }
    experiments = list(
        _readable(reader, cohort, Experiment.objects.filter(cohort=cohort))
        .select_related("owner", "skill")
        .order_by("starts_on", "owner__name", "pk")
    )
    metrics = _readable(reader, cohort, Metric.objects.filter(cohort=cohort))
    observations = list(
        _readable(reader, cohort, Observation.objects.filter(metric__in=metrics.values("pk")))
        .select_related("metric", "person", "recorded_by")
        .order_by("metric__name", "observed_on", "pk")
    )
    return [
        _members(memberships),
        _sessions(sessions, clock),
        _attendance(reader, cohort, sessions, memberships, roster, clock),
        _commitments(commitments, roster, clock),
        _updates(updates, blockers, {c.pk: c for c in commitments}, roster, clock),
        _experiments(experiments, roster),
        _metrics(observations),
    ]


def as_text(sheet: Sheet) -> str:
    """The sheet as CSV text (without the byte order mark, which `as_zip` adds)."""
    text = io.StringIO()
    writer = safecsv.writer(text)
    writer.writerow(sheet.columns)
    writer.writerows(sheet.rows)
    return text.getvalue()


def as_zip(sheets: list[Sheet]) -> bytes:
    """The sheets as a zip of UTF-8 CSV files with a byte order mark."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for sheet in sheets:
            archive.writestr(sheet.name, as_text(sheet).encode(ENCODING))
    return buffer.getvalue()


def zip_name(cohort: Cohort) -> str:
    """The zip's file name: northwind-reliability-csv.zip."""
    return f"{cohort.network.slug}-{cohort.slug}-csv.zip"


def cohort_spreadsheets(reader: Any, *, cohort: Cohort) -> bytes:
    """The zip of the cohort's spreadsheets as `reader` may read them, for the export page and
    the API alike. Refused (forbidden) unless `reader` may export the cohort's data."""
    if not can_export_cohort(reader, cohort):
        raise Refused(_(EXPORT_IS_FOR_HOSTS), kind="forbidden")
    # The files keep one format whatever the page's language: statuses and kinds in English.
    with translation.override("en"):
        return as_zip(cohort_sheets(cohort, reader))
