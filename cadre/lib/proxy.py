"""The visitor's address and scheme behind the TLS proxy, under any WSGI server.

One rule, read from the CADRE_TRUSTED_PROXY settings (docs/operating.md, "Behind a TLS proxy"):
from the trusted proxy's address, the COUNT-th address of X-Forwarded-For from the right becomes
REMOTE_ADDR (every rate limit counts by it) and X-Forwarded-Proto the scheme; from any other
address, and from everyone when the setting is empty, the forwarded headers are removed before
Cadre sees them. A malformed header from the proxy, or a visitor's address from it that is not
an IP address, is answered with 400 Bad Request.

`cadre serve` hands these settings to waitress (serve.proxy_options, which
cadre/tests/test_proxy.py holds equal to trusted_proxy_options() here), and waitress applies
the rule before calling Cadre. Under gunicorn, or any other server, cadre.wsgi.application
applies it with the same options and the same code: waitress's own middleware (waitress is in
every lock file, at a pinned version; cadre/lib/tests/test_proxy.py holds it to the rule).
Under waitress the wrapper steps aside, so the rule is never applied twice: a second pass would
see the visitor's address as the peer and remove the proxy's X-Forwarded-Proto. The check of
the address taken is made under both servers."""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from waitress.proxy_headers import proxy_headers_middleware
from waitress.utilities import BadRequest

logger = logging.getLogger(__name__)

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

# waitress puts this key in every request's environ; no HTTP header can (headers arrive as
# HTTP_*), so its presence means waitress has applied (or been told to skip) the rule.
WAITRESS_KEY = "waitress.client_disconnected"


def trusted_proxy_options() -> dict[str, Any]:
    """The CADRE_TRUSTED_PROXY settings as waitress's options; none without the setting (then
    the forwarded headers are removed from everyone)."""
    if not settings.CADRE_TRUSTED_PROXY:
        return {}
    return {
        "trusted_proxy": settings.CADRE_TRUSTED_PROXY,
        "trusted_proxy_count": settings.CADRE_TRUSTED_PROXY_COUNT,
        "trusted_proxy_headers": set(settings.CADRE_TRUSTED_PROXY_HEADERS),
    }


FORWARDED_PREFIXES = ("HTTP_X_FORWARDED_", "HTTP_FORWARDED")


def behind_trusted_proxy(
    app: WSGIApp,
    *,
    trusted_proxy: str | None = None,
    trusted_proxy_count: int = 1,
    trusted_proxy_headers: Iterable[str] = (),
) -> WSGIApp:
    """`app` with the forwarded headers applied as waitress applies them, for servers that do
    not (the keyword arguments are waitress's, as trusted_proxy_options() gives them)."""
    checked = address_checked(app)
    translated = proxy_headers_middleware(
        checked,
        trusted_proxy=trusted_proxy or None,
        trusted_proxy_count=trusted_proxy_count,
        trusted_proxy_headers={name.lower() for name in trusted_proxy_headers},
        clear_untrusted=True,
    )

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if WAITRESS_KEY in environ:
            return checked(environ, start_response)
        if "REMOTE_ADDR" not in environ:
            # No peer address at all (a WSGI test client): nobody to believe, so the
            # forwarded headers go, as they do from any peer but the trusted proxy.
            for key in [k for k in environ if k.startswith(FORWARDED_PREFIXES)]:
                del environ[key]
            return checked(environ, start_response)
        return translated(environ, start_response)

    return application


def address_checked(app: WSGIApp) -> WSGIApp:
    """`app` refusing a request whose address came from the proxy's header (the header is still
    there: it was believed) but is not an IP address, e.g. `unknown` or `[2001:db8::7]:443`,
    which the rate limits could not count by."""

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if "HTTP_X_FORWARDED_FOR" in environ or "HTTP_FORWARDED" in environ:
            address = environ.get("REMOTE_ADDR", "")
            try:
                ipaddress.ip_address(address)
            except ValueError:
                logger.warning("The trusted proxy forwarded %r, not an IP address.", address)
                error = BadRequest("The forwarded client address is not an IP address.")
                return error.wsgi_response(environ, start_response)
        return app(environ, start_response)

    return application
