"""Sessions of a cohort on its cadence, the fair rota of session roles, members' absences,
and mentors for the network's newcomers.

A session is kept small on purpose: when it is, who holds which role and who will not come.
Agendas, attendance and reports hang off it later without changing what is here."""

import zoneinfo
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from cadre.cohorts.models import Cadence, Cohort
from cadre.networks.models import Network, NetworkMembership

DEFAULT_ROLES = ["facilitator", "note-taker", "data reporter"]
UPCOMING_SESSIONS = 8
MAX_ROLES = 6
CADENCE_DAYS = {Cadence.WEEKLY: 7, Cadence.BIWEEKLY: 14, Cadence.MONTHLY: 28}


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


def validate_roles(value: object) -> None:
    if not isinstance(value, list) or not all(isinstance(r, str) and r.strip() for r in value):
        raise ValidationError("Roles must be a list of names.")
    if not 1 <= len(value) <= MAX_ROLES:
        raise ValidationError(f"Name between 1 and {MAX_ROLES} roles.")
    if any(len(r) > 40 for r in value):
        raise ValidationError("A role name is at most 40 characters.")
    if len({r.strip().lower() for r in value}) != len(value):
        raise ValidationError("Each role may appear only once.")


def default_roles() -> list[str]:
    return list(DEFAULT_ROLES)


class CohortSchedule(models.Model):
    """When a cohort meets: a weekday and a local time in the cohort's time zone, repeated on
    the cohort's cadence, and the roles that rotate in each session."""

    cohort = models.OneToOneField(Cohort, on_delete=models.CASCADE, related_name="schedule")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices, default=Weekday.TUESDAY)
    local_time = models.TimeField(default=time(15, 0))
    roles = models.JSONField(default=default_roles, validators=[validate_roles])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(weekday__lte=6), name="weekday_0_to_6")
        ]

    def __str__(self) -> str:
        return f"{self.cohort} on {self.get_weekday_display()}s at {self.local_time:%H:%M}"

    def anchor(self, today: date) -> date:
        """The first meeting day: the first `weekday` on or after the cohort's start (or
        today, for a cohort without a start date). Biweekly and monthly cadences count from
        here, so moving through time never shifts which weeks are meeting weeks."""
        start = self.cohort.starts_on or today
        return start + timedelta(days=(self.weekday - start.weekday()) % 7)

    def upcoming_starts(self, now: datetime, count: int = UPCOMING_SESSIONS) -> list[datetime]:
        """The next `count` regular start times after `now`, as aware datetimes; the local
        time stays the same across daylight-saving changes."""
        zone = zoneinfo.ZoneInfo(self.cohort.time_zone)
        step = CADENCE_DAYS.get(self.cohort.cadence, 7)
        today = now.astimezone(zone).date()
        day = self.anchor(today)
        if day < today:
            day += timedelta(days=((today - day).days // step) * step)
        starts: list[datetime] = []
        while len(starts) < count:
            start = datetime.combine(day, self.local_time, tzinfo=zone)
            if start > now:
                starts.append(start)
            day += timedelta(days=step)
        return starts

    def sync_sessions(self, now: datetime | None = None) -> None:
        """Make the next sessions match the schedule; running it twice changes nothing.
        Upcoming regular sessions move to the new times in order (keeping their absences);
        missing ones are added; past sessions are never touched."""
        now = now or timezone.now()
        starts = self.upcoming_starts(now)
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
            Session.objects.bulk_create(
                Session(cohort=self.cohort, starts_at=start, minutes=self.cohort.session_minutes)
                for start in starts[len(existing) :]
            )


class SessionKind(models.TextChoices):
    REGULAR = "regular", "Regular"
    ONE_OFF = "one_off", "One-off"


class SessionQuerySet(models.QuerySet["Session"]):
    def upcoming(self, now: datetime | None = None) -> "SessionQuerySet":
        return self.filter(starts_at__gt=now or timezone.now())

    def past(self, now: datetime | None = None) -> "SessionQuerySet":
        return self.filter(starts_at__lte=now or timezone.now())

    def held(self) -> "SessionQuerySet":
        return self.filter(cancelled=False)


class Session(models.Model):
    """One meeting of a cohort. Regular sessions come from the schedule; one-offs are added
    by hand and have a title."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField()
    minutes = models.PositiveSmallIntegerField(default=60)
    kind = models.CharField(max_length=10, choices=SessionKind.choices, default=SessionKind.REGULAR)
    title = models.CharField(max_length=120, blank=True)
    cancelled = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

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
        return self.title or ("Session" if self.kind == SessionKind.REGULAR else "One-off session")

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.minutes)

    def is_past(self, now: datetime | None = None) -> bool:
        return self.starts_at <= (now or timezone.now())


class RoleAssignment(models.Model):
    """Who holds one role in one session. Assignments of past sessions are history and are
    never rewritten; upcoming ones are regenerated (see cadre.schedule.rota)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=40)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_roles"
    )

    class Meta:
        ordering = ["session", "role"]
        constraints = [
            models.UniqueConstraint(fields=["session", "role"], name="one_holder_per_role"),
            models.UniqueConstraint(fields=["session", "user"], name="one_role_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.user} is {self.role} in {self.session}"


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
