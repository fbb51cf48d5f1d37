"""Every change to a cohort, its charter and its roster, whichever door it comes through:
the cohort pages, the API (cadre.api.routers.cohorts) or a template copied from the library.

Each function checks who may do it and the rule it states, and raises
`cadre.lib.rules.Refused` with the sentence people see:

    charter = save_charter(user, cohort, mission=..., weekly_hours=..., next_review_on=...)
    acknowledge_charter(user, cohort, version=3)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cadre.lib.rules import Refused
from cadre.networks.models import Network
from cadre.networks.policy import Person, can_manage_network

if TYPE_CHECKING:
    from cadre.accounts.models import User

from .models import (
    Charter,
    CharterAcknowledgement,
    CharterConflict,
    Cohort,
    CohortMembership,
    LearningFormat,
)
from .policy import can_edit_charter, can_edit_cohort, is_cohort_member

# `based_on` for a save that goes on top of whatever version is current (the API, which has
# no editing session to be stale).
LATEST: Literal["latest"] = "latest"

CHARTER_EDITORS_ONLY = (
    "Only the cohort’s hosts and the network’s organizers can change the charter. "
    "Suggest your change to a host."
)
# A feature that pairs a member with another one (a coach, a peer to assess) was given
# someone who is not another active member of the cohort.
NOT_A_PEER = "Choose another active member of this cohort."


# --- cohorts -------------------------------------------------------------------------------


def _slug_taken(cohort: Cohort) -> bool:
    return (
        Cohort.objects.filter(network_id=cohort.network_id, slug=cohort.slug)
        .exclude(pk=cohort.pk)
        .exists()
    )


def _slug_taken_message(cohort: Cohort) -> str:
    return f"{cohort.network.name} already has a cohort with the slug “{cohort.slug}”."


def _apply_cohort_changes(cohort: Cohort, changes: Mapping[str, Any]) -> None:
    """Set `changes` on `cohort` and run the model's validators; Refused naming every field
    that fails."""
    changes = dict(changes)
    if "outcomes" in changes and not isinstance(changes["outcomes"], str):
        outcomes = changes["outcomes"] or []
        changes["outcomes"] = "\n".join(line.strip() for line in outcomes if line.strip())
    for name, value in changes.items():
        setattr(cohort, name, value)
    problems: dict[str, list[str]] = {}
    try:
        cohort.full_clean(exclude=["network"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        problems.update(
            {
                ("body" if name == "__all__" else name): list(messages)
                for name, messages in exc.message_dict.items()
            }
        )
    if "slug" in changes and _slug_taken(cohort):
        problems.setdefault("slug", []).append(_slug_taken_message(cohort))
    if problems:
        raise Refused("The cohort is not saved: correct the fields named.", fields=problems)


def _save_cohort(cohort: Cohort) -> None:
    try:
        with transaction.atomic():
            cohort.save()
    except IntegrityError:
        # Someone took the slug between the check and the save.
        message = _slug_taken_message(cohort)
        raise Refused(message, field="slug") from None


def create_cohort(user: Person, network: Network, **fields: Any) -> Cohort:
    """Start a cohort in `network` (its organizers). `fields` are Cohort's fields; `outcomes`
    may be a list of lines."""
    if not can_manage_network(user, network):
        raise Refused(f"Only the organizers of {network.name} start cohorts.", kind="forbidden")
    cohort = Cohort(network=network)
    _apply_cohort_changes(cohort, fields)
    _save_cohort(cohort)
    return cohort


def update_cohort(user: Person, cohort: Cohort, **changes: Any) -> Cohort:
    """Change the cohort's settings named in `changes` (the network's organizers)."""
    if not can_edit_cohort(user, cohort):
        raise Refused("Only the network’s organizers change a cohort’s settings.", kind="forbidden")
    _apply_cohort_changes(cohort, changes)
    _save_cohort(cohort)
    return cohort


# --- charters ------------------------------------------------------------------------------


class CharterChanged(Refused):
    """Someone saved another charter version since the editor opened theirs."""

    kind = "conflict"

    def __init__(self, current_version: int | None) -> None:
        saved = f"version {current_version}" if current_version else "another version"
        super().__init__(
            f"Someone saved {saved} of the charter while you were editing. Your changes are "
            "still below: read the charter history, then save again."
        )
        self.current_version = current_version


def require_charter_editor(user: Person, cohort: Cohort) -> None:
    """Refused (forbidden) unless `user` may change the cohort's charter."""
    if not can_edit_charter(user, cohort):
        raise Refused(CHARTER_EDITORS_ONLY, kind="forbidden")


def _normalize_newlines(text: str) -> str:
    # Browsers send textarea lines as CRLF; store LF so diffs and "nothing changed" checks
    # compare what people wrote, not how it travelled.
    return text.replace("\r\n", "\n").replace("\r", "\n")


@dataclass(frozen=True)
class CharterValues:
    """A charter version's content, as it is stored."""

    mission: str
    weekly_hours: Decimal
    learning_formats: list[str]
    project_kinds: str
    norms: str
    next_review_on: date
    change_note: str

    CONTENT = (
        "mission",
        "weekly_hours",
        "learning_formats",
        "project_kinds",
        "norms",
        "next_review_on",
    )

    def same_content_as(self, charter: Charter) -> bool:
        return all(getattr(self, name) == getattr(charter, name) for name in self.CONTENT)

    def as_fields(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in (*self.CONTENT, "change_note")}


def check_next_review(next_review_on: date) -> None:
    """A charter's next review is a date after today."""
    if next_review_on <= timezone.localdate():
        raise Refused("Pick a review date after today.", field="next_review_on")


def check_charter(
    previous: Charter | None,
    *,
    mission: str,
    weekly_hours: Decimal,
    learning_formats: Iterable[str] = (),
    project_kinds: str = "",
    norms: str = "",
    next_review_on: date,
    change_note: str = "",
) -> CharterValues:
    """The values of a new charter version on top of `previous`, normalized; Refused when the
    review date is not in the future, when a change has no note, or when nothing changed."""
    chosen = {getattr(f, "value", f) for f in learning_formats}
    values = CharterValues(
        mission=_normalize_newlines(mission),
        weekly_hours=Decimal(weekly_hours),
        learning_formats=[value for value in LearningFormat.values if value in chosen],
        project_kinds=_normalize_newlines(project_kinds),
        norms=_normalize_newlines(norms),
        next_review_on=next_review_on,
        change_note=change_note.strip(),
    )
    check_next_review(next_review_on)
    if previous is not None:
        if not values.change_note:
            raise Refused("Say what changed and why; the history shows it.", field="change_note")
        if values.same_content_as(previous):
            raise Refused(
                f"Nothing changed from version {previous.version}; there is nothing to save."
            )
    return values


def save_charter(
    user: User,
    cohort: Cohort,
    *,
    mission: str,
    weekly_hours: Decimal,
    learning_formats: Iterable[str] = (),
    project_kinds: str = "",
    norms: str = "",
    next_review_on: date,
    change_note: str = "",
    based_on: int | None | Literal["latest"] = LATEST,
) -> Charter:
    """Save the next version of the cohort's charter (its hosts and the network's
    organizers). `based_on` is the version the editor started from (None: there was none);
    if another version was saved since, CharterChanged is raised and nothing is saved. The
    author, when a member, has read what they wrote: it counts as acknowledged."""
    require_charter_editor(user, cohort)
    with transaction.atomic():
        previous = cohort.current_charter()
        values = check_charter(
            previous,
            mission=mission,
            weekly_hours=weekly_hours,
            learning_formats=learning_formats,
            project_kinds=project_kinds,
            norms=norms,
            next_review_on=next_review_on,
            change_note=change_note,
        )
        start = (previous.version if previous else None) if based_on == LATEST else based_on
        try:
            charter = cohort.add_charter_version(
                created_by=user, based_on=start, **values.as_fields()
            )
        except CharterConflict as exc:
            raise CharterChanged(exc.current_version) from None
        if is_cohort_member(user, cohort):
            CharterAcknowledgement.objects.get_or_create(charter=charter, user=user)
    return charter


@dataclass(frozen=True)
class Acknowledged:
    charter: Charter
    # The member had an older version open: nothing was acknowledged.
    stale: bool


def acknowledge_charter(user: Person, cohort: Cohort, *, version: int | None) -> Acknowledged:
    """The member has read the current charter. `version` is the one they had open; when it
    is no longer current nothing is recorded and `stale` says so."""
    if not is_cohort_member(user, cohort):
        raise Refused("Only the cohort’s members acknowledge its charter.", kind="forbidden")
    charter = cohort.current_charter()
    if charter is None:
        raise Refused("This cohort has no charter to acknowledge yet.")
    stale = version is not None and version != charter.version
    if not stale:
        CharterAcknowledgement.objects.get_or_create(charter=charter, user=user)
    return Acknowledged(charter=charter, stale=stale)


# --- roster --------------------------------------------------------------------------------


def own_membership(user: Person, cohort: Cohort) -> CohortMembership:
    """The active membership of `user` in `cohort`, for what only members write."""
    membership = CohortMembership.objects.active().filter(cohort=cohort, user=user.pk).first()
    if membership is None:
        raise Refused(
            "Only the cohort’s active members write a learning statement for it.",
            kind="forbidden",
        )
    return membership


def write_statement(user: Person, cohort: Cohort, *, learning_statement: str) -> CohortMembership:
    """Save the member's learning statement for `cohort`."""
    membership = own_membership(user, cohort)
    membership.learning_statement = _normalize_newlines(learning_statement)
    membership.save(update_fields=["learning_statement"])
    return membership
