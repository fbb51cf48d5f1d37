"""Sentry: with SENTRY_DSN set, an error in a real request served by `cadre serve` arrives at
the DSN's server as an event, without people's data; without it, the SDK is not started.

The Sentry server is a stand-in: a local HTTP server that accepts the SDK's envelope POSTs as
Sentry's ingestion endpoint does and keeps what it received."""

import gzip
import io
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.metadata import version
from typing import Any

import pytest

from cadre.tests.processes import get, production_env, run_cadre, serving


def parse_envelope(body: bytes) -> list[tuple[dict[str, Any], bytes]]:
    """Sentry's envelope format: a JSON header line, then items, each a JSON header line and a
    payload of `length` bytes (or up to the end of the line when no length is given)."""
    stream = io.BytesIO(body)
    stream.readline()
    items = []
    while line := stream.readline():
        if not line.strip():
            continue
        header = json.loads(line)
        if header.get("length") is None:
            payload = stream.readline().rstrip(b"\n")
        else:
            payload = stream.read(header["length"])
            stream.readline()
        items.append((header, payload))
    return items


class SentryStandIn:
    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], list[tuple[dict[str, Any], bytes]]]] = []
        self.raw: list[bytes] = []
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                encoding = self.headers.get("Content-Encoding", "")
                if encoding == "gzip":
                    body = gzip.decompress(body)
                elif encoding:
                    raise AssertionError(f"the stand-in cannot read {encoding!r} bodies")
                stand_in.raw.append(body)
                stand_in.received.append((dict(self.headers), parse_envelope(body)))
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.dsn = f"http://public-key@127.0.0.1:{self.server.server_address[1]}/1"

    def items(self, kind: str) -> list[dict[str, Any]]:
        return [
            json.loads(payload)
            for _, items in self.received
            for header, payload in items
            if header.get("type") == kind
        ]

    def wait_for(self, kind: str, about: str = "", timeout: float = 20) -> list[dict[str, Any]]:
        """The items of a kind received so far that mention `about`, once there is one."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if found := [item for item in self.items(kind) if about in json.dumps(item)]:
                return found
            time.sleep(0.1)
        raise AssertionError(f"no {kind} reached the stand-in; it received {self.raw!r}")

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def sentry() -> Iterator[SentryStandIn]:
    stand_in = SentryStandIn()
    yield stand_in
    stand_in.close()


def sentry_env(tmp_path, sentry: SentryStandIn, **extra: str) -> dict[str, str]:
    # An empty database: the calendar feed's lookup then fails for real (no such table), an
    # unhandled exception in a view like any other.
    env = production_env(tmp_path / "empty.sqlite3")
    return {**env, "SENTRY_DSN": sentry.dsn, **extra}


def test_an_unhandled_exception_in_a_view_arrives_as_an_event(tmp_path, sentry):
    env = sentry_env(tmp_path, sentry, SENTRY_ENVIRONMENT="staging", SENTRY_TRACES_SAMPLE_RATE="1")
    with serving(env) as server:
        status, _ = get(
            f"{server.url}/calendar/private-token.ics?from=phone",
            headers={"Cookie": "sessionid=secret-session-value", "User-Agent": "Calendar/1.0"},
        )
        assert status == 500
        (event,) = sentry.wait_for("event", about="/calendar/")
        transactions = sentry.wait_for("transaction", about="/calendar/")

    (error,) = event["exception"]["values"][-1:]
    assert error["type"] == "OperationalError"
    assert "no such table" in error["value"]
    assert error["mechanism"] == {"type": "django", "handled": False}
    assert event["environment"] == "staging"
    assert event["release"] == f"cadre@{version('cadre')}"
    assert event["request"]["url"].endswith("/calendar/private-token.ics")
    assert event["request"]["headers"]["User-Agent"] == "Calendar/1.0"
    assert event["transaction"] == "/calendar/{token}.ics"
    # Nothing personal: no cookies, no user, no local variables (they hold form data and tokens).
    assert "cookies" not in event["request"]
    assert event["request"]["headers"]["Cookie"] == "[Filtered]"
    assert "REMOTE_ADDR" not in event["request"].get("env", {}) and "user" not in event
    frames = [f for value in event["exception"]["values"] for f in value["stacktrace"]["frames"]]
    assert frames and not any("vars" in frame for frame in frames)
    assert not any(b"secret-session-value" in body for body in sentry.raw)
    # The DSN's key authenticates the envelopes; the sample rate lets the request's trace through.
    assert all(
        "sentry_key=public-key" in headers["X-Sentry-Auth"] for headers, _ in sentry.received
    )
    assert any(t["transaction"] == "/calendar/{token}.ics" for t in transactions)


def test_an_error_a_command_does_not_handle_arrives_as_an_event(tmp_path, sentry):
    env = sentry_env(tmp_path, sentry)
    result = run_cadre(["shell", "-c", "raise RuntimeError('the export disk is full')"], env)
    assert result.returncode != 0
    (event,) = sentry.wait_for("event")
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    assert event["exception"]["values"][-1]["value"] == "the export disk is full"
    assert event["environment"] == "production"


SHOW_SENTRY = (
    "import sentry_sdk; client = sentry_sdk.get_client(); "
    "print(sentry_sdk.is_initialized(), client.options['send_default_pii'], "
    "client.options['traces_sample_rate'])"
)


def test_without_sentry_dsn_sentry_is_not_started(tmp_path):
    result = run_cadre(["shell", "-v", "0", "-c", SHOW_SENTRY], production_env(tmp_path / "x"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "False"


def test_with_sentry_dsn_sentry_is_started_without_personal_data(tmp_path, sentry):
    env = sentry_env(tmp_path, sentry, SENTRY_TRACES_SAMPLE_RATE="0.25")
    result = run_cadre(["shell", "-v", "0", "-c", SHOW_SENTRY], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "False", "0.25"]


@pytest.mark.parametrize("rate", ["often", "1.5", "-0.1"])
def test_a_bad_traces_sample_rate_is_refused_with_a_clear_message(tmp_path, rate):
    env = {**production_env(tmp_path / "x"), "SENTRY_TRACES_SAMPLE_RATE": rate}
    result = run_cadre(["check"], env)
    assert result.returncode != 0
    assert f"SENTRY_TRACES_SAMPLE_RATE must be a number from 0 to 1, not '{rate}'." in result.stderr
