"""Tasks whose worker died (issue 12's M6): queued again when safe to run twice, else failed
with the reason, which a formation run shows on its page."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cadre.formation.models import FormationRun, RunStatus
from cadre.formation.tasks import run_formation
from cadre.formation.tests.helpers import add_applicants, make_intake
from cadre.health.tasks import refresh_stale_health
from cadre.reminders.tasks import queue_due_reminders
from cadre.testing import run_worker
from cadre.worker.models import Beat
from cadre.worker.reaper import POLICIES, UNKNOWN_WORKER_AFTER, OnAbandon, reap_tasks

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def running(task, *args, workers=("worker-a",), started=NOW):
    """`task` claimed and left RUNNING by `workers` (the last one holds it now)."""
    result = task.enqueue(*args)
    DBTaskResult.objects.filter(pk=result.id).update(
        status="RUNNING", worker_ids=list(workers), started_at=started
    )
    return DBTaskResult.objects.get(pk=result.id)


def worker(worker_id, beat_at, stopped=False):
    return Beat.objects.create(
        worker_id=worker_id, beat_at=beat_at, stopped_at=beat_at if stopped else None
    )


def test_a_task_whose_worker_fell_silent_is_queued_again_and_then_runs(cast, smtp_inbox):
    now = timezone.now()
    worker("worker-a", now - timedelta(minutes=3))
    task = running(queue_due_reminders, started=now - timedelta(minutes=4))
    assert reap_tasks(now) == (1, 0)
    task.refresh_from_db()
    assert task.status == "READY"
    run_worker()
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    assert len(task.worker_ids) == 2


def test_a_task_of_a_worker_that_is_alive_is_left_alone(db):
    worker("worker-a", NOW - timedelta(seconds=20))
    task = running(queue_due_reminders)
    with time_machine.travel(NOW, tick=False):
        assert reap_tasks() == (0, 0)
    task.refresh_from_db()
    assert task.status == "RUNNING"


def test_a_task_of_a_worker_that_stopped_is_reaped_at_once(db):
    worker("worker-a", NOW - timedelta(seconds=5), stopped=True)
    running(refresh_stale_health)
    with time_machine.travel(NOW, tick=False):
        assert reap_tasks() == (1, 0)


def test_a_task_lost_too_many_times_is_failed_with_the_reason(db):
    retries = POLICIES[queue_due_reminders.module_path].retries
    worker("worker-d", NOW - timedelta(minutes=5))
    workers = [f"worker-{n}" for n in "abcd"][: retries + 1]
    task = running(queue_due_reminders, workers=workers)
    with time_machine.travel(NOW, tick=False):
        assert reap_tasks() == (0, 1)
    task.refresh_from_db()
    assert task.status == "FAILED"
    assert task.exception_class_path == "cadre.worker.reaper.WorkerLost"
    assert "stopped before it finished, 4 times" in task.traceback


def test_a_task_of_a_worker_that_never_beat_is_presumed_lost_only_after_a_long_time(db):
    task = running(refresh_stale_health, workers=("old-style-worker",))
    with time_machine.travel(NOW + UNKNOWN_WORKER_AFTER - timedelta(minutes=1), tick=False):
        assert reap_tasks() == (0, 0)
    with time_machine.travel(NOW + UNKNOWN_WORKER_AFTER + timedelta(minutes=1), tick=False):
        assert reap_tasks() == (1, 0)
    task.refresh_from_db()
    assert task.status == "READY"


def test_a_task_nobody_said_is_safe_to_repeat_is_failed_at_once(db):
    worker("worker-a", NOW - timedelta(minutes=3))
    task = running(queue_due_reminders)
    DBTaskResult.objects.filter(pk=task.pk).update(task_path="cadre.somewhere.unlisted")
    with time_machine.travel(NOW, tick=False):
        assert reap_tasks() == (0, 1)
    task.refresh_from_db()
    assert "not safe to run twice" in task.traceback


def test_a_formation_run_whose_workers_died_shows_why_it_failed(cast, client_for):
    intake = make_intake(cast)
    add_applicants(intake, 6)
    run = FormationRun.objects.create(intake=intake, seconds=5, seed=1, created_by=cast.organizer)
    FormationRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)
    worker("worker-b", NOW - timedelta(minutes=3))
    running(run_formation, run.pk, workers=("worker-a", "worker-b"))
    with time_machine.travel(NOW, tick=False):
        assert reap_tasks() == (0, 1)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert "stopped before it finished, 2 times" in run.error
    page = reverse("formation:run", args=[cast.network.slug, intake.slug, run.pk])
    assert "stopped before it finished" in client_for(cast.organizer).get(page).content.decode()


def test_the_run_is_failed_in_the_same_transaction_as_its_task(cast, monkeypatch):
    """Nobody may read the task failed and its formation run still running (a worker killed
    between two commits would leave it so for ever); and should recording the run's failure
    fail, the task's failure still stands."""
    from django.db import connection

    intake = make_intake(cast)
    run = FormationRun.objects.create(intake=intake, seconds=5, seed=1, created_by=cast.organizer)
    worker("worker-b", NOW - timedelta(minutes=3))
    task = running(run_formation, run.pk, workers=("worker-a", "worker-b"))
    seen = []
    policy = POLICIES[run_formation.module_path]

    def give_up(args, reason):
        # Inside the task's transaction (and a savepoint of its own): the atomic blocks
        # open around this call are the test's, the reaper's and the savepoint.
        seen.append((DBTaskResult.objects.get(pk=task.pk).status, len(connection.savepoint_ids)))
        raise RuntimeError("the run could not be saved")

    monkeypatch.setitem(
        POLICIES, run_formation.module_path, OnAbandon(retries=policy.retries, give_up=give_up)
    )
    with time_machine.travel(NOW, tick=False):
        assert reap_tasks() == (0, 1)
    outside = len(connection.savepoint_ids)
    assert seen == [("FAILED", outside + 2)]
    task.refresh_from_db()
    assert task.status == "FAILED"


# --- for real: workers killed mid-run -----------------------------------------------------------

SEED_RUN = """
from cadre.testing import build_cast
from cadre.formation.tests.helpers import add_applicants, make_intake
from cadre.formation.proposals import start_run
cast = build_cast()
intake = make_intake(cast)
add_applicants(intake, 40)
run = start_run(intake, cast.organizer, seconds=600, seed=3)
print(run.pk)
"""

SILENCE = """
from datetime import timedelta
from django.utils import timezone
from cadre.worker.models import Beat
# What three minutes of silence look like to the next worker.
Beat.objects.filter(worker_id="{worker}").update(beat_at=timezone.now() - timedelta(minutes=3))
"""


def test_killed_workers_leave_no_formation_run_running_for_ever(scratch_database):
    run = int(scratch_database.shell(SEED_RUN).strip().splitlines()[-1])

    def state():
        # Read straight from the database: a `cadre shell` a second would cost more CPU than
        # the workers being watched.
        [(status, error, task_id)] = scratch_database.query(
            f"SELECT status, error, task_id FROM {FormationRun._meta.db_table} WHERE id = %s", run
        )
        key = uuid.UUID(task_id)  # stored as 32 hex digits on SQLite, as a uuid on PostgreSQL
        [(task, workers)] = scratch_database.query(
            f"SELECT status, worker_ids FROM {DBTaskResult._meta.db_table} WHERE id = %s",
            key.hex if scratch_database.url.startswith("sqlite") else key,
        )
        workers = json.loads(workers) if isinstance(workers, str) else workers
        return {"run": status, "error": error, "task": task, "workers": workers}

    def start(worker_id):
        return subprocess.Popen(
            [sys.executable, "-m", "cadre", "worker", "--worker-id", worker_id],
            env=scratch_database.env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def until(check, what):
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            found = state()
            if check(found):
                return found
            time.sleep(1)
        pytest.fail(f"Timed out waiting for {what}: {found}")

    for worker_id, runs in (("first", 1), ("second", 2)):
        process = start(worker_id)
        until(
            lambda s, n=runs: s["run"] == "running" and len(s["workers"]) == n,
            f"worker {worker_id} to run the formation",
        )
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        assert state()["task"] == "RUNNING"  # what a killed worker leaves behind
        scratch_database.shell(SILENCE.format(worker=worker_id))
    third = start("third")
    try:
        found = until(lambda s: s["task"] == "FAILED", "the third worker to reap the run")
    finally:
        third.send_signal(signal.SIGTERM)
        third.wait(timeout=60)
    assert found["run"] == "failed"
    assert "stopped before it finished, 2 times" in found["error"]
