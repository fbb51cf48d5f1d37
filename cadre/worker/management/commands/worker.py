"""`cadre worker`: Cadre's one background worker. It runs queued tasks (django-tasks'
database worker) and, in a thread beside it, beats, queues the periodic jobs (reminders and
digests, rounds on their cadence, cohort health, e-mail delivery, housekeeping; see
cadre.worker.jobs) and reaps tasks and messages whose process died. Run one or several."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tasks import task_backends
from django_tasks_db import DatabaseBackend

from cadre.delivery.sending import deliver_due
from cadre.worker import runner
from cadre.worker.jobs import queue_all_jobs


class Command(BaseCommand):
    help = (
        "Run Cadre's background worker: queued tasks, e-mail delivery and every periodic "
        "job (reminders and digests, rounds on their cadence, cohort health)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--poll",
            type=float,
            default=1.0,
            help="seconds to wait when no task is queued (default: 1)",
        )
        parser.add_argument(
            "--batch",
            action="store_true",
            help="run every periodic job once, then every queued task, then exit (for cron)",
        )
        parser.add_argument(
            "--worker-id",
            default="",
            help="a name unique among the workers (default: host, process id and a random part)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        backend = task_backends["default"]
        if not isinstance(backend, DatabaseBackend):
            raise CommandError(
                "cadre worker runs the database task queue, but CADRE_TASK_BACKEND is "
                f"{type(backend).__module__}.{type(backend).__name__}."
            )
        if options["poll"] <= 0:
            raise CommandError("--poll must be a positive number of seconds.")
        worker_id = options["worker_id"] or runner.new_worker_id()
        if len(worker_id) > 64:
            raise CommandError("--worker-id must be at most 64 characters.")
        tasks = [
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            str(options["poll"]),
            "--worker-id",
            worker_id,
            "--verbosity",
            str(options["verbosity"]),
        ]
        runner.beat(worker_id)
        try:
            if options["batch"]:
                runner.reap()
                queue_all_jobs()
                call_command("db_worker", *tasks, "--batch")
                # Messages queued by the last tasks: their wake-up may not have been queued
                # before the queue ran dry.
                deliver_due()
                return
            ticker = runner.Ticker(worker_id)
            ticker.start()
            self.stdout.write(f"Cadre worker {worker_id} started.")
            try:
                call_command("db_worker", *tasks)
            finally:
                ticker.stop()
        finally:
            runner.stopped(worker_id)
