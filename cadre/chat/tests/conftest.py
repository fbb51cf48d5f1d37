"""Local stand-ins for the outside: a Slack Web API on 127.0.0.1 that records each call and
answers as Slack's documentation shows (chat.postMessage, views.open, oauth.v2.access,
auth.revoke, conversations.list, users.info), or with a failure when told to; and a Teams
Workflows receiver that records the messages POSTed to it."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode

import pytest

TOKEN = "xoxb-17-secret-bot-token"
SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
KEY = "a test encryption key"

USERS = {
    "U_MEMBER": "mo@northwind.test",
    "U_OTHER": "oscar@northwind.test",
    "U_STRANGER": "nobody@elsewhere.test",
}


@dataclass
class Stand:
    url: str = ""
    calls: list[tuple[str, dict[str, Any], str]] = field(default_factory=list)
    # method -> (status, body, headers) to answer instead of the usual, for the next calls
    failures: dict[str, list[tuple[int, dict[str, Any], dict[str, str]]]] = field(
        default_factory=dict
    )

    def called(self, method: str) -> list[dict[str, Any]]:
        return [args for name, args, _ in self.calls if name == method]

    def fail(self, method: str, status: int, body: dict[str, Any], **headers: str) -> None:
        self.failures.setdefault(method, []).append((status, body, headers))


def _answer(method: str, args: dict[str, Any]) -> dict[str, Any]:
    if method == "oauth.v2.access":
        if args.get("code") != "good-code":
            return {"ok": False, "error": "invalid_code"}
        return {
            "ok": True,
            "access_token": TOKEN,
            "token_type": "bot",
            "scope": "chat:write,commands",
            "bot_user_id": "U0BOT",
            "app_id": "A0APP",
            "team": {"id": "T0TEAM", "name": "Northwind"},
            "enterprise": None,
            "authed_user": {"id": "U_ADMIN"},
        }
    if method == "chat.postMessage":
        return {"ok": True, "channel": args.get("channel"), "ts": "1503435956.000247"}
    if method == "views.open":
        return {"ok": True, "view": {"id": "V0VIEW", **json.loads(args.get("view", "{}"))}}
    if method == "auth.revoke":
        return {"ok": True, "revoked": True}
    if method == "conversations.list":
        return {
            "ok": True,
            "channels": [
                {"id": "C0ALPHA", "name": "alpha-cohort", "is_channel": True},
                {"id": "C0GENERAL", "name": "general", "is_channel": True},
            ],
            "response_metadata": {"next_cursor": ""},
        }
    if method == "users.info":
        email = USERS.get(args.get("user", ""))
        if email is None:
            return {"ok": False, "error": "user_not_found"}
        return {
            "ok": True,
            "user": {"id": args["user"], "is_bot": False, "profile": {"email": email}},
        }
    return {"ok": False, "error": "unknown_method"}


def serve(handler: type[BaseHTTPRequestHandler]) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture
def slack(settings: Any) -> Iterator[Stand]:
    state = Stand()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("content-length", 0))).decode()
            if "json" in self.headers.get("content-type", ""):
                args = json.loads(raw or "{}")
            else:
                args = {k: v[0] for k, v in parse_qs(raw).items()}
            method = self.path.rsplit("/", 1)[-1]
            state.calls.append((method, args, self.headers.get("authorization", "")))
            pending = state.failures.get(method)
            if pending:
                status, body, headers = pending.pop(0)
            else:
                status, body, headers = 200, _answer(method, args), {}
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server, url = serve(Handler)
    state.url = url
    settings.CADRE_SLACK_API_URL = f"{url}/api/"
    settings.CADRE_SLACK_CLIENT_ID = "1234.5678"
    settings.CADRE_SLACK_CLIENT_SECRET = "client-secret"
    settings.CADRE_SLACK_SIGNING_SECRET = SIGNING_SECRET
    settings.CADRE_ENCRYPTION_KEY = KEY
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Teams:
    url: str = ""
    answer: int = 202
    received: list[dict[str, Any]] = field(default_factory=list)


@pytest.fixture
def teams() -> Iterator[Teams]:
    state = Teams()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["content-length"]))
            if state.answer < 300:
                state.received.append(json.loads(body))
            self.send_response(state.answer)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server, url = serve(Handler)
    state.url = f"{url}/workflows/abc/triggers/manual/paths/invoke"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def signed(body: str, *, secret: str = SIGNING_SECRET, at: int | None = None) -> dict[str, str]:
    """The headers Slack sends: v0 HMAC-SHA256 of `v0:timestamp:body` (Slack's documented
    scheme, computed here independently of slack_sdk)."""
    timestamp = str(int(time.time()) if at is None else at)
    digest = hmac.new(
        secret.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256
    ).hexdigest()
    return {"HTTP_X_SLACK_REQUEST_TIMESTAMP": timestamp, "HTTP_X_SLACK_SIGNATURE": f"v0={digest}"}


def form(fields: dict[str, str]) -> str:
    return urlencode(fields)
