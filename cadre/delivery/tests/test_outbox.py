"""The outbox: a message is queued with the change it announces, sent once outside any
transaction, retried with back-off, and given up on with its reason."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cadre.delivery import sending
from cadre.delivery.models import Message, Status
from cadre.delivery.sending import MAX_ATTEMPTS, InsideTransaction, backoff, deliver_due, reap
from cadre.delivery.services import Email, queue, queue_many
from cadre.testing import SmtpInbox, run_commit_callbacks, run_worker


def email(key: str = "test:1", to: str = "mo@northwind.test") -> Email:
    return Email(key=key, to=to, subject="Hello", body="A body.")


class Killed(BaseException):
    """A process killed mid-send: not an Exception, so nothing catches it."""


def test_a_key_is_queued_once(db):
    assert queue(email()) is not None
    assert queue(email()) is None
    assert queue_many([email(), email("test:2"), email("test:2")]) == 1
    assert Message.objects.count() == 2


def test_a_message_exists_only_if_the_change_it_announces_is_committed(db):
    with pytest.raises(RuntimeError), transaction.atomic():
        queue(email())
        raise RuntimeError("the change failed")
    assert not Message.objects.exists()


def test_a_subject_is_one_line(db):
    message = queue(Email(key="k", to="a@b.test", subject="Two\nlines\r\n here", body=""))
    assert message.subject == "Two lines here"


def test_messages_go_to_a_real_smtp_server_once(db, smtp_inbox):
    queue_many(email(f"test:{n}", f"p{n}@northwind.test") for n in range(3))
    assert deliver_due() == 3
    assert sorted(r for m in smtp_inbox.messages for r in m.rcpt_tos) == [
        "p0@northwind.test",
        "p1@northwind.test",
        "p2@northwind.test",
    ]
    assert deliver_due() == 0
    assert len(smtp_inbox.messages) == 3
    assert set(Message.objects.values_list("status", flat=True)) == {Status.SENT}
    assert all(m.sent_at is not None for m in Message.objects.all())


def test_sending_inside_a_transaction_is_refused(db):
    queue(email())
    with pytest.raises(InsideTransaction), transaction.atomic():
        deliver_due()
    assert mail.outbox == []


def test_the_worker_is_woken_once_per_committed_transaction(db):
    with transaction.atomic():
        queue(email("a"))
        queue(email("b"))
        queue_many([email("c"), email("d")])
    assert run_commit_callbacks() == 1
    assert DBTaskResult.objects.filter(task_path__endswith="deliver_queued").count() == 1
    run_worker()
    assert len(mail.outbox) == 4


def test_a_failed_send_waits_longer_each_time_then_is_given_up_with_the_reason(db, monkeypatch):
    def refuse(connection, message):
        raise OSError("Connection refused")

    monkeypatch.setattr(sending, "hand_over", refuse)
    queue(email())
    start = timezone.now()
    waits = []
    with time_machine.travel(start, tick=False) as clock:
        for attempt in range(1, MAX_ATTEMPTS + 1):
            assert deliver_due() == 0
            message = Message.objects.get()
            assert message.attempts == attempt
            assert message.last_error == "OSError: Connection refused"
            if attempt < MAX_ATTEMPTS:
                assert message.status == Status.QUEUED
                waits.append(message.next_attempt_at - timezone.now())
                assert deliver_due() == 0  # not before its time
                clock.move_to(message.next_attempt_at)
    assert waits == [backoff(n) for n in range(1, MAX_ATTEMPTS)]
    assert waits[:3] == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert message.status == Status.FAILED
    assert mail.outbox == []


def test_the_first_failure_ends_the_run_and_the_rest_are_not_counted_as_tried(db, monkeypatch):
    tried = []

    def refuse(connection, message):
        tried.append(message.to)
        raise OSError("timed out")

    monkeypatch.setattr(sending, "hand_over", refuse)
    queue_many(email(f"test:{n}", f"p{n}@northwind.test") for n in range(5))
    assert deliver_due() == 0
    assert len(tried) == 1
    assert Message.objects.filter(attempts=0, status=Status.QUEUED).count() == 4


def test_a_process_killed_mid_send_resends_only_the_message_in_flight(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    queue_many(email(f"test:{n}", f"p{n}@northwind.test") for n in range(3))
    real = sending.hand_over
    handed: list[str] = []

    def dies_on_the_second(connection, message):
        handed.append(message.to[0])
        if len(handed) == 2:
            real(connection, message)  # the server took it; the process dies before noting it
            raise Killed
        real(connection, message)

    monkeypatch.setattr(sending, "hand_over", dies_on_the_second)
    with pytest.raises(Killed):
        deliver_due()
    monkeypatch.setattr(sending, "hand_over", real)
    assert Message.objects.filter(status=Status.SENT).count() == 1
    assert Message.objects.filter(status=Status.SENDING).count() == 2
    assert deliver_due() == 0  # still claimed by the dead process
    assert reap() == 0  # its lease has not run out
    with time_machine.travel(timezone.now() + sending.LEASE + timedelta(seconds=1), tick=False):
        assert reap() == 2
        assert deliver_due() == 2
    recipients = [m.to[0] for m in mail.outbox]
    # p0 once; p1 twice (it was in flight); p2, claimed but never tried, once.
    assert sorted(recipients) == sorted(
        ["p0@northwind.test", "p1@northwind.test", "p1@northwind.test", "p2@northwind.test"]
    )


def test_an_outage_of_the_database_queue_does_not_lose_the_message(db, monkeypatch):
    """The wake-up is a convenience: when it cannot be queued, the periodic sweep sends."""

    class Broken:
        def enqueue(self) -> None:
            raise RuntimeError("queue down")

    monkeypatch.setattr("cadre.delivery.tasks.deliver_queued", Broken())
    queue(email())
    run_commit_callbacks()
    assert deliver_due() == 1


@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_send_each_message_once(smtp_inbox: SmtpInbox) -> None:
    import threading

    from django.db import connection, connections

    queue_many(email(f"test:{n}", f"p{n}@northwind.test") for n in range(40))
    if connection.vendor != "postgresql":
        # SQLite serialises the claims; the two runs interleave batch by batch.
        assert deliver_due(limit=20) + deliver_due() == 40
    else:
        counts: list[int] = []

        def send() -> None:
            try:
                counts.append(deliver_due())
            finally:
                connections.close_all()

        threads = [threading.Thread(target=send) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert sum(counts) == 40
    assert len(smtp_inbox.messages) == 40
    assert len({r for m in smtp_inbox.messages for r in m.rcpt_tos}) == 40
