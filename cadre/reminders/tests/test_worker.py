from datetime import timedelta

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from cadre.delivery.models import Status
from cadre.reminders.models import Reminder
from cadre.schedule.models import Session
from cadre.testing import keep_test_connection


def test_cadre_worker_in_batch_mode_scans_once_and_sends_due_reminders(cast):
    Session.objects.create(cohort=cast.cohort, starts_at=timezone.now() + timedelta(hours=2))
    with keep_test_connection():
        call_command("worker", "--batch", verbosity=0)
    sessions = [m.to[0] for m in mail.outbox if "Session on" in m.subject]
    assert sorted(sessions) == sorted([cast.host.email, cast.member.email, cast.newcomer.email])
    with keep_test_connection():
        call_command("worker", "--batch", verbosity=0)
    assert not Reminder.objects.exclude(message__status=Status.SENT).exists()
    assert len([m for m in mail.outbox if "Session on" in m.subject]) == 3
