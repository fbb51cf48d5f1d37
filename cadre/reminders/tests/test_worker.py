import threading
from datetime import timedelta

from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cadre.reminders.management.commands.worker import schedule_scans
from cadre.reminders.models import Reminder
from cadre.schedule.models import Session
from cadre.testing import keep_test_connection


def test_cadre_worker_in_batch_mode_scans_once_and_sends_due_reminders(cast):
    Session.objects.create(cohort=cast.cohort, starts_at=timezone.now() + timedelta(hours=2))
    with keep_test_connection():
        call_command("worker", "--batch")
    sessions = [m.to[0] for m in mail.outbox if "Session on" in m.subject]
    assert sorted(sessions) == sorted([cast.host.email, cast.member.email, cast.newcomer.email])
    with keep_test_connection():
        call_command("worker", "--batch")
    assert not Reminder.objects.filter(sent_at__isnull=True).exists()
    assert len([m for m in mail.outbox if "Session on" in m.subject]) == 3


class OneRound(threading.Event):
    """Stops the scheduler at its first wait."""

    def wait(self, timeout: float | None = None) -> bool:
        self.set()
        return True


def test_the_scheduler_enqueues_a_scan_then_waits_for_the_interval(db):
    with keep_test_connection():
        schedule_scans(OneRound(), interval=300)
    queued = DBTaskResult.objects.filter(task_path__endswith="send_due_reminders")
    assert queued.count() == 1
