"""`cadre worker`: one command for queued tasks and every periodic job, with a heartbeat that
/healthz and network admins see."""

from __future__ import annotations

import importlib
import pkgutil
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult

import cadre
from cadre.testing import keep_test_connection
from cadre.worker import runner
from cadre.worker.jobs import JOBS, queue_due_jobs
from cadre.worker.models import Beat, PeriodicRun
from cadre.worker.reaper import POLICIES

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def queued(path_end: str) -> int:
    return DBTaskResult.objects.filter(task_path__endswith=path_end, status="READY").count()


def test_each_periodic_job_is_queued_once_per_interval_whatever_the_number_of_workers(db):
    first, second = runner.Ticker("worker-a"), runner.Ticker("worker-b")
    with time_machine.travel(NOW, tick=False) as clock:
        first.once()
        second.once()
        for job in JOBS:
            assert queued(job.path.rsplit(".", 1)[1]) == 1, job.name
        DBTaskResult.objects.update(status="SUCCESSFUL")  # a worker ran them
        clock.shift(timedelta(minutes=1, seconds=1))
        second.once()
        assert queued("deliver_queued") == 1  # every minute
        assert queued("queue_due_reminders") == 0  # every five minutes
        clock.shift(timedelta(minutes=4))
        first.once()
        assert queued("queue_due_reminders") == 1


def test_a_job_is_not_queued_again_while_its_last_run_waits_or_runs(db):
    with time_machine.travel(NOW, tick=False) as clock:
        assert "queue-reminders" in queue_due_jobs(timezone.now())
        DBTaskResult.objects.filter(task_path__endswith="queue_due_reminders").update(
            status="RUNNING"
        )
        clock.shift(timedelta(minutes=6))
        assert "queue-reminders" not in queue_due_jobs(timezone.now())
    assert DBTaskResult.objects.filter(task_path__endswith="queue_due_reminders").count() == 1


def test_the_ticker_beats_and_a_stopped_worker_says_so(db):
    with time_machine.travel(NOW, tick=False):
        runner.Ticker("worker-a").once()
    beat = Beat.objects.get(worker_id="worker-a")
    assert beat.beat_at == NOW and beat.stopped_at is None
    runner.stopped("worker-a")
    beat.refresh_from_db()
    assert beat.stopped_at is not None
    assert PeriodicRun.objects.count() == len(JOBS)


def test_worker_batch_runs_every_periodic_job_once_then_exits(db):
    with keep_test_connection():
        call_command("worker", "--batch", verbosity=0)
    for job in JOBS:
        runs = DBTaskResult.objects.filter(task_path=job.path)
        assert [r.status for r in runs] == ["SUCCESSFUL"], job.name
    assert Beat.objects.get().stopped_at is not None


def test_worker_refuses_a_task_backend_it_cannot_run(db, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with pytest.raises(CommandError, match="runs the database task queue"):
        call_command("worker", "--batch")


def test_worker_options_are_checked(db):
    with pytest.raises(CommandError, match="--poll must be a positive"):
        call_command("worker", "--poll", "0")
    with pytest.raises(CommandError, match="at most 64"):
        call_command("worker", "--worker-id", "x" * 65)


def _all_tasks() -> dict[str, Task]:
    found = {}
    for module in pkgutil.walk_packages(cadre.__path__, "cadre."):
        if not module.name.endswith(".tasks"):
            continue
        for value in vars(importlib.import_module(module.name)).values():
            if isinstance(value, Task):
                found[value.module_path] = value
    return found


def test_every_task_of_cadre_says_what_to_do_when_its_worker_dies():
    tasks = _all_tasks()
    assert len(tasks) >= 8
    missing = sorted(set(tasks) - set(POLICIES))
    assert not missing, f"Classify these tasks in cadre/worker/reaper.py POLICIES: {missing}"
    assert not set(POLICIES) - set(tasks), "POLICIES names a task that no longer exists"


# --- health ---------------------------------------------------------------------------------


def test_healthz_reports_the_database_and_the_last_heartbeat(client, db):
    with time_machine.travel(NOW, tick=False) as clock:
        body = client.get(reverse("healthz")).json()
        assert body == {
            "status": "ok",
            "database": "ok",
            "worker": {"running": False, "last_beat": None, "seconds_since_last_beat": None},
        }
        runner.beat("worker-a")
        clock.shift(timedelta(seconds=42))
        body = client.get(reverse("healthz")).json()
        assert body["worker"] == {
            "running": True,
            "last_beat": NOW.isoformat(),
            "seconds_since_last_beat": 42,
        }
        clock.shift(timedelta(minutes=15))
        assert client.get(reverse("healthz")).json()["worker"]["running"] is False


def test_healthz_answers_503_when_the_database_does_not(client, db, monkeypatch):
    from django.db import OperationalError

    def down(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("cadre.worker.models.BeatQuerySet.last_beat", down)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable"}


def test_readyz_touches_nothing(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("readyz"))
    assert response.content == b"ok"


BANNER = "No background worker is running"


def test_network_admins_see_a_banner_when_no_worker_has_run_for_15_minutes(cast, client_for):
    page = cast.network.get_absolute_url()
    with time_machine.travel(NOW, tick=False) as clock:
        body = client_for(cast.admin).get(page).content.decode()
        assert BANNER in body and "None has run yet" in body
        runner.beat("worker-a")
        assert BANNER not in client_for(cast.admin).get(page).content.decode()
        clock.shift(timedelta(minutes=16))
        body = client_for(cast.admin).get(page).content.decode()
        assert BANNER in body and "16\xa0minutes ago" in body


@pytest.mark.parametrize("who", ["organizer", "host", "member", "outsider"])
def test_nobody_but_network_admins_sees_the_worker_banner(cast, client_for, who):
    body = client_for(getattr(cast, who)).get(cast.network.get_absolute_url()).content.decode()
    assert BANNER not in body


def test_the_healthz_example_in_the_operating_guide_has_the_real_shape(client, db):
    import json
    import re
    from pathlib import Path

    guide = (Path(__file__).resolve().parents[3] / "docs" / "operating.md").read_text()
    section = guide.split("## Background work")[1].split("\n## ")[0]
    example = json.loads(re.search(r"```json\n(.*?)\n```", section, re.S).group(1))
    runner.beat("worker-a")
    real = client.get(reverse("healthz")).json()

    def shape(value):
        if isinstance(value, dict):
            return {k: shape(v) for k, v in value.items()}
        return type(value).__name__

    assert shape(example) == shape(real)


def test_a_tick_with_nothing_due_only_beats(db, django_assert_num_queries):
    ticker = runner.Ticker("worker-a")
    with time_machine.travel(NOW, tick=False) as clock:
        ticker.once()
        clock.shift(timedelta(seconds=10))
        with django_assert_num_queries(2):  # the heartbeat, and one read of the jobs
            ticker.once()


def test_housekeeping_deletes_old_records_and_sent_mail_but_keeps_what_is_recent(db):
    from cadre.delivery.models import Message, Status
    from cadre.delivery.services import Email, queue_many
    from cadre.worker.tasks import prune_worker_records

    queue_many(Email(key=f"k{n}", to="a@b.test", subject="s", body="b") for n in range(3))
    Message.objects.filter(key="k0").update(status=Status.SENT, sent_at=NOW - timedelta(days=91))
    Message.objects.filter(key="k1").update(status=Status.SENT, sent_at=NOW - timedelta(days=89))
    Message.objects.filter(key="k2").update(status=Status.FAILED)
    old = queue_due_reminders_result(NOW - timedelta(days=8))
    recent = queue_due_reminders_result(NOW - timedelta(days=6))
    worker("gone", NOW - timedelta(days=8))
    with time_machine.travel(NOW, tick=False):
        assert prune_worker_records.call() == 1
    assert sorted(Message.objects.values_list("key", flat=True)) == ["k1", "k2"]
    assert list(DBTaskResult.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not DBTaskResult.objects.filter(pk=old.pk).exists()
    assert not Beat.objects.exists()


def queue_due_reminders_result(finished_at):
    from cadre.reminders.tasks import queue_due_reminders

    result = queue_due_reminders.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(status="SUCCESSFUL", finished_at=finished_at)
    return DBTaskResult.objects.get(pk=result.id)


def worker(worker_id, beat_at):
    return Beat.objects.create(worker_id=worker_id, beat_at=beat_at)


@pytest.mark.parametrize(
    "language, banner, never",
    [
        ("es", "No hay ningún proceso de fondo en marcha.", "Todavía no se ha ejecutado ninguno."),
        ("de", "Es läuft kein Hintergrundprozess.", "Es ist noch keiner gelaufen."),
    ],
)
def test_the_worker_banner_is_in_the_admins_language(cast, client_for, language, banner, never):
    from cadre.testing import save_language

    save_language(cast.admin, language)
    with time_machine.travel(NOW, tick=False):
        body = client_for(cast.admin).get(cast.network.get_absolute_url()).content.decode()
    assert banner in body and never in body and BANNER not in body
