"""`cadre demo` runs with its own settings (cadre/settings_demo.py): DEBUG off so people see
Cadre's error pages, plain HTTP, e-mail into files, a secret key made once; and the demo
links and answers at the address it serves."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from cadre.demo.management.commands.demo import Command as DemoCommand
from cadre.schedule.models import Session

CADRE = [sys.executable, "-m", "cadre"]
# What the test run sets for itself and a fresh `cadre demo` must not inherit.
NOT_INHERITED = {
    "DEBUG",
    "DATABASE_URL",
    "SECRET_KEY",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "CADRE_SITE_URL",
    "ALLOWED_HOSTS",
    "EMAIL_BACKEND",
    "EMAIL_HOST",
}


def clean_env(var_dir: Path, **extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    return {**base, "CADRE_VAR_DIR": str(var_dir), **extra}


def demo_setting(var_dir: Path, expression: str, **env: str) -> str:
    """The value of `expression` (over `settings`) as `cadre demo` sees it."""
    script = f"from django.conf import settings; print({expression})"
    result = subprocess.run(
        [*CADRE, "shell", "-v", "0", "-c", script],
        env=clean_env(var_dir, DJANGO_SETTINGS_MODULE="cadre.settings_demo", **env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_demo_runs_without_debug_over_plain_http_with_mail_in_files(tmp_path: Path) -> None:
    values = demo_setting(
        tmp_path,
        "settings.DEBUG, settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS, "
        "settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, "
        "settings.ACCOUNT_DEFAULT_HTTP_PROTOCOL, settings.CADRE_REQUIRE_2FA_FOR_ORGANIZERS, "
        "settings.EMAIL_BACKEND, settings.EMAIL_FILE_PATH, settings.ALLOWED_HOSTS",
    )
    assert values == (
        "False False 0 False False http False "
        f"django.core.mail.backends.filebased.EmailBackend {tmp_path / 'mail'} "
        "['127.0.0.1', 'localhost', '[::1]']"
    )


def test_the_demo_secret_key_is_made_once_kept_private_and_reused(tmp_path: Path) -> None:
    first = demo_setting(tmp_path, "settings.SECRET_KEY")
    second = demo_setting(tmp_path, "settings.SECRET_KEY")
    key_file = tmp_path / "secret-key"
    assert first == second == key_file.read_text().strip()
    assert len(first) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert demo_setting(tmp_path, "settings.SECRET_KEY", SECRET_KEY="mine-" + "x" * 50) == (
        "mine-" + "x" * 50
    )


def test_an_operator_can_still_send_the_demo_mail_over_smtp(tmp_path: Path) -> None:
    backend = demo_setting(tmp_path, "settings.EMAIL_BACKEND", EMAIL_HOST="mail.example.org")
    assert backend == "django.core.mail.backends.smtp.EmailBackend"


# --- the address the demo serves --------------------------------------------------------------


@pytest.fixture
def site_url_unset(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    # Empty counts as unset; monkeypatch puts the environment back afterwards.
    monkeypatch.setenv("CADRE_SITE_URL", "")
    monkeypatch.setenv("ALLOWED_HOSTS", "")
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1"]


@pytest.mark.django_db
def test_links_follow_the_address_the_demo_serves(site_url_unset: None, client_for, cast) -> None:
    DemoCommand().serve_at("127.0.0.1:8765")
    assert settings.CADRE_SITE_URL == "http://127.0.0.1:8765"
    assert os.environ["CADRE_SITE_URL"] == "http://127.0.0.1:8765"  # for the worker process
    session = Session.objects.create(
        cohort=cast.cohort, starts_at=datetime(2026, 3, 2, 9, tzinfo=UTC), minutes=60
    )
    network, cohort = cast.network.slug, cast.cohort.slug
    ics = client_for(cast.member).get(f"/n/{network}/c/{cohort}/schedule/sessions/{session.pk}.ics")
    text = ics.content.decode().replace("\r\n ", "")  # unfold the long lines
    assert f"URL:http://127.0.0.1:8765/n/{network}/c/{cohort}/schedule/sessions/" in text


def test_the_demo_on_every_interface_accepts_any_host_name(site_url_unset: None) -> None:
    DemoCommand().serve_at("0.0.0.0:8080")
    assert settings.CADRE_SITE_URL == "http://127.0.0.1:8080"
    assert "*" in settings.ALLOWED_HOSTS


def test_an_explicit_site_url_wins_over_the_address(
    monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    monkeypatch.setenv("CADRE_SITE_URL", "https://cadre.example.org")
    settings.CADRE_SITE_URL = "https://cadre.example.org"
    DemoCommand().serve_at("127.0.0.1:8765")
    assert settings.CADRE_SITE_URL == "https://cadre.example.org"
    assert os.environ["CADRE_SITE_URL"] == "https://cadre.example.org"


# --- the demo as `make demo` runs it ------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Browser:
    """Just enough of a browser: cookies, no redirects followed, errors as answers."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def get(self, path: str) -> tuple[int, dict[str, str], str]:
        return self._open(urllib.request.Request(self.base + path))

    def post(self, path: str, data: dict[str, str]) -> tuple[int, dict[str, str], str]:
        token = next(c.value for c in self.cookies if c.name == "csrftoken")
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        return self._open(
            urllib.request.Request(self.base + path, body, headers={"Referer": self.base + path})
        )

    def _open(self, request: urllib.request.Request) -> tuple[int, dict[str, str], str]:
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def title(html: str) -> str:
    found = re.search(r"<title>(.*?)</title>", html, re.S)
    return " ".join(found.group(1).split()) if found else ""


def test_make_demo_serves_cadres_error_pages_over_http_and_links_to_its_address(
    tmp_path: Path,
) -> None:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = (tmp_path / "demo.log").open("w")
    demo = subprocess.Popen(
        [*CADRE, "demo", "--people", "50", "--serve", "--addr", f"127.0.0.1:{port}"],
        env=clean_env(tmp_path),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        browser = Browser(base)
        deadline = time.monotonic() + 300  # a fresh database migrates first
        while True:
            assert demo.poll() is None, (tmp_path / "demo.log").read_text()
            try:
                if browser.get("/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the demo did not start"
            time.sleep(0.5)

        status, headers, html = browser.get("/no/such/page/")
        assert status == 404
        assert title(html) == "Page not found · Cadre"
        assert "URLconf" not in html and "urlpatterns" not in html  # not Django's debug page
        assert "Strict-Transport-Security" not in headers
        assert "secure" not in headers.get("Set-Cookie", "").lower()

        assert browser.get("/static/cadre/cadre.css")[0] == 200  # no collectstatic step
        assert browser.get("/favicon.ico")[0] == 302

        status, _, _ = browser.get("/accounts/login/")
        status, headers, _ = browser.post(
            "/accounts/login/", {"login": "member@demo.cadre.test", "password": "cadre-demo"}
        )
        assert status == 302, "signing in over plain HTTP works"
        status, _, html = browser.get("/n/northwind/invitations/")
        assert status == 403
        assert title(html) == "Not open to you · Cadre"
        assert "Only the network’s organizers manage invitations." in html

        schedule = browser.get("/n/northwind/c/experimentation-in-ops/schedule/")[2]
        session = re.search(r"/schedule/sessions/(\d+)/", schedule)
        assert session is not None
        status, _, ics = browser.get(
            f"/n/northwind/c/experimentation-in-ops/schedule/sessions/{session.group(1)}.ics"
        )
        assert status == 200
        # The demo's sessions meet online: URL is their meeting link, and the description
        # links the session's page at the address the demo serves.
        unfolded = ics.replace("\r\n ", "")
        assert "URL:https://video.example.org/northwind-" in unfolded
        assert f"{base}/n/northwind/" in unfolded

        browser.get("/accounts/password/reset/")
        browser.post("/accounts/password/reset/", {"email": "member@demo.cadre.test"})
        # The demo's worker (`cadre worker`, started beside the server) sends it.
        # The worker also sends the demo's members their calendar invitations
        # (docs/calendar.md), so the reset is looked for among the files. Django's file
        # backend creates a file first and writes it when the connection closes, ending
        # each message with a line of 79 dashes: wait for that line too.
        outbox = tmp_path / "mail"
        reset = f"{base}/accounts/password/reset/key/"
        mails: list[Path] = []
        for _ in range(120):
            mails = list(outbox.iterdir()) if outbox.exists() else []
            texts = [mail.read_text() for mail in mails]
            if any(reset in t and "-" * 79 in t for t in texts):
                break
            time.sleep(0.5)
        assert [mail for mail in mails if reset in mail.read_text()], "no password reset mail"
    finally:
        demo.send_signal(signal.SIGTERM)
        try:
            demo.wait(timeout=30)
        except subprocess.TimeoutExpired:
            demo.kill()
            demo.wait()
        log.close()
    assert (tmp_path / "secret-key").exists()
