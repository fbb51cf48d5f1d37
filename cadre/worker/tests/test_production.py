"""The production set-up of docs/operating.md, run as written: migrate, collect the static
files, create the first account, then the web server and the worker as real processes. A
reminder that falls due reaches a real SMTP server through the worker, and /healthz sees the
worker. The commands come from the document itself, so the two cannot drift apart."""

from __future__ import annotations

import fcntl
import http.client
import json
import os
import pty
import re
import secrets
import select
import shlex
import signal
import subprocess
import sys
import termios
import time
import urllib.request
from pathlib import Path

import pytest

from cadre.testing import SmtpInbox, _free_port

DOCS = Path(__file__).resolve().parents[3] / "docs" / "operating.md"
CADRE = str(Path(sys.executable).parent / "cadre")


def documented_commands() -> list[list[str]]:
    """The `.venv/bin/cadre …` lines of the production install's shell block."""
    text = DOCS.read_text()
    section = text[text.index("## A production install") :]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "docs/operating.md lost its production install block"
    commands = []
    for line in block.group(1).splitlines():
        if line.startswith(".venv/bin/cadre "):
            words = shlex.split(line.rstrip("& "))
            commands.append([CADRE, *words[1:]])
    return commands


def exported_settings() -> dict[str, str]:
    """The settings the production install's block exports, with the values written there."""
    text = DOCS.read_text()
    section = text[text.index("## A production install") :]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block
    values: dict[str, str] = {}
    for line in block.group(1).splitlines():
        if line.startswith("export "):
            for word in line.split()[1:]:
                name, value = word.split("=", 1)
                values[name] = value
    return values


def answer_prompts(command: list[str], env: dict[str, str], answers: list[str]) -> str:
    """Run an interactive command on a terminal, typing `answers` at its prompts."""
    main, child = pty.openpty()

    def own_terminal() -> None:
        # The terminal becomes the child's controlling one, where getpass() asks.
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    process = subprocess.Popen(
        command,
        env=env,
        stdin=child,
        stdout=child,
        stderr=child,
        close_fds=True,
        preexec_fn=own_terminal,
    )
    os.close(child)
    output = b""
    pending = list(answers)
    answered_at = 0
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([main], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(main, 4096)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
            # A prompt is text ending in ": " that arrived since the last answer.
            if pending and output.endswith(b": ") and len(output) > answered_at:
                os.write(main, (pending.pop(0) + "\n").encode())
                answered_at = len(output)
        elif process.poll() is not None:
            break
    if process.poll() is None:
        process.kill()
    process.wait(timeout=30)
    os.close(main)
    assert process.returncode == 0, output.decode(errors="replace")
    return output.decode(errors="replace")


def wait_for(check, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.25)
    pytest.fail(f"Timed out waiting for {what}")


SEED = """
from datetime import timedelta
from django.utils import timezone
from allauth.account.models import EmailAddress
from cadre.accounts.models import User
from cadre.cohorts.models import Cohort, CohortMembership, CohortStatus
from cadre.networks.models import Network, NetworkMembership, Role
from cadre.reminders.models import NotificationPreference
from cadre.schedule.models import Session

network = Network.objects.create(name="Northwind", slug="northwind")
cohort = Cohort.objects.create(network=network, name="Reliability", slug="reliability",
                               objective="Recover faster.", status=CohortStatus.ACTIVE)
member = User.objects.create_user(email="mo@northwind.test", password="x" * 12, name="Mo")
EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
NetworkMembership.objects.create(network=network, user=member, role=Role.MEMBER)
CohortMembership.objects.create(cohort=cohort, user=member)
# The worker runs on the real clock; on a Monday Mo would get the weekly digest as well.
# The session's calendar invitation is another e-mail (docs/calendar.md): off here.
NotificationPreference.objects.create(user=member, weekly_digest=False, calendar_invitations=False)
Session.objects.create(cohort=cohort, starts_at=timezone.now() + timedelta(hours=3))
print("seeded")
"""


@pytest.fixture
def mail_server():
    from aiosmtpd.controller import Controller

    inbox = SmtpInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


def test_the_documented_production_setup_runs_and_its_worker_sends_a_due_reminder(
    scratch_database, mail_server, tmp_path
):
    inbox, smtp_port = mail_server
    documented = exported_settings()
    assert {"SECRET_KEY", "ALLOWED_HOSTS", "CADRE_SITE_URL", "DATABASE_URL", "EMAIL_HOST"} <= (
        documented.keys()
    )
    # The TLS proxy runs on this machine, as the documented value says.
    assert documented["CADRE_TRUSTED_PROXY"] == "127.0.0.1"
    commands = documented_commands()
    names = [c[1] for c in commands]
    assert names == ["migrate", "collectstatic", "createsuperuser", "serve", "worker"]
    web_port = _free_port()
    env = scratch_database.env(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        CADRE_SITE_URL=f"http://127.0.0.1:{web_port}",
        CADRE_VAR_DIR=str(tmp_path),
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        CADRE_TRUSTED_PROXY=documented["CADRE_TRUSTED_PROXY"],
    )
    migrate, collectstatic, createsuperuser, serve, worker = commands
    for command in (migrate, collectstatic):
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    assert (tmp_path / "static" / "cadre" / "cadre.css").exists()
    answer_prompts(
        createsuperuser,
        env,
        ["admin@example.org", "Ada Admin", "a long pass phrase 42", "a long pass phrase 42"],
    )
    assert "seeded" in scratch_database.shell(SEED, env=env)

    serve = [*serve[:3], f"127.0.0.1:{web_port}", *serve[4:]]  # a free port instead of 8000
    web = subprocess.Popen(serve, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    background = subprocess.Popen(worker, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: inbox.messages, 90, "the session reminder at the SMTP server")
        assert [rcpt for m in inbox.messages for rcpt in m.rcpt_tos] == ["mo@northwind.test"]
        body = inbox.bodies()[0]
        assert "Reliability" in body and f"http://127.0.0.1:{web_port}/" in body

        def health():
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{web_port}/healthz", timeout=3) as r:
                    found = json.loads(r.read())
            except OSError:
                return None
            return found if found["worker"]["running"] else None

        found = wait_for(health, 30, "/healthz to see the worker")
        assert found["database"] == "ok" and found["worker"]["seconds_since_last_beat"] < 60

        # Through the proxy (this test plays it, from its documented address): a page asked
        # for over HTTPS is served, with HSTS; one asked for over plain HTTP is sent to HTTPS.
        def through_proxy(scheme: str) -> tuple[int, dict[str, str]]:
            connection = http.client.HTTPConnection("127.0.0.1", web_port, timeout=30)
            try:
                connection.request("GET", "/accounts/login/", headers={"X-Forwarded-Proto": scheme})
                response = connection.getresponse()
                response.read()
                return response.status, dict(response.headers)
            finally:
                connection.close()

        status, headers = through_proxy("https")
        assert status == 200 and "max-age=" in headers["Strict-Transport-Security"]
        status, headers = through_proxy("http")
        assert status == 301 and headers["Location"].startswith("https://")
    finally:
        for process in (background, web):
            process.send_signal(signal.SIGTERM)
        outputs = [p.communicate(timeout=60)[0].decode(errors="replace") for p in (background, web)]
    assert background.returncode == 0, outputs[0]
    assert web.returncode == 0, outputs[1]
    # The worker recorded that it stopped, so nobody waits for it.
    stopped = scratch_database.shell(
        "from cadre.worker.models import Beat; print(Beat.objects.filter(stopped_at__isnull=False).count())",
        env=env,
    )
    assert stopped.strip() == "1"
