"""Networks: the boundary of everything in Cadre. People belong to a network with a role,
accept its code of conduct, and are invited by its organizers."""

import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import pgettext_lazy

if TYPE_CHECKING:
    from cadre.accounts.models import User


class Network(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60, unique=True)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("networks:home", args=[self.slug])

    def codes_of_conduct_newest_first(self) -> "models.QuerySet[CodeOfConduct]":
        """The network's codes of conduct, the current one (the highest version) first."""
        return self.codes_of_conduct.order_by("-version")

    def current_code_of_conduct(self) -> "CodeOfConduct | None":
        return self.codes_of_conduct_newest_first().first()


class Role(models.TextChoices):
    ADMIN = "admin", pgettext_lazy("network role", "Admin")
    ORGANIZER = "organizer", pgettext_lazy("network role", "Organizer")
    MEMBER = "member", pgettext_lazy("network role", "Member")
    MENTOR = "mentor", pgettext_lazy("network role", "Mentor")
    PARTNER = "partner", pgettext_lazy("network role", "Partner")


# A role's name inside a sentence ("… invites you to join … as organizer.").
ROLE_IN_A_SENTENCE = {
    "admin": pgettext_lazy("network role in a sentence", "admin"),
    "organizer": pgettext_lazy("network role in a sentence", "organizer"),
    "member": pgettext_lazy("network role in a sentence", "member"),
    "mentor": pgettext_lazy("network role in a sentence", "mentor"),
    "partner": pgettext_lazy("network role in a sentence", "partner"),
}


ORGANIZING_ROLES = frozenset({Role.ADMIN, Role.ORGANIZER})


class NetworkMembershipQuerySet(models.QuerySet["NetworkMembership"]):
    def organizing(self) -> "NetworkMembershipQuerySet":
        return self.filter(role__in=ORGANIZING_ROLES)


class NetworkMembership(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="network_memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(default=timezone.now)

    objects = NetworkMembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["network", "user"], name="one_membership_per_network")
        ]
        # The people of one role (a network's mentors, organizers) without reading everyone.
        indexes = [models.Index(fields=["network", "role"], name="membership_network_role")]
        ordering = ["network", "user"]

    def __str__(self) -> str:
        return f"{self.user} in {self.network} ({self.get_role_display()})"

    @property
    def is_organizing(self) -> bool:
        return self.role in ORGANIZING_ROLES


class SkillQuerySet(models.QuerySet["Skill"]):
    def active(self) -> "SkillQuerySet":
        """The skills offered in pickers: retired ones stay on profiles and history only."""
        return self.filter(retired_at__isnull=True)

    def offered(self, keep: Any = ()) -> "SkillQuerySet":
        """What a picker offers: the active skills, and the retired ones that the thing being
        edited already names (`keep`: their ids), so saving it does not drop them."""
        return self.filter(Q(retired_at__isnull=True) | Q(pk__in=keep))


class Skill(models.Model):
    """One entry of a network's skill taxonomy. Profiles rate themselves against these. A
    retired skill is no longer offered, but what people said about it is kept."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="skills")
    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=80)
    category = models.CharField(max_length=80, blank=True)
    description = models.TextField(blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    objects = SkillQuerySet.as_manager()

    class Meta:
        ordering = ["category", "name"]
        constraints = [
            models.UniqueConstraint(fields=["network", "slug"], name="unique_skill_per_network")
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = slugify(self.name)[:80]
        super().save(*args, **kwargs)

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None


DEFAULT_CODE_OF_CONDUCT = """\
**Candor.** We say what we think, kindly and directly. Feedback is about what someone did and
its effect, never about who they are.

**Punctuality.** We arrive on time, keep to the timeboxes, and tell the cohort ahead of time
when we cannot come.

**Confidentiality.** What is shared in the cohort stays in the cohort unless the person who
shared it agrees otherwise. Stories about our organizations and colleagues are not repeated
outside.

**Follow-through.** We make commitments we can keep, report honestly on them, and ask for help
early.

**Respect.** We do not harass, belittle or exclude anyone. Concerns go to the network's
organizers, who will act on them.
"""


class CodeOfConduct(models.Model):
    """A version of a network's code of conduct. Versions are never edited: a change is a new
    version, and everyone accepts it again."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="codes_of_conduct")
    version = models.PositiveIntegerField()
    body = models.TextField(default=DEFAULT_CODE_OF_CONDUCT)
    change_note = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["network", "-version"]
        verbose_name = "code of conduct"
        verbose_name_plural = "codes of conduct"
        constraints = [
            models.UniqueConstraint(fields=["network", "version"], name="unique_conduct_version")
        ]

    def __str__(self) -> str:
        return f"{self.network} code of conduct v{self.version}"

    def is_accepted_by(self, user: "User") -> bool:
        return self.acceptances.filter(user=user).exists()


class CodeOfConductAcceptance(models.Model):
    code = models.ForeignKey(CodeOfConduct, on_delete=models.CASCADE, related_name="acceptances")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conduct_acceptances"
    )
    accepted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["code", "user"], name="accept_each_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} accepted {self.code}"


def _new_token() -> str:
    return secrets.token_urlsafe(24)


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self) -> "InvitationQuerySet":
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)


class Invitation(models.Model):
    """An organizer's invitation to join a network. The link carries a signed token (see
    cadre.networks.invitations); it works once and expires."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    message = models.TextField(blank=True)
    nonce = models.CharField(max_length=64, default=_new_token, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation of {self.email} to {self.network}"

    @property
    def expires_at(self) -> datetime:
        return self.created_at + timedelta(days=settings.CADRE_INVITATION_MAX_AGE_DAYS)

    @property
    def role_in_a_sentence(self) -> str:
        """The role's name as a sentence carries it, in the active language."""
        return str(ROLE_IN_A_SENTENCE.get(self.role, self.get_role_display()))

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if timezone.now() >= self.expires_at:
            return "expired"
        return "pending"
