"""`cadre serve`: serve Cadre's WSGI application with waitress. Static files come through
WhiteNoise (in the middleware), so this one process is the whole site. Behind a TLS proxy,
CADRE_TRUSTED_PROXY names the proxy whose forwarded headers waitress believes."""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import threading
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cadre.lib.proxy import trusted_proxy_options

logger = logging.getLogger(__name__)


def parse_addr(addr: str) -> tuple[str, int]:
    """Read --addr: HOST:PORT, [IPv6]:PORT or a bare PORT."""
    host, sep, port = addr.rpartition(":")
    if not sep:
        host, port = "127.0.0.1", addr
    host = host.strip("[]") or "127.0.0.1"
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise CommandError(f"--addr must look like 127.0.0.1:8000; got {addr!r}.")
    return host, int(port)


def served_url(host: str, port: int) -> str:
    """The address to open for a server listening on host:port (a wildcard host is opened
    as 127.0.0.1)."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


def proxy_options() -> dict[str, Any]:
    """waitress's trusted-proxy options, from the rule Cadre applies under every server."""
    return trusted_proxy_options()


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # waitress shuts down on it, as on Ctrl-C


class Command(BaseCommand):
    help = "Serve Cadre with waitress (static files included). Ctrl-C stops it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--addr", default="127.0.0.1:8000", help="HOST:PORT to listen on (127.0.0.1:8000)"
        )
        parser.add_argument("--threads", type=int, default=8, help="worker threads (default 8)")
        parser.add_argument(
            "--with-worker",
            action="store_true",
            help="also run one background worker (`cadre worker`) beside the server",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from waitress.server import create_server

        host, port = parse_addr(options["addr"])
        if options["threads"] < 1:
            raise CommandError("--threads must be at least 1.")

        from cadre.wsgi import application

        proxy = proxy_options()
        try:
            server = create_server(
                application, host=host, port=port, threads=options["threads"], **proxy
            )
        except OSError as error:
            raise CommandError(f"Cannot listen on {host}:{port}: {error}") from error
        self.stdout.write(
            self.style.SUCCESS(f"Cadre is running at {served_url(host, port)}/")
            + f"  ({options['threads']} threads; press Ctrl-C to stop)"
        )
        if proxy:
            headers = ", ".join(sorted(proxy["trusted_proxy_headers"]))
            self.stdout.write(f"Trusting {headers} from the proxy at {proxy['trusted_proxy']}.")
        elif getattr(settings, "SECURE_SSL_REDIRECT", False):
            # waitress drops X-Forwarded-Proto from untrusted peers: behind a TLS proxy every
            # page would answer with a redirect to itself.
            logger.warning(
                "CADRE_TRUSTED_PROXY is not set: X-Forwarded-Proto from a TLS proxy is "
                "ignored and every page redirects to HTTPS; set it to the proxy's address."
            )
        worker = None
        if options["with_worker"]:
            # Reminders, e-mail, rounds and formation runs are background work; one worker
            # process beside the server is enough for a demo or a small network.
            worker = subprocess.Popen([sys.executable, "-m", "cadre", "worker"])
            self.stdout.write(f"Background worker started (pid {worker.pid}).")
        # A process manager's SIGTERM stops the server as cleanly as Ctrl-C does.
        in_main_thread = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGTERM, _stop) if in_main_thread else None
        try:
            server.run()
        except KeyboardInterrupt:
            pass
        finally:
            server.close()
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)
            if in_main_thread:
                signal.signal(signal.SIGTERM, previous)
        self.stdout.write("Stopped.")
