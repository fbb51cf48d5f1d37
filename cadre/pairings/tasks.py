"""Background work of pairings: asking "did you meet?" when it is due, run by `cadre worker`
every hour (cadre.worker.jobs)."""

from dataclasses import asdict

from django_tasks import task

from .asking import ask_due


@task()
def ask_due_meeting_checks() -> dict[str, int]:
    """Make the "did you meet?" checks that are due and queue their e-mails; a check and its
    e-mail are made once, however often this runs. Returns how many of each."""
    return asdict(ask_due())
