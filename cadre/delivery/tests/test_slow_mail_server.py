"""A mail server that stalls holds no database lock (issue 12's M5): while the worker waits
30 seconds on a stalled SMTP server, other processes write to the same database, each write
finishing in well under a second. Real processes, a real SMTP server, the suite's kind of
database (SQLite in a file, or PostgreSQL)."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import threading
import time

import pytest

from cadre.testing import _free_port

SEED = """
from cadre.accounts.models import User
from cadre.cohorts.models import Cohort, CohortStatus
from cadre.delivery.services import Email, queue
from cadre.networks.models import Network
network = Network.objects.create(name="Northwind", slug="northwind")
Cohort.objects.create(network=network, name="Reliability", slug="reliability",
                      objective="Recover faster.", status=CohortStatus.ACTIVE)
User.objects.create_user(email="mo@northwind.test", password="x" * 12, name="Mo")
queue(Email(key="stall:1", to="mo@northwind.test", subject="Hello", body="Stalled."))
print("seeded")
"""

# Twenty short write transactions, the kind a web request makes; prints the slowest.
WRITERS = """
import json, time
from django.db import transaction
from cadre.accountability.models import Commitment
from cadre.accounts.models import User
from cadre.cohorts.models import Cohort
from datetime import date
cohort = Cohort.objects.get(slug="reliability")
owner = User.objects.get(email="mo@northwind.test")
slowest = 0.0
for n in range(20):
    started = time.monotonic()
    with transaction.atomic():
        Commitment.objects.create(cohort=cohort, owner=owner, text=f"Write runbook {n}",
                                  due_on=date(2030, 1, 1))
    slowest = max(slowest, time.monotonic() - started)
    time.sleep(0.1)
print(json.dumps({"slowest": slowest, "written": n + 1}))
"""


class StallingServer:
    """Accepts the message, then says nothing for `seconds` before answering DATA."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.stalled = threading.Event()

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd's name
        self.stalled.set()
        await asyncio.sleep(self.seconds)
        return "250 Accepted at last"


@pytest.fixture
def stalling_server():
    from aiosmtpd.controller import Controller

    handler = StallingServer(seconds=30)
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield handler, controller.port
    controller.stop()


def test_writers_are_not_held_up_while_the_worker_waits_on_a_stalled_mail_server(
    scratch_database, stalling_server
):
    handler, port = stalling_server
    env = scratch_database.env(EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(port))
    assert "seeded" in scratch_database.shell(SEED, env=env)
    worker = subprocess.Popen(
        [sys.executable, "-m", "cadre", "worker"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        assert handler.stalled.wait(60), "the worker never reached the mail server"
        started = time.monotonic()
        report = json.loads(scratch_database.shell(WRITERS, env=env).strip().splitlines()[-1])
        # The writers ran while the server was still stalling the worker.
        assert time.monotonic() - started < 20
        assert report["written"] == 20
        assert report["slowest"] < 1.0, report
    finally:
        worker.kill()  # it would otherwise finish its stalled send first
        worker.communicate(timeout=60)
