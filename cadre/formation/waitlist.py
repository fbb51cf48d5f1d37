"""An intake's waitlist, the seats it fills when someone leaves a cohort, and the next intake
opened when a cohort closes. Pages and the API both call these.

Publishing puts every applicant the cohorts did not take on the waitlist, in the order they
applied (first come, first served); organizers add, remove and reorder people. When a member
leaves a cohort formed from the intake, the roster offers the first person on the waitlist
who can meet with the cohort (or whose hours are not known), and `fill_seat` gives them the
seat in one step: they join, are told by e-mail, the turnover is recorded, and they leave the
waitlist.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Max
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cadre.cohorts.closing import take_seat
from cadre.cohorts.models import Cohort, CohortMembership, Turnover
from cadre.cohorts.policy import can_manage_cohort
from cadre.cohorts.services import NOT_IN_NETWORK, ROSTER_FOR_ORGANIZERS, network_people
from cadre.engine.rotation import find_slots
from cadre.lib.rules import Refused
from cadre.networks.policy import Person
from cadre.people.models import Profile

from .models import Application, FormationRun, Intake, WaitlistEntry
from .services import IntakeValues, create_intake, require_intake_manager

if TYPE_CHECKING:
    from cadre.accounts.models import User

NOT_WAITING = gettext_noop("{person} is not on the waitlist of {intake}.")
ALREADY_WAITING = gettext_noop("{person} is on the waitlist of {intake} already.")
IN_A_COHORT = gettext_noop("{person} has a seat in {cohort}, a cohort of this intake, already.")
REORDER_EVERYONE = gettext_noop(
    "Give the order of everyone on the waitlist, each once: {missing} missing, {extra} not on it."
)
CHOOSE_SOMEONE_WAITING = gettext_noop("Choose someone on the waitlist to take the seat.")
# Written onto the waitlist in the language of the page that published or added them.
WHY_NOT_PLACED = gettext_noop("Applied {when}; not placed in a cohort when they were published.")


# --- which intake a cohort came from ----------------------------------------------------------


def intake_of(cohort: Cohort) -> Intake | None:
    """The intake whose publication created `cohort`, if any."""
    runs = FormationRun.objects.filter(intake__network_id=cohort.network_id).exclude(
        published_cohorts=[]
    )
    for run in runs.select_related("intake__network").only(
        "published_cohorts", "intake", "intake__network"
    ):
        if cohort.pk in run.published_cohorts:
            return run.intake
    return None


def cohorts_of(intake: Intake) -> list[Cohort]:
    run = FormationRun.objects.filter(intake=intake).exclude(published_cohorts=[]).first()
    if run is None:
        return []
    return list(Cohort.objects.filter(pk__in=run.published_cohorts).order_by("name"))


# --- the waitlist --------------------------------------------------------------------------


def waitlist(intake: Intake) -> list[WaitlistEntry]:
    return list(
        WaitlistEntry.objects.filter(intake=intake)
        .select_related("user")
        .order_by("position", "pk")
    )


def _renumber(intake: Intake) -> None:
    for position, entry in enumerate(WaitlistEntry.objects.filter(intake=intake), start=1):
        if entry.position != position:
            entry.position = position
            entry.save(update_fields=["position"])


def _seat_in_intake(intake: Intake, person: User) -> Cohort | None:
    membership = (
        CohortMembership.objects.active()
        .filter(cohort__in=[c.pk for c in cohorts_of(intake)], user=person)
        .select_related("cohort")
        .first()
    )
    return membership.cohort if membership else None


def put_unplaced_on_waitlist(intake: Intake, placed: Sequence[int]) -> int:
    """Publishing's part: every active applicant not among `placed` (user ids) joins the
    waitlist, in the order they applied. Returns how many."""
    start = WaitlistEntry.objects.filter(intake=intake).aggregate(m=Max("position"))["m"] or 0
    waiting = set(WaitlistEntry.objects.filter(intake=intake).values_list("user_id", flat=True))
    entries = []
    for application in (
        Application.objects.active()
        .filter(intake=intake)
        .exclude(user_id__in=placed)
        .order_by("submitted_at", "pk")
    ):
        if application.user_id in waiting:
            continue
        start += 1
        entries.append(
            WaitlistEntry(
                intake=intake,
                user_id=application.user_id,
                position=start,
                why=_(WHY_NOT_PLACED).format(when=date_format(application.submitted_at, "j F Y")),
            )
        )
    WaitlistEntry.objects.bulk_create(entries)
    return len(entries)


def add_to_waitlist(*, by: Person, intake: Intake, person: User, why: str = "") -> WaitlistEntry:
    """Put a person of the network at the end of the intake's waitlist (its organizers)."""
    require_intake_manager(user=by, network=intake.network)
    if not network_people(intake.network).filter(pk=person.pk).exists():
        raise Refused(
            _(NOT_IN_NETWORK).format(person=person.name, network=intake.network.name),
            field="user_id",
        )
    seat = _seat_in_intake(intake, person)
    if seat is not None:
        raise Refused(
            _(IN_A_COHORT).format(person=person.name, cohort=seat.name),
            field="user_id",
            kind="conflict",
        )
    with transaction.atomic():
        if WaitlistEntry.objects.filter(intake=intake, user=person).exists():
            raise Refused(
                _(ALREADY_WAITING).format(person=person.name, intake=intake.title),
                field="user_id",
                kind="conflict",
            )
        last = WaitlistEntry.objects.filter(intake=intake).aggregate(m=Max("position"))["m"]
        return WaitlistEntry.objects.create(
            intake=intake,
            user=person,
            position=(last or 0) + 1,
            why=why.strip()[:200] or _("Added by an organizer."),
        )


def _entry(intake: Intake, person: User) -> WaitlistEntry:
    entry = WaitlistEntry.objects.filter(intake=intake, user=person).first()
    if entry is None:
        raise Refused(
            _(NOT_WAITING).format(person=person.name, intake=intake.title), kind="not_found"
        )
    return entry


def remove_from_waitlist(*, by: Person, intake: Intake, person: User) -> None:
    """Take a person off the waitlist (its organizers); those after them move up."""
    require_intake_manager(user=by, network=intake.network)
    with transaction.atomic():
        _entry(intake, person).delete()
        _renumber(intake)


def move_on_waitlist(*, by: Person, intake: Intake, person: User, up: bool) -> None:
    """Move a person one place up or down the waitlist (the page's buttons)."""
    order = [e.user_id for e in waitlist(intake)]
    _entry(intake, person)
    at = order.index(person.pk)
    to = at - 1 if up else at + 1
    if 0 <= to < len(order):
        order[at], order[to] = order[to], order[at]
    reorder_waitlist(by=by, intake=intake, order=order)


def reorder_waitlist(*, by: Person, intake: Intake, order: Sequence[int]) -> list[WaitlistEntry]:
    """Put the waitlist in the order given: the user ids of everyone on it, each once."""
    require_intake_manager(user=by, network=intake.network)
    with transaction.atomic():
        entries = {
            e.user_id: e for e in WaitlistEntry.objects.select_for_update().filter(intake=intake)
        }
        missing = set(entries) - set(order)
        extra = set(order) - set(entries)
        if missing or extra or len(order) != len(set(order)):
            raise Refused(
                _(REORDER_EVERYONE).format(missing=len(missing), extra=len(extra)), field="order"
            )
        for position, user_id in enumerate(order, start=1):
            entry = entries[user_id]
            if entry.position != position:
                entry.position = position
                entry.save(update_fields=["position"])
    return waitlist(intake)


# --- offering a seat ------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    entry: WaitlistEntry
    # True: they share a whole session's hour with every member whose hours are known;
    # False: they do not; None: nobody's hours (or not theirs) are known.
    fits: bool | None

    @property
    def fit_note(self) -> str:
        if self.fits is None:
            return _("Their hours or the cohort’s are not known.")
        if self.fits:
            return _("Shares an hour with the cohort.")
        return _("Shares no hour with the cohort.")


@dataclass(frozen=True)
class SeatOffer:
    """What the roster offers after someone left: the intake, the people who left and whose
    seat is still free, and the waitlist with who fits; `next` is the one to offer."""

    intake: Intake
    vacated_by: list[User]
    candidates: list[Candidate]

    @property
    def vacated_names(self) -> str:
        return ", ".join(u.name for u in self.vacated_by)

    @property
    def next(self) -> Candidate | None:
        for fits in (True, None):
            for candidate in self.candidates:
                if candidate.fits is fits:
                    return candidate
        return None


def _hours(person: User, intake: Intake) -> list[int]:
    application = Application.objects.filter(intake=intake, user=person).first()
    if application is not None and application.availability:
        return application.availability_utc()
    profile = Profile.objects.filter(user=person).first()
    return profile.availability_utc() if profile else []


def _fits(cohort: Cohort, members: dict[str, list[int]], hours: list[int]) -> bool | None:
    known = {key: value for key, value in members.items() if value}
    if not hours or not known:
        return None
    options = find_slots(
        {**known, "candidate": hours}, session_minutes=cohort.session_minutes, top=1
    )
    return bool(options) and not options[0].missing


def seat_offer(cohort: Cohort) -> SeatOffer | None:
    """None when the cohort did not come from an intake, or has finished."""
    intake = intake_of(cohort)
    if intake is None:
        return None
    replaced = set(
        Turnover.objects.filter(cohort=cohort, left__isnull=False).values_list("left_id", flat=True)
    )
    past = (
        CohortMembership.objects.filter(cohort=cohort, left_on__isnull=False)
        .exclude(user_id__in=replaced)
        .select_related("user")
        .order_by("-left_on", "user__name")
    )
    members = {
        str(m.user_id): (m.user.profile.availability_utc() if hasattr(m.user, "profile") else [])
        for m in cohort.active_memberships().select_related("user__profile")
    }
    candidates = [
        Candidate(entry, _fits(cohort, members, _hours(entry.user, intake)))
        for entry in waitlist(intake)
    ]
    return SeatOffer(intake=intake, vacated_by=[m.user for m in past], candidates=candidates)


def require_seat_filler(user: Person, cohort: Cohort) -> None:
    """Filling a seat is the network's organizers', as the roster is."""
    if not can_manage_cohort(user, cohort):
        raise Refused(_(ROSTER_FOR_ORGANIZERS), kind="forbidden")


def fill_seat(
    *, by: Person, cohort: Cohort, person: User, replacing: User | None = None
) -> Turnover:
    """Give `person`, who is on the waitlist of the cohort's intake, a seat in the cohort
    (in the place `replacing` left): they join as a member, are told by e-mail, the turnover
    is recorded and they leave the waitlist; all or nothing (the network's organizers)."""
    require_seat_filler(by, cohort)
    intake = intake_of(cohort)
    if intake is None:
        raise Refused(
            _("%(cohort)s was not formed from an intake, so it has no waitlist.")
            % {"cohort": cohort.name},
            kind="conflict",
        )
    with transaction.atomic():
        entry = _entry(intake, person)
        turnover = take_seat(by, cohort, person=person, replacing=replacing)
        entry.delete()
        _renumber(intake)
    return turnover


# --- the next intake --------------------------------------------------------------------------


@dataclass(frozen=True)
class NextIntake:
    """What a next intake after `cohort` starts with: the title, slug and dates suggested,
    and the objective, sizes and session length of the cohort's intake (or the cohort's own
    objective and length when it was started by hand)."""

    title: str
    slug: str
    opens_on: date
    closes_on: date


def suggest_next_intake(cohort: Cohort) -> NextIntake:
    source = intake_of(cohort)
    base = source.title if source else cohort.name
    slug = (source.slug if source else cohort.slug)[:50] + "-next"
    n = 2
    while Intake.objects.filter(network_id=cohort.network_id, slug=slug).exists():
        slug = f"{(source.slug if source else cohort.slug)[:50]}-next-{n}"
        n += 1
    today = cohort.today()
    return NextIntake(
        title=(_("%(title)s (next round)") % {"title": base})[:120],
        slug=slug,
        opens_on=today,
        closes_on=today + timedelta(days=28),
    )


def open_next_intake(
    *, by: User, cohort: Cohort, title: str, slug: str, opens_on: date, closes_on: date
) -> Intake:
    """A new intake, a draft, after `cohort`: the objective, description, questions, target
    skills, sizes and session length of the cohort's intake (the cohort's objective and
    session length when it was started by hand), linked to the cohort (its organizers)."""
    require_intake_manager(user=by, network=cohort.network)
    source = intake_of(cohort)
    values: IntakeValues = {
        "title": title.strip(),
        "slug": slug.strip(),
        "opens_on": opens_on,
        "closes_on": closes_on,
        "objective": cohort.objective,
        "session_minutes": cohort.session_minutes,
    }
    if source is not None:
        values.update(
            {
                "description": source.description,
                "objective": source.objective,
                "questions": list(source.questions),
                "target_skills": list(source.target_skills),
                "min_size": source.min_size,
                "max_size": source.max_size,
                "session_minutes": source.session_minutes,
            }
        )
    with transaction.atomic():
        intake = create_intake(user=by, network=cohort.network, **values)
        Intake.objects.filter(pk=intake.pk).update(follows=cohort)
        intake.follows = cohort
    return intake
