"""Several processes on one database (issue 17, part 3): gunicorn with two web processes,
started with the command docs/operating.md gives ("Scaling out"), and two `cadre worker`
processes, all real, on a fresh database of the suite's kind (SQLite in WAL mode or
PostgreSQL). While people sign in, read pages and write journal entries over real HTTP for
LOAD_SECONDS, the workers deliver a batch of session reminders; the first e-mail of the batch
stalls at the mail server, the worker sending it is killed with SIGKILL, and the other one
reaps the task it left running, runs it again and sends the whole batch. Every request must
succeed, no process may log an error, and every reminder must arrive exactly once.

The processes use the real clock (or the one bin/moved-clock moved): the data is made
relative to the moment the test runs. The worker's timings are shortened through their
settings (CADRE_WORKER_*), never by changing the production defaults.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.cookiejar
import json
import os
import re
import secrets
import shlex
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from cadre.testing import SmtpInbox, _free_port

pytestmark = pytest.mark.processes

ROOT = Path(__file__).resolve().parents[3]
DOCS = ROOT / "docs" / "operating.md"
BIN = Path(sys.executable).parent
CADRE = [sys.executable, "-m", "cadre"]  # this checkout's Cadre, run from ROOT

# How long the load is held. CI runs the suite with the default; lower it for a quick local
# run (CADRE_LOAD_SECONDS=10). docs/operating.md ("Scaling out") says which CI uses.
LOAD_SECONDS = float(os.environ.get("CADRE_LOAD_SECONDS", "30"))
PEOPLE = 10  # cohort members, each due one session reminder
SIGNING_IN = 4  # of them, the ones who use the site during the load, a thread each
PASSWORD = "a long pass phrase 42"

# The worker's clock, shortened: a beat a second, dead after 10 s of silence (a live worker on
# a loaded machine must not be taken for dead), reaped every 2 s, and an e-mail claimed by a
# dead sender released after 5 s, so before its task is queued again.
FAST_WORKER = {
    "CADRE_WORKER_BEAT_SECONDS": "1",
    "CADRE_WORKER_SILENT_SECONDS": "10",
    "CADRE_WORKER_REAP_SECONDS": "2",
    "CADRE_OUTBOX_LEASE_SECONDS": "5",
}

SEED = """
from datetime import timedelta
from django.utils import timezone
from allauth.account.models import EmailAddress
from cadre.accounts.models import User
from cadre.cohorts.models import Cohort, CohortMembership, CohortStatus
from cadre.networks.models import Network, NetworkMembership, Role
from cadre.reminders.models import NotificationPreference
from cadre.reminders.tasks import queue_due_reminders
from cadre.schedule.models import Session

network = Network.objects.create(name="Northwind", slug="northwind")
cohort = Cohort.objects.create(network=network, name="Reliability", slug="reliability",
                               objective="Recover faster.", status=CohortStatus.ACTIVE)
for number in range(PEOPLE):
    person = User.objects.create_user(email=f"p{number}@northwind.test", password=PASSWORD,
                                      name=f"Person {number}")
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    NetworkMembership.objects.create(network=network, user=person, role=Role.MEMBER)
    CohortMembership.objects.create(cohort=cohort, user=person)
    # One e-mail each: the session reminder. No Monday digest, no calendar invitation.
    NotificationPreference.objects.create(user=person, weekly_digest=False,
                                          calendar_invitations=False)
Session.objects.create(cohort=cohort, starts_at=timezone.now() + timedelta(hours=3))
# Scans besides the worker's own periodic one, so that both workers scan at once.
for _ in range(3):
    queue_due_reminders.enqueue()
print("seeded")
"""


def read_facts(url: str) -> dict[str, list[dict[str, Any]]]:
    """Every task record and every outgoing message in the database at `url`, read with the
    driver itself (a `cadre shell` would cost a Django start-up)."""
    tasks_sql = (
        "SELECT task_path, status, worker_ids FROM django_tasks_database_dbtaskresult"
        " ORDER BY enqueued_at"
    )
    messages_sql = 'SELECT "to", status FROM delivery_message ORDER BY id'
    if url.startswith("sqlite:///"):
        with contextlib.closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as db:
            tasks, messages = db.execute(tasks_sql).fetchall(), db.execute(messages_sql).fetchall()
    else:
        import psycopg

        with psycopg.connect(url) as db:
            tasks, messages = db.execute(tasks_sql).fetchall(), db.execute(messages_sql).fetchall()
    return {
        "tasks": [
            {
                "path": path,
                "status": status,
                "workers": json.loads(ids) if isinstance(ids, str) else list(ids),
            }
            for path, status, ids in tasks
        ],
        "messages": [{"to": to, "status": status} for to, status in messages],
    }


def documented_gunicorn() -> list[str]:
    """The gunicorn command line of docs/operating.md's "Scaling out"."""
    text = DOCS.read_text()
    section = text[text.index("## Scaling out") :]
    lines = [
        line
        for block in re.findall(r"```sh\n(.*?)```", section, re.S)
        for line in block.splitlines()
        if line.startswith(".venv/bin/gunicorn ")
    ]
    assert len(lines) == 1, "docs/operating.md's Scaling out lost its gunicorn command"
    words = shlex.split(lines[0].rstrip("& "))
    return [str(BIN / "gunicorn"), *words[1:]]


def with_option(command: list[str], name: str, value: str) -> list[str]:
    """`command` with option `name`'s value replaced (it must be there)."""
    assert name in command, f"the documented command has no {name}"
    at = command.index(name) + 1
    return [*command[:at], value, *command[at + 1 :]]


# --- the mail servers: the first message handed to either is held until its sender dies ---


class FirstMessageStalls:
    """Shared by both mail servers: the first DATA either receives is never answered."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.taken = False
        self.at: str | None = None  # the server that holds it
        self.stalled = threading.Event()

    def take(self, server: str) -> bool:
        with self.lock:
            if self.taken:
                return False
            self.taken, self.at = True, server
        self.stalled.set()
        return True


class StallingInbox(SmtpInbox):
    def __init__(self, name: str, stall: FirstMessageStalls) -> None:
        super().__init__()
        self.name = name
        self.stall = stall

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.stall.take(self.name):
            # Held until the sender hangs up (aiosmtpd then cancels this): never accepted.
            await asyncio.Event().wait()
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def mail_servers():
    from aiosmtpd.controller import Controller

    stall = FirstMessageStalls()
    inboxes = {name: StallingInbox(name, stall) for name in ("a", "b")}
    controllers = {
        name: Controller(inbox, hostname="127.0.0.1", port=_free_port())
        for name, inbox in inboxes.items()
    }
    for controller in controllers.values():
        controller.start()
    yield stall, inboxes, {name: c.port for name, c in controllers.items()}
    for controller in controllers.values():
        controller.stop()


# --- the load: people signing in, reading and writing over HTTP ------------------------------


class BehindTheProxy(http.cookiejar.DefaultCookiePolicy):
    """The test plays the TLS proxy: the secure cookies Cadre sets travel over its plain HTTP."""

    def return_ok_secure(self, cookie: Any, request: Any) -> bool:
        return True


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a redirect is an answer to record, not to follow


@dataclass
class Visitor:
    """One person's browser: cookies, CSRF token, and every answer they got."""

    base: str
    email: str
    answers: list[tuple[str, str, int]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.secure_base = self.base.replace("http://", "https://", 1)
        self.cookies = http.cookiejar.CookieJar(BehindTheProxy())
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect()
        )

    def request(self, method: str, path: str, data: dict[str, str] | None = None) -> int:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        # From the proxy's address, as the proxy says it: the visitor came over HTTPS.
        # A browser on an HTTPS page names it as the Referer, which Django's CSRF check needs.
        headers = {"X-Forwarded-Proto": "https", "Referer": f"{self.secure_base}{path}"}
        request = urllib.request.Request(
            self.base + path, data=body, headers=headers, method=method
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                response.read()
                status = int(response.status)
        except urllib.error.HTTPError as error:
            error.read()
            status = error.code
        except OSError as error:
            self.failures.append(f"{method} {path}: {error!r}")
            status = 0
        self.answers.append((method, path, status))
        return status

    def csrf(self) -> str:
        return next((str(c.value) for c in self.cookies if c.name == "csrftoken"), "")

    def expect(self, method: str, path: str, wanted: set[int], data: Any = None) -> None:
        status = self.request(method, path, data)
        if status not in wanted:
            self.failures.append(f"{method} {path}: {status}, expected one of {sorted(wanted)}")

    def sign_in(self) -> None:
        self.expect("GET", "/accounts/login/", {200})
        form = {"login": self.email, "password": PASSWORD, "csrfmiddlewaretoken": self.csrf()}
        self.expect("POST", "/accounts/login/", {302}, form)

    def sign_out(self) -> None:
        self.expect("POST", "/accounts/logout/", {302}, {"csrfmiddlewaretoken": self.csrf()})

    def use_the_site(self, until: float, number: int) -> None:
        pages = [
            "/n/northwind/",
            "/n/northwind/c/reliability/",
            "/n/northwind/journal/",
            "/n/northwind/journal/mine/",
            "/me/notifications/",
        ]
        self.sign_in()
        step = 0
        signed_in_at = time.monotonic()
        while time.monotonic() < until:
            step += 1
            self.expect("GET", pages[step % len(pages)], {200})
            if step % 10 == 0:
                # Home sends someone in one network on to it.
                self.expect("GET", "/", {302})
            if step % 4 == 0:
                self.expect("GET", "/n/northwind/journal/new/", {200})
                entry = {
                    "title": f"Note {number}.{step}",
                    "body": "What the incident review taught me.",
                    "visibility": "private",
                    "csrfmiddlewaretoken": self.csrf(),
                }
                self.expect("POST", "/n/northwind/journal/new/", {302}, entry)
            # Sign out and in again: sign-ins throughout the load, well within the 30 a minute
            # per address that allauth allows.
            if time.monotonic() - signed_in_at > min(10, LOAD_SECONDS / 3):
                self.sign_out()
                self.sign_in()
                signed_in_at = time.monotonic()


# --- the processes -----------------------------------------------------------------------------


@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    def text(self) -> str:
        return self.log.read_text(errors="replace")


def start(name: str, command: list[str], env: dict[str, str], logs: Path) -> Process:
    log = logs / f"{name}.log"
    with log.open("wb") as out:
        popen = subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    return Process(name, popen, log)


def wait_for(check: Any, seconds: float, what: str, processes: list[Process]) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    logs = "\n".join(f"--- {p.name}\n{p.text()[-3000:]}" for p in processes)
    pytest.fail(f"Timed out after {seconds:g} s waiting for {what}\n{logs}")


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            return bool(response.status == 200)
    except OSError:
        return False


ERROR_LINE = re.compile(r"Traceback|\b(ERROR|CRITICAL)\b|\[(ERROR|CRITICAL)\]")


def test_two_web_processes_and_two_workers_under_load_one_worker_killed(
    scratch_database, mail_servers, tmp_path
):
    stall, inboxes, smtp_ports = mail_servers
    started = time.monotonic()
    web_port = _free_port()
    env = scratch_database.env(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        CADRE_SITE_URL=f"http://127.0.0.1:{web_port}",
        CADRE_VAR_DIR=str(tmp_path),
        # The people below come through a stand-in for the TLS proxy on this machine.
        CADRE_TRUSTED_PROXY="127.0.0.1",
        EMAIL_HOST="127.0.0.1",
        LOG_LEVEL="WARNING",
        **FAST_WORKER,
    )
    # The static files (with DEBUG off, the collected ones are served) and the data, at once;
    # the servers start as soon as the static files are there.
    seed = f"PEOPLE = {PEOPLE}\nPASSWORD = {PASSWORD!r}\n{SEED}"
    collecting, seeding = (
        subprocess.Popen(
            [*CADRE, *args], env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for args in (
            ["collectstatic", "--no-input", "-v", "0"],
            ["shell", "-v", "0", "-c", seed],
        )
    )
    _, err = collecting.communicate(timeout=300)
    assert collecting.returncode == 0, err.decode(errors="replace")

    gunicorn = with_option(documented_gunicorn(), "--workers", "2")
    gunicorn = with_option(gunicorn, "--bind", f"127.0.0.1:{web_port}")
    logs = tmp_path / "logs"
    logs.mkdir()
    web = start("gunicorn", gunicorn, env, logs)
    workers = {
        name: start(
            f"worker-{name}",
            [*CADRE, "worker", "--worker-id", f"worker-{name}"],
            {**env, "EMAIL_PORT": str(smtp_ports[name])},
            logs,
        )
        for name in ("a", "b")
    }
    processes = [web, *workers.values()]
    base = f"http://127.0.0.1:{web_port}"
    try:
        out, err = seeding.communicate(timeout=300)
        assert seeding.returncode == 0 and b"seeded" in out, err.decode(errors="replace")
        wait_for(lambda: answers(f"{base}/readyz"), 120, "gunicorn to answer", processes)
        ready_at = time.monotonic()

        visitors = [Visitor(base, f"p{n}@northwind.test") for n in range(SIGNING_IN)]
        until = time.monotonic() + LOAD_SECONDS
        threads = [
            threading.Thread(target=v.use_the_site, args=(until, n), daemon=True)
            for n, v in enumerate(visitors)
        ]
        for thread in threads:
            thread.start()

        # The first reminder handed to a mail server is held there: kill its sender.
        wait_for(stall.stalled.is_set, 60, "the first reminder at a mail server", processes)
        dead = workers[str(stall.at)]
        survivor = workers["b" if stall.at == "a" else "a"]
        dead.popen.send_signal(signal.SIGKILL)
        dead.popen.wait(timeout=30)
        killed_at = time.monotonic()

        # The survivor reaps the dead worker's task and claims and sends the whole batch.
        def delivered() -> bool:
            return sum(len(inbox.messages) for inbox in inboxes.values()) >= PEOPLE

        wait_for(delivered, 90, "every reminder after the kill", processes)
        delivered_at = time.monotonic()

        for thread in threads:
            thread.join(timeout=LOAD_SECONDS + 60)
        assert not any(thread.is_alive() for thread in threads)
        assert survivor.popen.poll() is None, survivor.text()
        assert web.popen.poll() is None, web.text()
    finally:
        for process in processes:
            if process.popen.poll() is None:
                process.popen.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.popen.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.popen.kill()
                process.popen.wait()

    # Every request was answered as expected: no 5xx, no refused connection, no time-out.
    failures = [f"{v.email}: {f}" for v in visitors for f in v.failures]
    assert not failures, "\n".join(sorted(set(failures))[:30]) + "\n" + web.text()[-5000:]
    done = Counter(method for v in visitors for method, _, _ in v.answers)
    sign_ins = sum(
        1
        for v in visitors
        for m, p, s in v.answers
        if (m, p, s) == ("POST", "/accounts/login/", 302)
    )
    writes = sum(
        1
        for v in visitors
        for m, p, _ in v.answers
        if (m, p) == ("POST", "/n/northwind/journal/new/")
    )
    assert sign_ins >= 2 * SIGNING_IN and writes >= SIGNING_IN and done["GET"] >= 20, done

    # No process logged an error or a traceback; the web server stopped cleanly, the
    # survivor too, and it says it queued the lost task again.
    for process in (web, survivor):
        found = [line for line in process.text().splitlines() if ERROR_LINE.search(line)]
        assert not found, (
            f"{process.name}:\n" + "\n".join(found[:20]) + "\n" + process.text()[-5000:]
        )
    assert web.popen.returncode == 0, web.text()[-3000:]
    assert survivor.popen.returncode == 0, survivor.text()[-3000:]
    assert "lost its worker" in survivor.text(), survivor.text()[-3000:]

    # Each reminder reached its person exactly once, across both mail servers.
    received = Counter(
        rcpt for inbox in inboxes.values() for m in inbox.messages for rcpt in m.rcpt_tos
    )
    assert received == Counter({f"p{n}@northwind.test": 1 for n in range(PEOPLE)})
    facts = read_facts(scratch_database.url)
    assert Counter(m["to"] for m in facts["messages"]) == received
    assert {m["status"] for m in facts["messages"]} == {"sent"}

    # Every task the dead worker had started was run again by the survivor, and finished.
    dead_id, survivor_id = f"worker-{stall.at}", survivor.name
    ran = [t for t in facts["tasks"] if dead_id in t["workers"]]
    finished_before = [t for t in ran if t["workers"] == [dead_id] and t["status"] == "SUCCESSFUL"]
    retried = [t for t in ran if t not in finished_before]
    assert retried, f"the killed worker was running no task: {ran}"
    for task in retried:
        assert task["workers"] == [dead_id, survivor_id] and task["status"] == "SUCCESSFUL", task
    # Nothing failed, and nothing was left running: the survivor finished its task on SIGTERM.
    assert not [t for t in facts["tasks"] if t["status"] in {"FAILED", "RUNNING"}], facts["tasks"]

    print(
        f"\nload {LOAD_SECONDS:g} s: {sum(done.values())} requests ({dict(done)}), "
        f"{sign_ins} sign-ins, {writes} entries; reminders all delivered "
        f"{delivered_at - killed_at:.1f} s after the kill; "
        f"gunicorn answered {ready_at - started:.1f} s after the start, total "
        f"{time.monotonic() - started:.1f} s"
    )
