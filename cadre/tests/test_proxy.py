"""`cadre serve`, and the gunicorn command of docs/operating.md ("Scaling out"), behind a TLS
proxy as docs/operating.md sets it up: real HTTP requests to a real server process, from the
proxy's address and from another one.

The server listens on 127.0.0.1; the proxy is played by connections made from 127.0.0.2 (the
whole 127.0.0.0/8 block is this machine), everyone else by connections from 127.0.0.1."""

from __future__ import annotations

import contextlib
import http.client
import re
import secrets
import shlex
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest

from cadre.testing import scratch_copy
from cadre.tests.processes import (
    Server,
    free_port,
    production_env,
    run_cadre,
    running_server,
    serving,
)

PROXY = "127.0.0.2"
ELSEWHERE = "127.0.0.1"
PASSWORD = "a long pass phrase 42"
REPO = Path(__file__).resolve().parents[2]


def documented_gunicorn(port: int) -> list[str]:
    """docs/operating.md's gunicorn command, listening on `port`, with one process: without
    CADRE_REDIS_URL each process counts the rate limits on its own."""
    guide = (REPO / "docs" / "operating.md").read_text()
    found = re.search(r"^\.venv/bin/gunicorn (.*)$", guide, re.M)
    assert found, "docs/operating.md lost its gunicorn command"
    args = shlex.split(found.group(1))
    for option, value in (("--workers", "1"), ("--bind", f"127.0.0.1:{port}")):
        assert option in args, f"the documented command has no {option}"
        args[args.index(option) + 1] = value
    return [str(Path(sys.executable).parent / "gunicorn"), *args]


@contextlib.contextmanager
def gunicorn_serving(env: dict[str, str]) -> Iterator[Server]:
    """The documented gunicorn command, run from this checkout, until the block ends; then
    stopped with SIGTERM, as `serving` stops `cadre serve`."""
    port = free_port()
    with running_server(documented_gunicorn(port), port, env, cwd=REPO, wait=120) as server:
        yield server


Serving = Callable[[dict[str, str]], contextlib.AbstractContextManager[Server]]
SERVERS: dict[str, Serving] = {"cadre serve": serving, "gunicorn": gunicorn_serving}


@pytest.fixture(params=list(SERVERS))
def serve(request: Any) -> Serving:
    """Each way of serving Cadre behind the proxy: `cadre serve` (waitress applies the
    CADRE_TRUSTED_PROXY settings) and gunicorn (cadre.wsgi.application applies them)."""
    return SERVERS[request.param]


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: str


def request(
    url: str,
    path: str,
    *,
    source: str,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: str | None = None,
) -> Answer:
    """One HTTP request to the server at `url`, sent from the address `source`."""
    parts = urlsplit(url)
    assert parts.hostname is not None, f"{url} names a host"
    connection = http.client.HTTPConnection(
        parts.hostname, parts.port, timeout=30, source_address=(source, 0)
    )
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return Answer(response.status, response.headers, response.read().decode())
    finally:
        connection.close()


@pytest.fixture(scope="session")
def var_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A var/ folder with the static files collected, as a production install has them."""
    folder = tmp_path_factory.mktemp("var")
    done = run_cadre(
        ["collectstatic", "--no-input", "-v", "0"],
        {**production_env(folder / "unused.sqlite3"), "CADRE_VAR_DIR": str(folder)},
    )
    assert done.returncode == 0, done.stderr
    return folder


def behind_proxy_env(site: tuple[str, Path], **extra: str) -> dict[str, str]:
    """Production settings as docs/operating.md has them behind the proxy."""
    database_url, folder = site
    return {
        **production_env(folder / "unused.sqlite3"),
        "DATABASE_URL": database_url,
        "CADRE_VAR_DIR": str(folder),
        "SECURE_SSL_REDIRECT": "1",  # the default in production: the proxy's HTTPS counts
        "CADRE_TRUSTED_PROXY": PROXY,
        **extra,
    }


@pytest.fixture(scope="module")
def two_people(_migrated_template: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database with two people who can sign in, made once for the module (a
    `cadre shell` hashing two passwords the production way): each test serves a copy."""
    with scratch_copy(_migrated_template, tmp_path_factory.mktemp("people")) as database:
        database.shell(
            f"""
from allauth.account.models import EmailAddress
from cadre.accounts.models import User
for email in ("ana@example.org", "ben@example.org"):
    user = User.objects.create_user(email=email, password={PASSWORD!r}, name=email[:3])
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
"""
        )
        yield database.url


@pytest.fixture
def site(two_people: str, var_dir: Path, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A real database of its own with the two people, and the production settings to serve
    it with."""
    with scratch_copy(two_people, tmp_path) as database:
        yield database.url, var_dir


@pytest.mark.parametrize(
    "proxy, count, headers",
    [("", 1, ["x-forwarded-for"]), ("10.0.0.5", 2, ["x-forwarded-for", "x-forwarded-proto"])],
)
def test_both_servers_read_the_settings_alike(settings, proxy, count, headers):
    """`cadre serve` gives waitress the options cadre.wsgi.application applies elsewhere."""
    from cadre.demo.management.commands.serve import proxy_options
    from cadre.lib.proxy import trusted_proxy_options

    settings.CADRE_TRUSTED_PROXY = proxy
    settings.CADRE_TRUSTED_PROXY_COUNT = count
    settings.CADRE_TRUSTED_PROXY_HEADERS = headers
    assert proxy_options() == trusted_proxy_options()


def test_an_https_request_through_the_trusted_proxy_is_served_with_hsts(site, serve):
    with serve(behind_proxy_env(site)) as server:
        answer = request(
            server.url, "/accounts/login/", source=PROXY, headers={"X-Forwarded-Proto": "https"}
        )
        assert answer.status == 200, answer.body[:500]
        assert answer.headers["Strict-Transport-Security"].startswith("max-age=31536000")
        assert "secure" in answer.headers["Set-Cookie"].lower()  # the CSRF cookie
    if serve is serving:
        assert f"Trusting x-forwarded-for, x-forwarded-proto from the proxy at {PROXY}." in (
            server.stdout
        )


def test_a_plain_http_request_through_the_proxy_is_sent_to_https(site):
    with serving(behind_proxy_env(site)) as server:
        answer = request(
            server.url, "/accounts/login/", source=PROXY, headers={"X-Forwarded-Proto": "http"}
        )
        assert answer.status == 301
        assert answer.headers["Location"].startswith("https://")
        assert "Strict-Transport-Security" not in answer.headers


def test_the_forwarded_scheme_from_any_other_peer_is_ignored(site, serve):
    with serve(behind_proxy_env(site)) as server:
        answer = request(
            server.url,
            "/accounts/login/",
            source=ELSEWHERE,
            headers={"X-Forwarded-Proto": "https"},
        )
        assert answer.status == 301
        assert "Strict-Transport-Security" not in answer.headers


def test_without_the_setting_the_proxy_is_not_believed_and_the_server_says_why(site, serve):
    env = behind_proxy_env(site, CADRE_TRUSTED_PROXY="")
    with serve(env) as server:
        answer = request(
            server.url, "/accounts/login/", source=PROXY, headers={"X-Forwarded-Proto": "https"}
        )
        assert answer.status == 301  # the redirect loop of issue 12, H5
    if serve is serving:
        assert "CADRE_TRUSTED_PROXY is not set" in server.stderr


def test_a_visitor_address_that_is_not_one_is_refused(site, serve):
    """A proxy that forwards something other than an address (here `unknown`) is refused
    rather than counted under a name the rate limits cannot trust."""
    with serve(behind_proxy_env(site)) as server:
        answer = request(
            server.url,
            "/accounts/login/",
            source=PROXY,
            headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "unknown"},
        )
        assert answer.status == 400


class Browser:
    """Signs in through the proxy as one client address, keeping its cookies."""

    def __init__(self, url: str, client_address: str, source: str = PROXY) -> None:
        self.url = url
        self.client_address = client_address
        self.source = source  # the address the request really comes from
        self.cookies: dict[str, str] = {}

    def _send(self, method: str, path: str, body: str | None = None) -> Answer:
        headers = {
            # What the proxy adds: the scheme it was reached with, the client's address.
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.client_address,
            "Referer": f"https://{urlsplit(self.url).netloc}{path}",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        answer = request(
            self.url, path, source=self.source, method=method, headers=headers, body=body
        )
        for header in answer.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return answer

    def sign_in(self, email: str, password: str) -> str:
        """'signed in', 'refused' (wrong password) or 'rate limited'."""
        page = self._send("GET", "/accounts/login/")
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
        assert found is not None, "the sign-in page has its CSRF token"
        token = found.group(1)
        answer = self._send(
            "POST",
            "/accounts/login/",
            urlencode({"login": email, "password": password, "csrfmiddlewaretoken": token}),
        )
        if answer.status == 302:
            return "signed in"
        assert answer.status == 200, (answer.status, answer.body[:500])
        if "Too many failed login attempts" in answer.body:
            return "rate limited"
        assert "not correct" in answer.body, answer.body[:2000]
        return "refused"


def test_failed_sign_ins_from_one_client_do_not_lock_out_another_behind_the_same_proxy(site, serve):
    with serve(behind_proxy_env(site)) as server:
        guesser = Browser(server.url, "203.0.113.7")
        # Ten failures, each on an address nobody has, so only the per-address limit counts.
        for attempt in range(10):
            assert guesser.sign_in(f"nobody{attempt}@example.org", "guess") == "refused"
        assert guesser.sign_in("ben@example.org", PASSWORD) == "rate limited"
        # Another person, through the same proxy, is not locked out by the guesser.
        assert Browser(server.url, "198.51.100.9").sign_in("ben@example.org", PASSWORD) == (
            "signed in"
        )


def test_a_guesser_reaching_the_server_directly_cannot_name_other_addresses(site, serve):
    """Past the proxy, a different X-Forwarded-For on each try is removed, not believed: all
    the tries count against the guesser's real address. (Over plain HTTP: from outside the
    proxy, the forwarded HTTPS is removed too.)"""
    with serve(behind_proxy_env(site, SECURE_SSL_REDIRECT="0")) as server:
        for attempt in range(10):
            guesser = Browser(server.url, f"203.0.113.{attempt + 1}", source=ELSEWHERE)
            assert guesser.sign_in(f"nobody{attempt}@example.org", "guess") == "refused"
        guesser = Browser(server.url, "203.0.113.99", source=ELSEWHERE)
        assert guesser.sign_in("ben@example.org", PASSWORD) == "rate limited"
        # The proxy's visitors are counted apart from it.
        assert Browser(server.url, "198.51.100.9").sign_in("ben@example.org", PASSWORD) == (
            "signed in"
        )


def test_guessing_one_account_from_many_addresses_is_still_stopped(site):
    with serving(behind_proxy_env(site)) as server:
        for attempt in range(5):
            client = Browser(server.url, f"203.0.113.{attempt + 1}")
            assert client.sign_in("ana@example.org", f"guess {secrets.token_hex(2)}") == "refused"
        # The account's own limit holds, whichever address the next try comes from, even with
        # the right password.
        assert Browser(server.url, "203.0.113.99").sign_in("ana@example.org", PASSWORD) == (
            "rate limited"
        )
        assert Browser(server.url, "203.0.113.99").sign_in("ben@example.org", PASSWORD) == (
            "signed in"
        )
