"""A real webhook receiver on 127.0.0.1 that checks every request's Standard Webhooks
signature and timestamp with its own implementation (not Cadre's), and records the bodies."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

TOLERANCE_SECONDS = 5 * 60


def verify(secret: str, headers: Any, body: bytes, now: float) -> bool:
    """A receiver's check, written from the specification: the signed content is
    `id.timestamp.body`, the key is the base64 after `whsec_`, any v1 signature may match."""
    message_id = headers["webhook-id"]
    timestamp = headers["webhook-timestamp"]
    if abs(now - int(timestamp)) > TOLERANCE_SECONDS:
        return False
    key = base64.b64decode(secret.split("_", 1)[1])
    content = message_id.encode() + b"." + timestamp.encode() + b"." + body
    expected = base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()).decode()
    return any(
        version == "v1" and hmac.compare_digest(signature, expected)
        for version, _, signature in (
            part.partition(",") for part in headers["webhook-signature"].split(" ")
        )
    )


@dataclass
class Receiver:
    url: str
    secret: str = ""
    answer: int = 200
    received: list[dict[str, Any]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    def events(self) -> list[str]:
        return [body["type"] for body in self.received]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["content-length"]))
            if not verify(state.secret, self.headers, body, time.time()):
                state.refused.append(self.headers.get("webhook-id", ""))
                self.send_response(401)
            elif state.answer >= 300:
                self.send_response(state.answer)
            else:
                state.received.append({**json.loads(body), "_id": self.headers["webhook-id"]})
                self.send_response(state.answer)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
