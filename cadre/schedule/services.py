"""What people do with a cohort's schedule, its sessions and mentor matching, whichever door
they come through (the pages, the API): change the schedule, add or cancel sessions, mark
absences, run a session (agenda, attendance, notes), write and publish its report, and match
mentors with newcomers.

Each function checks the rule (cadre.schedule.policy) and raises `Refused`, whose message
is the sentence people see. The rota follows every change (cadre.schedule.rota)."""

from __future__ import annotations

import zoneinfo
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime, time
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_noop, pgettext

from cadre.accounts.models import User
from cadre.cohorts.models import Cohort
from cadre.delivery.services import Email, queue
from cadre.lib import rooms
from cadre.lib.rules import Refused
from cadre.networks.models import Network, NetworkMembership, Role
from cadre.networks.policy import Person
from cadre.people.languages import in_language_of

from . import mentoring, policy, reports, rota, rsvp
from .models import (
    DEFAULT_AGENDA,
    MAX_SESSIONS,
    MEETING_URL_MAX,
    PLACE_MAX,
    Absence,
    AgendaBlock,
    Attendance,
    CohortSchedule,
    Holiday,
    MentorMatch,
    MentorSettings,
    NoteKind,
    PreviousAgenda,
    RoleAssignment,
    RoleSwap,
    Session,
    SessionKind,
    SessionNote,
    SessionReport,
    SwapStatus,
    Where,
    default_timeboxes,
    validate_roles,
)

ALREADY_PUBLISHED = gettext_noop("The report is already published.")

# --- the schedule ---------------------------------------------------------------------------


def require_schedule_editor(by: Person, cohort: Cohort) -> None:
    """Refuse anyone but the cohort's hosts and the network's organizers."""
    if not policy.can_edit_schedule(by, cohort):
        raise Refused(
            gettext("Only the cohort’s hosts and the network’s organizers change its schedule."),
            kind="forbidden",
        )


def schedule_of(cohort: Cohort) -> CohortSchedule:
    """The cohort's schedule, or an unsaved one with the defaults."""
    found = CohortSchedule.objects.filter(cohort=cohort).select_related("cohort").first()
    return found or CohortSchedule(cohort=cohort)


SESSION_COUNT_RANGE = gettext_noop("A series has between 1 and %(max)s sessions.")


# --- where sessions meet ----------------------------------------------------------------------

MEETING_URL_HTTPS = gettext_noop(
    "The meeting link must be a full https:// address (for example "
    "https://meet.example.org/our-cohort), at most %(max)s characters."
)


def clean_meeting_url(value: str) -> str:
    """`value` trimmed, or refused unless it is an https link of a sensible length (a
    `javascript:` or plain `http://` link would be shown to every member as a button)."""
    url = value.strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if (
        parts.scheme.lower() != "https"
        or not parts.hostname
        or len(url) > MEETING_URL_MAX
        or any(c.isspace() for c in url)
    ):
        raise Refused(gettext(MEETING_URL_HTTPS) % {"max": MEETING_URL_MAX}, field="meeting_url")
    return url


def clean_place(value: str) -> str:
    """`value` on one line, at most PLACE_MAX characters."""
    place = " ".join(value.split())
    if len(place) > PLACE_MAX:
        raise Refused(
            gettext("The place is at most %(max)s characters.") % {"max": PLACE_MAX}, field="place"
        )
    return place


def sees_where(by: Person, cohort: Cohort) -> bool:
    """The meeting link and place are for the people who open the sessions (the cohort's
    members and the network's organizers); others, who may still see a shared cohort's
    schedule, see neither."""
    return policy.can_view_session(by, cohort)


def where_for(by: Person, row: Session | CohortSchedule) -> Where:
    """Where a session (or, for the schedule, every session) meets, as `by` may read it
    (see `sees_where`)."""
    if not sees_where(by, row.cohort):
        return Where()
    if isinstance(row, Session):
        return row.where()
    return Where(meeting_url=row.meeting_url, place=row.place)


def room_links_on() -> bool:
    """Whether a self-hosted video service is configured (CADRE_VIDEO_ROOM_PATTERN)."""
    return rooms.enabled()


def room_link(cohort: Cohort) -> str:
    """A new room link for `cohort` from CADRE_VIDEO_ROOM_PATTERN, with a random token no
    one can guess; refused when no pattern is configured."""
    if not rooms.enabled():
        raise Refused(
            gettext(
                "No video service is configured here, so Cadre cannot make a room link; "
                "paste a meeting link instead."
            ),
            field="generate_room_link",
        )
    return clean_meeting_url(rooms.new_room(cohort.network.slug, cohort.slug))


def _follow(schedule: CohortSchedule) -> list[tuple[date, str]]:
    skipped = schedule.sync_sessions()
    rota.regenerate(schedule.cohort)
    return skipped


def update_schedule(
    by: Person,
    cohort: Cohort,
    *,
    weekday: int | None = None,
    local_time: time | None = None,
    roles: Sequence[str] | None = None,
    session_count: int | None = None,
    skip_default_holidays: bool | None = None,
    meeting_url: str | None = None,
    place: str | None = None,
    generate_room_link: bool = False,
) -> CohortSchedule:
    """Change when the cohort meets, how many regular sessions the series has, whether it
    meets on 25 December and 1 January, and the roles that rotate (what is None stays; a
    cohort without a schedule gets one). Upcoming regular sessions move, missing ones are
    added, the last ones go when the series got shorter, days off are skipped and the rota
    is recomputed; past sessions never change. The meeting link and place are the default
    of every session without its own; `generate_room_link` makes a new room link from the
    configured pattern (see `room_link`) instead of `meeting_url`."""
    require_schedule_editor(by, cohort)
    schedule = schedule_of(cohort)
    if generate_room_link:
        schedule.meeting_url = room_link(cohort)
    elif meeting_url is not None:
        schedule.meeting_url = clean_meeting_url(meeting_url)
    if place is not None:
        schedule.place = clean_place(place)
    if weekday is not None:
        schedule.weekday = weekday
    if local_time is not None:
        schedule.local_time = local_time
    if roles is not None:
        schedule.roles = [" ".join(r.split()) for r in roles]
    if session_count is not None:
        if not 1 <= session_count <= MAX_SESSIONS:
            raise Refused(
                gettext(SESSION_COUNT_RANGE) % {"max": MAX_SESSIONS}, field="session_count"
            )
        schedule.session_count = session_count
    if skip_default_holidays is not None:
        schedule.skip_default_holidays = skip_default_holidays
    try:
        validate_roles(schedule.roles)
    except ValidationError as exc:
        raise Refused(exc.messages[0], field="roles") from None
    schedule.save()
    _follow(schedule)
    return schedule


def skipped_days(schedule: CohortSchedule, now: datetime | None = None) -> list[tuple[date, str]]:
    """The days off the rest of the series skips, with their names, soonest first."""
    if schedule.pk is None:
        return []
    now = now or timezone.now()
    return schedule.plan(now, schedule.remaining(now))[1]


# --- holidays -------------------------------------------------------------------------------

HOLIDAY_TAKEN = gettext_noop("That day is already listed as a holiday.")
HOLIDAY_IN_PAST = gettext_noop("List a day still to come; past sessions do not move.")
NO_SUCH_HOLIDAY = gettext_noop("No such holiday.")


def holidays_of(cohort: Cohort, *, since: date | None = None) -> list[Holiday]:
    """The network's holidays and the cohort's own, soonest first (from `since`, if given)."""
    found = Holiday.objects.filter(
        Q(cohort__isnull=True) | Q(cohort=cohort), network_id=cohort.network_id
    ).select_related("created_by")
    if since is not None:
        found = found.filter(on__gte=since)
    return list(found.order_by("on", "cohort_id", "pk"))


def _require_holiday_editor(by: Person, cohort: Cohort, *, network_wide: bool) -> None:
    if network_wide and not policy.can_edit_network_holidays(by, cohort.network):
        raise Refused(
            gettext("Only the organizers of %(network)s list the network’s holidays.")
            % {"network": cohort.network.name},
            kind="forbidden",
        )
    require_schedule_editor(by, cohort)


def _follow_holidays(cohort: Cohort, *, network_wide: bool) -> None:
    """Move the upcoming sessions of the cohorts a holiday concerns (those whose series is
    still running) off the new day off, or back onto a day that is no longer one."""
    cohorts = Cohort.objects.filter(network_id=cohort.network_id) if network_wide else [cohort]
    running = set(
        Session.objects.upcoming()
        .filter(kind=SessionKind.REGULAR, cohort__in=cohorts)
        .values_list("cohort_id", flat=True)
    )
    for schedule in CohortSchedule.objects.filter(cohort_id__in=running).select_related("cohort"):
        _follow(schedule)


def add_holiday(
    by: User, cohort: Cohort, *, on: date, name: str, network_wide: bool = False
) -> Holiday:
    """List a day `cohort` (or, from the organizers, the whole network) does not meet; the
    upcoming sessions on it move to the next cadence date."""
    _require_holiday_editor(by, cohort, network_wide=network_wide)
    if on < cohort.today():
        raise Refused(gettext(HOLIDAY_IN_PAST), field="on")
    name = " ".join(name.split())
    if not name:
        raise Refused(gettext("Name the holiday, e.g. “Spring bank holiday”."), field="name")
    taken = Holiday.objects.filter(network_id=cohort.network_id, on=on)
    taken = taken.filter(cohort__isnull=True) if network_wide else taken.filter(cohort=cohort)
    if taken.exists():
        raise Refused(gettext(HOLIDAY_TAKEN), field="on", kind="conflict")
    holiday = Holiday.objects.create(
        network=cohort.network,
        cohort=None if network_wide else cohort,
        on=on,
        name=name,
        created_by=by,
    )
    _follow_holidays(cohort, network_wide=network_wide)
    return holiday


def remove_holiday(by: Person, cohort: Cohort, *, holiday: int, own_only: bool = False) -> Holiday:
    """Take a day off the list (with `own_only`, only one of the cohort's own, not the
    network's); the upcoming sessions of the series move back onto it."""
    found = next((h for h in holidays_of(cohort) if h.pk == holiday), None)
    if found is None or (own_only and found.network_wide):
        raise Refused(gettext(NO_SUCH_HOLIDAY), kind="not_found")
    _require_holiday_editor(by, cohort, network_wide=found.network_wide)
    network_wide = found.network_wide
    found.delete()
    _follow_holidays(cohort, network_wide=network_wide)
    return found


def use_slot(by: Person, cohort: Cohort, *, start: int) -> CohortSchedule:
    """Move the schedule to a slot from the finder (a UTC hour of the week)."""
    require_schedule_editor(by, cohort)
    schedule, _ = CohortSchedule.objects.get_or_create(cohort=cohort)
    rota.use_slot(schedule, start)
    return schedule


def day_off(cohort: Cohort, starts_at: datetime) -> str | None:
    """The name of the holiday a session starting at `starts_at` would fall on (in the
    cohort's time zone), or None."""
    schedule = schedule_of(cohort)
    day = timezone.localtime(starts_at, zoneinfo.ZoneInfo(cohort.time_zone)).date()
    return schedule.is_day_off(day, schedule.days_off(day))


def add_one_off_session(
    by: Person,
    cohort: Cohort,
    *,
    starts_at: datetime,
    minutes: int,
    title: str,
    on_holiday: bool = False,
) -> Session:
    """Add a session outside the cadence, starting in the future; the rota follows. A
    session on a holiday (the listed ones, 25 December and 1 January) is refused with a
    warning unless `on_holiday` says the host means it."""
    require_schedule_editor(by, cohort)
    if starts_at <= timezone.now():
        raise Refused(gettext("A new session must start in the future."), field="date")
    holiday = day_off(cohort, starts_at)
    if holiday is not None and not on_holiday:
        raise Refused(
            gettext(
                "%(day)s is %(holiday)s, a day the cohort does not meet. "
                "To hold the session that day anyway, confirm it and add it again."
            )
            % {"day": date_format(starts_at, pgettext("holiday date", "j F")), "holiday": holiday},
            field="date",
            code="holiday",
        )
    session = Session.objects.create(
        cohort=cohort, starts_at=starts_at, minutes=minutes, kind=SessionKind.ONE_OFF, title=title
    )
    rota.regenerate(cohort)
    return session


def cohort_session(cohort: Cohort, *, session: int) -> Session:
    """The cohort's session `session`."""
    found = Session.objects.filter(pk=session, cohort=cohort).select_related("cohort").first()
    if found is None:
        raise Refused(gettext("This cohort has no such session."), kind="not_found")
    return found


def set_session_title(by: Person, cohort: Cohort, *, session: int, title: str) -> Session:
    """Name a session ("Retrospectives", "Demo day"); an empty title gives the plain label."""
    require_schedule_editor(by, cohort)
    found = cohort_session(cohort, session=session)
    found.title = " ".join(title.split())[: Session._meta.get_field("title").max_length or 120]
    found.save(update_fields=["title"])
    return found


def set_session_where(
    by: Person,
    cohort: Cohort,
    *,
    session: int,
    meeting_url: str | None = None,
    place: str | None = None,
) -> Session:
    """Give one session its own meeting link or place (what is None stays; empty falls back
    to the schedule's, see `Session.where`)."""
    require_schedule_editor(by, cohort)
    found = cohort_session(cohort, session=session)
    if meeting_url is not None:
        found.meeting_url = clean_meeting_url(meeting_url)
    if place is not None:
        found.place = clean_place(place)
    found.save(update_fields=["meeting_url", "place"])
    return found


@transaction.atomic
def update_session(
    by: Person,
    cohort: Cohort,
    *,
    session: int,
    title: str | None = None,
    meeting_url: str | None = None,
    place: str | None = None,
) -> Session:
    """Change a session's title, meeting link and place at once (what is None stays);
    nothing is saved when one of them is refused."""
    require_schedule_editor(by, cohort)
    found = cohort_session(cohort, session=session)
    if title is not None:
        found = set_session_title(by, cohort, session=session, title=title)
    if meeting_url is not None or place is not None:
        found = set_session_where(by, cohort, session=session, meeting_url=meeting_url, place=place)
    return found


def cancel_session(by: Person, cohort: Cohort, *, session: int, cancelled: bool) -> Session:
    """Cancel an upcoming session, or hold it again; its roles move to the other sessions."""
    require_schedule_editor(by, cohort)
    session_ = cohort_session(cohort, session=session)
    if session_.is_past():
        raise Refused(gettext("Past sessions are history and do not change."), kind="conflict")
    session_.cancelled = cancelled
    session_.save(update_fields=["cancelled"])
    rota.regenerate(cohort)
    return session_


# --- absences -------------------------------------------------------------------------------


def upcoming_session(by: Person, cohort: Cohort, *, session: int) -> Session:
    """The cohort's upcoming session `session`, for marking an absence from it."""
    if not policy.can_mark_absence(by, cohort):
        raise Refused(gettext("Only the cohort’s active members mark absences."), kind="forbidden")
    found = cohort_session(cohort, session=session)
    if found.is_past() or found.cancelled:
        raise Refused(
            gettext("That session is over or cancelled; nothing changed."), field="session"
        )
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
        raise Refused(gettext("You are not marked absent from this session."), kind="not_found")
    absence.delete()
    return found


# --- swapping a rota role -------------------------------------------------------------------

SWAP_SESSION_OVER = gettext_noop(
    "That session has started, is over or is cancelled; its roles stay."
)
SWAP_NOT_YOUR_ROLE = gettext_noop("You do not hold that role in this session.")
SWAP_NOT_ON_ROTA = gettext_noop("Only an active member of the cohort’s rota can take a role.")
SWAP_WITH_YOURSELF = gettext_noop("Choose someone other than yourself.")
SWAP_ALREADY_ASKED = gettext_noop(
    "You have already asked someone to take this role; wait for their answer."
)
SWAP_ANSWERED = gettext_noop("This request has already been answered or withdrawn.")
SWAP_ONLY_PARTNER = gettext_noop("Only the person asked answers this request.")
SWAP_ONLY_ASKER = gettext_noop("Only the person who asked withdraws this request.")
SWAP_OUT_OF_DATE = gettext_noop(
    "The rota has changed since the request: that role is no longer theirs."
)
NO_SUCH_SWAP = gettext_noop("No such swap request.")
SWAP_MEMBERS_ONLY = gettext_noop("Only the cohort’s active members swap rota roles.")


def _require_swapper(by: Person, cohort: Cohort) -> None:
    if not policy.can_swap_roles(by, cohort):
        raise Refused(gettext(SWAP_MEMBERS_ONLY), kind="forbidden")


def _swappable(session: Session) -> None:
    if session.is_past() or session.cancelled:
        raise Refused(gettext(SWAP_SESSION_OVER), field="session", kind="conflict")


def cohort_swap(cohort: Cohort, *, swap: int) -> RoleSwap:
    found = (
        RoleSwap.objects.filter(pk=swap, session__cohort=cohort)
        .select_related("session__cohort__network", "asked_by", "partner")
        .first()
    )
    if found is None:
        raise Refused(gettext(NO_SUCH_SWAP), kind="not_found")
    return found


def swaps_for(by: User, cohort: Cohort) -> list[RoleSwap]:
    """The pending requests of the cohort's upcoming sessions that `by` made or was asked."""
    _require_swapper(by, cohort)
    return list(
        RoleSwap.objects.filter(
            Q(asked_by=by) | Q(partner=by),
            session__cohort=cohort,
            session__starts_at__gt=timezone.now(),
            status=SwapStatus.PENDING,
        )
        .select_related("session__cohort__network", "asked_by", "partner")
        .order_by("session__starts_at", "pk")
    )


def _queue_swap_email(swap: RoleSwap, *, to: User, other: User, kind: str) -> None:
    cohort = swap.session.cohort
    url = settings.CADRE_SITE_URL.rstrip("/") + reverse(
        "schedule:page", args=[cohort.network.slug, cohort.slug]
    )
    when = timezone.localtime(swap.session.starts_at, zoneinfo.ZoneInfo(cohort.time_zone))
    context = {"swap": swap, "person": to, "other": other, "kind": kind, "when": when, "url": url}
    with in_language_of(to):
        names = {"other": other, "role": swap.role, "day": date_format(when, "j M")}
        subjects = {
            "asked": gettext("[Cadre] %(other)s asks you to take their %(role)s role on %(day)s"),
            "accepted": gettext("[Cadre] %(other)s takes your %(role)s role on %(day)s"),
            "declined": gettext("[Cadre] %(other)s cannot take your %(role)s role on %(day)s"),
        }
        subject = subjects[kind] % names
        body = render_to_string("schedule/email_role_swap.txt", context)
    queue(
        Email(
            key=f"role-swap:{swap.pk}:{kind}",
            to=to.email,
            user=to,
            subject=subject,
            body=body,
        )
    )


def ask_swap(by: User, cohort: Cohort, *, session: int, role: str, partner: int) -> RoleSwap:
    """Ask the member `partner` to take `by`'s role in an upcoming session (and, if they hold
    one there, to give theirs in exchange). They are e-mailed and answer on the schedule."""
    _require_swapper(by, cohort)
    found = cohort_session(cohort, session=session)
    _swappable(found)
    if not RoleAssignment.objects.filter(session=found, role=role, user=by).exists():
        raise Refused(gettext(SWAP_NOT_YOUR_ROLE), field="role")
    if partner == by.pk:
        raise Refused(gettext(SWAP_WITH_YOURSELF), field="partner")
    if partner not in rota.rota_members(cohort):
        raise Refused(gettext(SWAP_NOT_ON_ROTA), field="partner")
    other = User.objects.get(pk=partner)
    _require_present(found, other)
    if RoleSwap.objects.filter(session=found, role=role, status=SwapStatus.PENDING).exists():
        raise Refused(gettext(SWAP_ALREADY_ASKED), field="role", kind="conflict")
    with transaction.atomic():
        swap = RoleSwap.objects.create(session=found, role=role, asked_by=by, partner=other)
        _queue_swap_email(swap, to=other, other=by, kind="asked")
    return swap


def _require_present(session: Session, person: User) -> None:
    if Absence.objects.filter(session=session, user=person).exists():
        raise Refused(
            gettext("%(person)s has said they will miss this session.") % {"person": person},
            field="partner",
        )


def _pending(swap: RoleSwap) -> None:
    if swap.status != SwapStatus.PENDING:
        raise Refused(gettext(SWAP_ANSWERED), kind="conflict")
    _swappable(swap.session)


def answer_swap(by: User, cohort: Cohort, *, swap: int, accept: bool) -> RoleSwap:
    """The person asked accepts (the roles change hands, fixed so the rota keeps them, and
    the later sessions rebalance) or declines; the asker is e-mailed either way."""
    _require_swapper(by, cohort)
    found = cohort_swap(cohort, swap=swap)
    if found.partner_id != by.pk:
        raise Refused(gettext(SWAP_ONLY_PARTNER), kind="forbidden")
    _pending(found)
    session = found.session
    with transaction.atomic():
        if accept:
            given = RoleAssignment.objects.filter(
                session=session, role=found.role, user_id=found.asked_by_id
            ).first()
            if given is None:
                raise Refused(gettext(SWAP_OUT_OF_DATE), kind="conflict")
            _require_present(session, by)
            mine = RoleAssignment.objects.filter(session=session, user=by).first()
            RoleAssignment.objects.filter(pk__in=[given.pk, *([mine.pk] if mine else [])]).delete()
            RoleAssignment.objects.create(session=session, role=found.role, user=by, pinned=True)
            if mine is not None:
                RoleAssignment.objects.create(
                    session=session, role=mine.role, user_id=found.asked_by_id, pinned=True
                )
        found.status = SwapStatus.ACCEPTED if accept else SwapStatus.DECLINED
        found.answered_at = timezone.now()
        found.save(update_fields=["status", "answered_at"])
        if accept:
            rota.regenerate(cohort)
        _queue_swap_email(
            found, to=found.asked_by, other=by, kind="accepted" if accept else "declined"
        )
    return found


def withdraw_swap(by: User, cohort: Cohort, *, swap: int) -> RoleSwap:
    """The asker takes back a request nobody has answered yet."""
    _require_swapper(by, cohort)
    found = cohort_swap(cohort, swap=swap)
    if found.asked_by_id != by.pk:
        raise Refused(gettext(SWAP_ONLY_ASKER), kind="forbidden")
    if found.status != SwapStatus.PENDING:
        raise Refused(gettext(SWAP_ANSWERED), kind="conflict")
    found.status = SwapStatus.WITHDRAWN
    found.answered_at = timezone.now()
    found.save(update_fields=["status", "answered_at"])
    return found


# --- running a session ----------------------------------------------------------------------


def require_runner(by: Person, session: Session) -> None:
    if not policy.can_run_session(by, session):
        raise Refused(
            gettext(
                "Only the session’s facilitator, the cohort’s hosts and the organizers run it."
            ),
            kind="forbidden",
        )


def expected_at(by: Person, session: Session) -> rsvp.Expected:
    """Who is expected at `session` from its cohort's answers ("N coming, M not, K maybe, J
    not answered"), for whoever the session page shows it to: those who run the session."""
    require_runner(by, session)
    return rsvp.expected(session)


def require_report_writer(by: Person, session: Session) -> None:
    if not policy.can_edit_report(by, session):
        raise Refused(
            gettext(
                "Only the session’s note-taker, the cohort’s hosts and the organizers edit the report."
            ),
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
        raise Refused(gettext("An agenda needs at least one block."), field="blocks")
    total = sum(b.minutes for b in blocks)
    if total != session.minutes:
        diff = total - session.minutes
        words = {"total": total, "minutes": session.minutes, "diff": abs(diff)}
        if diff > 0:
            message = gettext(
                "The blocks add up to %(total)s minutes but the session is %(minutes)s minutes "
                "long (%(diff)s minutes too many)."
            )
        else:
            message = gettext(
                "The blocks add up to %(total)s minutes but the session is %(minutes)s minutes "
                "long (%(diff)s minutes short)."
            )
        raise Refused(
            message % words,
            field="blocks",
        )
    members = member_ids(session)
    if any(b.presenter is not None and b.presenter not in members for b in blocks):
        raise Refused(gettext("A presenter must be a member of the cohort."), field="blocks")


def agenda_of(session: Session) -> list[AgendaBlock]:
    """The session's blocks in order (the default agenda until someone edits it)."""
    AgendaBlock.ensure_for(session)
    return list(session.agenda.select_related("presenter").order_by("order", "pk"))


def _as_blocks(rows: Sequence[AgendaBlock]) -> list[Block]:
    return [Block(r.kind, r.title, r.minutes, r.presenter_id, r.notes) for r in rows]


def has_own_agenda(session: Session) -> bool:
    """Whether someone wrote this session's agenda: it has blocks and they are not the
    default agenda every session starts with."""
    rows = list(session.agenda.order_by("order", "pk"))
    if not rows:
        return False
    default = [
        (kind.value, title, minutes)
        for (kind, title, _), minutes in zip(
            DEFAULT_AGENDA, default_timeboxes(session.minutes), strict=True
        )
        if minutes > 0
    ]
    return [(r.kind, r.title, r.minutes) for r in rows] != default or any(
        r.presenter_id or r.notes for r in rows
    )


AGENDA_ALREADY_RAN = gettext_noop(
    "This session has already taken place: saving replaces the agenda it ran with. "
    "Confirm to go ahead; the agenda it had is kept, and you can put it back."
)
NO_PREVIOUS_AGENDA = gettext_noop("There is no earlier agenda of this session to put back.")


def _write_agenda(session: Session, blocks: Sequence[Block]) -> None:
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


def replace_agenda(
    by: Person, session: Session, *, blocks: Sequence[Block], confirm_overwrite: bool = False
) -> list[AgendaBlock]:
    """Replace every block of the agenda, in order; nothing is saved when it is refused.
    The agenda of a session that already ran is replaced only when confirmed, and the one it
    had is kept (PreviousAgenda) so `restore_agenda` can put it back."""
    require_runner(by, session)
    check_agenda(session, blocks)
    ran = session.has_run()
    if ran and not confirm_overwrite:
        raise Refused(gettext(AGENDA_ALREADY_RAN), kind="conflict", code="confirm_overwrite")
    with transaction.atomic():
        if ran:
            PreviousAgenda.objects.update_or_create(
                session=session,
                defaults={
                    "blocks": [asdict(b) for b in _as_blocks(agenda_of(session))],
                    "replaced_at": timezone.now(),
                    "replaced_by": by if isinstance(by, User) else None,
                },
            )
        _write_agenda(session, blocks)
    return agenda_of(session)


def previous_agenda(session: Session) -> PreviousAgenda | None:
    return PreviousAgenda.objects.filter(session=session).first()


def restore_agenda(by: Person, session: Session) -> list[AgendaBlock]:
    """Put back the agenda a replacement took the place of; the replaced one is kept in
    turn, so restoring again undoes the restore."""
    require_runner(by, session)
    with transaction.atomic():
        kept = PreviousAgenda.objects.select_for_update().filter(session=session).first()
        if kept is None:
            raise Refused(gettext(NO_PREVIOUS_AGENDA), kind="not_found")
        members = member_ids(session)
        blocks = [
            Block(
                kind=b["kind"],
                title=b["title"],
                minutes=b["minutes"],
                presenter=b.get("presenter") if b.get("presenter") in members else None,
                notes=b.get("notes", ""),
            )
            for b in kept.blocks
        ]
        kept.blocks = [asdict(b) for b in _as_blocks(agenda_of(session))]
        kept.replaced_at = timezone.now()
        kept.replaced_by = by if isinstance(by, User) else None
        kept.save()
        _write_agenda(session, blocks)
    return agenda_of(session)


def record_attendance(by: Person, session: Session, *, user: int, status: str) -> Attendance:
    """Record whether the member `user` was present, absent or excused."""
    require_runner(by, session)
    if user not in member_ids(session):
        raise Refused(
            gettext("That person is not a member of the cohort."), kind="not_found", field="user"
        )
    with transaction.atomic():
        row, _ = Attendance.objects.update_or_create(
            session=session, user_id=user, defaults={"status": status}
        )
        count_as_held(session)
    return Attendance.objects.select_related("user").get(pk=row.pk)


def count_as_held(session: Session) -> None:
    """A session counts as held the first time attendance is recorded for it or its report is
    published, whichever comes first: what a facilitator does once the meeting has happened
    (Cadre has no "end the session" step). The moment is kept in `held_at`, set once, and
    cadre.events tells it as "session.held" when it is saved."""
    if session.held_at is not None:
        return
    with transaction.atomic():
        # Locked, so two doors recording attendance at once set (and tell) it once.
        fresh = Session.objects.select_for_update().get(pk=session.pk)
        if fresh.held_at is None:
            fresh.held_at = timezone.now()
            fresh.save(update_fields=["held_at"])
    session.held_at = fresh.held_at


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


def since_last_time(by: Person, session: Session) -> Any:
    """What happened on the board since the previous held session
    (cadre.accountability.since), as `by` may see it; None without the accountability app."""
    require_runner(by, session)
    if reports.accountability() is None:
        return None
    from cadre.accountability.since import since_last_time

    return since_last_time(viewer=by, session=session)


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
            due_label=gettext("Due"),
        )
        return "commitment"
    words = {"owner": owner, "text": text}
    if due_on:
        words["day"] = date_format(due_on, "j M")
        note = gettext("Commitment — %(owner)s: %(text)s (due %(day)s)") % words
    else:
        note = gettext("Commitment — %(owner)s: %(text)s") % words
    SessionNote.objects.create(session=session, author=by, kind=NoteKind.NOTE, text=note)
    return "note"


# --- the report -----------------------------------------------------------------------------


def draft_report(by: Person, session: Session) -> SessionReport:
    """Fill the draft's text from the session's data (attendance, roles, notes, insights,
    commitments…); a published report does not change."""
    require_report_writer(by, session)
    report, _ = SessionReport.objects.get_or_create(session=session)
    if report.is_published:
        raise Refused(gettext(ALREADY_PUBLISHED), field="status")
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


def report_recipients(session: Session) -> list[User]:
    """Who publishing the session's report e-mails: every active member of the cohort."""
    return reports.recipients(session)


def publish_report(by: Person, session: Session, *, share_with_network: bool) -> SessionReport:
    """Publish the draft and queue an e-mail to every active member of the cohort."""
    require_report_writer(by, session)
    report = SessionReport.objects.filter(session=session).first()
    if report is None:
        raise Refused(gettext("Draft the report first."), kind="not_found")
    with transaction.atomic():
        if not reports.publish(report, by, share_with_network):
            raise Refused(gettext(ALREADY_PUBLISHED), field="status")
        count_as_held(session)
    return report


# --- mentors --------------------------------------------------------------------------------


def require_mentoring_manager(by: Person, network: Network) -> None:
    if not policy.can_manage_mentoring(by, network):
        raise Refused(
            gettext("Only the organizers of %(network)s match mentors and newcomers.")
            % {"network": network.name},
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
        raise Refused(gettext("No such match."), kind="not_found")
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
        raise Refused(gettext("No such mentor."), kind="not_found")
    if not policy.can_edit_mentor_settings(by, network, membership.user):
        raise Refused(
            gettext("Only the mentor and the organizers change a mentor’s places."),
            kind="forbidden",
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
        raise Refused(gettext("Partners have no mentoring in this network."), kind="forbidden")
    current = (
        MentorMatch.objects.current().filter(network=network).select_related("mentor", "newcomer")
    )
    return (
        current.filter(newcomer=by).first(),
        list(current.filter(mentor=by).order_by("newcomer__name", "pk")),
    )
