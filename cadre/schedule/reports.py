"""The post-session report: its draft is built from the session's own data (attendance,
roles, agenda, live notes and insights, and, when the accountability app is installed,
commitments, blockers, help and experiments); publishing queues its e-mail to each member of
the cohort in the same transaction, and the outbox (cadre.delivery) sends them."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from types import ModuleType
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldError
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cadre.delivery.services import Email, queue_many
from cadre.lib.events import emit
from cadre.people.languages import in_language_of

from .models import (
    AgendaKind,
    AttendanceStatus,
    NoteKind,
    ReportStatus,
    Session,
    SessionReport,
)

logger = logging.getLogger(__name__)

# What a missing or differently shaped accountability app raises; its sections are then
# left out of the draft rather than breaking it.
_SKIPPABLE = (LookupError, FieldError, AttributeError, ImportError, ValueError)


def accountability() -> ModuleType | None:
    """cadre.accountability.models when that app is installed, else None."""
    from django.apps import apps

    if not apps.is_installed("cadre.accountability"):
        return None
    try:
        from cadre.accountability import models
    except ImportError:
        return None
    return models


def _name(user: Any) -> str:
    return str(user) if user is not None else pgettext("report draft", "someone")


def _section(title: str, lines: Iterable[str]) -> list[str]:
    lines = list(lines)
    return [f"## {title}", *(lines or ["- " + _("none")]), ""]


def _due(day: date) -> str:
    """ "4 Mar", as a report writes a due date."""
    return date_format(day, "j M")


def previous_session(session: Session) -> Session | None:
    return (
        Session.objects.held()
        .filter(cohort=session.cohort, starts_at__lt=session.starts_at)
        .order_by("-starts_at")
        .first()
    )


def _accountability_sections(session: Session) -> list[str]:
    """Commitments made in the session, done or missed since the previous one, blockers and
    the help given, and experiments that ended: only what the whole cohort may see."""
    models = accountability()
    if models is None:
        return []
    since = previous_session(session)
    since_at: datetime = since.starts_at if since else session.starts_at - timedelta(days=7)
    day, since_day = session.starts_at.date(), since_at.date()
    shared = models.Visibility.COHORT
    out: list[str] = []
    try:
        commitments = models.Commitment.objects.filter(
            cohort=session.cohort, visibility=shared
        ).select_related("owner")
        out += _section(
            _("Commitments made"),
            (
                f"- {_name(c.owner)}: {c.text}"
                + (" " + _("(due %(day)s)") % {"day": _due(c.due_on)} if c.due_on else "")
                for c in commitments.filter(session=session)
            ),
        )
        out += _section(
            _("Commitments done since last time"),
            (
                f"- {_name(c.owner)}: {c.text}"
                for c in commitments.filter(status="done", completed_at__gt=since_at)
            ),
        )
        out += _section(
            _("Commitments missed"),
            (
                f"- {_name(c.owner)}: {c.text}"
                for c in commitments.filter(status="missed", due_on__gt=since_day, due_on__lte=day)
            ),
        )
        blockers = (
            models.Blocker.objects.filter(update__cohort=session.cohort, created_at__gt=since_at)
            .filter(Q(update__commitment__isnull=True) | Q(update__commitment__visibility=shared))
            .select_related("update__author")
        )
        out += _section(
            _("Blockers"),
            (
                f"- {_name(b.update.author)}: {b.text}"
                + (" " + _("(resolved)") if b.resolved_at else "")
                for b in blockers
            ),
        )
        offers = models.HelpOffer.objects.filter(
            blocker__in=blockers, accepted_at__isnull=False
        ).select_related("helper", "blocker__update__author")
        out += _section(
            _("Help given"),
            (
                "- "
                + _("%(helper)s helped %(person)s")
                % {"helper": _name(o.helper), "person": _name(o.blocker.update.author)}
                + (f": {o.message}" if o.message else "")
                for o in offers
            ),
        )
        experiments = models.Experiment.objects.filter(
            cohort=session.cohort, visibility=shared, ends_on__gt=since_day, ends_on__lte=day
        ).exclude(outcome="running")
        out += _section(
            _("Experiment results"),
            (
                f"- {e.title} ({e.get_outcome_display()})"
                + (f": {e.learnings}" if e.learnings else "")
                for e in experiments.select_related("owner")
            ),
        )
    except _SKIPPABLE:
        logger.warning("Accountability left out of the report of session %s", session.pk)
    return out


def draft_text(session: Session) -> str:
    """The report's body drafted from what the session recorded; markdown-ish plain text, in
    the active language (the drafter's: it is stored and edited as they wrote it)."""
    attendance = list(session.attendance.select_related("user").order_by("user__name"))
    by_status = {
        status: [_name(a.user) for a in attendance if a.status == status]
        for status in AttendanceStatus.values
    }
    lines = [f"# {session.label}, {date_format(session.starts_at, 'j F Y')}", ""]
    lines += _section(
        _("Attendance"),
        (
            f"- {AttendanceStatus(status).label}: {', '.join(names)}"
            for status, names in by_status.items()
            if names
        ),
    )
    lines += _section(
        _("Roles"),
        (
            f"- {a.role.capitalize()}: {_name(a.user)}"
            for a in session.roles.select_related("user").order_by("role")
        ),
    )
    shared = session.agenda.filter(kind__in=[AgendaKind.DEMO, AgendaKind.SKILL_SHARE])
    if shared.exists():
        lines += _section(
            _("Demos and skill shares"),
            (
                "- "
                + (
                    _("%(title)s by %(presenter)s")
                    % {"title": b.title, "presenter": _name(b.presenter)}
                    if b.presenter_id
                    else b.title
                )
                + (f": {b.notes}" if b.notes else "")
                for b in shared.select_related("presenter")
            ),
        )
    notes = list(session.notes.select_related("author"))
    lines += _section(_("Insights"), (f"- {n.text}" for n in notes if n.kind == NoteKind.INSIGHT))
    lines += _section(_("Notes"), (f"- {n.text}" for n in notes if n.kind == NoteKind.NOTE))
    lines += _accountability_sections(session)
    return "\n".join(lines).rstrip() + "\n"


def publish(report: SessionReport, by: Any, share_with_network: bool) -> bool:
    """Publish `report` and queue its e-mails, both or neither; False when it was already
    published."""
    with transaction.atomic():
        updated = SessionReport.objects.filter(pk=report.pk, status=ReportStatus.DRAFT).update(
            status=ReportStatus.PUBLISHED,
            published_at=timezone.now(),
            published_by=by,
            share_with_network=share_with_network,
        )
        report.refresh_from_db()
        if updated:
            queue_report_emails(report)
            # The guarded update() above sends no post_save, so cadre.events cannot see it.
            emit("report.published", report.pk)
    return bool(updated)


def report_url(session: Session) -> str:
    cohort = session.cohort
    path = reverse("schedule:report", args=[cohort.network.slug, cohort.slug, session.pk])
    return settings.CADRE_SITE_URL.rstrip("/") + path


def recipients(session: Session) -> list[Any]:
    """Who a published report of `session` is e-mailed to: the cohort's active members."""
    return [
        m.user
        for m in session.cohort.memberships.active()
        .select_related("user__profile")
        .order_by("user_id")
    ]


def queue_report_emails(report: SessionReport) -> int:
    """Queue published `report`'s e-mail to every active member of its cohort; a person
    queued it before is skipped. Returns how many were queued."""
    if report.status != ReportStatus.PUBLISHED:
        return 0
    session = report.session
    members = recipients(session)
    url = report_url(session)
    return queue_many(_report_email(report, session, user, url) for user in members)


def _report_email(report: SessionReport, session: Session, user: Any, url: str) -> Email:
    """One member's e-mail of `report`, in their language."""
    with in_language_of(user):
        subject = _("[Cadre] %(cohort)s: report of %(session)s, %(day)s") % {
            "cohort": session.cohort.name,
            "session": session.label,
            "day": date_format(session.starts_at, "j M"),
        }
        body = render_to_string(
            "schedule/email_report.txt",
            {"report": report, "session": session, "person": user, "url": url},
        )
    return Email(
        key=f"report:{report.pk}:{user.pk}",
        to=user.email,
        user=user,
        subject=subject,
        body=body,
    )
