"""Calendar files (RFC 5545) of sessions: one session's `.ics`, and each person's feed of
the sessions of all their active cohorts (with their role) behind a secret URL, plus their
commitments' due dates when the accountability app is installed. Times are written in UTC,
which every common calendar app reads."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, time, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vUri

from cadre.lib import dates

from .models import AgendaBlock, RoleAssignment, Session
from .reports import _SKIPPABLE, accountability

PRODID = "-//Cadre//Cohort sessions//EN"
FEED_PAST_DAYS = 90


def _site() -> str:
    return settings.CADRE_SITE_URL.rstrip("/")


def _uid(kind: str, pk: int) -> str:
    return f"{kind}-{pk}@{urlsplit(_site()).hostname or 'cadre'}"


def session_url(session: Session) -> str:
    cohort = session.cohort
    return _site() + reverse(
        "schedule:session", args=[cohort.network.slug, cohort.slug, session.pk]
    )


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    return calendar


def session_event(session: Session, role: str | None = None) -> Event:
    """One VEVENT for `session`; `role` is the person's role in it, if any."""
    now = timezone.now().astimezone(UTC)
    event = Event()
    event.add("uid", _uid("session", session.pk))
    event.add("dtstamp", now)
    event.add("dtstart", session.starts_at.astimezone(UTC))
    event.add("dtend", session.ends_at.astimezone(UTC))
    summary = f"{session.cohort.name}: {session.label}"
    if role:
        summary += f" (you are {role})"
    event.add("summary", summary)
    lines = [f"{session.minutes} minutes with {session.cohort.name}."]
    if role:
        lines.append(f"Your role: {role}.")
    roles = [f"{a.role}: {a.user}" for a in session.roles.all()]
    if roles:
        lines.append("Roles: " + "; ".join(roles) + ".")
    agenda = [f"{b.title} ({b.minutes} min)" for b in session.agenda.all()]
    if agenda:
        lines.append("Agenda: " + ", ".join(agenda) + ".")
    where = session.where()
    if where.place:
        lines.append(f"Place: {where.place}.")
    if where.meeting_url:
        lines.append(f"Join the meeting: {where.meeting_url}")
    url = session_url(session)
    lines.append(url)
    event.add("description", "\n".join(lines))
    # URL is the link people open to take part: the meeting when there is one (RFC 5545
    # allows one URL), else the session's page, which the description links in any case.
    event.add("url", where.meeting_url or url)
    if where.location:
        event.add("location", where.location)
    if where.meeting_url:
        # RFC 7986 CONFERENCE: the clients that read it show a "Join" button.
        event.add(
            "conference",
            vUri(where.meeting_url),
            parameters={"VALUE": "URI", "FEATURE": "VIDEO", "LABEL": "Join"},
        )
    event.add("status", "CANCELLED" if session.cancelled else "CONFIRMED")
    return event


def _with_details(sessions: Any) -> Any:
    return sessions.select_related("cohort__network", "cohort__schedule").prefetch_related(
        Prefetch("roles", queryset=RoleAssignment.objects.select_related("user").order_by("role")),
        Prefetch("agenda", queryset=AgendaBlock.objects.order_by("order", "pk")),
    )


def session_calendar(session: Session, user: Any) -> bytes:
    calendar = _calendar(f"{session.cohort.name}: {session.label}")
    found = _with_details(Session.objects.filter(pk=session.pk)).get()
    role = next((a.role for a in found.roles.all() if a.user_id == user.pk), None)
    calendar.add_component(session_event(found, role))
    return calendar.to_ical()


def _commitment_events(user: Any) -> Iterable[Event]:
    models = accountability()
    if models is None:
        return []
    events = []
    try:
        rows = models.Commitment.objects.filter(
            owner=user, status="open", due_on__range=(dates.EARLIEST, dates.LATEST)
        ).select_related("cohort")
        now = timezone.now().astimezone(UTC)
        for c in rows:
            event = Event()
            event.add("uid", _uid("commitment", c.pk))
            event.add("dtstamp", now)
            event.add("dtstart", c.due_on)
            event.add("dtend", c.due_on + timedelta(days=1))
            event.add("summary", f"Due: {c.text}"[:200])
            event.add("description", f"Your commitment in {c.cohort.name}.\n{_site()}")
            event.add("url", _site() + c.cohort.get_absolute_url())
            events.append(event)
    except _SKIPPABLE:
        return []
    return events


def _after_the_last_date() -> datetime:
    return datetime.combine(dates.LATEST + timedelta(days=1), time(), tzinfo=UTC)


def personal_feed(user: Any) -> bytes:
    """The sessions of every cohort `user` is an active member of, from 90 days back, with
    their role in each; their open commitments' due dates as all-day events. Dates outside
    Cadre's range (cadre.lib.dates), which only rows saved before the rule can hold, are left
    out: computing an event's end from 9999-12-31 would fail."""
    from cadre.cohorts.models import CohortMembership

    cohorts = CohortMembership.objects.active().filter(user=user).values("cohort_id")
    sessions = _with_details(
        Session.objects.filter(
            cohort__in=cohorts,
            starts_at__gte=timezone.now() - timedelta(days=FEED_PAST_DAYS),
            starts_at__lt=_after_the_last_date(),
        ).order_by("starts_at")
    )
    calendar = _calendar("Cadre sessions")
    for session in sessions:
        role = next((a.role for a in session.roles.all() if a.user_id == user.pk), None)
        calendar.add_component(session_event(session, role))
    for event in _commitment_events(user):
        calendar.add_component(event)
    return calendar.to_ical()
