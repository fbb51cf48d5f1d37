"""`cadre worker`: the background worker (django-tasks' db_worker) plus a scheduler thread
that enqueues the reminder scan every `--interval` seconds. Run as many as you like: each
reminder is claimed by one worker only (cadre.reminders.sending)."""

import logging
import threading
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

logger = logging.getLogger(__name__)


def schedule_scans(stop: threading.Event, interval: float) -> None:
    """Enqueue one reminder scan now and then every `interval` seconds until `stop` is set."""
    from cadre.reminders.tasks import send_due_reminders

    while not stop.is_set():
        try:
            send_due_reminders.enqueue()
        except Exception:
            logger.exception("Could not enqueue the reminder scan")
        finally:
            close_old_connections()
        stop.wait(interval)


class Command(BaseCommand):
    help = "Run background tasks and send reminders and digests every --interval seconds."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval",
            type=float,
            default=300,
            help="seconds between reminder scans (default: 300)",
        )
        parser.add_argument(
            "--poll",
            type=float,
            default=1,
            help="seconds the task worker waits when the queue is empty (default: 1)",
        )
        parser.add_argument(
            "--batch",
            action="store_true",
            help="enqueue one scan, run every outstanding task, then exit",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        worker_args = ["--no-reload", "--no-startup-delay", "--interval", str(options["poll"])]
        if options["batch"]:
            from cadre.reminders.tasks import send_due_reminders

            send_due_reminders.enqueue()
            call_command("db_worker", *worker_args, "--batch")
            return
        stop = threading.Event()
        scheduler = threading.Thread(
            target=schedule_scans,
            args=(stop, options["interval"]),
            name="reminder-scheduler",
            daemon=True,
        )
        scheduler.start()
        try:
            call_command("db_worker", *worker_args)
        finally:
            stop.set()
