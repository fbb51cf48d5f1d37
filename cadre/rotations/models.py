"""Peer rotations: coaching rounds inside a cohort (pairs, or triads of coach, coachee and
observer) and virtual-coffee rituals across a network.

A round, once it has started, never changes: regenerating a rotation only replaces rounds
still in the future. Each person's "please don't pair me with" list (PairingExclusion) is
private to them; only `PairingExclusion.objects.owned_by` reads it for a page, and the
round planner reads everyone's to honour them."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cadre.cohorts.models import Cadence, Cohort
from cadre.lib import rooms
from cadre.lib.dates import validate_date_in_range
from cadre.networks.models import Network

CADENCE_DAYS: dict[str, int] = {Cadence.WEEKLY: 7, Cadence.BIWEEKLY: 14, Cadence.MONTHLY: 28}
MIN_GROUP_SIZE, MAX_GROUP_SIZE = 2, 4
MAX_PLANNED_ROUNDS = 12


def cadence_days(cadence: str) -> int:
    return CADENCE_DAYS.get(cadence, 7)


# --- coaching -------------------------------------------------------------------------------


class CoachingFormat(models.TextChoices):
    PAIR = "pair", _("Pairs (coach and coachee)")
    TRIAD = "triad", _("Triads (coach, coachee and observer)")


class SeatRole(models.TextChoices):
    COACH = "coach", _("Coach")
    COACHEE = "coachee", _("Coachee")
    OBSERVER = "observer", _("Observer")


class CoachingRoundQuerySet(models.QuerySet["CoachingRound"]):
    def started(self, today: date | None = None) -> CoachingRoundQuerySet:
        """Rounds that have begun: they are history and never change."""
        return self.filter(starts_on__lte=today or timezone.localdate())

    def upcoming(self, today: date | None = None) -> CoachingRoundQuerySet:
        return self.filter(starts_on__gt=today or timezone.localdate())


class CoachingRound(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="coaching_rounds")
    number = models.PositiveIntegerField()
    starts_on = models.DateField(validators=[validate_date_in_range])
    format = models.CharField(
        max_length=10, choices=CoachingFormat.choices, default=CoachingFormat.PAIR
    )
    created_at = models.DateTimeField(default=timezone.now)
    announced_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When its seats were e-mailed, a few days before it starts.",
    )

    objects = CoachingRoundQuerySet.as_manager()

    class Meta:
        ordering = ["cohort", "number"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "number"], name="unique_coaching_round")
        ]

    def __str__(self) -> str:
        return f"{self.cohort} coaching round {self.number}"

    def has_started(self, today: date | None = None) -> bool:
        return self.starts_on <= (today or timezone.localdate())


class CoachingGroup(models.Model):
    round = models.ForeignKey(CoachingRound, on_delete=models.CASCADE, related_name="groups")
    index = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["round", "index"]
        constraints = [
            models.UniqueConstraint(fields=["round", "index"], name="unique_coaching_group")
        ]

    def __str__(self) -> str:
        return f"{self.round}, group {self.index + 1}"


class CoachingSeat(models.Model):
    group = models.ForeignKey(CoachingGroup, on_delete=models.CASCADE, related_name="seats")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coaching_seats"
    )
    role = models.CharField(max_length=10, choices=SeatRole.choices)

    class Meta:
        ordering = ["group", "role"]
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="one_seat_per_group")]

    def __str__(self) -> str:
        return f"{self.user} as {self.get_role_display()}"


# --- virtual coffee -------------------------------------------------------------------------


class Attribute(models.TextChoices):
    """Profile fields a ritual can prefer to differ inside a group."""

    FUNCTION = "function", _("Function")
    ORGANIZATION = "organization", _("Organization")
    INDUSTRY = "industry", _("Industry")
    SENIORITY = "seniority", _("Seniority")


def validate_attributes(value: Any) -> None:
    known = set(Attribute.values)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(gettext("Pick profile fields from the list."))
    unknown = [v for v in value if v not in known]
    if unknown:
        raise ValidationError(
            gettext("“%(name)s” is not a profile field a ritual can mix; use %(known)s."),
            params={"name": unknown[0], "known": ", ".join(Attribute.values)},
        )


class RitualQuerySet(models.QuerySet["Ritual"]):
    def active(self) -> RitualQuerySet:
        return self.filter(active=True)


class Ritual(models.Model):
    """A recurring virtual-coffee pairing across a network."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="rituals")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    cadence = models.CharField(max_length=20, choices=Cadence.choices, default=Cadence.BIWEEKLY)
    group_size = models.PositiveSmallIntegerField(
        default=2,
        validators=[MinValueValidator(MIN_GROUP_SIZE), MaxValueValidator(MAX_GROUP_SIZE)],
        help_text=_(
            "People per coffee, 2 to 4. When the count does not divide, a group grows by one."
        ),
    )
    prefer_cross_cohort = models.BooleanField(
        default=True, help_text=_("Prefer people who are not in the same cohort.")
    )
    prefer_close_time_zones = models.BooleanField(
        default=True, help_text=_("Prefer people whose time zones are close.")
    )
    prefer_different = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_attributes],
        help_text="Profile fields that should differ inside a group.",
    )
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = RitualQuerySet.as_manager()

    class Meta:
        ordering = ["network", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(group_size__gte=MIN_GROUP_SIZE)
                & models.Q(group_size__lte=MAX_GROUP_SIZE),
                name="ritual_group_size_2_to_4",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("coffee:detail", args=[self.network.slug, self.pk])

    def prefer_different_labels(self) -> list[str]:
        labels = dict(Attribute.choices)
        return [labels.get(a, a) for a in self.prefer_different]

    def next_date(self, today: date | None = None) -> date:
        """When the next round should happen: one cadence after the last, never before
        today."""
        today = today or timezone.localdate()
        last = self.rounds.order_by("-number").values_list("scheduled_for", flat=True).first()
        if last is None:
            return today
        return max(today, last + timedelta(days=cadence_days(self.cadence)))


class ParticipantQuerySet(models.QuerySet["RitualParticipant"]):
    def available_on(self, day: date) -> ParticipantQuerySet:
        """Participants who are not snoozed on `day` (a snooze lasts through its date)."""
        return self.filter(models.Q(snoozed_until__isnull=True) | models.Q(snoozed_until__lt=day))


class RitualParticipant(models.Model):
    ritual = models.ForeignKey(Ritual, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ritual_places"
    )
    joined_at = models.DateTimeField(default=timezone.now)
    snoozed_until = models.DateField(
        null=True,
        blank=True,
        validators=[validate_date_in_range],
        help_text="Skip me in rounds up to and including this day.",
    )

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["ritual", "joined_at"]
        constraints = [
            models.UniqueConstraint(fields=["ritual", "user"], name="join_a_ritual_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.ritual}"

    def is_snoozed(self, today: date | None = None) -> bool:
        return self.snoozed_until is not None and self.snoozed_until >= (
            today or timezone.localdate()
        )


class PairingExclusionQuerySet(models.QuerySet["PairingExclusion"]):
    def owned_by(self, user: Any, network: Network) -> PairingExclusionQuerySet:
        """One person's private list in one network: the only view of it pages show."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(owner=user, network=network)


class PairingExclusion(models.Model):
    """ "Please don't pair me with": private to its owner. Nobody else sees it, organizers
    included; the planner honours it for the owner and the other person alike."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pairing_exclusions"
    )
    other = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = PairingExclusionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "owner", "other"], name="exclude_a_person_once"
            ),
            models.CheckConstraint(
                condition=~models.Q(owner=models.F("other")), name="exclusion_not_of_oneself"
            ),
        ]

    def __str__(self) -> str:
        return f"Private exclusion #{self.pk}"


class CoffeeRound(models.Model):
    ritual = models.ForeignKey(Ritual, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveIntegerField()
    scheduled_for = models.DateField(validators=[validate_date_in_range])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    announced_at = models.DateTimeField(
        null=True, blank=True, help_text="When its announcements were queued for e-mail."
    )
    repeats = models.PositiveIntegerField(
        default=0, help_text="Pairs who had met in an earlier round of this ritual."
    )

    class Meta:
        ordering = ["ritual", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["ritual", "number"], name="unique_coffee_round")
        ]

    def __str__(self) -> str:
        return f"{self.ritual} round {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("coffee:round", args=[self.ritual.network.slug, self.ritual_id, self.number])


class CoffeeGroup(models.Model):
    round = models.ForeignKey(CoffeeRound, on_delete=models.CASCADE, related_name="groups")
    # Not a small integer: a round over 100,000 people has 50,000 pairs.
    index = models.PositiveIntegerField()

    class Meta:
        ordering = ["round", "index"]
        constraints = [
            models.UniqueConstraint(fields=["round", "index"], name="unique_coffee_group")
        ]

    def __str__(self) -> str:
        return f"{self.round}, group {self.index + 1}"

    @property
    def room_link(self) -> str:
        """The group's own room on the configured video service (the same each time it is
        shown), or empty when none is configured."""
        network = self.round.ritual.network.slug
        return rooms.stable_room(network, "coffee", f"coffee-group-{self.pk}")


class CoffeeGroupMember(models.Model):
    group = models.ForeignKey(CoffeeGroup, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coffee_places"
    )

    class Meta:
        ordering = ["group", "user__name"]
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="one_place_per_coffee")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.group}"
