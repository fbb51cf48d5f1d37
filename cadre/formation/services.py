"""The rules of intakes and applications that both doors share (the cohorts formed from an
intake are `proposals.py` and `publishing.py`).

Each function raises `cadre.lib.rules.Refused` with the sentence people see."""

from __future__ import annotations

from cadre.lib.rules import Refused
from cadre.networks.models import Network
from cadre.networks.policy import Person

from .models import Application, Intake
from .policy import can_apply, can_manage_intakes

ALREADY_PUBLISHED = "The cohorts of this intake are already published."


def require_intake_manager(user: Person, network: Network) -> None:
    """Refused (forbidden) unless `user` runs the network's intakes."""
    if not can_manage_intakes(user, network):
        raise Refused(f"Only the organizers of {network.name} run intakes.", kind="forbidden")


def check_intake_slug(network: Network, slug: str, *, intake: Intake | None = None) -> None:
    """An intake's slug is its own in the network, and not "new" (the page for new ones)."""
    if slug == "new":
        raise Refused("“new” is taken by the page for new intakes; pick another.", field="slug")
    taken = Intake.objects.filter(network=network, slug=slug)
    if intake is not None and intake.pk is not None:
        taken = taken.exclude(pk=intake.pk)
    if taken.exists():
        raise Refused(f"{network.name} already has an intake called “{slug}”.", field="slug")


def require_changeable(intake: Intake) -> None:
    """An intake whose cohorts are published no longer changes."""
    if intake.is_published:
        raise Refused(
            "The cohorts of this intake are published; it no longer changes.", kind="conflict"
        )


def require_applicant(user: Person, intake: Intake) -> None:
    """Refused (forbidden) unless `user` may apply to `intake` now (policy.can_apply)."""
    if not can_apply(user, intake):
        raise Refused("This intake does not take applications from you now.", kind="forbidden")


def withdraw_application(user: Person, intake: Intake) -> Application:
    """Withdraw the person's application while the intake is open (again is no harm)."""
    application = intake.applications.select_related("user").filter(user=user.pk).first()
    if application is None:
        raise Refused("You have no application to withdraw.", kind="not_found")
    if not intake.accepts_applications():
        raise Refused("The intake is closed; ask an organizer to take you out.", kind="forbidden")
    application.withdrawn = True
    application.save(update_fields=["withdrawn"])
    return application
