"""Run the real `cadre` command in a child process, as an operator or systemd would, for the
tests of logging, Sentry and the systemd units."""

from __future__ import annotations

import contextlib
import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cadre.testing import _free_port

CADRE = [sys.executable, "-m", "cadre"]

# The test run's own settings (debug, its database, Playwright's async escape hatch, any
# operator variables on this machine) must not leak into a child that plays production.
_NOT_INHERITED = {
    "DEBUG",
    "DATABASE_URL",
    "SECRET_KEY",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "LOG_FORMAT",
    "LOG_LEVEL",
    "SENTRY_DSN",
    "SENTRY_ENVIRONMENT",
    "SENTRY_RELEASE",
    "SENTRY_TRACES_SAMPLE_RATE",
    "CADRE_CSP_REPORT_URI",
}


def child_env(env: dict[str, str]) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k not in _NOT_INHERITED}
    return {**base, **env}


def production_env(database: Path) -> dict[str, str]:
    """Production settings on a local SQLite file, plain HTTP (no proxy in front)."""
    return {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"sqlite:///{database}",
    }


def run_cadre(
    args: list[str], env: dict[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CADRE, *args], env=child_env(env), capture_output=True, text=True, timeout=timeout
    )


def free_port() -> int:
    return _free_port()


def wait_for_http(url: str, process: subprocess.Popen[str], timeout: float = 60) -> None:
    """Wait until `url` answers at all (any status); fail if the process exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited with status {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"nothing answered at {url} within {timeout} s")


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@dataclass
class Server:
    url: str
    process: subprocess.Popen[str]
    stdout: str = ""
    stderr: str = ""


@contextlib.contextmanager
def serving(env: dict[str, str], args: list[str] | None = None) -> Iterator[Server]:
    """`cadre serve` on a free port until the block ends; then it is stopped with SIGTERM, as
    systemd stops it, and what it printed is kept on the Server."""
    port = free_port()
    command = [*CADRE, "serve", "--addr", f"127.0.0.1:{port}", "--threads", "2", *(args or [])]
    with running_server(command, port, env) as server:
        yield server


@contextlib.contextmanager
def running_server(
    command: list[str], port: int, env: dict[str, str], cwd: Path | None = None, wait: float = 60
) -> Iterator[Server]:
    """A web server started by `command` on `port`, once its /healthz answers, until the block
    ends; then stopped with SIGTERM, and what it printed is kept on the Server."""
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env=child_env(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    server = Server(f"http://127.0.0.1:{port}", process)
    try:
        wait_for_http(f"{server.url}/healthz", process, timeout=wait)
    except AssertionError as error:
        process.kill()
        out, err = process.communicate()
        raise AssertionError(f"{error}\n{out}\n{err}") from None
    try:
        yield server
    finally:
        if process.poll() is None:
            process.terminate()
        try:
            server.stdout, server.stderr = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            server.stdout, server.stderr = process.communicate()
