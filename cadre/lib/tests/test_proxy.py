"""The trusted-proxy rule under servers other than waitress (cadre.lib.proxy): plain WSGI calls,
as gunicorn makes them, from the proxy's address and from others. The real servers behind a
stand-in proxy are in cadre/tests/test_proxy.py."""

from __future__ import annotations

from typing import Any

import pytest

from cadre.lib.proxy import WAITRESS_KEY, behind_trusted_proxy

PROXY = "10.0.0.5"
DEFAULT_HEADERS = ["x-forwarded-for", "x-forwarded-proto"]


def call(
    peer: str,
    headers: dict[str, str],
    *,
    proxy: str | None = PROXY,
    count: int = 1,
    trusted: list[str] = DEFAULT_HEADERS,
    extra: dict[str, Any] | None = None,
) -> tuple[str, dict[str, Any] | None]:
    """Send one request from `peer`; return the status and the environ Cadre saw (None when
    Cadre was not called)."""
    seen: list[dict[str, Any]] = []

    def cadre(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        seen.append(dict(environ))
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    app = behind_trusted_proxy(
        cadre, trusted_proxy=proxy, trusted_proxy_count=count, trusted_proxy_headers=trusted
    )
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1:8000",
        "REMOTE_ADDR": peer,
        "wsgi.url_scheme": "http",
        **{"HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()},
        **(extra or {}),
    }
    environ = {key: value for key, value in environ.items() if value is not None}
    statuses: list[str] = []
    b"".join(app(environ, lambda status, headers, exc_info=None: statuses.append(status)))
    return statuses[0], (seen[0] if seen else None)


def test_from_the_trusted_proxy_the_visitor_address_and_scheme_are_taken():
    status, environ = call(PROXY, {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"})
    assert status == "200 OK" and environ is not None
    assert environ["REMOTE_ADDR"] == "203.0.113.7"
    assert environ["wsgi.url_scheme"] == "https"
    assert environ["HTTP_X_FORWARDED_PROTO"] == "https"  # what SECURE_PROXY_SSL_HEADER reads


def test_entries_a_visitor_wrote_before_the_proxy_are_ignored():
    _, environ = call(PROXY, {"X-Forwarded-For": "192.0.2.66, 203.0.113.7"})
    assert environ is not None
    assert environ["REMOTE_ADDR"] == "203.0.113.7"
    assert environ["HTTP_X_FORWARDED_FOR"] == "203.0.113.7"


@pytest.mark.parametrize("peer", ["10.0.0.6", "203.0.113.7", "::1"])
def test_from_any_other_peer_the_forwarded_headers_are_removed(peer):
    _, environ = call(
        peer,
        {
            "X-Forwarded-For": "198.51.100.9",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-Host": "elsewhere.example",
            "Forwarded": "for=198.51.100.9;proto=https",
        },
    )
    assert environ is not None
    assert environ["REMOTE_ADDR"] == peer
    assert environ["wsgi.url_scheme"] == "http"
    assert not [key for key in environ if "FORWARDED" in key]


def test_without_a_trusted_proxy_nobody_is_believed():
    _, environ = call(
        PROXY, {"X-Forwarded-For": "198.51.100.9", "X-Forwarded-Proto": "https"}, proxy=None
    )
    assert environ is not None
    assert environ["REMOTE_ADDR"] == PROXY
    assert "HTTP_X_FORWARDED_PROTO" not in environ and "HTTP_X_FORWARDED_FOR" not in environ


def test_without_a_peer_address_nobody_is_believed():
    """A WSGI caller that gives no REMOTE_ADDR (werkzeug's test client, schemathesis's WSGI
    loader) is answered, with the forwarded headers removed, not with an error."""
    _, environ = call(
        PROXY,
        {"X-Forwarded-For": "198.51.100.9", "Forwarded": "for=198.51.100.9"},
        extra={"REMOTE_ADDR": None},
    )
    assert environ is not None
    assert not [key for key in environ if "FORWARDED" in key]


def test_with_two_proxies_the_second_address_from_the_right_is_the_visitor():
    _, environ = call(PROXY, {"X-Forwarded-For": "192.0.2.66, 203.0.113.7, 10.0.0.1"}, count=2)
    assert environ is not None
    assert environ["REMOTE_ADDR"] == "203.0.113.7"
    # With one proxy of its own, the same header names the nearer proxy.
    _, environ = call(PROXY, {"X-Forwarded-For": "192.0.2.66, 203.0.113.7, 10.0.0.1"})
    assert environ is not None
    assert environ["REMOTE_ADDR"] == "10.0.0.1"


def test_a_header_not_listed_is_removed_even_from_the_proxy():
    _, environ = call(
        PROXY,
        {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Host": "elsewhere.example"},
        trusted=["x-forwarded-for"],
    )
    assert environ is not None
    assert environ["REMOTE_ADDR"] == "203.0.113.7"
    assert environ["HTTP_HOST"] == "127.0.0.1:8000"
    assert "HTTP_X_FORWARDED_HOST" not in environ


@pytest.mark.parametrize(
    "headers, trusted",
    [
        ({"X-Forwarded-Proto": "https, http"}, DEFAULT_HEADERS),  # two schemes
        ({"X-Forwarded-Proto": "gopher"}, DEFAULT_HEADERS),  # not a web scheme
        ({"Forwarded": "for=203.0.113.7;proto"}, ["forwarded"]),  # a pair without "="
        ({"Forwarded": "for= 203.0.113.7"}, ["forwarded"]),  # spaces inside a pair
        ({"X-Forwarded-For": "unknown"}, DEFAULT_HEADERS),  # not an address
        ({"X-Forwarded-For": "203.0.113.7, 999.1.2.3"}, DEFAULT_HEADERS),
        ({"X-Forwarded-For": "[2001:db8::7]:51234"}, DEFAULT_HEADERS),  # a port after IPv6
        ({"Forwarded": "for=_hidden;proto=https"}, ["forwarded"]),  # an obfuscated name
    ],
)
def test_a_malformed_header_from_the_proxy_is_refused_before_cadre_sees_it(headers, trusted):
    status, environ = call(PROXY, headers, trusted=trusted)
    assert status == "400 Bad Request"
    assert environ is None


def test_a_malformed_header_from_another_peer_is_simply_removed():
    status, environ = call("203.0.113.7", {"X-Forwarded-Proto": "https, http"})
    assert status == "200 OK" and environ is not None
    assert "HTTP_X_FORWARDED_PROTO" not in environ


def test_a_port_after_an_ipv4_address_is_set_aside():
    _, environ = call(PROXY, {"X-Forwarded-For": "203.0.113.7:51234"})
    assert environ is not None
    assert environ["REMOTE_ADDR"] == "203.0.113.7"


def test_an_empty_forwarded_for_leaves_the_proxy_address():
    _, environ = call(PROXY, {"X-Forwarded-For": ""})
    assert environ is not None
    assert environ["REMOTE_ADDR"] == PROXY


@pytest.mark.parametrize(
    "headers, trusted",
    [
        ({"X-Forwarded-For": "2001:db8::7"}, DEFAULT_HEADERS),
        ({"X-Forwarded-For": "192.0.2.66, [2001:db8::7]"}, DEFAULT_HEADERS),
        ({"Forwarded": 'for="[2001:db8::7]";proto=https'}, ["forwarded"]),
    ],
)
def test_ipv6_proxy_and_visitor(headers, trusted):
    _, environ = call("::1", headers, proxy="::1", trusted=trusted)
    assert environ is not None
    assert environ["REMOTE_ADDR"] == "2001:db8::7"


def test_forwarded_alone_sets_address_and_scheme():
    _, environ = call(
        PROXY,
        {"Forwarded": "for=192.0.2.66, for=203.0.113.7;proto=https", "X-Forwarded-For": "1.2.3.4"},
        trusted=["forwarded"],
    )
    assert environ is not None
    assert environ["REMOTE_ADDR"] == "203.0.113.7"
    assert environ["wsgi.url_scheme"] == "https"
    assert "HTTP_X_FORWARDED_FOR" not in environ


def test_under_waitress_the_request_is_passed_on_untouched():
    """waitress (`cadre serve`) has applied the rule already: REMOTE_ADDR is the visitor's and
    the proxy's headers are left. A second pass would take the visitor for an untrusted peer and
    remove X-Forwarded-Proto."""
    headers = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
    _, environ = call("203.0.113.7", headers, extra={WAITRESS_KEY: lambda: False})
    assert environ is not None
    assert environ["REMOTE_ADDR"] == "203.0.113.7"
    assert environ["HTTP_X_FORWARDED_PROTO"] == "https"
    assert environ["HTTP_X_FORWARDED_FOR"] == "203.0.113.7"


def test_under_waitress_an_address_that_is_not_one_is_refused_too():
    status, environ = call(
        "unknown", {"X-Forwarded-For": "unknown"}, extra={WAITRESS_KEY: lambda: False}
    )
    assert status == "400 Bad Request" and environ is None


def test_cadre_wsgi_application_is_the_wrapped_one():
    """gunicorn's entry point (cadre.wsgi:application) goes through the rule; the real servers
    behind a stand-in proxy are tested in cadre/tests/test_proxy.py."""
    from cadre.wsgi import application, django_application

    assert application is not django_application
    assert application.__qualname__ == behind_trusted_proxy.__qualname__ + ".<locals>.application"


def test_the_options_come_from_the_settings(settings):
    from cadre.lib.proxy import trusted_proxy_options

    settings.CADRE_TRUSTED_PROXY = ""
    assert trusted_proxy_options() == {}
    settings.CADRE_TRUSTED_PROXY = PROXY
    settings.CADRE_TRUSTED_PROXY_COUNT = 2
    settings.CADRE_TRUSTED_PROXY_HEADERS = ["forwarded"]
    assert trusted_proxy_options() == {
        "trusted_proxy": PROXY,
        "trusted_proxy_count": 2,
        "trusted_proxy_headers": {"forwarded"},
    }
