from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from cadre.delivery.models import Message, Status
from cadre.delivery.sending import deliver_due
from cadre.reminders import sending
from cadre.reminders.models import Kind, NotificationPreference, Reminder
from cadre.reminders.sending import queue_due
from cadre.reminders.tasks import queue_due_reminders

from .helpers import NOW, TODAY, block, commit, rate, run_worker, session_in, skill


def send_due(now) -> int:
    """What the worker does: queue the reminders due at `now`, then send the outbox; returns
    how many reminders the scan queued."""
    queued = queue_due(now)
    deliver_due()
    return queued


def sent(kind: str) -> list[str]:
    return sorted(
        r.user.email for r in Reminder.objects.filter(kind=kind, message__status=Status.SENT)
    )


@pytest.fixture
def no_digest(monkeypatch):
    """Most tests are about one kind of reminder; the Monday digest would add noise."""
    monkeypatch.setattr(sending, "weekly_digests", lambda now: iter(()))


def test_a_session_reminder_goes_through_the_real_worker_to_smtp_with_the_persons_role(
    cast, smtp_inbox, no_digest
):
    session_in(cast.cohort, hours=10, role_for=cast.member, role="note-taker")
    session_in(cast.other_cohort, hours=200)  # beyond everyone's window
    queue_due_reminders.enqueue(NOW.isoformat())
    run_worker()
    recipients = sorted(r for m in smtp_inbox.messages for r in m.rcpt_tos)
    assert recipients == sorted([cast.member.email, cast.host.email, cast.newcomer.email])
    first = [m.rcpt_tos[0] for m in smtp_inbox.messages]
    bodies = dict(zip(first, smtp_inbox.bodies(), strict=True))
    assert "Your role: note-taker." in bodies[cast.member.email]
    assert "You hold no role this time." in bodies[cast.host.email]
    assert "/reminders/unsubscribe/" in bodies[cast.member.email]
    queue_due_reminders.enqueue(NOW.isoformat())
    run_worker()
    assert len(smtp_inbox.messages) == 3


def test_a_session_reminder_waits_for_the_persons_hours_before(cast, no_digest):
    session_in(cast.cohort, hours=10)
    NotificationPreference.objects.create(user=cast.member, hours_before_session=2)
    send_due(NOW)
    assert cast.member.email not in sent(Kind.SESSION)
    send_due(NOW + timedelta(hours=9))
    assert cast.member.email in sent(Kind.SESSION)


def test_commitments_due_soon_and_overdue_are_reminded_once_per_state(cast, no_digest):
    soon = commit(cast.member, cast.cohort, TODAY + timedelta(days=2))
    commit(cast.member, cast.cohort, TODAY + timedelta(days=9), text="Later")
    late = commit(cast.host, cast.cohort, TODAY - timedelta(days=1))
    assert send_due(NOW) == 2
    assert set(Reminder.objects.values_list("key", flat=True)) == {
        f"commitment-due:{soon.pk}",
        f"commitment-overdue:{late.pk}",
    }
    assert send_due(NOW) == 0
    # The due one becomes overdue: one more reminder, for the new state.
    assert send_due(NOW + timedelta(days=3)) == 1
    assert sent(Kind.COMMITMENT_OVERDUE) == sorted([cast.member.email, cast.host.email])
    assert len(mail.outbox) == 3


def test_a_commitment_of_someone_who_left_the_cohort_is_not_reminded(cast, no_digest):
    commit(cast.member, cast.cohort, TODAY)
    cast.cohort.memberships.filter(user=cast.member).update(left_on=TODAY)
    assert send_due(NOW) == 0


def test_a_blocker_unanswered_for_two_days_goes_to_hosts_and_skilled_peers(cast, no_digest):
    data = skill(cast.network)
    rate(cast.newcomer, data, 4)
    rate(cast.other_cohort_member, data, 4)  # skilled but in another cohort
    block(cast.member, cast.cohort, data)
    block(cast.member, cast.cohort, data, age=timedelta(days=1))  # too fresh
    send_due(NOW)
    assert sent(Kind.BLOCKER) == sorted([cast.host.email, cast.newcomer.email])
    assert len(mail.outbox) == 2


def test_a_blocker_with_an_offer_of_help_is_not_sent(cast, no_digest):
    data = skill(cast.network)
    blocker = block(cast.member, cast.cohort, data)
    blocker.offer(cast.host)
    assert send_due(NOW) == 0


def test_a_charter_review_due_goes_to_the_hosts_only(cast, no_digest):
    charter = cast.cohort.current_charter()
    charter.next_review_on = TODAY
    charter.save()
    send_due(NOW)
    assert sent(Kind.CHARTER_REVIEW) == [cast.host.email]
    assert "due for review" in mail.outbox[0].body


def test_the_weekly_digest_goes_on_mondays_once_per_person(cast):
    commit(cast.member, cast.cohort, TODAY + timedelta(days=4), text="Write the postmortem")
    session_in(cast.cohort, hours=30)
    send_due(NOW + timedelta(days=1))  # a Tuesday: no digest
    assert sent(Kind.DIGEST) == []
    mail.outbox.clear()
    send_due(NOW)
    members = [cast.host, cast.member, cast.newcomer, cast.other_cohort_member]
    assert sent(Kind.DIGEST) == sorted(u.email for u in members)
    body = next(m.body for m in mail.outbox if m.to == [cast.member.email])
    assert "Write the postmortem" in body and "Sessions this week:" in body
    before = len(sent(Kind.DIGEST))
    send_due(NOW + timedelta(hours=5))
    assert len(sent(Kind.DIGEST)) == before == 4
    assert Reminder.objects.filter(kind=Kind.DIGEST).count() == 4


def test_preferences_turn_each_kind_off(cast):
    NotificationPreference.objects.create(
        user=cast.member, session_reminders=False, commitment_reminders=False, weekly_digest=False
    )
    session_in(cast.cohort, hours=3)
    commit(cast.member, cast.cohort, TODAY)
    send_due(NOW)
    assert not Reminder.objects.filter(user=cast.member).exists()
    assert Reminder.objects.filter(user=cast.host, kind=Kind.SESSION).exists()


def test_running_the_scan_twice_sends_nothing_twice(cast):
    session_in(cast.cohort, hours=3)
    commit(cast.member, cast.cohort, TODAY)
    first = send_due(NOW)
    assert first > 0
    assert send_due(NOW) == 0
    assert len(mail.outbox) == first
    assert not Reminder.objects.exclude(message__status=Status.SENT).exists()


def test_a_scan_writes_nothing_for_what_was_queued_already(cast, no_digest):
    """What stays due for ever (an overdue commitment, an unanswered blocker) costs a scan
    nothing once reminded: the sources skip it before writing its e-mail's text, and the
    commitments are left out in the database, so the scan does not grow with the history."""
    data = skill(cast.network)
    session_in(cast.cohort, hours=3)
    for days in range(1, 6):
        commit(cast.member, cast.cohort, TODAY - timedelta(days=days))
    commit(cast.member, cast.cohort, TODAY + timedelta(days=1))
    block(cast.member, cast.cohort, data)  # goes to the host
    first = [(item.kind, item.key) for item in sending.due(NOW)]
    assert {kind for kind, _key in first} == {
        Kind.SESSION,
        Kind.COMMITMENT_OVERDUE,
        Kind.COMMITMENT_DUE,
        Kind.BLOCKER,
    }
    assert queue_due(NOW) == len(first)
    assert list(sending.due(NOW)) == []
    # A new overdue commitment is the only thing the next scan writes.
    late = commit(cast.host, cast.cohort, TODAY - timedelta(days=1))
    assert [(i.kind, i.key) for i in sending.due(NOW)] == [
        (Kind.COMMITMENT_OVERDUE, f"commitment-overdue:{late.pk}")
    ]


def test_a_reminder_and_its_email_are_written_together_and_sent_by_the_outbox(
    cast, monkeypatch, no_digest
):
    session_in(cast.cohort, hours=3)
    monkeypatch.setattr("cadre.delivery.sending.hand_over", _refuse)
    assert send_due(NOW) == 3
    assert mail.outbox == []
    rows = Reminder.objects.select_related("message")
    assert [r.message.status for r in rows] == [Status.QUEUED] * 3
    assert all("session" in r.message.subject.lower() for r in rows)
    # The next scan decides nothing again; the outbox retries the send on its own.
    assert queue_due(NOW) == 0
    # The first failure ends the run: one message waits for its back-off, two were not tried.
    tried = Message.objects.get(attempts=1)
    assert tried.last_error == "OSError: SMTP is down" and tried.next_attempt_at > timezone.now()
    assert Message.objects.filter(attempts=0, status=Status.QUEUED).count() == 2
    monkeypatch.undo()
    assert deliver_due() == 2
    Message.objects.update(next_attempt_at=timezone.now())
    assert deliver_due() == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [cast.host.email, cast.member.email, cast.newcomer.email]
    )


def _refuse(connection, message):
    raise OSError("SMTP is down")


@pytest.mark.django_db(transaction=True)
def test_two_scans_at_once_send_each_reminder_once(cast: Any, no_digest: Any) -> None:
    session_in(cast.cohort, hours=3)
    commit(cast.member, cast.cohort, TODAY)
    if connection.vendor == "postgresql":
        import threading

        from django.db import connections

        results: list[int] = []

        def scan() -> None:
            try:
                results.append(queue_due(NOW))
            finally:
                connections.close_all()

        threads = [threading.Thread(target=scan) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        total = sum(results)
    else:  # SQLite serialises writers: the scans run one after the other
        total = queue_due(NOW) + queue_due(NOW)
    assert total == 4
    assert Reminder.objects.count() == 4
    deliver_due()
    deliver_due()
    assert len(mail.outbox) == 4


def test_a_session_reminder_says_where_to_join(cast, smtp_inbox, no_digest):
    from cadre.schedule.models import CohortSchedule

    CohortSchedule.objects.create(
        cohort=cast.cohort, meeting_url="https://meet.example.org/reliability", place="Room 4"
    )
    session_in(cast.cohort, hours=10, role_for=cast.member)
    queue_due_reminders.enqueue(NOW.isoformat())
    run_worker()
    first = [m.rcpt_tos[0] for m in smtp_inbox.messages]
    body = dict(zip(first, smtp_inbox.bodies(), strict=True))[cast.member.email]
    assert "Join the meeting: https://meet.example.org/reliability" in body
    assert "Place: Room 4" in body
