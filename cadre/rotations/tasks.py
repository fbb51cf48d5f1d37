"""Background work of rotations: a coffee round's announcements are queued by a worker, not
in the web request that generated the round; rounds come on their cadence
(cadre.rotations.cadence), run by `cadre worker` every quarter of an hour."""

from dataclasses import asdict

from django_tasks import task

from .announcements import announce_round
from .cadence import generate_due_rounds as generate


@task()
def announce_coffee_round(round_id: int) -> int:
    """Queue the e-mail of every person of coffee round `round_id`; a person already queued
    is not queued again, so a retried task sends nothing twice. Returns how many it queued."""
    return announce_round(round_id)


@task()
def generate_due_rounds() -> dict[str, int]:
    """Generate the coffee and coaching rounds that are due and announce coaching rounds
    about to start; returns how many of each."""
    return asdict(generate())
