"""Background work of sessions: a published report's e-mails are sent by a worker
(`cadre db_worker`), never in the web request that published it."""

from django_tasks import task

from .reports import deliver


@task()
def send_session_report(report_id: int) -> int:
    """E-mail published report `report_id` to the cohort; a person already sent it is not
    sent it again, so a retried task sends nothing twice. Returns how many were sent."""
    return deliver(report_id)
