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
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cadre.accounts.models import User
from cadre.lib.rules import Kind, Refused
from cadre.networks.models import Network, NetworkMembership, Role
from cadre.networks.policy import Person, can_manage_network, forget

from .models import (
    Charter,
    CharterAcknowledgement,
    CharterConflict,
    Cohort,
    CohortMembership,
    CohortRole,
    CohortStatus,
    LearningFormat,
    MembershipPeriod,
)
from .policy import (
    HOST_EDITABLE,
    can_edit_charter,
    can_edit_cohort,
    can_manage_cohort,
    is_cohort_member,
)

# `based_on` for a save that goes on top of whatever version is current (the API, which has
# no editing session to be stale).
LATEST: Literal["latest"] = "latest"

CHARTER_EDITORS_ONLY = gettext_noop(
    "Only the cohort’s hosts and the network’s organizers can change the charter. "
    "Suggest your change to a host."
)
# A feature that pairs a member with another one (a coach, a peer to assess) was given
# someone who is not another active member of the cohort.
NOT_A_PEER = gettext_noop("Choose another active member of this cohort.")


# --- cohorts -------------------------------------------------------------------------------


def _slug_taken(cohort: Cohort) -> bool:
    return (
        Cohort.objects.filter(network_id=cohort.network_id, slug=cohort.slug)
        .exclude(pk=cohort.pk)
        .exists()
    )


def _slug_taken_message(cohort: Cohort) -> str:
    return _("%(network)s already has a cohort with the slug “%(slug)s”.") % {
        "network": cohort.network.name,
        "slug": cohort.slug,
    }


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
    _check_slug(cohort, changes, problems)
    if problems:
        raise Refused(_("The cohort is not saved: correct the fields named."), fields=problems)


def _save_cohort(cohort: Cohort) -> None:
    try:
        with transaction.atomic():
            cohort.save()
    except IntegrityError:
        # Someone took the slug between the check and the save.
        message = _slug_taken_message(cohort)
        raise Refused(message, field="slug") from None


# Taken by the "New cohort" page's address (/n/<network>/c/new/).
RESERVED_SLUGS = frozenset({"new"})
SLUG_RESERVED = gettext_noop("“new” names the page that starts a cohort; choose another slug.")
ORGANIZERS_START_COHORTS = gettext_noop("Only the organizers of {network} start cohorts.")
SETTINGS_FOR_HOSTS_AND_ORGANIZERS = gettext_noop(
    "Only the cohort’s hosts and the network’s organizers change a cohort’s settings."
)
HOSTS_CHANGE_ONLY = gettext_noop(
    "A host changes how the cohort meets and what it sets out to do; its name, address, "
    "visibility, hosts and status are the organizers’ to change."
)
NEW_COHORT_STATUS = gettext_noop(
    "A new cohort starts as forming, or as active if it is meeting already."
)


def _check_slug(cohort: Cohort, changes: Mapping[str, Any], problems: dict[str, list[str]]) -> None:
    if "slug" not in changes:
        return
    if cohort.slug in RESERVED_SLUGS:
        problems.setdefault("slug", []).append(_(SLUG_RESERVED))
    elif _slug_taken(cohort):
        problems.setdefault("slug", []).append(_slug_taken_message(cohort))


def create_cohort(
    user: Person,
    network: Network,
    *,
    hosts: Iterable[User] | None = None,
    **fields: Any,
) -> Cohort:
    """Start a cohort in `network` (its organizers). `fields` are Cohort's fields; `outcomes`
    may be a list of lines. A new cohort is forming (or active, when it already meets);
    `hosts` become its hosts."""
    if not can_manage_network(user, network):
        raise Refused(_(ORGANIZERS_START_COHORTS).format(network=network.name), kind="forbidden")
    status = fields.get("status", CohortStatus.FORMING)
    if status not in (CohortStatus.FORMING, CohortStatus.ACTIVE):
        raise Refused(_(NEW_COHORT_STATUS), field="status")
    cohort = Cohort(network=network)
    with transaction.atomic():
        _apply_cohort_changes(cohort, fields)
        _save_cohort(cohort)
        if hosts is not None:
            _set_hosts(cohort, list(hosts))
    return cohort


def update_cohort(
    user: Person,
    cohort: Cohort,
    *,
    hosts: Iterable[User] | None = None,
    **changes: Any,
) -> Cohort:
    """Change the cohort's settings named in `changes`. The network's organizers change
    every one; the cohort's hosts those in `policy.HOST_EDITABLE`. A change of `status`
    follows the lifecycle (`change_status`); `hosts`, when given, become the cohort's hosts."""
    if not can_edit_cohort(user, cohort):
        raise Refused(_(SETTINGS_FOR_HOSTS_AND_ORGANIZERS), kind="forbidden")
    manages = can_manage_cohort(user, cohort)
    changed = {
        name for name, value in changes.items() if _differs(getattr(cohort, name, None), value)
    }
    if hosts is not None and {u.pk for u in hosts} != set(host_ids(cohort)):
        changed.add("hosts")
    if not manages and changed - HOST_EDITABLE:
        raise Refused(_(HOSTS_CHANGE_ONLY), kind="forbidden")
    if "status" in changed:
        check_transition(cohort, changes["status"])
    with transaction.atomic():
        _apply_cohort_changes(cohort, changes)
        _save_cohort(cohort)
        if "hosts" in changed and hosts is not None:
            _require_open_roster(cohort)
            _set_hosts(cohort, list(hosts))
        if "status" in changed:
            _after_status_change(cohort)
    return cohort


def _differs(current: Any, new: Any) -> bool:
    if isinstance(new, list | tuple):
        new = "\n".join(line.strip() for line in new if line.strip())
    return bool(current != new)


# --- status: forming → active (↔ paused) → completed → archived ------------------------------

# The status a cohort may go to from each one. A cohort never goes back to forming, is not
# reopened once completed, and leaves the archive only as completed.
NEXT_STATUSES: dict[str, tuple[str, ...]] = {
    CohortStatus.FORMING: (CohortStatus.ACTIVE,),
    CohortStatus.ACTIVE: (CohortStatus.PAUSED, CohortStatus.COMPLETED),
    CohortStatus.PAUSED: (CohortStatus.ACTIVE, CohortStatus.COMPLETED),
    CohortStatus.COMPLETED: (CohortStatus.ARCHIVED,),
    CohortStatus.ARCHIVED: (CohortStatus.COMPLETED,),
}
FINISHED = frozenset({CohortStatus.COMPLETED, CohortStatus.ARCHIVED})

STATUS_ALREADY = gettext_noop("The cohort is already {status}.")
STATUS_NOT_BACK_TO_FORMING = gettext_noop(
    "A cohort that has started does not go back to forming; pause it if it needs a break."
)
STATUS_START_FIRST = gettext_noop("A forming cohort has not met yet: make it active first.")
STATUS_NOT_REOPENED = gettext_noop(
    "A completed cohort is not reopened: start a new cohort for another round, or archive this one."
)
STATUS_ARCHIVE_AFTER_COMPLETING = gettext_noop("Complete the cohort before archiving it.")
STATUS_ARCHIVED_COMES_BACK_COMPLETED = gettext_noop(
    "An archived cohort comes back from the archive as completed, and only as completed."
)
STATUS_FOR_ORGANIZERS = gettext_noop("Only the network’s organizers change a cohort’s status.")


STATUS_UNKNOWN = gettext_noop("Choose a status: forming, active, paused, completed or archived.")


def _transition_refusal(current: str, new: str) -> str:
    """The one sentence that says why `current` cannot become `new`."""
    if new not in CohortStatus.values:
        return _(STATUS_UNKNOWN)
    if new == current:
        return _(STATUS_ALREADY).format(status=CohortStatus(current).label.lower())
    if new == CohortStatus.FORMING:
        return _(STATUS_NOT_BACK_TO_FORMING)
    if current == CohortStatus.FORMING:
        return _(STATUS_START_FIRST)
    if current == CohortStatus.COMPLETED:
        return _(STATUS_NOT_REOPENED)
    if current == CohortStatus.ARCHIVED:
        return _(STATUS_ARCHIVED_COMES_BACK_COMPLETED)
    return _(STATUS_ARCHIVE_AFTER_COMPLETING)


def check_transition(cohort: Cohort, status: str) -> None:
    """Refused (conflict, on `status`) unless the cohort may go from its status to `status`."""
    if status not in NEXT_STATUSES.get(cohort.status, ()):
        kind: Kind = "conflict" if status in CohortStatus.values else "invalid"
        raise Refused(_transition_refusal(cohort.status, status), field="status", kind=kind)


def change_status(user: Person, cohort: Cohort, *, status: str) -> Cohort:
    """Move the cohort along its lifecycle (the network's organizers)."""
    if not can_manage_cohort(user, cohort):
        raise Refused(_(STATUS_FOR_ORGANIZERS), kind="forbidden")
    with transaction.atomic():
        locked = Cohort.objects.select_for_update().get(pk=cohort.pk)
        check_transition(locked, status)
        cohort.status = status
        cohort.save(update_fields=["status"])
        _after_status_change(cohort)
    return cohort


def _after_status_change(cohort: Cohort) -> None:
    """A cohort that has just completed asks its members the end-of-cohort survey."""
    if cohort.status == CohortStatus.COMPLETED:
        # closing.py builds on this module, so it is imported here, when needed.
        from .closing import queue_survey_invitations

        queue_survey_invitations(cohort)


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
        raise Refused(_(CHARTER_EDITORS_ONLY), kind="forbidden")


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
        raise Refused(_("Pick a review date after today."), field="next_review_on")


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
            raise Refused(_("Say what changed and why; the history shows it."), field="change_note")
        if values.same_content_as(previous):
            raise Refused(
                _("Nothing changed from version %(version)s; there is nothing to save.")
                % {"version": previous.version}
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
        raise Refused(_("Only the cohort’s members acknowledge its charter."), kind="forbidden")
    charter = cohort.current_charter()
    if charter is None:
        raise Refused(_("This cohort has no charter to acknowledge yet."))
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


# --- hosts and members (the network's organizers) ------------------------------------------

ROSTER_FOR_ORGANIZERS = gettext_noop(
    "Only the network’s organizers add, remove or move a cohort’s members."
)
ROSTER_CLOSED = gettext_noop(
    "This cohort has finished: its roster stays as it was, so its history reads true."
)
NOT_IN_NETWORK = gettext_noop(
    "{person} is not a member of {network}: invite them to the network first, then add "
    "them to a cohort."
)
ALREADY_MEMBER = gettext_noop("{person} is already an active member of {cohort}.")
NOT_A_MEMBER = gettext_noop("{person} is not an active member of {cohort}.")
MOVE_WITHIN_NETWORK = gettext_noop("Choose another cohort of {network} to move {person} to.")
ROSTER_ROLES = (CohortRole.MEMBER, CohortRole.HOST)
ROLE_CHOICE = gettext_noop("Choose member or host.")


def host_ids(cohort: Cohort) -> list[int]:
    return list(
        CohortMembership.objects.active()
        .filter(cohort=cohort, role=CohortRole.HOST)
        .values_list("user_id", flat=True)
    )


def network_people(network: Network) -> models.QuerySet[User]:
    """The people who may be hosts and members of the network's cohorts: its insiders
    (admins, organizers, members, mentors; partners are outside it). Each comes with
    `cohorts_here`, their memberships of the network's current cohorts (one more query), so
    a picker can tell two people of the same name apart by their cohort too."""
    insiders = NetworkMembership.objects.filter(network=network).exclude(role=Role.PARTNER)
    current = (
        CohortMembership.objects.active()
        .filter(cohort__network=network)
        .exclude(cohort__status__in=[CohortStatus.COMPLETED, CohortStatus.ARCHIVED])
        .select_related("cohort")
        .order_by("cohort__name")
    )
    return (
        User.objects.filter(pk__in=insiders.values("user_id"), is_active=True)
        .prefetch_related(models.Prefetch("cohort_memberships", current, to_attr="cohorts_here"))
        .order_by("name", "email")
    )


def _require_roster_manager(user: Person, cohort: Cohort) -> None:
    if not can_manage_cohort(user, cohort):
        raise Refused(_(ROSTER_FOR_ORGANIZERS), kind="forbidden")


def _require_open_roster(cohort: Cohort) -> None:
    if cohort.status in FINISHED:
        raise Refused(_(ROSTER_CLOSED), kind="conflict")


def _require_network_person(cohort: Cohort, person: User, field: str = "person") -> None:
    if not network_people(cohort.network).filter(pk=person.pk).exists():
        raise Refused(
            _(NOT_IN_NETWORK).format(person=person.name, network=cohort.network.name), field=field
        )


def _active_membership(cohort: Cohort, person: User) -> CohortMembership:
    membership = CohortMembership.objects.active().filter(cohort=cohort, user=person).first()
    if membership is None:
        raise Refused(
            _(NOT_A_MEMBER).format(person=person.name, cohort=cohort.name), field="person"
        )
    return membership


def _join(cohort: Cohort, person: User, role: str) -> CohortMembership:
    """A place for `person` in `cohort`: a new membership, or their old one reopened (a
    person has one membership per cohort; their commitments and updates were kept)."""
    today = cohort.today()
    membership = CohortMembership.objects.filter(cohort=cohort, user=person).first()
    if membership is None:
        return CohortMembership.objects.create(
            cohort=cohort, user=person, role=role, joined_on=today
        )
    if membership.is_active:
        raise Refused(
            _(ALREADY_MEMBER).format(person=person.name, cohort=cohort.name),
            field="person",
            kind="conflict",
        )
    # Their earlier spell is history: keep its dates before the place reopens today.
    MembershipPeriod.objects.create(
        cohort=cohort,
        user=person,
        role=membership.role,
        joined_on=membership.joined_on,
        left_on=membership.left_on or today,
    )
    membership.role, membership.joined_on, membership.left_on = role, today, None
    membership.save(update_fields=["role", "joined_on", "left_on"])
    return membership


def _leave(membership: CohortMembership) -> None:
    membership.left_on = max(membership.cohort.today(), membership.joined_on)
    membership.save(update_fields=["left_on"])


def _set_hosts(cohort: Cohort, hosts: list[User]) -> None:
    """Make `hosts` the cohort's hosts: each joins the cohort as host if not in it; hosts
    no longer chosen stay in the cohort as members."""
    chosen = {person.pk for person in hosts}
    for person in hosts:
        _require_network_person(cohort, person, field="hosts")
        membership = CohortMembership.objects.active().filter(cohort=cohort, user=person).first()
        if membership is None:
            _join(cohort, person, CohortRole.HOST)
        elif membership.role != CohortRole.HOST:
            membership.role = CohortRole.HOST
            membership.save(update_fields=["role"])
    CohortMembership.objects.active().filter(cohort=cohort, role=CohortRole.HOST).exclude(
        user__in=chosen
    ).update(role=CohortRole.MEMBER)
    for person in hosts:
        forget(person)


def _check_role(role: str) -> None:
    if role not in ROSTER_ROLES:
        raise Refused(_(ROLE_CHOICE), field="role")


def add_member(
    user: Person, cohort: Cohort, *, person: User, role: str = CohortRole.MEMBER
) -> CohortMembership:
    """Add a person of the network to the cohort as member or host (the network's
    organizers). Someone who was in it before gets their place back."""
    _require_roster_manager(user, cohort)
    _check_role(role)
    _require_open_roster(cohort)
    _require_network_person(cohort, person)
    with transaction.atomic():
        membership = _join(cohort, person, role)
    forget(person)
    return membership


def remove_member(user: Person, cohort: Cohort, *, person: User) -> CohortMembership:
    """Take `person` off the cohort's roster (the network's organizers): their membership
    ends today (left_on); it, their commitments and their updates are kept."""
    _require_roster_manager(user, cohort)
    _require_open_roster(cohort)
    membership = _active_membership(cohort, person)
    _leave(membership)
    forget(person)
    return membership


def move_member(user: Person, cohort: Cohort, *, person: User, to: Cohort) -> CohortMembership:
    """Move `person` from `cohort` to another cohort of the same network (its organizers):
    they leave `cohort` today and join `to` as a member. What they wrote in `cohort` stays
    there. Returns the new membership."""
    _require_roster_manager(user, cohort)
    if to.network_id != cohort.network_id or to.pk == cohort.pk:
        raise Refused(
            _(MOVE_WITHIN_NETWORK).format(network=cohort.network.name, person=person.name),
            field="to",
        )
    _require_open_roster(cohort)
    _require_open_roster(to)
    with transaction.atomic():
        old = _active_membership(cohort, person)
        new = _join(to, person, CohortRole.MEMBER)
        _leave(old)
    forget(person)
    return new


def change_role(user: Person, cohort: Cohort, *, person: User, role: str) -> CohortMembership:
    """Make an active member of the cohort a host, or a host a member (its organizers)."""
    _require_roster_manager(user, cohort)
    _check_role(role)
    _require_open_roster(cohort)
    membership = _active_membership(cohort, person)
    if membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    forget(person)
    return membership


def find_person(network: Network, user_id: int) -> User:
    """A person of `network` by id, for the API's roster requests (Refused, not found, for
    anyone else, so the API does not tell who exists elsewhere)."""
    person = network_people(network).filter(pk=user_id).first()
    if person is None:
        raise Refused(_(PERSON_NOT_FOUND), kind="not_found")
    return person


def find_cohort(network: Network, slug: str) -> Cohort:
    """A cohort of `network` by slug, for a move."""
    found = Cohort.objects.filter(network=network, slug=slug).select_related("network").first()
    if found is None:
        raise Refused(_(COHORT_NOT_FOUND).format(network=network.name, slug=slug), field="to")
    return found


def people_by_ids(network: Network, ids: Iterable[int]) -> list[User]:
    """The network's people with these ids (the API's `hosts`); Refused naming an unknown id."""
    wanted = list(dict.fromkeys(ids))
    found = {person.pk: person for person in network_people(network).filter(pk__in=wanted)}
    for pk in wanted:
        if pk not in found:
            raise Refused(_(UNKNOWN_PERSON_ID).format(id=pk, network=network.name), field="hosts")
    return [found[pk] for pk in wanted]


UNKNOWN_PERSON_ID = gettext_noop("{network} has nobody with the id {id} who can host a cohort.")
PERSON_NOT_FOUND = gettext_noop("Nobody in this network has that id.")
COHORT_NOT_FOUND = gettext_noop("{network} has no cohort with the slug “{slug}”.")
