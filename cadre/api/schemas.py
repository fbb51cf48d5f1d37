"""The API's contract: what each endpoint takes and returns. Output schemas read model
objects (and a few request-dependent facts through `context`); input schemas check types
and bounds, and the endpoints run the models' own validators on top."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias, TypeVar

from django.urls import reverse
from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, StrictInt, WithJsonSchema

from cadre.cohorts.models import Cadence, CohortStatus, LearningFormat
from cadre.cohorts.policy import cohort_role
from cadre.lib import dates
from cadre.networks.policy import must_accept_conduct, network_role
from cadre.people.avatars import avatar_url
from cadre.people.policy import can_view_avatar

SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"

# --- integers ------------------------------------------------------------------------------
# The largest numbers the databases store: ids are 64-bit (BigAutoField), the other integer
# columns 32-bit (PostgreSQL's integer). A larger number would only fail in the database (an
# OverflowError on SQLite, "out of range" on PostgreSQL), so every integer the API takes is
# one of these types, or has bounds of its own; a test reads the OpenAPI document for any
# that is not.
ID_MAX = 2**63 - 1
INT32_MAX = 2**31 - 1

Id = Annotated[int, Field(ge=1, le=ID_MAX)]
"""The id of a row. In a path, one that cannot exist answers 404 (cadre.api.errors)."""
StrictId = Annotated[StrictInt, Field(ge=1, le=ID_MAX)]
Int32 = Annotated[int, Field(ge=-INT32_MAX - 1, le=INT32_MAX)]
StrictInt32 = Annotated[StrictInt, Field(ge=-INT32_MAX - 1, le=INT32_MAX)]

# --- descriptions --------------------------------------------------------------------------
# What a field means, for the fields that several routers' schemas share: written once, here.
NETWORK_PERSON = "A person of the network (not a partner)."
SKILL_LEVEL = "0 can't do it yet … 4 can teach it."
COHORT_SKILL = "A skill slug of the cohort's network."
NETWORK_SKILLS = "Skill slugs of the network."
DELIVERABLE = "What others will see when it is done; counts as observable."
KEEP_ANYWAY = (
    "Save even when the commitment check finds problems; a due date (due_on, or one written in"
    " the text) is needed all the same."
)


# --- fields a change may leave out --------------------------------------------------------
# A PATCH body changes only the fields sent, and many of its fields may be left out but not
# sent as null. pydantic reads such a field as `name: str = Field(None)`: it validates a `str`
# and publishes a non-null schema, and the attribute is None when the field was left out.
# `name: Omittable[str] = Field(None)` is the same field to pydantic (Omittable[str] is str
# at run time), and gives the type checker the attribute's true type, `str | None`.

_T = TypeVar("_T")

if TYPE_CHECKING:
    Omittable: TypeAlias = _T | None
else:

    class Omittable:
        """`Omittable[X]` is `X` to pydantic; the type checker reads it as `X | None`."""

        def __class_getitem__(cls, item: Any) -> Any:
            return item


# --- dates ---------------------------------------------------------------------------------


def _date_in_range(value: date) -> date:
    if not dates.in_range(value):
        raise ValueError(dates.RANGE_MESSAGE)
    return value


Date = Annotated[
    date,
    AfterValidator(_date_in_range),
    Field(description=f"From {dates.EARLIEST} to {dates.LATEST}."),
]
"""Every date the API takes: in Cadre's range (cadre.lib.dates), or 422 naming the field."""


# --- times ---------------------------------------------------------------------------------

LOCAL_TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"
LOCAL_TIME_MESSAGE = "Give a time of day as HH:MM, e.g. 15:00, in the cohort's time zone."


def _local_time(value: Any) -> Any:
    if isinstance(value, time) and value.tzinfo is None:
        return value
    if isinstance(value, str) and re.fullmatch(LOCAL_TIME_PATTERN, value):
        return value
    raise ValueError(LOCAL_TIME_MESSAGE)


# A wall-clock time in the time zone named beside it: "15:00" or "15:00:00", never with a UTC
# offset (the zone decides that) nor as a number; answers send it as "15:00:00". The published
# schema is that pattern, not the "time" format, which requires an offset.
LocalTime = Annotated[
    time,
    BeforeValidator(_local_time),
    WithJsonSchema({"type": "string", "pattern": LOCAL_TIME_PATTERN}),
]


def _user(context: dict[str, Any] | None) -> Any:
    return context["request"].auth if context else None


# --- errors ------------------------------------------------------------------------------


class ErrorBody(Schema):
    code: str = Field(..., description="Stable, snake_case: what clients branch on.")
    message: str = Field(..., description="A sentence for people.")
    fields: dict[str, list[str]] | None = Field(
        None, description="Validation errors only: field name (dotted for nested) -> messages."
    )
    detail: dict[str, Any] | None = Field(
        None, description="More about the error, e.g. conduct_url for conduct_not_accepted."
    )


class ErrorOut(Schema):
    error: ErrorBody


class ProblemOut(Schema):
    """What the writing checks found in a commitment or a piece of feedback."""

    code: str
    message: str


# --- people ------------------------------------------------------------------------------


class UserRef(Schema):
    id: int
    name: str


class NetworkOut(Schema):
    slug: str
    name: str
    description: str
    role: str | None = Field(None, description="Your role in the network.")

    @staticmethod
    def resolve_role(obj: Any, context: dict[str, Any]) -> str | None:
        return network_role(_user(context), obj)


class MeOut(Schema):
    id: int
    email: str
    name: str
    avatar_url: str = Field("", description="Your picture's address, or empty for initials.")
    networks: list[NetworkOut]


class AvatarOut(Schema):
    avatar_url: str = Field(..., description="The picture's address (it changes with it).")


class SkillRating(Schema):
    network: str = Field(..., description="The network's slug.")
    skill: str = Field(..., description="The skill's slug in that network.")
    level: int = Field(..., ge=0, le=4, description=SKILL_LEVEL)


class SkillRatingOut(SkillRating):
    skill_name: str


class ProfileOut(Schema):
    headline: str
    function: str
    industry: str
    organization: str
    seniority: str
    time_zone: str
    language: str = Field(..., description="en, es, de, or empty (follow the browser).")
    availability: list[int] = Field(
        ..., description="Hours of the week you can meet, local time: 0 = Monday 00:00, 167."
    )
    learning_goals: list[str]
    bio: str
    skills: list[SkillRatingOut]


class ProfilePatch(Schema):
    """Only the fields sent are changed (none may be null). `skills`, when sent, is the whole
    list of your ratings in your networks and replaces the ratings you had."""

    # Omittable, defaulting to None: leaving a field out is fine, sending null is not.
    headline: Omittable[str] = Field(None)
    function: Omittable[str] = Field(None)
    industry: Omittable[str] = Field(None)
    organization: Omittable[str] = Field(None)
    seniority: Omittable[str] = Field(
        None, description="early, mid, senior, lead, executive, or empty."
    )
    time_zone: Omittable[str] = Field(None, description="An IANA name, e.g. Europe/Berlin.")
    language: Omittable[str] = Field(
        None, description="en, es, de, or empty to follow the browser (pages and e-mails)."
    )
    availability: Omittable[list[StrictInt32]] = Field(None)
    learning_goals: Omittable[list[str]] = Field(None)
    bio: Omittable[str] = Field(None)
    skills: Omittable[list[SkillRating]] = Field(None)


# --- networks ----------------------------------------------------------------------------


class SkillOut(Schema):
    slug: str
    name: str
    category: str


class SkillAdminOut(SkillOut):
    id: int
    description: str
    retired: bool = Field(..., description="Retired skills stay on profiles, not in pickers.")

    @staticmethod
    def resolve_retired(obj: Any) -> bool:
        return obj.retired_at is not None


class SkillIn(Schema):
    name: str = Field(..., max_length=80)
    category: str = Field("", max_length=80)
    description: str = Field("", max_length=2000)


class SkillPatch(Schema):
    """Only the fields sent are changed."""

    name: Omittable[str] = Field(None, max_length=80)
    category: Omittable[str] = Field(None, max_length=80)
    description: Omittable[str] = Field(None, max_length=2000)
    retired: Omittable[bool] = Field(None, description="true retires the skill, false restores it.")


class SkillMergeIn(Schema):
    into: str = Field(..., max_length=80, description="The slug of the skill to keep.")


class NetworkSettingsIn(Schema):
    name: str = Field(..., max_length=120)
    description: str = Field("", max_length=5000)


class InvitationListIn(Schema):
    text: str = Field(
        ..., max_length=200_000, description="The list: one person a line, or a CSV file's text."
    )
    format: Literal["lines", "csv"] = Field("lines", description="lines or csv.")


class InvitationListSendIn(InvitationListIn):
    role: str = Field("member", max_length=20)
    message: str = Field("", max_length=2000)


class ListEntryOut(Schema):
    line: int
    email: str
    name: str
    problem: str = Field("", description="Why the line cannot be used (invalid entries).")


class InvitationPreviewOut(Schema):
    new: list[ListEntryOut]
    member: list[ListEntryOut] = Field(..., description="Already members of the network.")
    pending: list[ListEntryOut] = Field(..., description="With an open invitation already.")
    invalid: list[ListEntryOut]


class InvitationOut(Schema):
    id: int
    email: str
    role: str
    status: str


class InvitationListSentOut(Schema):
    sent: list[InvitationOut]
    preview: InvitationPreviewOut


class NetworkDetailOut(NetworkOut):
    must_accept_conduct: bool = Field(
        False, description="True until you accept the current code of conduct."
    )
    conduct_url: str
    skills: list[SkillOut] = Field(
        ..., description="The taxonomy profiles rate themselves in (retired skills left out)."
    )

    @staticmethod
    def resolve_must_accept_conduct(obj: Any, context: dict[str, Any]) -> bool:
        return must_accept_conduct(_user(context), obj)

    @staticmethod
    def resolve_conduct_url(obj: Any, context: dict[str, Any]) -> str:
        return str(
            context["request"].build_absolute_uri(reverse("networks:conduct", args=[obj.slug]))
        )

    @staticmethod
    def resolve_skills(obj: Any) -> list[Any]:
        return list(obj.skills.active())


class ProfileSummary(Schema):
    headline: str
    function: str
    industry: str
    organization: str
    seniority: str
    time_zone: str
    learning_goals: list[str]


class MemberSkillOut(Schema):
    skill: str
    name: str
    level: int

    @staticmethod
    def resolve_skill(obj: Any) -> str:
        return str(obj.skill.slug)

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.skill.name)


def _avatar_url(context: dict[str, Any], person: Any) -> str:
    if not can_view_avatar(_user(context), person):
        return ""
    path = avatar_url(person)
    return str(context["request"].build_absolute_uri(path)) if path else ""


def _profile(membership: Any) -> Any:
    return getattr(membership.user, "profile", None)


class MemberOut(Schema):
    """A person as the network's directory shows them (read from their network membership)."""

    user_id: int
    name: str
    role: str
    avatar_url: str = Field("", description="Their picture's address, or empty for initials.")
    profile: ProfileSummary | None
    skills: list[MemberSkillOut] = Field(..., description="Self-ratings in this network's skills.")

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.user.name)

    @staticmethod
    def resolve_profile(obj: Any) -> Any:
        return _profile(obj)

    @staticmethod
    def resolve_avatar_url(obj: Any, context: dict[str, Any]) -> str:
        return _avatar_url(context, obj.user)

    @staticmethod
    def resolve_skills(obj: Any) -> list[Any]:
        return list(getattr(_profile(obj), "network_skills", []))


class MemberProfileOut(MemberOut):
    bio: str
    availability: list[int]
    availability_utc: list[int] = Field(..., description="The availability shifted to UTC.")

    @staticmethod
    def resolve_bio(obj: Any) -> str:
        profile = _profile(obj)
        return profile.bio if profile else ""

    @staticmethod
    def resolve_availability(obj: Any) -> list[int]:
        profile = _profile(obj)
        return list(profile.availability) if profile else []

    @staticmethod
    def resolve_availability_utc(obj: Any) -> list[int]:
        profile = _profile(obj)
        return profile.availability_utc() if profile else []


# --- cohorts -----------------------------------------------------------------------------


class CohortOut(Schema):
    network: str
    slug: str
    name: str
    objective: str
    outcomes: list[str]
    status: str
    cadence: str
    time_zone: str
    session_minutes: int
    starts_on: date | None
    shared_with_network: bool
    my_role: str | None = Field(None, description="Your role in the cohort, if you are in it.")
    hosts: list[UserRef] = Field([], description="The cohort's current hosts.")

    @staticmethod
    def resolve_network(obj: Any) -> str:
        return str(obj.network.slug)

    @staticmethod
    def resolve_hosts(obj: Any) -> list[Any]:
        return [
            m.user
            for m in obj.memberships.filter(left_on__isnull=True, role="host")
            .select_related("user")
            .order_by("user__name", "pk")
        ]

    @staticmethod
    def resolve_outcomes(obj: Any) -> list[str]:
        return list(obj.outcome_list())

    @staticmethod
    def resolve_my_role(obj: Any, context: dict[str, Any]) -> str | None:
        return cohort_role(_user(context), obj)


class CohortIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    slug: str = Field(..., min_length=1, max_length=60, pattern=SLUG_PATTERN)
    objective: str = Field(..., min_length=1)
    outcomes: list[str] = Field([], description="Measurable outcomes, one per item.")
    status: CohortStatus = CohortStatus.FORMING
    cadence: Cadence = Cadence.WEEKLY
    time_zone: str = "UTC"
    session_minutes: int = Field(60, ge=10, le=480)
    starts_on: Date | None = None
    shared_with_network: bool = False
    hosts: list[StrictId] = Field(
        [], description="Ids of the network's people who host the cohort; they join it as hosts."
    )


class CohortPatch(Schema):
    """Only the fields sent are changed. Only starts_on may be null (no start date)."""

    name: Omittable[str] = Field(None, min_length=1, max_length=120)
    slug: Omittable[str] = Field(None, min_length=1, max_length=60, pattern=SLUG_PATTERN)
    objective: Omittable[str] = Field(None, min_length=1)
    outcomes: Omittable[list[str]] = Field(None)
    status: Omittable[CohortStatus] = Field(None)
    cadence: Omittable[Cadence] = Field(None)
    time_zone: Omittable[str] = Field(None)
    session_minutes: Omittable[int] = Field(None, ge=10, le=480)
    starts_on: Date | None = None
    shared_with_network: Omittable[bool] = Field(None)
    hosts: Omittable[list[StrictId]] = Field(
        None,
        description="Ids of the cohort's hosts (organizers); people not in the cohort join it "
        "as hosts, hosts left out stay as members.",
    )


class CohortStatusIn(Schema):
    status: str = Field(
        ..., description="forming → active (↔ paused) → completed → archived; archived → completed."
    )


class MemberIn(Schema):
    user_id: StrictId = Field(..., description=NETWORK_PERSON)
    role: str = Field("member", description="member or host.")


class MemberRoleIn(Schema):
    role: str = Field(..., description="member or host.")


class MemberMoveIn(Schema):
    to: str = Field(..., description="The slug of another cohort of the same network.")


class CharterOut(Schema):
    version: int
    mission: str
    weekly_hours: float
    learning_formats: list[str]
    project_kinds: str
    norms: str
    next_review_on: date
    review_due: bool
    change_note: str
    created_by: UserRef | None
    created_at: datetime

    @staticmethod
    def resolve_review_due(obj: Any) -> bool:
        return bool(obj.review_due())


class CharterIn(Schema):
    mission: str = Field(..., min_length=1)
    weekly_hours: Decimal = Field(..., gt=0, le=40, max_digits=4, decimal_places=1)
    learning_formats: list[LearningFormat] = []
    project_kinds: str = ""
    norms: str = ""
    next_review_on: Date = Field(..., description="When the cohort reviews it; in the future.")
    change_note: str = Field("", max_length=200)


class MembershipOut(Schema):
    user: UserRef
    role: str
    joined_on: date
    left_on: date | None
    is_active: bool
    learning_statement: str


# --- cohort figures ------------------------------------------------------------------------


class FigureOut(Schema):
    """One cohort figure (cadre.metrics.figures) over its window, as every page prints it."""

    key: str = Field(..., description="attendance, follow_through, help_offered or active_members.")
    name: str = Field(..., description='"Attendance".')
    window: str = Field(..., description='"last 4 weeks", "since the start" or "today".')
    label: str = Field(..., description='The name with its window: "Attendance, last 4 weeks".')
    value: float | None = Field(
        ...,
        description="Per cent (one decimal) for a rate, a count otherwise; null: nothing to count.",
    )
    unit: str = Field(..., description='"%" for rates, empty for counts.')
    text: str = Field(..., description='The value as the pages print it: "46.4%", "1,200".')
    part: int | None = Field(None, description="For a rate: what was counted (present marks).")
    whole: int | None = Field(None, description="For a rate: out of how many (marks).")
    definition: str

    @staticmethod
    def resolve_key(obj: Any) -> str:
        return str(obj.figure.key)

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.figure.name)

    @staticmethod
    def resolve_window(obj: Any) -> str:
        return str(obj.window.name)

    @staticmethod
    def resolve_text(obj: Any) -> str:
        from cadre.lib.numbers import number

        return number(obj)

    @staticmethod
    def resolve_definition(obj: Any) -> str:
        return str(obj.figure.definition)
