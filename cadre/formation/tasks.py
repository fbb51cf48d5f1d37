"""Background work of formation: a run is solved by a worker (`cadre worker`), never in a
web request; publishing queues the applicants' e-mails there too."""

from django_tasks import task

from .proposals import execute_run
from .publishing import queue_publication_emails


@task()
def run_formation(run_id: int) -> str:
    """Solve formation run `run_id`, reporting progress on its row; a run that already
    finished is not run again."""
    return execute_run(run_id)


@task()
def announce_publication(intake_id: int) -> int:
    """Queue the e-mail telling each applicant of published intake `intake_id` their cohort;
    nobody is queued twice. Returns how many it queued."""
    return queue_publication_emails(intake_id)
