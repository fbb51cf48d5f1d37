"""Cadre's pytest plugin (loaded with `-p cadre.testing` from pyproject.toml, early enough to
set the environment before Django's settings load) and the shared cast for every test: one
network with two cohorts, a second network, and a person for each kind of access. Tests ask
for `cast` and sign people in with `client_for`."""

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

if TYPE_CHECKING:
    import psycopg

# Tests run with the development defaults (no SECRET_KEY needed); Django's test runner turns
# DEBUG itself off while the tests run.
os.environ.setdefault("DEBUG", "1")
# The debug toolbar (on with DEBUG where it is installed) would add its pages and its markup;
# the tests, and the processes they start, see Cadre as a deployment does.
os.environ.setdefault("CADRE_DEBUG_TOOLBAR", "0")

import pytest


@dataclass
class Cast:
    network: Any
    other_network: Any
    cohort: Any
    other_cohort: Any
    admin: Any  # network admin
    organizer: Any  # network organizer, in no cohort
    host: Any  # host of `cohort`
    member: Any  # member of `cohort`
    other_cohort_member: Any  # member of the network, in `other_cohort` only
    mentor: Any  # network mentor, in no cohort
    partner: Any  # network partner, in no cohort
    outsider: Any  # member of `other_network` only
    newcomer: Any  # member of `network` and `cohort` who has not accepted the code of conduct


def make_user(email: str, name: str, **extra: Any) -> Any:
    from cadre.accounts.models import User
    from cadre.people.models import Profile

    user = User.objects.create_user(
        email=email, password="correct horse battery", name=name, **extra
    )
    Profile.objects.create(user=user, time_zone="Europe/Berlin")
    return user


def build_cast() -> Cast:
    """The shared cast, made at the clock's current moment: a test that stops the clock (with
    the `time_machine` marker, which starts before fixtures) gets a cast that joined then."""
    from allauth.account.models import EmailAddress
    from django.utils import timezone

    from cadre.cohorts.models import Charter, Cohort, CohortMembership, CohortRole, CohortStatus
    from cadre.networks.models import (
        CodeOfConduct,
        CodeOfConductAcceptance,
        Network,
        NetworkMembership,
        Role,
        Skill,
    )

    network = Network.objects.create(name="Northwind Learning", slug="northwind")
    other_network = Network.objects.create(name="Southgate Guild", slug="southgate")
    code = CodeOfConduct.objects.create(network=network, version=1)
    other_code = CodeOfConduct.objects.create(network=other_network, version=1)
    for name in ["Facilitation", "Data analysis", "Product discovery"]:
        Skill.objects.create(network=network, name=name, category="Core")
    Skill.objects.create(network=other_network, name="Welding", category="Trade")

    cohort = Cohort.objects.create(
        network=network,
        name="Platform Reliability",
        slug="reliability",
        objective="Cut incident recovery time by sharing what works.",
        outcomes="Median recovery under 30 minutes\nEvery member runs one game day",
        status=CohortStatus.ACTIVE,
        time_zone="Europe/Berlin",
    )
    other_cohort = Cohort.objects.create(
        network=network,
        name="Design Ops",
        slug="design-ops",
        objective="Make design reviews faster.",
        status=CohortStatus.ACTIVE,
    )
    for c in (cohort, other_cohort):
        Charter.objects.create(
            cohort=c,
            version=1,
            mission=f"{c.objective} Secret mission of {c.name}.",
            weekly_hours=2,
            learning_formats=["case", "demo"],
            project_kinds="Real work from our teams",
            norms="Cameras on. Start on time.",
            next_review_on=timezone.localdate() + timedelta(days=60),
        )

    people = {
        "admin": ("ada@northwind.test", "Ada Admin", Role.ADMIN, None),
        "organizer": ("olu@northwind.test", "Olu Organizer", Role.ORGANIZER, None),
        "host": ("hana@northwind.test", "Hana Host", Role.MEMBER, (cohort, CohortRole.HOST)),
        "member": ("mo@northwind.test", "Mo Member", Role.MEMBER, (cohort, CohortRole.MEMBER)),
        "other_cohort_member": (
            "oscar@northwind.test",
            "Oscar Othercohort",
            Role.MEMBER,
            (other_cohort, CohortRole.MEMBER),
        ),
        "mentor": ("mei@northwind.test", "Mei Mentor", Role.MENTOR, None),
        "partner": ("pat@partner.test", "Pat Partner", Role.PARTNER, None),
        "newcomer": (
            "nia@northwind.test",
            "Nia Newcomer",
            Role.MEMBER,
            (cohort, CohortRole.MEMBER),
        ),
    }
    users: dict[str, Any] = {}
    for key, (email, name, role, place) in people.items():
        user = make_user(email, name)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        NetworkMembership.objects.create(network=network, user=user, role=role)
        if place:
            CohortMembership.objects.create(
                cohort=place[0],
                user=user,
                role=place[1],
                learning_statement=f"{name} will apply it.",
            )
        if key != "newcomer":
            CodeOfConductAcceptance.objects.create(code=code, user=user)
        users[key] = user

    outsider = make_user("sol@southgate.test", "Sol Outsider")
    EmailAddress.objects.create(user=outsider, email=outsider.email, verified=True, primary=True)
    NetworkMembership.objects.create(network=other_network, user=outsider, role=Role.ORGANIZER)
    CodeOfConductAcceptance.objects.create(code=other_code, user=outsider)

    return Cast(
        network=network,
        other_network=other_network,
        cohort=cohort,
        other_cohort=other_cohort,
        outsider=outsider,
        **users,
    )


# The test files without a database that take longest, slowest first (per-file sums of the
# test times of a whole `make test`, --junitxml). pytest-django runs the tests that need no
# database last; with pytest-xdist giving each process a file at a time, a long file dealt
# last leaves the other process idle until it ends. Dealt first, they end with the short ones.
# The list only orders: a file missing from it, or gone, changes no result.
SLOW_FILES_WITHOUT_DATABASE = (
    "cadre/tests/test_proxy.py",
    "cadre/tests/test_logging.py",
    "cadre/accounts/tests/test_settings.py",
    "cadre/tests/test_systemd_units.py",
    "cadre/engine/tests/test_formation_engine.py",
    "cadre/worker/tests/test_production.py",
    "cadre/worker/tests/test_several_processes.py",
)


def _needs_database(item: Any) -> bool:
    """Whether pytest-django counts `item` among the tests with a database (it orders those
    first): a django_db mark, a database fixture, or a Django test case class."""
    from django.test import TransactionTestCase

    cls = getattr(item, "cls", None)
    fixtures = set(getattr(item, "fixturenames", ()))
    return bool(
        (cls is not None and issubclass(cls, TransactionTestCase))
        or item.get_closest_marker("django_db")
        or fixtures & {"db", "transactional_db", "live_server", "django_db_reset_sequences"}
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[Any]) -> None:
    """After pytest-django's order: the tests without a database (the run's tail), the slow
    files first, each file's tests in their order; everything before the tail is left as it
    is."""
    start = len(items)
    while start > 0 and not _needs_database(items[start - 1]):
        start -= 1
    rank = {path: n for n, path in enumerate(SLOW_FILES_WITHOUT_DATABASE)}
    slow = len(rank)
    items[start:] = sorted(
        items[start:], key=lambda item: rank.get(item.nodeid.split("::", 1)[0], slow)
    )


@pytest.fixture
def cast(db: Any) -> Cast:
    return build_cast()


@pytest.fixture
def client_for(client: Any) -> Any:
    """client_for(user) -> the test client signed in as `user` (or anonymous for None)."""

    def sign_in(user: Any) -> Any:
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return sign_in


@pytest.fixture(autouse=True, scope="session")
def _captured_commits_start_their_own_batches() -> Iterator[None]:
    """Django's `captureOnCommitCallbacks` (pytest-django's `django_capture_on_commit_callbacks`)
    runs only the commit hooks registered inside its block, standing in for a commit. A
    transaction's commit batch (cadre.lib.commit_batch) registered earlier, say while a fixture
    saved rows, would take in the block's writes and never run. A real commit runs every hook,
    so there each write would be told; here the block starts batches of its own, so the test
    sees what a commit would do with the writes made inside it."""
    from django.db import DEFAULT_DB_ALIAS
    from django.test import TestCase

    from cadre.lib.commit_batch import forget_batches

    django_capture = TestCase.captureOnCommitCallbacks
    declared = TestCase.__dict__["captureOnCommitCallbacks"]  # the classmethod itself

    def capture(cls: Any, *, using: str = DEFAULT_DB_ALIAS, execute: bool = False) -> Any:
        forget_batches(using)
        return django_capture(using=using, execute=execute)

    setattr(TestCase, "captureOnCommitCallbacks", classmethod(capture))  # noqa: B010
    try:
        yield
    finally:
        setattr(TestCase, "captureOnCommitCallbacks", declared)  # noqa: B010


@pytest.fixture(autouse=True)
def _english_between_tests() -> Iterator[None]:
    """A request through the test client leaves its language active on the thread (as a web
    process does until its next request); each test starts, as a worker does, in English."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    """Rate limits and other cached state never leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


QUICK_PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]


@pytest.fixture(autouse=True, scope="session")
def _quick_password_hashing() -> Iterator[None]:
    """Argon2 is deliberately slow; tests hash with MD5 unless they are about hashing (see
    cadre/accounts/tests/test_passwords.py, which puts Argon2 back). Session-wide, so that the
    worlds that module- and session-scoped fixtures build (the route matrix, the crawl's demo)
    hash quickly too, not only what a test function creates."""
    from django.test.utils import override_settings

    with override_settings(PASSWORD_HASHERS=QUICK_PASSWORD_HASHERS):
        yield


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class SmtpInbox:
    """What a local SMTP server received: aiosmtpd envelopes, in order."""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # aiosmtpd's name
        self.messages.append(envelope)
        return "250 Message accepted for delivery"

    def bodies(self) -> list[str]:
        from email import message_from_bytes, policy

        result = []
        for envelope in self.messages:
            message = message_from_bytes(envelope.content, policy=policy.default)
            part = message.get_body(preferencelist=("plain", "html"))
            result.append(part.get_content() if part else "")
        return result


@pytest.fixture
def smtp_inbox(settings: Any) -> Iterator[SmtpInbox]:
    """A real SMTP server on localhost; Django's SMTP backend delivers to it."""
    from aiosmtpd.controller import Controller

    inbox = SmtpInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    yield inbox
    controller.stop()


# Long-running processes call Django's close_old_connections(). Inside a test, which runs in
# a transaction, that would close the test's own connection (on PostgreSQL it sees autocommit
# off and drops the connection), so, as Django's own test case does for its request signals,
# these calls are made no-ops while a worker runs inside a test.
_WORKER_CONNECTION_CLOSERS = (
    "django_tasks_db.management.commands.db_worker.close_old_connections",
    "cadre.worker.runner.close_old_connections",
)


@contextlib.contextmanager
def keep_test_connection() -> Any:
    """Run the real worker (or its ticker) inside a test without it closing the test's
    database connection."""
    import importlib
    from unittest import mock

    with contextlib.ExitStack() as stack:
        for target in _WORKER_CONNECTION_CLOSERS:
            importlib.import_module(target.rsplit(".", 1)[0])
            stack.enter_context(mock.patch(target, lambda: None))
        yield


def run_commit_callbacks() -> int:
    """Run the on-commit callbacks waiting in the test's transaction, as if what the test did
    so far had been committed (tasks are queued on commit). Returns how many ran."""
    from django.db import connection

    ran = 0
    while connection.run_on_commit:
        waiting = list(connection.run_on_commit)
        connection.run_on_commit.clear()
        for entry in waiting:
            # Django 5.2 keeps (savepoint ids, callback, robust), its stubs a pair: the
            # callback is second in both.
            callback = entry[1]
            callback()
            ran += 1
    return ran


def run_worker() -> None:
    """Do what happens after the test's changes commit: run their on-commit callbacks, let
    the real database worker (`db_worker --batch`) run every queued task, and send what the
    outbox holds (cadre.delivery), until nothing is left. Tasks are claimed, run and recorded
    by the real worker against the real database; e-mail goes to the configured backend."""
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from cadre.delivery.sending import deliver_due

    with keep_test_connection():
        for _ in range(20):
            run_commit_callbacks()
            call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
            run_commit_callbacks()
            deliver_due()
            if not run_commit_callbacks() and not DBTaskResult.objects.ready().exists():
                return
    raise RuntimeError("The worker kept finding new work after 20 rounds.")


# --- a real database for real processes ------------------------------------------------------
# Tests that start `cadre` commands as processes (the worker, the server) need a database those
# processes can open: the test's own database is in memory (SQLite) or inside an uncommitted
# transaction. They get a fresh, migrated database of the same kind as the suite's, copied from
# one migrated once per test run.

# The test run's own settings must not leak into the processes it starts.
_NOT_INHERITED = {
    "DEBUG",
    "DATABASE_URL",
    "SECRET_KEY",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DJANGO_SETTINGS_MODULE",
}


def child_environment(**extra: str) -> dict[str, str]:
    """The environment for a `cadre` process: this one's, minus the test run's settings."""
    base = {k: v for k, v in os.environ.items() if k not in _NOT_INHERITED}
    return {**base, **extra}


@dataclass
class ScratchDatabase:
    url: str

    def env(self, **extra: str) -> dict[str, str]:
        return child_environment(**{"DEBUG": "1", "DATABASE_URL": self.url, **extra})

    def run(self, *args: str, env: dict[str, str] | None = None, timeout: float = 120) -> Any:
        """Run `cadre ARGS` against this database; returns the completed process."""
        import subprocess
        import sys

        return subprocess.run(
            [sys.executable, "-m", "cadre", *args],
            env=env or self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def query(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        """The rows of one SQL statement (placeholders `%s`) run on this database from the test
        process, in a connection of its own: cheaper than a `cadre shell` to watch what Cadre's
        processes are doing. JSON columns come back as text on SQLite, decoded on PostgreSQL."""
        if self.url.startswith("sqlite:///"):
            import sqlite3

            with contextlib.closing(sqlite3.connect(self.url.removeprefix("sqlite:///"))) as db:
                return list(db.execute(sql.replace("%s", "?"), params).fetchall())
        import psycopg

        with psycopg.connect(self.url) as db:
            return list(db.execute(sql, params).fetchall())

    def shell(self, code: str, env: dict[str, str] | None = None) -> str:
        """Run Python `code` in `cadre shell` against this database; returns what it printed
        (and fails the test with its error output when it fails)."""
        done = self.run("shell", "-v", "0", "-c", code, env=env)
        if done.returncode != 0:
            pytest.fail(f"cadre shell failed:\n{done.stderr}")
        return str(done.stdout)


class _ConnInfo(TypedDict):
    host: str
    port: int
    user: str
    password: str | None


def _postgres_admin() -> "tuple[psycopg.Connection[tuple[Any, ...]], _ConnInfo]":
    import dj_database_url
    import psycopg

    parsed = dj_database_url.parse(os.environ["DATABASE_URL"])
    conninfo: _ConnInfo = {
        "host": parsed.get("HOST") or "127.0.0.1",
        "port": int(parsed.get("PORT") or 5432),
        "user": parsed.get("USER") or "postgres",
        "password": parsed.get("PASSWORD") or None,
    }
    connection = psycopg.connect(dbname="postgres", autocommit=True, **conninfo)
    return connection, conninfo


def _postgres_url(conninfo: _ConnInfo, name: str) -> str:
    password = f":{conninfo['password']}" if conninfo["password"] else ""
    return f"postgres://{conninfo['user']}{password}@{conninfo['host']}:{conninfo['port']}/{name}"


def _on_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: Any) -> Path:
    """A SQLite file migrated once per test process by the real `cadre migrate`, for the tests
    that start Cadre's own processes on a file of their own: copy it (`fresh_sqlite_copy`),
    never write to it. Migrating takes tens of seconds of CPU, which is why it is done once."""
    path = tmp_path_factory.mktemp("migrated") / "cadre.sqlite3"
    _migrate(f"sqlite:///{path}")
    return Path(path)


def _migrate(url: str) -> None:
    """`cadre migrate` in a child process on the database at `url`."""
    import subprocess
    import sys

    migrate = subprocess.run(
        [sys.executable, "-m", "cadre", "migrate", "--no-input", "-v", "0"],
        env=child_environment(DEBUG="1", DATABASE_URL=url),
        capture_output=True,
        text=True,
        timeout=600,  # guards against a hung command, not a slow one on a loaded machine
    )
    assert migrate.returncode == 0, migrate.stderr


def fresh_sqlite_copy(migrated: Path, directory: Path, name: str = "cadre.sqlite3") -> Path:
    """A copy of the migrated SQLite file in `directory`, to be written to."""
    import shutil

    target = directory / name
    shutil.copyfile(migrated, target)
    return target


@pytest.fixture(scope="session")
def _migrated_template(request: Any) -> Any:
    if not _on_postgres():
        yield f"sqlite:///{request.getfixturevalue('migrated_sqlite')}"
        return
    admin, conninfo = _postgres_admin()
    name = f"cadre_template_{os.getpid()}"
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    url = _postgres_url(conninfo, name)
    _migrate(url)
    yield url
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@contextlib.contextmanager
def scratch_copy(template_url: str, directory: Path) -> Iterator[ScratchDatabase]:
    """A fresh copy of the database at `template_url` (of the suite's kind: a PostgreSQL
    database made from it as a template, or a copy of the SQLite file in `directory`), dropped
    when the block ends. Nothing may be connected to a PostgreSQL template while it is copied."""
    import uuid

    if _on_postgres():
        admin, conninfo = _postgres_admin()
        template = template_url.rsplit("/", 1)[1]
        name = f"cadre_scratch_{uuid.uuid4().hex[:12]}"
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        try:
            yield ScratchDatabase(_postgres_url(conninfo, name))
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()
    else:
        source = Path(template_url.removeprefix("sqlite:///"))
        yield ScratchDatabase(f"sqlite:///{fresh_sqlite_copy(source, directory)}")


@pytest.fixture
def scratch_database(_migrated_template: str, tmp_path: Any) -> Iterator[ScratchDatabase]:
    """A fresh migrated database (same kind as the suite's) for `cadre` processes."""
    with scratch_copy(_migrated_template, tmp_path) as database:
        yield database


def cadre_sources(*, templates: bool = False) -> Iterator[tuple[str, str]]:
    """(path, source) of every module of Cadre, and with `templates` every template, that
    people read from: no tests, migrations or test helpers. The `.html.py` and `.txt.py` files
    that `makemessages` (run by the catalogue tests, maybe in another process) leaves beside
    templates for a moment are not Cadre's, and a file gone before it is read is skipped."""
    from pathlib import Path

    cadre = Path(__file__).resolve().parent
    for path in sorted(cadre.rglob("*")):
        relative = path.relative_to(cadre.parent).as_posix()
        if "/tests/" in relative or "/migrations/" in relative or path.name.startswith("testing"):
            continue
        if len(path.suffixes) > 1 and path.suffixes[-1] == ".py":
            continue
        wanted = path.suffix == ".py" or (templates and "/templates/" in relative)
        if not wanted or not path.is_file():
            continue
        try:
            yield relative, path.read_text(encoding="utf-8")
        except FileNotFoundError:
            continue


def csp_directives(header: str) -> dict[str, list[str]]:
    """A Content-Security-Policy header as directive -> sources; django-csp does not promise
    an order, so tests compare these rather than the header's text."""
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


def save_language(user: Any, language: str) -> None:
    """Save `user`'s chosen language on their profile, as My profile does, and reload them."""
    from cadre.people.models import Profile

    profile, _ = Profile.objects.get_or_create(user=user)
    profile.language = language
    profile.save()
    user.refresh_from_db()
