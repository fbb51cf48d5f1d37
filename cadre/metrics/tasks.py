"""Background work of metrics, run by `cadre worker` (cadre.worker.jobs):
`refresh_weekly_figures`, every five minutes, writes the stored weekly counts of the cohorts
that need it (cadre.metrics.weekly.refresh_due)."""

from django_tasks import task

from . import weekly


@task()
def refresh_weekly_figures() -> int:
    """Rewrite the stored weeks of the cohorts marked changed, behind or old."""
    return weekly.refresh_due()
