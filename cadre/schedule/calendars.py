"""Calendar files (RFC 5545) of sessions: one session's `.ics`, and each person's feed of
the sessions of all their active cohorts (with their role) behind a secret URL, plus their
commitments' due dates when the accountability app is installed. Times are written in UTC,
which every common calendar app reads. Titles and descriptions are written in the active
language: a page's, the feed's owner's (`personal_feed`), an invitation's recipient's."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, time, timedelta
from email.utils import parseaddr
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from icalendar import Calendar, Event, vCalAddress, vUri

from cadre.lib import dates
from cadre.people.languages import in_language_of

from .models import AgendaBlock, RoleAssignment, Session, Where
from .reports import _SKIPPABLE, accountability

PRODID = "-//Cadre//Cohort sessions//EN"
FEED_PAST_DAYS = 90


def _site() -> str:
    return settings.CADRE_SITE_URL.rstrip("/")


def uid(kind: str, pk: int) -> str:
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


def event(
    *,
    uid: str,
    starts_at: datetime,
    ends_at: datetime,
    summary: str,
    lines: list[str],
    page_url: str,
    where: Where,
    cancelled: bool = False,
) -> Event:
    """The one place Cadre builds a VEVENT (sessions, the feed, invitations to sessions,
    coffee groups and mentoring pairs): times in UTC, the description's `lines` followed by
    the place, the meeting link and `page_url`, and LOCATION, URL and CONFERENCE from
    `where`."""
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("dtstart", starts_at.astimezone(UTC))
    event.add("dtend", ends_at.astimezone(UTC))
    event.add("summary", summary)
    lines = list(lines)
    if where.place:
        lines.append(_("Place: %(place)s.") % {"place": where.place})
    if where.meeting_url:
        lines.append(_("Join the meeting: %(url)s") % {"url": where.meeting_url})
    lines.append(page_url)
    event.add("description", "\n".join(lines))
    # URL is the link people open to take part: the meeting when there is one (RFC 5545
    # allows one URL), else the page, which the description links in any case.
    event.add("url", where.meeting_url or page_url)
    if where.location:
        event.add("location", where.location)
    if where.meeting_url:
        # RFC 7986 CONFERENCE: the clients that read it show a "Join" button.
        event.add(
            "conference",
            vUri(where.meeting_url),
            parameters={"VALUE": "URI", "FEATURE": "VIDEO", "LABEL": _("Join")},
        )
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def session_uid(session: Session) -> str:
    """A session's UID: the same in its .ics, the feed and every invitation to it."""
    return uid("session", session.pk)


def session_summary(session: Session) -> str:
    return f"{session.cohort.name}: {session.label}"


def session_event(session: Session, role: str | None = None) -> Event:
    """One VEVENT for `session`; `role` is the person's role in it, if any."""
    summary = session_summary(session)
    if role:
        summary = _("%(summary)s (you are %(role)s)") % {"summary": summary, "role": role}
    lines = [
        ngettext(
            "%(minutes)s minute with %(cohort)s.",
            "%(minutes)s minutes with %(cohort)s.",
            session.minutes,
        )
        % {"minutes": session.minutes, "cohort": session.cohort.name}
    ]
    if role:
        lines.append(_("Your role: %(role)s.") % {"role": role})
    roles = [f"{a.role}: {a.user}" for a in session.roles.all()]
    if roles:
        lines.append(_("Roles: %(roles)s.") % {"roles": "; ".join(roles)})
    agenda = [
        _("%(title)s (%(minutes)s min)") % {"title": b.title, "minutes": b.minutes}
        for b in session.agenda.all()
    ]
    if agenda:
        lines.append(_("Agenda: %(blocks)s.") % {"blocks": ", ".join(agenda)})
    return event(
        uid=session_uid(session),
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        summary=summary,
        lines=lines,
        page_url=session_url(session),
        where=session.where(),
        cancelled=session.cancelled,
    )


def invitation(
    vevent: Event,
    *,
    method: str,
    sequence: int,
    organizer: str,
    attendee: str,
    attendee_name: str = "",
) -> bytes:
    """An iTIP object (RFC 5546) for one attendee: `vevent` with its SEQUENCE, the
    ORGANIZER (Cadre's sending address) and the one ATTENDEE, in a calendar whose METHOD is
    REQUEST (a new or changed event) or CANCEL (STATUS:CANCELLED). Each person gets their
    own, naming only them, so nobody's address is shown to the others."""
    if method not in ("REQUEST", "CANCEL"):
        raise ValueError(f"Unknown iTIP method {method!r}")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    found = Event.from_ical(vevent.to_ical())  # a copy: the caller's event is shared
    if not isinstance(found, Event):
        raise TypeError("An invitation carries one VEVENT")
    found.pop("SEQUENCE", None)
    found.add("sequence", sequence)
    found.pop("DTSTAMP", None)
    found.add("dtstamp", timezone.now().astimezone(UTC))
    if method == "CANCEL":
        found.pop("STATUS", None)
        found.add("status", "CANCELLED")
    name, address = parseaddr(organizer)
    found.add("organizer", vCalAddress(f"mailto:{address}"), parameters={"CN": name or "Cadre"})
    parameters = {
        "ROLE": "REQ-PARTICIPANT",
        "PARTSTAT": "NEEDS-ACTION",
        "RSVP": "TRUE" if method == "REQUEST" else "FALSE",
        "CUTYPE": "INDIVIDUAL",
    }
    if attendee_name:
        parameters["CN"] = attendee_name
    found.add("attendee", vCalAddress(f"mailto:{attendee}"), parameters=parameters)
    calendar.add_component(found)
    return calendar.to_ical()


def with_details(sessions: Any) -> Any:
    return sessions.select_related("cohort__network", "cohort__schedule").prefetch_related(
        Prefetch("roles", queryset=RoleAssignment.objects.select_related("user").order_by("role")),
        Prefetch("agenda", queryset=AgendaBlock.objects.order_by("order", "pk")),
    )


def session_calendar(session: Session, user: Any) -> bytes:
    calendar = _calendar(f"{session.cohort.name}: {session.label}")
    found = with_details(Session.objects.filter(pk=session.pk)).get()
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
            event.add("uid", uid("commitment", c.pk))
            event.add("dtstamp", now)
            event.add("dtstart", c.due_on)
            event.add("dtend", c.due_on + timedelta(days=1))
            event.add("summary", (_("Due: %(commitment)s") % {"commitment": c.text})[:200])
            event.add(
                "description",
                _("Your commitment in %(cohort)s.") % {"cohort": c.cohort.name} + f"\n{_site()}",
            )
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
    out: computing an event's end from 9999-12-31 would fail. Written in `user`'s saved
    language: a calendar app fetches the feed without a session or a browser's language."""
    with in_language_of(user):
        return _personal_feed(user)


def _personal_feed(user: Any) -> bytes:
    from cadre.cohorts.models import CohortMembership

    cohorts = CohortMembership.objects.active().filter(user=user).values("cohort_id")
    sessions = with_details(
        Session.objects.filter(
            cohort__in=cohorts,
            starts_at__gte=timezone.now() - timedelta(days=FEED_PAST_DAYS),
            starts_at__lt=_after_the_last_date(),
        ).order_by("starts_at")
    )
    calendar = _calendar(_("Cadre sessions"))
    for session in sessions:
        role = next((a.role for a in session.roles.all() if a.user_id == user.pk), None)
        calendar.add_component(session_event(session, role))
    for event in _commitment_events(user):
        calendar.add_component(event)
    return calendar.to_ical()
