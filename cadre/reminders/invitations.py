"""Calendar invitations (iTIP, RFC 5546, by e-mail as RFC 6047 describes): each member of a
cohort is sent its upcoming sessions, each person of a coffee group their group's suggested
hour, and a mentor and newcomer the first suggested hour of their pair.

A sync looks after one scope (a cohort, a coffee round, a mentor match): it works out the
events each person should have in their calendar now and compares them with what they were
last sent (`Invitation`, one row per person and event):

- a new event: METHOD:REQUEST with SEQUENCE 0;
- a change to what a calendar shows (start, end, title, place, link, cancellation; the
  `fingerprint`): the SEQUENCE goes up by one and the REQUEST is sent again, or a
  METHOD:CANCEL when the session was cancelled;
- an event the person should no longer have (they left the cohort, the session was removed,
  the pair ended) that is still ahead: a CANCEL, built from the event last sent.

Each person's event is written in their saved language (its title and description), like
the e-mail that carries it.

The UID is the event's own (the same as in the session's .ics and the calendar feed), so a
calendar program updates the event in place. The row and its e-mail are written in one
transaction and the e-mail's outbox key names the sequence, so a retried or concurrent sync
sends nothing twice. Syncs run in the worker (`sync_invitations`, every five minutes), never
in a page's request; sessions are invited four weeks ahead (INVITE_AHEAD), so a new schedule
sends a handful of e-mails, not one per session of the whole series.

Nothing comes back: a calendar program's reply to the organizer address is not read. A
member answers from the session page or the e-mail's links (cadre.schedule.rsvp)."""

from __future__ import annotations

import hashlib
import logging
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy
from icalendar import Event

from cadre.cohorts.models import CohortMembership
from cadre.delivery.services import Email, queue_many
from cadre.people.languages import in_language_of, language_of
from cadre.rotations.models import CoffeeGroupMember, CoffeeRound
from cadre.rotations.planning import common_hour
from cadre.schedule import calendars, rsvp
from cadre.schedule.models import MentorMatch, RsvpAnswer, Session, Where

from .models import Invitation, InvitationMethod, NotificationPreference

logger = logging.getLogger(__name__)

INVITE_AHEAD = timedelta(days=28)
COFFEE_MINUTES = 30
MENTORING_MINUTES = 45
# What a calendar shows of an event; a change to any of these is a new SEQUENCE.
SHOWN = ("DTSTART", "DTEND", "SUMMARY", "LOCATION", "URL", "STATUS")


@dataclass(frozen=True)
class Wanted:
    """One event one person should have in their calendar (or have cancelled there)."""

    user: Any
    thing: str
    vevent: Event
    starts_at: datetime
    session: Session | None = None  # sessions are answered (RSVP); groups and pairs are not

    @property
    def cancelled(self) -> bool:
        return str(self.vevent.get("STATUS", "")) == "CANCELLED"


def _text(value: Any) -> str:
    ical = value.to_ical()
    return ical.decode() if isinstance(ical, bytes) else str(ical)


def fingerprint(vevent: Event) -> str:
    shown = "\n".join(f"{name}:{_text(vevent[name]) if name in vevent else ''}" for name in SHOWN)
    return hashlib.sha256(shown.encode()).hexdigest()


def _opted_out(user_ids: Iterable[int]) -> set[int]:
    return set(
        NotificationPreference.objects.filter(
            user_id__in=list(user_ids), calendar_invitations=False
        ).values_list("user_id", flat=True)
    )


def sync(scope: str, wanted: list[Wanted], now: datetime | None = None) -> int:
    """Bring the invitations of `scope` in line with `wanted`; returns how many e-mails it
    queued. People who turned invitations off are neither sent nor cancelled anything."""
    now = now or timezone.now()
    with transaction.atomic():
        rows = {
            (row.user_id, row.thing): row
            # Only the invitation rows are locked: PostgreSQL locks no row of an outer join
            # (a person without a profile).
            for row in Invitation.objects.select_for_update(of=("self",))
            .filter(scope=scope)
            .select_related("user__profile")
        }
        off = _opted_out({w.user.pk for w in wanted} | {key[0] for key in rows})
        emails: list[Email] = []
        for want in wanted:
            if want.user.pk in off or not want.user.email:
                rows.pop((want.user.pk, want.thing), None)
                continue
            method = InvitationMethod.CANCEL if want.cancelled else InvitationMethod.REQUEST
            mark = fingerprint(want.vevent)
            row = rows.pop((want.user.pk, want.thing), None)
            if row is None:
                if want.cancelled:
                    continue  # never invited: nothing to take out of their calendar
                row = Invitation(user=want.user, thing=want.thing, scope=scope, sequence=0)
            elif row.fingerprint == mark and row.method == method:
                continue
            else:
                row.sequence += 1
            row.uid = str(want.vevent["UID"])
            row.method = method
            row.fingerprint = mark
            row.starts_at = want.starts_at
            row.event = want.vevent.to_ical().decode()
            row.sent_at = now
            row.save()
            emails.append(_email(row, want.session))
        for row in rows.values():
            # Invited before, not any more: they left, the session went, the pair ended.
            if row.method == InvitationMethod.CANCEL or row.starts_at <= now:
                continue
            if row.user_id in off or not row.user.is_active:
                continue
            row.sequence += 1
            row.method = InvitationMethod.CANCEL
            row.sent_at = now
            row.save(update_fields=["sequence", "method", "sent_at"])
            emails.append(_email(row, None))
        queued = queue_many(emails)
    if queued:
        logger.info("Queued %s calendar invitations for %s", queued, scope)
    return queued


# --- the e-mail -----------------------------------------------------------------------------


def _zone(user: Any) -> zoneinfo.ZoneInfo:
    profile = getattr(user, "profile", None)
    try:
        return zoneinfo.ZoneInfo(profile.time_zone if profile is not None else "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


# The answers' words in the e-mail, in its recipient's language (the choices' own labels are
# English).
ANSWER_WORDS = {
    RsvpAnswer.YES: pgettext_lazy("rsvp answer", "Coming"),
    RsvpAnswer.NO: pgettext_lazy("rsvp answer", "Not coming"),
    RsvpAnswer.MAYBE: pgettext_lazy("rsvp answer", "Maybe"),
}


def _email(row: Invitation, session: Session | None) -> Email:
    """The invitation e-mail, written in its recipient's language."""
    with in_language_of(row.user):
        return _email_in_language(row, session)


def _email_in_language(row: Invitation, session: Session | None) -> Email:
    user = row.user
    vevent = Event.from_ical(row.event)
    if not isinstance(vevent, Event):
        raise TypeError(f"Invitation {row.pk} does not hold a VEVENT")
    ics = calendars.invitation(
        vevent,
        method=row.method,
        sequence=row.sequence,
        organizer=settings.DEFAULT_FROM_EMAIL,
        attendee=user.email,
        attendee_name=user.name or "",
    )
    summary = str(vevent["SUMMARY"])
    starts = vevent.decoded("DTSTART").astimezone(_zone(user))
    cancel = row.method == InvitationMethod.CANCEL
    names = {
        "summary": summary,
        "when": date_format(starts, pgettext("reminder date", "D j M H:i")),
    }
    if cancel:
        subject = _("[Cadre] Cancelled: %(summary)s, %(when)s") % names
    elif row.sequence:
        subject = _("[Cadre] Updated: %(summary)s, %(when)s") % names
    else:
        subject = _("[Cadre] Invitation: %(summary)s, %(when)s") % names
    context = {
        "person": user,
        "summary": summary,
        "starts": starts,
        "zone": starts.tzname(),
        "minutes": int((vevent.decoded("DTEND") - vevent.decoded("DTSTART")).total_seconds() // 60),
        "location": str(vevent.get("LOCATION", "")),
        "url": str(vevent.get("URL", "")),
        "cancelled": cancel,
        "updated": row.sequence > 0 and not cancel,
        "answers": [(str(ANSWER_WORDS[a]), rsvp.link(session, user, a.value)) for a in RsvpAnswer]
        if session is not None and not cancel
        else [],
        "preferences": settings.CADRE_SITE_URL.rstrip("/") + reverse("notifications"),
    }
    return Email(
        key=f"itip:{row.thing}:{user.pk}:{row.sequence}",
        to=user.email,
        user=user,
        subject=subject,
        body=render_to_string("reminders/email_invitation.txt", context),
        calendar=ics.decode(),
    )


# --- what each scope wants ------------------------------------------------------------------


def cohort_wanted(cohort_id: int, now: datetime) -> list[Wanted]:
    """Every active member of the cohort, for each of its sessions in the next INVITE_AHEAD
    (cancelled ones included, so that a cancellation reaches those who were invited), each
    written in the member's language."""
    sessions = list(
        calendars.with_details(
            Session.objects.filter(
                cohort_id=cohort_id, starts_at__gt=now, starts_at__lte=now + INVITE_AHEAD
            ).order_by("starts_at")
        )
    )
    if not sessions:
        return []
    members = [
        m.user
        for m in CohortMembership.objects.active()
        .filter(cohort_id=cohort_id, user__is_active=True)
        .select_related("user__profile")
    ]
    wanted = []
    for session in sessions:
        written: dict[str, Event] = {}  # one event per language, shared by its readers
        for user in members:
            language = language_of(user)
            if language not in written:
                with in_language_of(user):
                    written[language] = calendars.session_event(session)
            wanted.append(
                Wanted(user, f"session:{session.pk}", written[language], session.starts_at, session)
            )
    return wanted


def next_hour(hour: int, after: datetime) -> datetime:
    """The first time at or after `after` that is UTC hour `hour` of the week (0 is Monday
    00:00 UTC), as the rotations' suggested hours count them."""
    after = after.astimezone(UTC)
    monday = (after - timedelta(days=after.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    found = monday + timedelta(hours=hour)
    return found if found >= after else found + timedelta(days=7)


def coffee_wanted(round_id: int, now: datetime) -> list[Wanted]:
    """Each person of an announced coffee round, for their group's suggested hour in the
    round's week (none when the group has no hour in common)."""
    coffee = (
        CoffeeRound.objects.select_related("ritual__network")
        .filter(pk=round_id, announced_at__isnull=False)
        .first()
    )
    if coffee is None:
        return []
    groups: dict[int, list[CoffeeGroupMember]] = defaultdict(list)
    for member in CoffeeGroupMember.objects.filter(
        group__round=coffee, user__is_active=True
    ).select_related("user__profile", "group__round__ritual__network"):
        groups[member.group_id].append(member)
    start_of_round = datetime.combine(coffee.scheduled_for, datetime.min.time(), tzinfo=UTC)
    page = settings.CADRE_SITE_URL.rstrip("/") + coffee.get_absolute_url()
    wanted = []
    for members in groups.values():
        hour = common_hour([getattr(m.user, "profile", None) for m in members])
        if hour is None:
            continue
        starts = next_hour(hour, start_of_round)
        if starts <= now:
            continue
        group = members[0].group
        for member in members:
            others = ", ".join(m.user.name or m.user.email for m in members if m is not member)
            names = {"ritual": coffee.ritual.name, "others": others, "number": coffee.number}
            with in_language_of(member.user):
                vevent = calendars.event(
                    uid=calendars.uid("coffee-group", group.pk),
                    starts_at=starts,
                    ends_at=starts + timedelta(minutes=COFFEE_MINUTES),
                    summary=_("%(ritual)s: coffee with %(others)s") % names,
                    lines=[_("Round %(number)s of %(ritual)s, at the hour you share.") % names],
                    page_url=page,
                    where=Where(meeting_url=group.room_link),
                )
            wanted.append(Wanted(member.user, f"coffee-group:{group.pk}", vevent, starts))
    return wanted


def mentoring_wanted(match_id: int, now: datetime) -> list[Wanted]:
    """A current mentor match's two people, for the first hour they share after it was
    confirmed (none when they share none, or it has passed)."""
    match = (
        MentorMatch.objects.select_related("network", "mentor__profile", "newcomer__profile")
        .filter(pk=match_id, ended_at__isnull=True)
        .first()
    )
    if match is None:
        return []
    people = [match.mentor, match.newcomer]
    hour = common_hour([getattr(p, "profile", None) for p in people])
    if hour is None:
        return []
    starts = next_hour(hour, match.created_at)
    if starts <= now:
        return []
    page = settings.CADRE_SITE_URL.rstrip("/") + reverse(
        "mentoring:relationship", args=[match.network.slug, match.pk]
    )
    wanted = []
    for person in people:
        if not person.is_active:
            continue
        with in_language_of(person):
            names = {
                "mentor": match.mentor.name or pgettext("mentoring", "mentor"),
                "newcomer": match.newcomer.name or pgettext("mentoring", "newcomer"),
            }
            vevent = calendars.event(
                uid=calendars.uid("mentoring", match.pk),
                starts_at=starts,
                ends_at=starts + timedelta(minutes=MENTORING_MINUTES),
                summary=_("Mentoring: %(mentor)s and %(newcomer)s") % names,
                lines=[_("A first meeting at the hour you both said you can meet.")],
                page_url=page,
                where=Where(meeting_url=match.meeting_url, place=match.place),
            )
        wanted.append(Wanted(person, f"mentoring:{match.pk}", vevent, starts))
    return wanted


# --- the scopes -----------------------------------------------------------------------------


def sync_cohort(cohort_id: int, now: datetime | None = None) -> int:
    now = now or timezone.now()
    return sync(f"cohort:{cohort_id}", cohort_wanted(cohort_id, now), now)


def sync_coffee_round(round_id: int, now: datetime | None = None) -> int:
    now = now or timezone.now()
    return sync(f"coffee-round:{round_id}", coffee_wanted(round_id, now), now)


def sync_mentor_match(match_id: int, now: datetime | None = None) -> int:
    now = now or timezone.now()
    return sync(f"mentoring:{match_id}", mentoring_wanted(match_id, now), now)


def _ids(scopes: Iterable[str], prefix: str) -> set[int]:
    return {int(s.removeprefix(prefix)) for s in scopes if s.startswith(prefix)}


def sync_all(now: datetime | None = None) -> int:
    """Sync every scope that has something ahead: cohorts with sessions in the next
    INVITE_AHEAD, coffee rounds of the last week and later, current mentor matches of the
    last week, and every scope with an invitation still ahead (to cancel what went)."""
    now = now or timezone.now()
    ahead = set(
        Invitation.objects.filter(method=InvitationMethod.REQUEST, starts_at__gt=now)
        .values_list("scope", flat=True)
        .distinct()
    )
    cohorts = _ids(ahead, "cohort:") | set(
        Session.objects.filter(starts_at__gt=now, starts_at__lte=now + INVITE_AHEAD)
        .values_list("cohort_id", flat=True)
        .distinct()
    )
    rounds = _ids(ahead, "coffee-round:") | set(
        CoffeeRound.objects.filter(
            announced_at__isnull=False, scheduled_for__gte=(now - timedelta(days=7)).date()
        ).values_list("pk", flat=True)
    )
    matches = _ids(ahead, "mentoring:") | set(
        MentorMatch.objects.current()
        .filter(created_at__gte=now - timedelta(days=7))
        .values_list("pk", flat=True)
    )
    queued = 0
    for cohort_id in sorted(cohorts):
        queued += sync_cohort(cohort_id, now)
    for round_id in sorted(rounds):
        queued += sync_coffee_round(round_id, now)
    for match_id in sorted(matches):
        queued += sync_mentor_match(match_id, now)
    return queued
