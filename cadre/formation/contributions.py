"""What formation adds to a cohort's pages (cadre/cohorts/contributions.py): the seat offer
on "Manage members" and "Open the next intake" on the close page. Registered in apps.py."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cadre.cohorts.models import Cohort, CohortStatus
from cadre.cohorts.services import FINISHED
from cadre.networks.contributions import Section

from .models import Intake
from .policy import can_manage_intakes
from .waitlist import intake_of, seat_offer

if TYPE_CHECKING:
    from cadre.accounts.models import User


def offer_a_seat(user: User, cohort: Cohort) -> Section | None:
    if cohort.status in FINISHED or not can_manage_intakes(user, cohort.network):
        return None
    offer = seat_offer(cohort)
    if offer is None:
        return None
    return Section(
        "formation/_seat_offer.html", {"offer": offer, "network": cohort.network, "cohort": cohort}
    )


def offer_next_intake(user: User, cohort: Cohort) -> Section | None:
    if cohort.status != CohortStatus.COMPLETED and cohort.status != CohortStatus.ARCHIVED:
        return None
    if not can_manage_intakes(user, cohort.network):
        return None
    return Section(
        "formation/_next_intake.html",
        {
            "network": cohort.network,
            "cohort": cohort,
            "source": intake_of(cohort),
            "opened": list(Intake.objects.filter(follows=cohort).order_by("created_at")),
        },
    )
