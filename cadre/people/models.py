"""What a person tells their networks about themselves: work context, skills, goals and
when they can meet."""

import zoneinfo
from collections.abc import Iterable
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from cadre.networks.models import Skill

HOURS_PER_WEEK = 7 * 24
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


@cache
def time_zone_names() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones() - {"localtime", "Factory"}))


def validate_time_zone(value: str) -> None:
    if value not in time_zone_names():
        raise ValidationError(
            _(
                "“%(value)s” is not a time zone name; use one like Europe/Berlin or America/Chicago."
            ),
            params={"value": value},
        )


def validate_availability(value: object) -> None:
    """Weekly availability is a list of hour indexes in the person's own time zone:
    0 is Monday 00:00–01:00, 167 is Sunday 23:00–24:00."""
    if not isinstance(value, list) or not all(
        isinstance(h, int) and not isinstance(h, bool) for h in value
    ):
        raise ValidationError(_("Availability must be a list of whole hours of the week."))
    bad = [h for h in value if not 0 <= h < HOURS_PER_WEEK]
    if bad:
        raise ValidationError(
            _("Hours of the week run from 0 (Monday 00:00) to 167 (Sunday 23:00); got %(bad)s."),
            params={"bad": ", ".join(map(str, bad[:5]))},
        )
    if len(set(value)) != len(value):
        raise ValidationError(_("Availability lists an hour twice."))


MAX_GOALS = 20
GOALS_HELP = _("Comma-separated, e.g. “facilitation, data storytelling”.")


def parse_goals(text: str) -> list[str]:
    """Comma-separated tags -> a list without blanks or repeats (case-insensitive)."""
    return [tag for tag in tidy_goals(text.split(",")) if tag]


def tidy_goals(tags: Iterable[str]) -> list[str]:
    """Tags with their spaces collapsed, without repeats (case-insensitive). A blank tag is
    kept, for validate_goals to refuse."""
    goals: list[str] = []
    seen: set[str] = set()
    for tag in tags:
        tag = " ".join(tag.split())
        if not tag or tag.casefold() not in seen:
            seen.add(tag.casefold())
            goals.append(tag)
    return goals


def validate_goals(value: object) -> None:
    if not isinstance(value, list) or not all(isinstance(g, str) and g.strip() for g in value):
        raise ValidationError(_("Learning goals must be a list of non-empty tags."))
    if len(value) > MAX_GOALS:
        raise ValidationError(
            _("At most %(max)s learning goals, please."), params={"max": MAX_GOALS}
        )
    too_long = [g for g in value if len(g) > 60]
    if too_long:
        raise ValidationError(_("A learning goal tag is at most 60 characters."))


class Seniority(models.TextChoices):
    EARLY = "early", _("Early career")
    MID = "mid", _("Mid-level")
    SENIOR = "senior", _("Senior")
    LEAD = "lead", _("Lead / manager")
    EXECUTIVE = "executive", _("Executive")


class SkillLevel(models.IntegerChoices):
    NOT_YET = 0, _("0 · can’t do it yet")
    AWARE = 1, _("1 · know what it is")
    GUIDED = 2, _("2 · can do it with help")
    INDEPENDENT = 3, _("3 · can do it on my own")
    TEACH = 4, _("4 · can teach it")


class ProfileQuerySet(models.QuerySet["Profile"]):
    def search(self, text: str) -> "ProfileQuerySet":
        text = text.strip()
        if not text:
            return self
        return self.filter(
            models.Q(user__name__icontains=text)
            | models.Q(headline__icontains=text)
            | models.Q(organization__icontains=text)
            | models.Q(function__icontains=text)
            | models.Q(industry__icontains=text)
        )


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    headline = models.CharField(max_length=160, blank=True)
    function = models.CharField(
        max_length=80, blank=True, help_text=_("Your professional function, e.g. Engineering.")
    )
    industry = models.CharField(max_length=80, blank=True)
    organization = models.CharField(max_length=120, blank=True)
    seniority = models.CharField(max_length=20, choices=Seniority.choices, blank=True)
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    # The language Cadre's pages and e-mails come in for this person; blank follows their
    # browser (cadre.people.languages).
    language = models.CharField(
        max_length=8,
        blank=True,
        choices=settings.LANGUAGES,
        verbose_name=_("Language"),
        help_text=_("Blank follows your browser."),
    )
    availability = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_availability],
        help_text=_("Hours of the week (0 = Monday 00:00) you can meet, in your own time zone."),
    )
    learning_goals = models.JSONField(default=list, blank=True, validators=[validate_goals])
    bio = models.TextField(blank=True)
    # The person's picture, already squared, resized and re-encoded without metadata
    # (cadre.people.avatars); blank means their initials are shown instead.
    avatar = models.FileField(upload_to="avatars/", blank=True, max_length=200)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProfileQuerySet.as_manager()

    class Meta:
        ordering = ["user__name"]

    def __str__(self) -> str:
        return f"Profile of {self.user}"

    def availability_utc(self) -> list[int]:
        """The weekly availability shifted to UTC hours of the week (for a reference week
        without daylight-saving changes inside it)."""
        from datetime import datetime, timedelta

        zone = zoneinfo.ZoneInfo(self.time_zone)
        # 2024-01-01 is a Monday; January keeps every zone on one offset for the week.
        monday = datetime(2024, 1, 1, tzinfo=zone)
        result = set()
        for hour in self.availability:
            local = monday + timedelta(hours=hour)
            utc = local.astimezone(zoneinfo.ZoneInfo("UTC"))
            result.add(((utc.weekday() * 24) + utc.hour) % HOURS_PER_WEEK)
        return sorted(result)


class ProfileSkill(models.Model):
    """A person's self-assessed level (0–4) in one skill of a network's taxonomy."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="ratings")
    level = models.PositiveSmallIntegerField(choices=SkillLevel.choices)

    class Meta:
        ordering = ["skill__name"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "skill"], name="one_rating_per_skill"),
            models.CheckConstraint(condition=models.Q(level__lte=4), name="skill_level_0_to_4"),
        ]

    def __str__(self) -> str:
        return f"{self.skill}: {self.level}"
