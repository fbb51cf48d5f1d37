"""Sessions of a cohort on its cadence, the fair rota of session roles, members' absences,
and mentors for the network's newcomers.

A session is kept small on purpose: when it is, who holds which role and who will not come.
Agendas, attendance and reports hang off it later without changing what is here."""

import secrets
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_noop, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from cadre.cohorts.models import Cadence, Cohort
from cadre.lib.dates import validate_date_in_range
from cadre.networks.models import Network, NetworkMembership

DEFAULT_ROLES = ["facilitator", "note-taker", "data reporter"]
# How many regular sessions a series has unless its hosts choose another number.
UPCOMING_SESSIONS = 8
MAX_SESSIONS = 104
MAX_ROLES = 6
# Days a cohort does not meet unless its schedule says it does: no session is booked on
# them (see CohortSchedule.skip_default_holidays), whatever the network lists.
# Named in English here and in the active language where they are shown (`is_day_off`).
DEFAULT_HOLIDAYS: dict[tuple[int, int], str] = {
    (12, 25): gettext_noop("Christmas Day"),
    (1, 1): gettext_noop("New Year’s Day"),
}
CADENCE_DAYS: dict[str, int] = {Cadence.WEEKLY: 7, Cadence.BIWEEKLY: 14, Cadence.MONTHLY: 28}


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


def validate_roles(value: object) -> None:
    if not isinstance(value, list) or not all(isinstance(r, str) and r.strip() for r in value):
        raise ValidationError(gettext("Roles must be a list of names."))
    if not 1 <= len(value) <= MAX_ROLES:
        raise ValidationError(gettext("Name between 1 and %(max)s roles.") % {"max": MAX_ROLES})
    if any(len(r) > 40 for r in value):
        raise ValidationError(gettext("A role name is at most 40 characters."))
    if len({r.strip().lower() for r in value}) != len(value):
        raise ValidationError(gettext("Each role may appear only once."))


MEETING_URL_MAX = 500
PLACE_MAX = 120


def default_roles() -> list[str]:
    return list(DEFAULT_ROLES)


class CohortSchedule(models.Model):
    """When a cohort meets: a weekday and a local time in the cohort's time zone, repeated on
    the cohort's cadence, and the roles that rotate in each session."""

    cohort = models.OneToOneField(Cohort, on_delete=models.CASCADE, related_name="schedule")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices, default=Weekday.TUESDAY)
    local_time = models.TimeField(default=time(15, 0))
    roles = models.JSONField(default=default_roles, validators=[validate_roles])
    session_count = models.PositiveSmallIntegerField(
        default=UPCOMING_SESSIONS,
        help_text="How many regular sessions the series has in all, those already held included.",
    )
    skip_default_holidays = models.BooleanField(
        default=True, help_text="Book no session on 25 December or 1 January."
    )
    meeting_url = models.CharField(
        max_length=MEETING_URL_MAX,
        blank=True,
        help_text="The online meeting link of every session without one of its own (https).",
    )
    place = models.CharField(
        max_length=PLACE_MAX, blank=True, help_text="Where the sessions meet in person, if they do."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(weekday__lte=6), name="weekday_0_to_6"),
            models.CheckConstraint(
                condition=models.Q(session_count__gte=1)
                & models.Q(session_count__lte=MAX_SESSIONS),
                name="session_count_1_to_max",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cohort} on {self.get_weekday_display()}s at {self.local_time:%H:%M}"

    def anchor(self, today: date) -> date:
        """The first meeting day: the first `weekday` on or after the cohort's start (or
        today, for a cohort without a start date). Biweekly and monthly cadences count from
        here, so moving through time never shifts which weeks are meeting weeks."""
        start = self.cohort.starts_on or today
        return start + timedelta(days=(self.weekday - start.weekday()) % 7)

    def days_off(self, since: date) -> dict[date, str]:
        """The days on or after `since` the cohort does not meet, with their names: the
        network's holidays, the cohort's own and, unless the schedule says otherwise,
        25 December and 1 January (those are added by `is_day_off`, whatever the year)."""
        found = Holiday.objects.filter(
            models.Q(cohort__isnull=True) | models.Q(cohort_id=self.cohort_id),
            network_id=self.cohort.network_id,
            on__gte=since,
        ).order_by("on", "cohort_id")
        days: dict[date, str] = {}
        for holiday in found:
            days.setdefault(holiday.on, holiday.name)
        return days

    def is_day_off(self, day: date, listed: dict[date, str]) -> str | None:
        """The name of the holiday on `day`, or None when the cohort meets that day."""
        if day in listed:
            return listed[day]
        if self.skip_default_holidays and (day.month, day.day) in DEFAULT_HOLIDAYS:
            return gettext(DEFAULT_HOLIDAYS[(day.month, day.day)])
        return None

    def plan(self, now: datetime, count: int) -> tuple[list[datetime], list[tuple[date, str]]]:
        """The next `count` regular start times after `now` as aware datetimes (the local
        time stays the same across daylight-saving changes), skipping the days off; and the
        days off skipped on the way, with their names. A skipped date moves the rest of the
        series one cadence step later, so it still has `count` sessions."""
        zone = zoneinfo.ZoneInfo(self.cohort.time_zone)
        step = CADENCE_DAYS.get(self.cohort.cadence, 7)
        today = now.astimezone(zone).date()
        day = self.anchor(today)
        if day < today:
            day += timedelta(days=((today - day).days // step) * step)
        listed = self.days_off(day) if count else {}
        starts: list[datetime] = []
        skipped: list[tuple[date, str]] = []
        while len(starts) < count:
            start = datetime.combine(day, self.local_time, tzinfo=zone)
            if start > now:
                name = self.is_day_off(day, listed)
                if name is None:
                    starts.append(start)
                else:
                    skipped.append((day, name))
            day += timedelta(days=step)
        return starts, skipped

    def upcoming_starts(self, now: datetime, count: int = UPCOMING_SESSIONS) -> list[datetime]:
        """The next `count` regular start times after `now`, days off skipped (`plan`)."""
        return self.plan(now, count)[0]

    def remaining(self, now: datetime) -> int:
        """How many regular sessions of the series are still to come: the series' number
        less the regular sessions already held (or cancelled) before `now`."""
        held = self.cohort.sessions.filter(kind=SessionKind.REGULAR, starts_at__lte=now).count()
        return max(0, self.session_count - held)

    def sync_sessions(self, now: datetime | None = None) -> list[tuple[date, str]]:
        """Make the upcoming sessions match the schedule; running it twice changes nothing.
        The series has `session_count` regular sessions in all: the ones still to come are
        the next cadence dates after `now` that are not days off. Upcoming regular sessions
        move to those times in order (keeping their titles, agendas and absences); missing
        ones are added, and the last ones go when the series got shorter; past sessions are
        never touched. Returns the days off skipped."""
        now = now or timezone.now()
        starts, skipped = self.plan(now, self.remaining(now))
        with transaction.atomic():
            existing = list(
                self.cohort.sessions.filter(kind=SessionKind.REGULAR, starts_at__gt=now).order_by(
                    "starts_at"
                )
            )
            for session, start in zip(existing, starts, strict=False):
                if session.starts_at != start:
                    session.starts_at = start
                    session.save(update_fields=["starts_at"])
            surplus = [s.pk for s in existing[len(starts) :]]
            if surplus:
                Session.objects.filter(pk__in=surplus).delete()
            Session.objects.bulk_create(
                Session(cohort=self.cohort, starts_at=start, minutes=self.cohort.session_minutes)
                for start in starts[len(existing) :]
            )
        return skipped


class Holiday(models.Model):
    """A day the network does not meet (`cohort` empty), or one cohort does not (its
    hosts add those). No regular session is booked on it."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="holidays")
    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, null=True, blank=True, related_name="holidays"
    )
    on = models.DateField(validators=[validate_date_in_range])
    name = models.CharField(max_length=80)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "on"],
                condition=models.Q(cohort__isnull=True),
                name="one_network_holiday_a_day",
            ),
            models.UniqueConstraint(fields=["cohort", "on"], name="one_cohort_holiday_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({date_format(self.on)})"

    @property
    def network_wide(self) -> bool:
        return self.cohort_id is None


class SessionKind(models.TextChoices):
    REGULAR = "regular", _("Regular")
    ONE_OFF = "one_off", _("One-off")


class SessionQuerySet(models.QuerySet["Session"]):
    def upcoming(self, now: datetime | None = None) -> "SessionQuerySet":
        return self.filter(starts_at__gt=now or timezone.now())

    def past(self, now: datetime | None = None) -> "SessionQuerySet":
        return self.filter(starts_at__lte=now or timezone.now())

    def held(self) -> "SessionQuerySet":
        return self.filter(cancelled=False)


@dataclass(frozen=True)
class Where:
    """Where a session meets: an online meeting link (https) and a place, each maybe empty."""

    meeting_url: str = ""
    place: str = ""

    def __bool__(self) -> bool:
        return bool(self.meeting_url or self.place)

    @property
    def location(self) -> str:
        """What a calendar's LOCATION says: the place, or the link when there is none."""
        return self.place or self.meeting_url


class Session(models.Model):
    """One meeting of a cohort. Regular sessions come from the schedule; one-offs are added
    by hand and have a title."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(validators=[validate_date_in_range])
    minutes = models.PositiveSmallIntegerField(default=60)
    kind = models.CharField(max_length=10, choices=SessionKind.choices, default=SessionKind.REGULAR)
    title = models.CharField(max_length=120, blank=True)
    cancelled = models.BooleanField(default=False)
    meeting_url = models.CharField(
        max_length=MEETING_URL_MAX, blank=True, help_text="Empty: the schedule's link."
    )
    place = models.CharField(max_length=PLACE_MAX, blank=True, help_text="Empty: the schedule's.")
    created_at = models.DateTimeField(default=timezone.now)
    # Set once, by cadre.schedule.services.count_as_held: the session's "session.held" moment.
    held_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When it counted as held: its first attendance or its report's publication.",
    )

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["cohort", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minutes__gte=15) & models.Q(minutes__lte=480),
                name="session_minutes_15_to_480",
            )
        ]

    def __str__(self) -> str:
        return f"{self.cohort} · {self.label}"

    @property
    def label(self) -> str:
        if self.title:
            return self.title
        return (
            gettext("Session") if self.kind == SessionKind.REGULAR else gettext("One-off session")
        )

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.minutes)

    def where(self) -> Where:
        """The link and place this session meets at: its own, or else the schedule's (each
        on its own: a session can keep the schedule's link and name another room)."""
        try:
            schedule: CohortSchedule | None = self.cohort.schedule
        except CohortSchedule.DoesNotExist:
            schedule = None
        return Where(
            meeting_url=self.meeting_url or (schedule.meeting_url if schedule else ""),
            place=self.place or (schedule.place if schedule else ""),
        )

    def is_past(self, now: datetime | None = None) -> bool:
        return self.starts_at <= (now or timezone.now())

    def has_run(self, now: datetime | None = None) -> bool:
        """Over, with a record of it: attendance, notes or a report. Its agenda is then part
        of that record (replacing it asks first, and the old one is kept)."""
        if self.ends_at > (now or timezone.now()):
            return False
        return (
            self.attendance.exists()
            or self.notes.exists()
            or SessionReport.objects.filter(session=self).exists()
        )


class RoleAssignment(models.Model):
    """Who holds one role in one session. Assignments of past sessions are history and are
    never rewritten; upcoming ones are regenerated (see cadre.schedule.rota)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=40)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_roles"
    )
    pinned = models.BooleanField(
        default=False, help_text="Set by an accepted swap: the rota keeps it when it recomputes."
    )

    class Meta:
        ordering = ["session", "role"]
        constraints = [
            models.UniqueConstraint(fields=["session", "role"], name="one_holder_per_role"),
            models.UniqueConstraint(fields=["session", "user"], name="one_role_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.user} is {self.role} in {self.session}"


class SwapStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("swap status", "Waiting for an answer")
    ACCEPTED = "accepted", pgettext_lazy("swap status", "Accepted")
    DECLINED = "declined", pgettext_lazy("swap status", "Declined")
    WITHDRAWN = "withdrawn", pgettext_lazy("swap status", "Withdrawn")
    LAPSED = "lapsed", pgettext_lazy("swap status", "No longer applies")


class RoleSwap(models.Model):
    """A member's request that another member take their role in an upcoming session (and
    give theirs in exchange, when they hold one there)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="swaps")
    role = models.CharField(max_length=40)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="swaps_asked"
    )
    partner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="swaps_offered"
    )
    status = models.CharField(max_length=10, choices=SwapStatus.choices, default=SwapStatus.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["session", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "role"],
                condition=models.Q(status="pending"),
                name="one_pending_swap_per_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.asked_by} asks {self.partner} to take {self.role} in {self.session}"


class Absence(models.Model):
    """A member's notice that they will miss an upcoming session."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="absences")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_absences"
    )
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["session", "user"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="one_absence_per_session")
        ]

    def __str__(self) -> str:
        return f"{self.user} misses {self.session}"


class RsvpAnswer(models.TextChoices):
    YES = "yes", _("Coming")
    NO = "no", _("Not coming")
    MAYBE = "maybe", _("Maybe")


class Rsvp(models.Model):
    """A member's answer to "are you coming?" for one session, from the session page or the
    link in its invitation e-mail: what the facilitator can expect. Attendance, recorded while
    the session runs, is what happened; the two are kept apart."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_rsvps"
    )
    answer = models.CharField(max_length=5, choices=RsvpAnswer.choices)
    by_link = models.BooleanField(
        default=False, help_text="Answered through the invitation e-mail's link."
    )
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["session", "user"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="one_rsvp_per_session")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_answer_display()} to {self.session}"


# --- mentoring ----------------------------------------------------------------------------


class MentorSettings(models.Model):
    """How many newcomers a mentor takes on at once, and whether they take new ones now."""

    membership = models.OneToOneField(
        NetworkMembership, on_delete=models.CASCADE, related_name="mentor_settings"
    )
    capacity = models.PositiveSmallIntegerField(default=2)
    accepting = models.BooleanField(default=True)

    class Meta:
        verbose_name_plural = "mentor settings"
        constraints = [
            models.CheckConstraint(condition=models.Q(capacity__lte=10), name="capacity_0_to_10")
        ]

    def __str__(self) -> str:
        return f"{self.membership.user} mentors up to {self.capacity}"


class MentorMatchQuerySet(models.QuerySet["MentorMatch"]):
    def current(self) -> "MentorMatchQuerySet":
        return self.filter(ended_at__isnull=True)


class MentorMatch(models.Model):
    """A confirmed mentor for a newcomer. Ending it keeps the row as history."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="mentor_matches")
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentees_matches"
    )
    newcomer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_matches"
    )
    explanation = models.TextField(blank=True)
    meeting_url = models.CharField(
        max_length=MEETING_URL_MAX, blank=True, help_text="Where the pair meets online (https)."
    )
    place = models.CharField(max_length=PLACE_MAX, blank=True, help_text="Where they meet.")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = MentorMatchQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "mentor matches"
        constraints = [
            models.UniqueConstraint(
                fields=["network", "newcomer"],
                condition=models.Q(ended_at__isnull=True),
                name="one_current_mentor_per_newcomer",
            )
        ]

    def __str__(self) -> str:
        return f"{self.mentor} mentors {self.newcomer}"


# --- running a session: agenda, attendance, live notes, the report, calendars -------------


class AgendaKind(models.TextChoices):
    CHECK_IN = "check_in", _("Check-in")
    DIAGNOSTIC = "diagnostic", _("Short diagnostic")
    LEARNING = "learning", _("Primary learning activity")
    PRACTICE = "practice", _("Practice")
    REFLECTION = "reflection", _("Reflection")
    DEMO = "demo", _("Demo of an experiment")
    SKILL_SHARE = "skill_share", _("Skill share")
    OTHER = "other", _("Other")


# The default agenda: check-in, learning, practice, reflection as shares of the session.
DEFAULT_AGENDA = [
    (AgendaKind.CHECK_IN, "Check-in", 10),
    (AgendaKind.LEARNING, "Primary learning activity", 40),
    (AgendaKind.PRACTICE, "Practice", 30),
    (AgendaKind.REFLECTION, "Reflection", 20),
]


def default_timeboxes(minutes: int) -> list[int]:
    """The default agenda's minutes for a session of `minutes`: each block its share, rounded
    by largest remainder so the blocks add up to exactly `minutes`."""
    exact = [minutes * share / 100 for _, _, share in DEFAULT_AGENDA]
    boxes = [int(x) for x in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: (-(exact[i] - boxes[i]), i))
    for i in by_remainder[: minutes - sum(boxes)]:
        boxes[i] += 1
    return boxes


class AgendaBlock(models.Model):
    """One timeboxed part of a session's agenda; the blocks add up to the session length."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=12, choices=AgendaKind.choices, default=AgendaKind.OTHER)
    title = models.CharField(max_length=120)
    minutes = models.PositiveSmallIntegerField()
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    notes = models.CharField(
        max_length=300, blank=True, help_text=_("The technique shared, or what the demo shows.")
    )

    class Meta:
        ordering = ["session", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(minutes__gte=1), name="agenda_block_1_min")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.minutes} min)"

    @staticmethod
    def ensure_for(session: Session) -> None:
        """Give `session` the default agenda if it has none yet (idempotent)."""
        if session.agenda.exists():
            return
        AgendaBlock.objects.bulk_create(
            AgendaBlock(session=session, order=i, kind=kind, title=title, minutes=m)
            for i, ((kind, title, _), m) in enumerate(
                zip(DEFAULT_AGENDA, default_timeboxes(session.minutes), strict=True)
            )
            if m > 0
        )


class PreviousAgenda(models.Model):
    """The agenda a session that already ran had before someone replaced it, kept so the
    replacement can be undone (one level: restoring swaps the two)."""

    session = models.OneToOneField(
        Session, on_delete=models.CASCADE, related_name="previous_agenda"
    )
    blocks = models.JSONField(default=list)  # [{"kind", "title", "minutes", "presenter", "notes"}]
    replaced_at = models.DateTimeField(default=timezone.now)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"Previous agenda of {self.session}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_attendance"
    )
    status = models.CharField(max_length=10, choices=AttendanceStatus.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="one_attendance_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.status} at {self.session}"


class NoteKind(models.TextChoices):
    NOTE = "note", _("Note")
    INSIGHT = "insight", _("Insight")


class SessionNote(models.Model):
    """A line captured live while the session runs."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=NoteKind.choices, default=NoteKind.NOTE)
    text = models.CharField(max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["session", "created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class SessionReport(models.Model):
    """What happened in a session, drafted from its own data and edited by the note-taker."""

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="report")
    body = models.TextField(blank=True)
    what_worked = models.TextField(blank=True)
    what_did_not = models.TextField(blank=True, help_text=_("What did not work, and why."))
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    share_with_network = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Report of {self.session}"

    @property
    def is_published(self) -> bool:
        return self.status == ReportStatus.PUBLISHED


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarToken(models.Model):
    """The secret in a person's calendar feed URL; regenerating it retires the old URL."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token"
    )
    token = models.CharField(max_length=64, unique=True, default=new_calendar_token)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"

    @classmethod
    def for_user(cls, user: Any) -> "CalendarToken":
        return cls.objects.get_or_create(user=user)[0]

    def regenerate(self) -> None:
        self.token = new_calendar_token()
        self.created_at = timezone.now()
        self.save(update_fields=["token", "created_at"])
