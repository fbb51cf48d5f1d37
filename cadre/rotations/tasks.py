"""Background work of rotations: a coffee round's announcement e-mails are sent by a worker
(`cadre db_worker`), never in the web request that generated the round."""

from django_tasks import task

from .announcements import announce_round


@task()
def announce_coffee_round(round_id: int) -> int:
    """E-mail every person of coffee round `round_id` their group; a person already told is
    not told again, so a retried task sends nothing twice. Returns how many were sent."""
    return announce_round(round_id)
