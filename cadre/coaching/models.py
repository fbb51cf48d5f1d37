"""Peer coaching sessions and structured feedback.

A coaching session belongs to one cohort and to the two or three people who sit in it: the
coachee (who opens it and leads), the coach and, in a triad, the observer. Its content is for
them alone (cadre.coaching.policy); the rest of the cohort, its hosts and the network's
organizers only learn that it happened, through the reciprocity counts.

Feedback is situation, behaviour, impact and suggestion, checked by the engine's feedback
check. The receiver decides who else reads it: nobody (private), people they name (shared),
or their cohort."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadre.accountability.models import Commitment
from cadre.cohorts.models import Cohort
from cadre.engine.linting import compose
from cadre.networks.models import Network
from cadre.rotations.models import CoachingGroup, CoachingRound, CoachingSeat, SeatRole

PROMPTS_PER_STAGE = 2


class PromptStage(models.TextChoices):
    OPENING = "opening", _("Opening")
    REFLECTION = "reflection", _("Reflection")
    NEXT_STEP = "next_step", _("Next step")


# The bank every network starts with: questions that hand the thinking back to the coachee.
DEFAULT_PROMPTS: list[tuple[str, str]] = [
    (PromptStage.OPENING, "What would make the next half hour worth your time?"),
    (PromptStage.OPENING, "Where does this show up in your work this week?"),
    (PromptStage.OPENING, "What have you already tried, and what happened?"),
    (PromptStage.OPENING, "If this were solved, what would you notice first?"),
    (PromptStage.REFLECTION, "What assumption are you making that you have not tested yet?"),
    (PromptStage.REFLECTION, "What is in your control here, and what is not?"),
    (PromptStage.REFLECTION, "How would someone you admire approach this?"),
    (PromptStage.REFLECTION, "What is the hardest part of this for you, honestly?"),
    (
        PromptStage.REFLECTION,
        "What did you learn from the last time something like this went well?",
    ),
    (PromptStage.REFLECTION, "Whose view on this are you missing?"),
    (PromptStage.NEXT_STEP, "What is the smallest step you could take before we meet again?"),
    (PromptStage.NEXT_STEP, "How will you and others see that you have done it?"),
    (PromptStage.NEXT_STEP, "What could get in the way, and what will you do then?"),
    (PromptStage.NEXT_STEP, "Who needs to know, and when will you tell them?"),
    (PromptStage.NEXT_STEP, "By which day will you have done it?"),
]


class CoachPromptQuerySet(models.QuerySet["CoachPrompt"]):
    def active(self) -> CoachPromptQuerySet:
        return self.filter(active=True)

    def ensure_defaults(self, network: Network) -> None:
        """Give `network` the default bank the first time it needs prompts. A network whose
        organizers retired every prompt keeps them retired: only an empty bank is seeded."""
        if self.filter(network=network).exists():
            return
        self.bulk_create(
            CoachPrompt(network=network, stage=stage, text=text, position=index)
            for index, (stage, text) in enumerate(DEFAULT_PROMPTS)
        )


class CoachPrompt(models.Model):
    """A question the coach may ask, for one stage of the session. Organizers edit the bank;
    retired prompts stay in the sessions that used them."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="coach_prompts")
    text = models.CharField(max_length=300)
    stage = models.CharField(max_length=12, choices=PromptStage.choices)
    active = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    objects = CoachPromptQuerySet.as_manager()

    class Meta:
        ordering = ["network", "stage", "position", "pk"]

    def __str__(self) -> str:
        return self.text


def choose_prompts(
    bank: list[CoachPrompt], sequence: int, per_stage: int = PROMPTS_PER_STAGE
) -> list[dict[str, str]]:
    """A few prompts per stage for the `sequence`-th session of the same coach and coachee
    (0 for their first): each session starts `per_stage` further along the stage's prompts,
    wrapping round, so the same people meet new questions before any repeats."""
    chosen: list[dict[str, str]] = []
    for stage in PromptStage.values:
        prompts = sorted(
            (p for p in bank if p.stage == stage and p.active), key=lambda p: (p.position, p.pk)
        )
        if not prompts:
            continue
        start = (sequence * per_stage) % len(prompts)
        for offset in range(min(per_stage, len(prompts))):
            prompt = prompts[(start + offset) % len(prompts)]
            chosen.append({"stage": stage, "text": prompt.text})
    return chosen


class HelpKind(models.TextChoices):
    THINK_ALOUD = "think_aloud", _("Think it through aloud with me")
    CHALLENGE = "challenge", _("Challenge my plan")
    IDEAS = "ideas", _("Give me ideas")
    HOLD_ME = "hold_me", _("Hold me to it")
    FEEDBACK = "feedback", _("Feedback on something I did")


# Who sits in a session, by role and the field that names them: the one definition that
# `with_participant` (a list) and `role_of` (one session) both read.
SEAT_FIELDS = {SeatRole.COACHEE: "coachee", SeatRole.COACH: "coach", SeatRole.OBSERVER: "observer"}


class CoachingSessionQuerySet(models.QuerySet["CoachingSession"]):
    def with_participant(self, user: Any) -> CoachingSessionQuerySet:
        """Sessions `user` sits in, in any role."""
        if not user.is_authenticated:
            return self.none()
        sits = Q()
        for field in SEAT_FIELDS.values():
            sits |= Q(**{field: user})
        return self.filter(sits)


class CoachingSession(models.Model):
    """One coaching conversation, opened and led by the coachee."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="coaching_sessions")
    group = models.ForeignKey(
        CoachingGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
        help_text="The rotation's group it was held in; empty for an ad-hoc session.",
    )
    coachee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sessions_as_coachee"
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sessions_as_coach"
    )
    observer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions_as_observer",
    )
    focus = models.CharField(max_length=300, help_text=_("What you want to work on."))
    help_wanted = models.CharField(
        max_length=12, choices=HelpKind.choices, default=HelpKind.THINK_ALOUD
    )
    # The prompts the coach got, copied when the session opens, so editing the bank later
    # never rewrites a past session.
    prompts = models.JSONField(default=list, blank=True)
    sequence = models.PositiveIntegerField(
        default=0, help_text="How many sessions the same coach and coachee had before this."
    )
    notes = models.TextField(blank=True, help_text=_("What came up; coach and coachee write here."))
    observer_notes = models.TextField(blank=True, help_text=_("What the observer saw."))
    next_step = models.CharField(max_length=300, blank=True)
    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coaching_sessions",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = CoachingSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["cohort", "coach", "coachee"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(coach=models.F("coachee")), name="coach_is_not_the_coachee"
            )
        ]

    def __str__(self) -> str:
        return f"Coaching session #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse(
            "peer_coaching:session", args=[self.cohort.network.slug, self.cohort.slug, self.pk]
        )

    def participant_ids(self) -> set[int]:
        seated = (getattr(self, f"{field}_id") for field in SEAT_FIELDS.values())
        return {pk for pk in seated if pk is not None}

    def role_of(self, user: Any) -> SeatRole | None:
        """coachee, coach or observer; None for anyone else."""
        if not user.is_authenticated:
            return None
        for role, field in SEAT_FIELDS.items():
            if getattr(self, f"{field}_id") == user.pk:
                return role
        return None

    def prompts_by_stage(self) -> list[tuple[str, list[str]]]:
        labels = dict(PromptStage.choices)
        return [
            (str(labels[stage]), [p["text"] for p in self.prompts if p.get("stage") == stage])
            for stage in PromptStage.values
            if any(p.get("stage") == stage for p in self.prompts)
        ]

    def pick_prompts(self) -> None:
        """Set `sequence` and `prompts` for a new session (before it is saved)."""
        CoachPrompt.objects.ensure_defaults(self.cohort.network)
        self.sequence = CoachingSession.objects.filter(
            cohort=self.cohort, coach=self.coach, coachee=self.coachee
        ).count()
        bank = list(CoachPrompt.objects.active().filter(network=self.cohort.network))
        self.prompts = choose_prompts(bank, self.sequence)


# --- feedback -------------------------------------------------------------------------------


class FeedbackVisibility(models.TextChoices):
    PRIVATE = "private", _("Only the giver and me")
    SHARED = "shared", _("Also the people I name")
    COHORT = "cohort", _("My cohort")


def compose_feedback(situation: str, behaviour: str, impact: str, suggestion: str) -> str:
    """The four parts as one piece of text, the way the feedback check reads feedback and
    writes its rewrite (`cadre.engine.linting.compose`): "<situation>, <behaviour>,
    <impact>. <suggestion>." An empty part is left out, so a missing impact is missing for
    the check too."""
    return compose(situation, behaviour, impact, suggestion)


class FeedbackQuerySet(models.QuerySet["Feedback"]):
    def received_by(self, user: Any) -> FeedbackQuerySet:
        return self.filter(receiver_id=user.pk)

    def given_by(self, user: Any) -> FeedbackQuerySet:
        return self.filter(giver_id=user.pk)


class Feedback(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="feedback")
    giver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feedback_given"
    )
    receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feedback_received"
    )
    coaching_session = models.ForeignKey(
        CoachingSession,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback",
    )
    situation = models.CharField(max_length=500, blank=True)
    behaviour = models.TextField()
    impact = models.TextField(blank=True)
    suggestion = models.TextField(blank=True)
    # What the feedback check said when it was given; empty when it passed.
    problems = models.JSONField(default=list, blank=True)
    kept_anyway = models.BooleanField(default=False)
    visibility = models.CharField(
        max_length=10, choices=FeedbackVisibility.choices, default=FeedbackVisibility.PRIVATE
    )
    shared_with = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="feedback_shared_with_me"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "feedback"
        constraints = [
            models.CheckConstraint(
                condition=~Q(giver=models.F("receiver")), name="feedback_is_for_someone_else"
            )
        ]

    def __str__(self) -> str:
        return f"Feedback #{self.pk}"

    def as_text(self) -> str:
        return compose_feedback(self.situation, self.behaviour, self.impact, self.suggestion)


# --- what the pages and the API read -------------------------------------------------------


def current_round(cohort: Cohort, today: Any = None) -> CoachingRound | None:
    """The cohort's coaching round running now: the latest one that has started."""
    return CoachingRound.objects.started(today).filter(cohort=cohort).order_by("-number").first()


def current_seat(user: Any, cohort: Cohort, today: Any = None) -> CoachingSeat | None:
    """`user`'s seat in the round running now, with the group's other seats loaded."""
    round_ = current_round(cohort, today)
    if round_ is None or not user.is_authenticated:
        return None
    return (
        CoachingSeat.objects.filter(group__round=round_, user=user)
        .select_related("group__round")
        .prefetch_related(
            Prefetch("group__seats", queryset=CoachingSeat.objects.select_related("user"))
        )
        .first()
    )


def active_members(cohort: Cohort) -> Any:
    """The cohort's active people (members and hosts), as users."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(cohort_memberships__cohort=cohort, cohort_memberships__left_on__isnull=True)
        .distinct()
        .order_by("name", "pk")
    )


ONE_SIDED_AT = 2


@dataclass
class Reciprocity:
    """Who coached whom in a cohort, counted from sessions (never their content)."""

    people: list[Any]
    # user id -> {"coach": n, "coachee": n, "observer": n, "one_sided": bool}
    counts: dict[int, dict[str, Any]]
    # (coach, coachee, times, times the other way)
    pairs: list[tuple[Any, Any, int, int]]
    sessions: int

    def rows(self) -> list[tuple[Any, dict[str, Any]]]:
        return [(p, self.counts[p.pk]) for p in self.people]

    def one_sided_pairs(self) -> list[tuple[Any, Any, int, int]]:
        return [p for p in self.pairs if p[2] >= ONE_SIDED_AT and p[3] == 0]


def reciprocity(cohort: Cohort) -> Reciprocity:
    """Counts per person and per coach → coachee pair, in three queries whatever the
    number of sessions. A pair is one-sided when one coached the other at least twice and
    never the other way; a person when they have only coached or only been coached, at
    least twice."""
    from django.contrib.auth import get_user_model

    sessions = CoachingSession.objects.filter(cohort=cohort)
    pair_counts = {
        (row["coach_id"], row["coachee_id"]): row["n"]
        for row in sessions.values("coach_id", "coachee_id").annotate(n=Count("pk"))
    }
    observed = dict(
        sessions.filter(observer__isnull=False)
        .values("observer_id")
        .annotate(n=Count("pk"))
        .values_list("observer_id", "n")
    )
    ids = {i for pair in pair_counts for i in pair} | set(observed)
    members = set(active_members(cohort).values_list("pk", flat=True))
    people = list(get_user_model().objects.filter(pk__in=ids | members).order_by("name", "pk"))
    by_id = {p.pk: p for p in people}
    counts: dict[int, dict[str, Any]] = {
        p.pk: {"coach": 0, "coachee": 0, "observer": observed.get(p.pk, 0)} for p in people
    }
    for (coach, coachee), n in pair_counts.items():
        counts[coach]["coach"] += n
        counts[coachee]["coachee"] += n
    for c in counts.values():
        c["one_sided"] = (c["coach"] + c["coachee"] >= ONE_SIDED_AT) and not (
            c["coach"] and c["coachee"]
        )
    pairs = sorted(
        (
            (by_id[coach], by_id[coachee], n, pair_counts.get((coachee, coach), 0))
            for (coach, coachee), n in pair_counts.items()
        ),
        key=lambda p: (p[0].name, p[0].pk, p[1].name, p[1].pk),
    )
    return Reciprocity(people, counts, pairs, sum(pair_counts.values()))
