"""Follow-through on pairings: whether the people a coffee round, a mentor match or a coaching
round put together actually met, and the mentoring relationship (agreement, meeting log).

A `MeetingCheck` is one person's answer about one pairing: "did you meet?". Cadre asks it a
set time after the pairing (cadre.pairings.asking), in the app and by an e-mail link that
needs no sign-in and works once (its `nonce`). Its note is read by the person who wrote it,
and for a mentor match by the pair and the network's organizers (cadre.pairings.policy)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadre.cohorts.models import Cohort
from cadre.lib.dates import validate_date_in_range
from cadre.networks.models import Network
from cadre.rotations.models import CoachingGroup, CoffeeGroup
from cadre.schedule.models import MentorMatch


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


class Kind(models.TextChoices):
    COFFEE = "coffee", _("Coffee")
    MENTORING = "mentoring", _("Mentoring")
    COACHING = "coaching", _("Coaching")


class Answer(models.TextChoices):
    NOT_YET = "not_yet", _("Not yet")
    MET = "met", _("We met")
    DID_NOT_MEET = "did_not_meet", _("We did not meet")


class MeetingCheckQuerySet(models.QuerySet["MeetingCheck"]):
    def met(self) -> MeetingCheckQuerySet:
        return self.filter(answer=Answer.MET)

    def waiting(self) -> MeetingCheckQuerySet:
        """Checks still waiting for an answer (never answered, or answered "not yet")."""
        return self.filter(answer=Answer.NOT_YET)


class MeetingCheck(models.Model):
    """One person's answer to "did you meet?" about one pairing (exactly one of
    `coffee_group`, `mentor_match`, `coaching_group` is set, as `kind` says)."""

    kind = models.CharField(max_length=10, choices=Kind.choices)
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    coffee_group = models.ForeignKey(
        CoffeeGroup, on_delete=models.CASCADE, null=True, blank=True, related_name="checks"
    )
    mentor_match = models.ForeignKey(
        MentorMatch, on_delete=models.CASCADE, null=True, blank=True, related_name="checks"
    )
    coaching_group = models.ForeignKey(
        CoachingGroup, on_delete=models.CASCADE, null=True, blank=True, related_name="checks"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_checks"
    )
    asked_at = models.DateTimeField(default=timezone.now)
    answer = models.CharField(max_length=12, choices=Answer.choices, default=Answer.NOT_YET)
    answered_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=280, blank=True)
    wants_new_partner = models.BooleanField(default=False)
    repaired_with = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who Cadre introduced them to after they asked for a new partner.",
    )
    nonce = models.CharField(max_length=40, unique=True, default=new_nonce, editable=False)
    link_used_at = models.DateTimeField(null=True, blank=True)

    objects = MeetingCheckQuerySet.as_manager()

    class Meta:
        ordering = ["-asked_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["coffee_group", "user"],
                condition=models.Q(coffee_group__isnull=False),
                name="one_check_per_coffee_person",
            ),
            models.UniqueConstraint(
                fields=["mentor_match", "user"],
                condition=models.Q(mentor_match__isnull=False),
                name="one_check_per_match_person",
            ),
            models.UniqueConstraint(
                fields=["coaching_group", "user"],
                condition=models.Q(coaching_group__isnull=False),
                name="one_check_per_coaching_person",
            ),
        ]

    def __str__(self) -> str:
        return f"Meeting check #{self.pk}"

    @property
    def answered(self) -> bool:
        return self.answer != Answer.NOT_YET


class Relationship(models.Model):
    """What a mentor and a mentee agreed (what, how often, until when), and when the mentor
    first answered the match. Either of them edits it; only the latest agreement is kept."""

    match = models.OneToOneField(MentorMatch, on_delete=models.CASCADE, related_name="relationship")
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    what = models.TextField(blank=True, help_text="What you will work on together.")
    how_often = models.CharField(
        max_length=80, blank=True, help_text="For example: every two weeks."
    )
    until = models.DateField(null=True, blank=True, validators=[validate_date_in_range])
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Relationship of match #{self.match_id}"

    @property
    def has_agreement(self) -> bool:
        return bool(self.what or self.how_often or self.until)


class MentorMeeting(models.Model):
    """One entry of a mentoring pair's meeting log."""

    match = models.ForeignKey(MentorMatch, on_delete=models.CASCADE, related_name="meetings")
    met_on = models.DateField(validators=[validate_date_in_range])
    notes = models.TextField(blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-met_on", "-pk"]

    def __str__(self) -> str:
        return f"Meeting of match #{self.match_id} on {self.met_on}"
