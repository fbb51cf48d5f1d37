"""Background work of formation: a run is solved by a worker (`cadre db_worker`), never in
a web request."""

from django_tasks import task

from .proposals import execute_run


@task()
def run_formation(run_id: int) -> str:
    """Solve formation run `run_id`, reporting progress on its row; a run that already
    finished is not run again."""
    return execute_run(run_id)
