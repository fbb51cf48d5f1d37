"""The route × role matrix: every page and every API operation, requested by each kind of
person, and what their answers may and may not hold. The tests are in
test_route_role_matrix.py (and _outsiders.py, so that two processes share the work); the
world they request in is cadre/tests/matrix_world.py, the routes cadre/tests/matrix_routes.py.

For each answer:
- never a server error (5xx, or an exception out of a view);
- no canary of a row the person may not read (the policies say who may), and no secret of
  someone else (an API token, a calendar-feed token, a two-factor secret);
- pages answer 200, a redirect within the site (to the sign-in page for anonymous people), or
  Cadre's own error page (403, 404; 400 for an address that lacks what the page needs, 405
  for one that only takes a form), never a bare error;
- API errors keep the JSON shape {"error": {"code", "message"}} with a stable code;
- a path that names a row of another cohort or network than the path's own is not answered
  with the row (no 2xx);
- a write by someone who may not read what it writes to (the row the path names, else the
  cohort, else the network) is refused with 401, 403 or 404, and changes nothing in the
  database.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import re
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import time_machine
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cadre.tests.matrix_routes import Request, all_requests, api_components, request_body
from cadre.tests.matrix_rules import NEVER_IN_ADMIN, in_impact_report, read_rule, shown_with
from cadre.tests.matrix_world import NOW, TODAY, World, build_world, iter_rows

# Who requests: the role's name -> the person in the world (None: not signed in).
ROLES: dict[str, str | None] = {
    "anonymous": None,
    "newcomer": "newcomer",  # signed in, in no network
    "member_a": "n1.member_a",  # member of n1's cohort alpha (shared with the network)
    "member_b": "n1.member_b",  # member of n1's cohort beta (not shared)
    "host_a": "n1.host_a",  # host of alpha
    "organizer": "n1.organizer",
    "admin": "n1.admin",  # n1's network admin
    "mentor": "n1.mentor",  # mentor of alpha's second member; feedback and a journal entry are shared with them
    "partner": "n1.partner",  # in n1's partner group, which an item is shared with
    "staff": "staff",  # Django staff and superuser, in no network
    "other_member": "n2.member_a",  # of the other network
    "other_organizer": "n2.organizer",
}

# What is requested: every page (GET), every API read, every API write.
SURFACES = ("pages", "api-reads", "api-writes")

CANARY = re.compile(r"(?i)canary-(?:[a-z0-9]+-)*?\d{4}\b")
STABLE_CODES = frozenset(
    {
        "bad_request",
        "not_authenticated",
        "forbidden",
        "not_found",
        "method_not_allowed",
        "conflict",
        "validation_error",
        "rate_limited",
        "conduct_not_accepted",
        "csrf_failed",
        "two_factor_required",
    }
)
# Bookkeeping a refused request may still write: the token's "last used" time.
HARMLESS_WRITES = (re.compile(r'^UPDATE "api_apitoken" SET "last_used_at"'),)
WRITE_TABLE = re.compile(r'^\s*(?:INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)"?', re.I)


@dataclass
class Matrix:
    world: World
    requests: list[Request]
    unfilled: list[str]
    readable: ReadableBy  # person key -> canaries they may read
    admin_readable: frozenset[str]
    components: dict[str, Any]
    build_seconds: float = 0.0


def build_matrix() -> Matrix:
    started = time.perf_counter()
    world = build_world()
    requests, unfilled = all_requests(world)
    admin_readable = frozenset(
        token for token, canary in world.canaries.items() if canary.label not in NEVER_IN_ADMIN
    )
    return Matrix(
        world,
        requests,
        unfilled,
        ReadableBy(world),
        admin_readable,
        api_components(),
        time.perf_counter() - started,
    )


class ReadableBy(dict[str | None, frozenset[str]]):
    """The canaries each person may read, asked of the policies the first time that person's
    answers are judged: a test module requests as half of the roles, so half are never asked."""

    def __init__(self, world: World) -> None:
        super().__init__()
        self.world = world

    def __missing__(self, key: str | None) -> frozenset[str]:
        self[key] = readable_by(self.world, key)
        return self[key]


def readable_by(world: World, key: str | None) -> frozenset[str]:
    """The canaries `key` may read, by asking each row's rule (the policies)."""
    from cadre.accounts.models import User

    reader = AnonymousUser() if key is None else User.objects.get(pk=world.people[key].pk)
    tokens: set[str] = set()
    for label, row in iter_rows(world):
        rule = read_rule(label)
        assert rule is not None, f"No rule says who reads {label}"
        if rule(reader, row) or in_impact_report(reader, row):
            tokens |= world.by_row[label, row.pk] | shown_with(world.by_field, row)
    return frozenset(tokens)


# --- requesting ------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    content_type: str
    body: str
    location: str = ""
    allow: str = ""
    changed: list[str] = field(default_factory=list)  # tables a refused write changed
    error: str = ""  # an exception out of the view


def client_for(matrix: Matrix, role: str, api: bool) -> Client:
    key = ROLES[role]
    if key is None:
        return Client()
    if api:
        return Client(HTTP_AUTHORIZATION=f"Bearer {matrix.world.tokens[key]}")
    client = Client()
    client.force_login(matrix.world.people[key])
    return client


def send(client: Client, request: Request, body: Any = None) -> Answer:
    """One request, in a savepoint rolled back after it, so every request meets the same
    world; the SQL writes it made are kept for the judge."""
    method = request.route.method.lower()
    kwargs: dict[str, Any] = {}
    if method != "get" and body is not None:
        kwargs = {"data": json.dumps(body), "content_type": "application/json"}
    queries = CaptureQueriesContext(connection)
    with transaction.atomic():
        try:
            if method == "get":
                response = client.get(request.url)
            else:
                with queries:
                    response = getattr(client, method)(request.url, **kwargs)
        except Exception as error:  # the test client re-raises what a view raised
            transaction.set_rollback(True)
            return Answer(500, "", "", error=f"{type(error).__name__}: {error}")
        after: dict[str, str] = {}
        if method != "get" and response.status_code in (401, 403, 404):
            after = {t: table_digest(t) for t in written_tables(queries.captured_queries)}
        transaction.set_rollback(True)
    changed = [t for t, digest in after.items() if digest != baseline_digest(t)]
    return Answer(
        response.status_code,
        response.get("Content-Type", ""),
        readable_text(response),
        response.get("Location", ""),
        response.get("Allow", ""),
        changed,
    )


# Each table's rows as the world has them, made when first needed: every request is rolled
# back, so they stay so while one person's requests run (run() starts afresh).
_BASELINE: dict[str, str] = {}


def table_digest(table: str) -> str:
    import hashlib

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY 1")
        return hashlib.sha256(repr(cursor.fetchall()).encode()).hexdigest()


def baseline_digest(table: str) -> str:
    if table not in _BASELINE:
        _BASELINE[table] = table_digest(table)
    return _BASELINE[table]


def written_tables(queries: list[dict[str, Any]]) -> list[str]:
    """The tables a request's INSERT, UPDATE and DELETE statements went to (bookkeeping
    aside); whether they changed anything is seen by comparing the tables' rows."""
    tables: list[str] = []
    for query in queries:
        sql = query["sql"]
        m = WRITE_TABLE.match(sql)
        if m and not any(h.match(sql) for h in HARMLESS_WRITES) and m.group(1) not in tables:
            tables.append(m.group(1))
    return tables


def readable_text(response: Any) -> str:
    """What a person could read in the answer: the text of a PDF, the files of a zip (the
    cohort's spreadsheets), a calendar with its folded lines joined, anything else as it is."""
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    kind = response.get("Content-Type", "")
    if kind.startswith("application/pdf"):
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(content))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    if kind.startswith("application/zip"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "\n".join(archive.read(name).decode("utf-8-sig") for name in archive.namelist())
    text = content.decode("utf-8", "replace")
    if kind.startswith("text/calendar"):
        text = text.replace("\r\n ", "").replace("\r\n\t", "")
    return text


# --- judging ---------------------------------------------------------------------------------


def leaks(matrix: Matrix, role: str, request: Request, answer: Answer) -> list[str]:
    """Canaries and secrets in the answer that the person may not read."""
    key = request.acts_for or ROLES[role]
    if request.url.startswith("/admin/") and key == "staff":
        allowed = matrix.admin_readable
    else:
        allowed = matrix.readable[key]
    allowed = allowed | request.also_readable
    found = []
    for token in sorted({m.group(0) for m in CANARY.finditer(answer.body)}):
        canary = matrix.world.canaries.get(token) or matrix.world.canaries.get(token.lower())
        if canary is not None and canary.token not in allowed:
            found.append(str(canary))
    person = matrix.world.people.get(key) if key else None
    for secret, (owner, what) in matrix.world.secrets.items():
        mine = (
            person is not None and owner.pk == person.pk and not request.url.startswith("/admin/")
        )
        if not mine and secret in answer.body:
            found.append(f"the {what} of {owner.name}")
    return found


def same_site(location: str) -> bool:
    from urllib.parse import urlsplit

    from django.conf import settings

    parts = urlsplit(location)
    if not parts.netloc:
        return location.startswith("/")
    return parts.netloc in ("testserver", urlsplit(settings.CADRE_SITE_URL).netloc)


# Pages that answer another status on purpose, and why.
OTHER_STATUS = {
    ("socialaccount_login_error", 401): "allauth's page for a failed single sign-on answers "
    "401 Unauthorized (Cadre's template, cadre/templates/socialaccount/)",
}


def judge_page(matrix: Matrix, role: str, request: Request, answer: Answer) -> list[str]:
    if request.url.startswith("/api/"):  # the API's own pages (its documents) answer as it does
        return judge_api(matrix, role, request, answer)
    problems = []
    if answer.error or answer.status >= 500:
        return [f"{answer.status} {answer.error}".strip()]
    if request.foreign and 200 <= answer.status < 300:
        problems.append(f"answers {answer.status} for a row of another cohort or network")
    if answer.status in (301, 302, 303, 307, 308):
        if not same_site(answer.location):
            problems.append(f"redirects off the site, to {answer.location!r}")
        elif (
            ROLES[role] is None
            and request.url.startswith(("/n/", "/me/"))
            and not answer.location.startswith("/accounts/login/")
        ):
            problems.append(f"redirects an anonymous visitor to {answer.location}, not sign-in")
    elif answer.status in (400, 403, 404, 405):
        # 400 for a page that needs what the address lacks, 405 for one that only takes a
        # form: both said on Cadre's own error page, as 403 and 404 are.
        if "text/html" not in answer.content_type or "Cadre</title>" not in answer.body:
            problems.append(f"a bare {answer.status} ({answer.content_type or 'no content type'})")
        if answer.status == 405 and not answer.allow:
            problems.append("405 without an Allow header")
    elif answer.status != 200 and (request.route.name, answer.status) not in OTHER_STATUS:
        problems.append(f"answers {answer.status}")
    return problems + [f"shows {leak}" for leak in leaks(matrix, role, request, answer)]


def judge_api(matrix: Matrix, role: str, request: Request, answer: Answer) -> list[str]:
    if answer.error or answer.status >= 500:
        return [f"{answer.status} {answer.error}".strip()]
    problems = []
    if request.foreign and 200 <= answer.status < 300:
        problems.append(f"answers {answer.status} for a row of another cohort or network")
    if answer.status >= 400:
        try:
            error = json.loads(answer.body)["error"]
            code, message = error["code"], error["message"]
        except (ValueError, KeyError, TypeError):
            problems.append(f"{answer.status} without the error shape: {answer.body[:120]!r}")
        else:
            if code not in STABLE_CODES or not isinstance(message, str) or not message:
                problems.append(f"{answer.status} with code {code!r}, message {message!r}")
    return problems + [f"shows {leak}" for leak in leaks(matrix, role, request, answer)]


def may_reach(matrix: Matrix, role: str, request: Request) -> bool:
    """Whether the person may see what the request writes to: the row its path names (as the
    policies say), or else the cohort named in its path, or the network, or (for /me)
    themselves. Someone who may not is refused any write; so is a path whose row belongs to
    another cohort or network than the path says."""
    from cadre.accounts.models import User
    from cadre.cohorts.policy import can_view_cohort
    from cadre.networks.policy import can_view_network

    key = ROLES[role]
    if key is None or request.foreign:
        return False
    user = User.objects.get(pk=matrix.world.people[key].pk)
    if request.row is not None:
        label, pk = request.row
        rule = read_rule(label)
        if rule is not None:
            return rule(user, apps.get_model(label)._default_manager.get(pk=pk))
    network = matrix.world.networks.get(request.value("slug") or "")
    cohort_slug = request.value("cohort")
    if network is None:
        return not request.value("slug")
    if cohort_slug:
        cohort = network.cohorts.filter(slug=cohort_slug).first()
        return cohort is not None and can_view_cohort(user, cohort)
    return can_view_network(user, network)


def judge_write(matrix: Matrix, role: str, request: Request, answer: Answer) -> list[str]:
    problems = judge_api(matrix, role, request, answer)
    if not may_reach(matrix, role, request):
        if answer.status not in (401, 403, 404):
            problems.append(
                f"answers {answer.status} to someone who may not see it: {answer.body[:200]}"
            )
        if answer.changed:
            problems.append(f"refused, but changed {', '.join(answer.changed)}")
    return problems


# --- running a role --------------------------------------------------------------------------


@dataclass
class Run:
    requests: int = 0
    problems: list[str] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0
    cpu_seconds: float = 0.0

    def report(self, role: str, surface: str) -> str:
        return (
            f"{len(self.problems)} problems in {self.requests} {surface} requests by {role}:\n"
            + "\n".join(self.problems)
        )


def surface_requests(matrix: Matrix, role: str, surface: str) -> Iterator[Request]:
    seen_admin_routes: set[str] = set()
    for request in matrix.requests:
        route = request.route
        if route.kind == "page":
            if surface != "pages":
                continue
            # The admin refuses everyone but staff before it looks at a row: one address of
            # each admin page is enough to see that.
            if route.template.startswith("/admin/") and ROLES[role] != "staff":
                if route.template in seen_admin_routes:
                    continue
                seen_admin_routes.add(route.template)
            yield request
        elif (route.method == "GET") == (surface == "api-reads") and surface != "pages":
            yield request


def run(matrix: Matrix, role: str, surface: str) -> Run:
    started = time.perf_counter()
    cpu = time.process_time()
    result = Run()
    client = client_for(matrix, role, api=surface != "pages")
    _BASELINE.clear()
    refused_get: set[str] = set()
    for request in surface_requests(matrix, role, surface):
        if request.route.template in refused_get:
            continue  # a view that takes only forms refuses GET before it reads its path
        body = None
        if surface == "api-writes":
            body = request_body(request.route, matrix.components, TODAY)
        answer = send(client, request, body)
        if answer.status == 405 and request.route.method == "GET":
            refused_get.add(request.route.template)
        result.requests += 1
        result.statuses[answer.status] = result.statuses.get(answer.status, 0) + 1
        judge = {"pages": judge_page, "api-reads": judge_api, "api-writes": judge_write}[surface]
        for problem in judge(matrix, role, request, answer):
            result.problems.append(f"{request.route.method} {request.url}: {problem}")
    result.seconds = time.perf_counter() - started
    result.cpu_seconds = time.process_time() - cpu
    return result


@contextlib.contextmanager
def matrix_in_transaction(django_db_blocker: Any) -> Iterator[Matrix]:
    """The world built once for a test module, at the fixed clock, inside a transaction rolled
    back when the module is done (as cadre/tests/test_crawl.py builds its demo)."""
    with time_machine.travel(NOW, tick=False), django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_matrix()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def check_role(matrix: Matrix, role: str, surface: str) -> None:
    """Request every route of `surface` ("pages", "api-reads" or "api-writes") as `role` and
    fail with every problem found."""
    request_log = logging.getLogger("django.request")  # each 4xx is a warning: thousands
    level = request_log.level
    request_log.setLevel(logging.ERROR)
    try:
        with time_machine.travel(NOW, tick=False):
            result = run(matrix, role, surface)
    finally:
        request_log.setLevel(level)
    print(
        f"{role} {surface}: {result.requests} requests in {result.seconds:.1f} s "
        f"({result.cpu_seconds:.1f} s of CPU)"
    )
    assert not result.problems, result.report(role, surface)
