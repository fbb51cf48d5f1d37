"""The rules of intakes and applications that both doors share (the cohorts formed from an
intake are `proposals.py` and `publishing.py`).

    intake = create_intake(user=organizer, network=network, title=..., slug=..., ...)
    update_intake(user=organizer, intake=intake, status=IntakeStatus.OPEN)
    application, created = save_application(user=member, intake=intake, answers={...})
    withdraw_application(user=member, intake=intake)

The page (views.py with its forms) and the API (cadre/api/routers/formation.py) read the
request and call these; each raises `cadre.lib.rules.Refused` with the sentence people see,
which the page shows on its form or as a message and the API in its error shape."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, TypedDict, Unpack

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext_lazy

from cadre.lib.rules import Refused
from cadre.networks.models import Network
from cadre.networks.policy import Person
from cadre.people.models import Profile, tidy_goals

from .models import Application, Intake, IntakeStatus
from .policy import can_apply, can_manage_intakes

if TYPE_CHECKING:
    from cadre.accounts.models import User

ALREADY_PUBLISHED = gettext_noop("The cohorts of this intake are already published.")
INTAKE_NOT_SAVED = gettext_noop("The intake is not saved: correct the fields named.")
APPLICATION_NOT_SAVED = gettext_noop("Your application is not saved: correct the fields named.")

# What an intake may become from what it is: it opens from a draft or when closed, closes when
# open, and once opened is never a draft again. Publishing is publishing.publish's.
STATUS_CHANGES: dict[str, set[str]] = {
    IntakeStatus.OPEN: {IntakeStatus.DRAFT, IntakeStatus.CLOSED},
    IntakeStatus.CLOSED: {IntakeStatus.OPEN},
}
# What an intake is, inside the refusal's sentence ("An intake that is open cannot be …").
STATUS_NOW: dict[str, Promise] = {
    IntakeStatus.DRAFT: pgettext_lazy("an intake that is …", "a draft"),
    IntakeStatus.OPEN: pgettext_lazy("an intake that is …", "open"),
    IntakeStatus.CLOSED: pgettext_lazy("an intake that is …", "closed"),
    IntakeStatus.PUBLISHED: pgettext_lazy("an intake that is …", "published"),
}


class IntakeValues(TypedDict, total=False):
    """An intake's fields that organizers set (the form's and the API's names alike)."""

    title: str
    slug: str
    description: str
    objective: str
    questions: list[str]
    target_skills: list[str]
    opens_on: date
    closes_on: date
    min_size: int
    max_size: int
    session_minutes: int


def _fields_of(exc: ValidationError) -> dict[str, list[str]]:
    """A model's full_clean() errors by field; errors about the whole object under `body`."""
    return {
        ("body" if name == "__all__" else name): list(messages)
        for name, messages in exc.message_dict.items()
    }


def _not_saved(problems: Mapping[str, list[str]], summary: str) -> Refused:
    """One refusal naming every field: its message is the only problem there is, or `summary`
    when there are several."""
    found = [message for messages in problems.values() for message in messages]
    return Refused(found[0] if len(found) == 1 else _(summary), fields=problems)


# --- intakes -------------------------------------------------------------------------------


def require_intake_manager(*, user: Person, network: Network) -> None:
    """Refused (forbidden) unless `user` runs the network's intakes."""
    if not can_manage_intakes(user, network):
        raise Refused(
            _("Only the organizers of %(network)s run intakes.") % {"network": network.name},
            kind="forbidden",
        )


def check_intake_slug(*, network: Network, slug: str, intake: Intake | None = None) -> None:
    """An intake's slug is its own in the network, and not "new" (the page for new ones)."""
    if slug == "new":
        raise Refused(_("“new” is taken by the page for new intakes; pick another."), field="slug")
    taken = Intake.objects.filter(network=network, slug=slug)
    if intake is not None and intake.pk is not None:
        taken = taken.exclude(pk=intake.pk)
    if taken.exists():
        raise Refused(
            _("%(network)s already has an intake called “%(slug)s”.")
            % {"network": network.name, "slug": slug},
            field="slug",
        )


def require_changeable(intake: Intake) -> None:
    """An intake whose cohorts are published no longer changes."""
    if intake.is_published:
        raise Refused(
            _("The cohorts of this intake are published; it no longer changes."), kind="conflict"
        )


def check_status_change(*, intake: Intake, status: str) -> None:
    """Refused (conflict) unless `intake` may go from its status to `status` (STATUS_CHANGES);
    the status it has already is no change."""
    if status == intake.status:
        return
    if intake.status not in STATUS_CHANGES.get(status, set()):
        raise Refused(_status_refusal(intake.status, status), kind="conflict")


def _status_refusal(now: str, status: str) -> str:
    said = {"now": str(STATUS_NOW[now]) if now in STATUS_NOW else now, "status": status}
    if status == IntakeStatus.DRAFT:
        return _("An intake that is %(now)s cannot be made a draft again; close it instead.") % said
    if status == IntakeStatus.OPEN:
        return _("An intake that is %(now)s cannot be opened.") % said
    if status == IntakeStatus.CLOSED:
        return _("An intake that is %(now)s cannot be closed; it was never open.") % said
    if status == IntakeStatus.PUBLISHED:
        return _("An intake that is %(now)s cannot be published here; publish its proposal.") % said
    return _("An intake that is %(now)s cannot be made “%(status)s”.") % said


def check_intake(intake: Intake) -> None:
    """Refused naming every field of `intake` that cannot be saved: the model's rules (dates,
    sizes, questions, target skills) and its slug's."""
    problems: dict[str, list[str]] = {}
    try:
        intake.full_clean(
            exclude=["network", "created_by"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        problems.update(_fields_of(exc))
    try:
        check_intake_slug(network=intake.network, slug=intake.slug, intake=intake)
    except Refused as refusal:
        problems.setdefault("slug", []).append(refusal.message)
    if problems:
        raise _not_saved(problems, INTAKE_NOT_SAVED)


def _save_intake(intake: Intake) -> None:
    try:
        with transaction.atomic():
            intake.save()
    except IntegrityError:
        # Another intake took the slug between the check and the save.
        raise Refused(_("An intake with this slug appeared meanwhile."), field="slug") from None


def create_intake(*, user: User, network: Network, **values: Unpack[IntakeValues]) -> Intake:
    """A new intake of `network`, as a draft, by one of its organizers."""
    require_intake_manager(user=user, network=network)
    intake = Intake(network=network, created_by=user, status=IntakeStatus.DRAFT)
    for name, value in values.items():
        setattr(intake, name, value)
    check_intake(intake)
    _save_intake(intake)
    return intake


def update_intake(
    *, user: User, intake: Intake, status: str | None = None, **changes: Unpack[IntakeValues]
) -> Intake:
    """Change the fields given of `intake`, and its status (opened or closed), until its
    cohorts are published; nothing is saved when anything is refused."""
    require_intake_manager(user=user, network=intake.network)
    require_changeable(intake)
    if status is not None:
        check_status_change(intake=intake, status=status)
    for name, value in changes.items():
        setattr(intake, name, value)
    if status is not None:
        intake.status = status
    check_intake(intake)
    _save_intake(intake)
    return intake


# --- applications --------------------------------------------------------------------------


def require_applicant(*, user: Person, intake: Intake) -> None:
    """Refused (forbidden) unless `user` may apply to `intake` now (policy.can_apply)."""
    if not can_apply(user, intake):
        raise Refused(_("This intake does not take applications from you now."), kind="forbidden")


def _profile(user: User) -> Profile | None:
    try:
        return user.profile
    except ObjectDoesNotExist:
        return None


def save_application(
    *,
    user: User,
    intake: Intake,
    goals: Sequence[str] | None = None,
    availability: Sequence[int] | None = None,
    time_zone: str | None = None,
    skills: Mapping[str, int] | None = None,
    answers: Mapping[str, str],
    statement: str = "",
) -> tuple[Application, bool]:
    """Apply to `intake`, or replace the application (a withdrawn one comes back), while the
    intake takes applications from `user`. Goals, availability, time zone and skills left out
    (None) are the profile's. Returns the application and whether it is new."""
    require_applicant(user=user, intake=intake)
    existing = intake.applications.filter(user=user.pk).first()
    application = existing or Application(intake=intake, user=user)
    profile = _profile(user)
    if goals is None:
        goals = profile.learning_goals if profile else []
    if availability is None:
        availability = profile.availability if profile else []
    if skills is None:
        skills = (
            dict(
                profile.skills.filter(skill__network_id=intake.network_id).values_list(
                    "skill__slug", "level"
                )
            )
            if profile
            else {}
        )
    application.goals = tidy_goals(goals)
    application.availability = sorted(set(availability))
    application.time_zone = time_zone or (profile.time_zone if profile else "") or "UTC"
    application.skills = dict(skills)
    application.answers = {question: answer.strip() for question, answer in answers.items()}
    application.statement = statement.strip()
    application.withdrawn = False
    if existing is not None:
        application.updated_at = timezone.now()
    try:
        application.full_clean(exclude=["intake", "user"], validate_unique=False)
    except ValidationError as exc:
        raise _not_saved(_fields_of(exc), APPLICATION_NOT_SAVED) from None
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        # The same person sent it twice at once; the first one is kept.
        raise Refused(_("Your application was just saved."), kind="conflict") from None
    return application, existing is None


def withdraw_application(*, user: Person, intake: Intake) -> Application:
    """Withdraw the person's application while the intake is open (again is no harm)."""
    application = intake.applications.select_related("user").filter(user=user.pk).first()
    if application is None:
        raise Refused(_("You have no application to withdraw."), kind="not_found")
    if not intake.accepts_applications():
        raise Refused(
            _("The intake is closed; ask an organizer to take you out."), kind="forbidden"
        )
    application.withdrawn = True
    application.save(update_fields=["withdrawn"])
    return application
