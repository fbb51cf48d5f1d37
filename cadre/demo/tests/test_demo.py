"""`cadre demo` builds a realistic, deterministic demo network once, with log-ins that
work, and `cadre serve` serves it."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from cadre.accounts.models import User
from cadre.cohorts.models import Charter, Cohort, CohortMembership, CohortRole, CohortStatus
from cadre.cohorts.policy import can_edit_charter, cohort_role, is_cohort_member, visible_cohorts
from cadre.demo import data
from cadre.demo.builder import DEMO_LOGINS, demo_digest
from cadre.demo.management.commands.serve import parse_addr
from cadre.networks.models import Network, NetworkMembership, Role, Skill
from cadre.networks.policy import (
    can_administer_network,
    can_manage_network,
    can_view_network,
    must_accept_conduct,
)
from cadre.people.models import Profile, ProfileSkill, validate_availability
from cadre.schedule.models import Session
from cadre.testing import fresh_sqlite_copy

pytestmark = pytest.mark.django_db


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def northwind_profiles() -> Any:
    return Profile.objects.filter(user__network_memberships__network__slug=data.NETWORK_SLUG)


def login(key: str) -> User:
    email = next(entry.email for entry in DEMO_LOGINS if entry.role == key)
    return User.objects.get(email=email)


def test_default_demo_has_a_realistic_network() -> None:
    run_demo()
    profiles = northwind_profiles()
    assert profiles.count() >= 150
    for field, at_least in [
        ("function", 6),
        ("industry", 6),
        ("organization", 10),
        ("time_zone", 4),
        ("seniority", 4),
    ]:
        assert profiles.values(field).distinct().count() >= at_least, field
    for profile in profiles:
        assert profile.headline and profile.learning_goals
        validate_availability(profile.availability)
        assert profile.availability


def test_default_demo_has_roles_skills_and_a_versioned_code_of_conduct() -> None:
    run_demo()
    network = Network.objects.get(slug=data.NETWORK_SLUG)
    roles = list(NetworkMembership.objects.filter(network=network).values_list("role", flat=True))
    assert roles.count(Role.ADMIN) == 1
    assert 2 <= roles.count(Role.ORGANIZER) <= 3
    assert roles.count(Role.MENTOR) >= 2
    assert roles.count(Role.PARTNER) >= 2
    skills = Skill.objects.filter(network=network)
    assert 18 <= skills.count() <= 25
    assert skills.values("category").distinct().count() >= 5
    levels = set(
        ProfileSkill.objects.filter(skill__network=network).values_list("level", flat=True)
    )
    assert levels <= {0, 1, 2, 3, 4} and len(levels) == 5
    code = network.current_code_of_conduct()
    assert code is not None and code.version == 2
    assert network.codes_of_conduct.count() == 2
    not_accepted = len(roles) - code.acceptances.count()
    assert 1 <= not_accepted <= len(roles) // 5  # most have accepted v2, a few have not


def test_default_demo_has_cohorts_with_charters_and_history() -> None:
    run_demo()
    cohorts = Cohort.objects.filter(network__slug=data.NETWORK_SLUG)
    assert cohorts.count() >= 8
    statuses = set(cohorts.values_list("status", flat=True))
    # Every status but archived, which takes a cohort off the network home's lists.
    assert statuses == {s.value for s in CohortStatus} - {CohortStatus.ARCHIVED}
    due = []
    for cohort in cohorts:
        active = cohort.active_memberships()
        assert 6 <= active.count() <= 8, cohort
        assert 1 <= active.filter(role=CohortRole.HOST).count() <= 2, cohort
        assert cohort.outcome_list() and cohort.objective
        charter = cohort.current_charter()
        assert charter is not None, cohort
        assert 1 <= cohort.charters.count() <= 3
        assert charter.acknowledgements.count() >= active.count() // 2
        if charter.review_due():
            due.append(cohort)
    assert CohortMembership.objects.filter(cohort__in=cohorts, left_on__isnull=False).exists()
    assert [c.name for c in due] == ["Experimentation in Ops"]
    charters = Charter.objects.filter(cohort__in=cohorts)
    first, last = charters.order_by("created_at").first(), charters.order_by("created_at").last()
    assert first is not None and last is not None
    assert last.created_at - first.created_at >= timedelta(weeks=4)
    assert charters.exclude(version=1).exclude(change_note="").exists()
    active_starts = cohorts.filter(status=CohortStatus.ACTIVE).values_list("starts_on", flat=True)
    assert all(
        start is not None and start <= timezone.localdate() - timedelta(weeks=3)
        for start in active_starts
    )
    # Their sessions have a meeting link to show in reminders and calendar files, and some
    # a room as well.
    upcoming = Session.objects.filter(cohort__in=cohorts, starts_at__gte=timezone.now())
    assert upcoming.exists()
    assert all(s.where().meeting_url.startswith("https://video.example.org/") for s in upcoming)
    assert any(s.where().place for s in upcoming)


def test_demo_log_ins_are_verified_and_sign_in_with_the_shared_password() -> None:
    run_demo()
    assert {entry.role for entry in DEMO_LOGINS} == {
        "admin",
        "organizer",
        "facilitator",
        "member",
        "newcomer",
        "mentor",
        "outsider",
    }
    for entry in DEMO_LOGINS:
        user = authenticate(email=entry.email, password=data.PASSWORD)
        assert user is not None, entry.email
        assert EmailAddress.objects.filter(
            user=user, email=entry.email, verified=True, primary=True
        ).exists()
        assert Profile.objects.filter(user=user).exists()
    assert authenticate(email="member@demo.cadre.test", password="wrong") is None


def test_demo_log_ins_see_what_the_table_promises() -> None:
    run_demo()
    northwind = Network.objects.get(slug=data.NETWORK_SLUG)
    southgate = Network.objects.get(slug=data.OTHER_NETWORK_SLUG)
    ops = Cohort.objects.get(network=northwind, name="Experimentation in Ops")

    assert can_administer_network(login("admin"), northwind)
    assert can_manage_network(login("organizer"), northwind)
    facilitator = login("facilitator")
    assert cohort_role(facilitator, ops) == CohortRole.HOST
    assert can_edit_charter(facilitator, ops)
    member = login("member")
    assert cohort_role(member, ops) == CohortRole.MEMBER
    assert not can_edit_charter(member, ops)
    mentor = login("mentor")
    shared = set(visible_cohorts(mentor, northwind))
    assert shared and all(c.shared_with_network for c in shared)
    outsider = login("outsider")
    assert not can_view_network(outsider, northwind)
    assert can_view_network(outsider, southgate)
    assert visible_cohorts(outsider, southgate).exists()


def test_newcomer_must_accept_the_code_of_conduct_and_the_others_have() -> None:
    run_demo()
    northwind = Network.objects.get(slug=data.NETWORK_SLUG)
    assert must_accept_conduct(login("newcomer"), northwind)
    for key in ("admin", "organizer", "facilitator", "member", "mentor"):
        assert not must_accept_conduct(login(key), northwind), key
    ops = Cohort.objects.get(network=northwind, name="Experimentation in Ops")
    assert is_cohort_member(login("newcomer"), ops)


def test_same_seed_builds_the_same_network() -> None:
    run_demo("--seed", "7")
    first = demo_digest()
    people = User.objects.count()
    out = run_demo("--seed", "7", "--reset")
    assert "Deleted the demo networks" in out
    assert demo_digest() == first
    assert User.objects.count() == people
    run_demo("--seed", "8", "--reset")
    assert demo_digest() != first


def test_running_again_keeps_the_existing_demo() -> None:
    run_demo()
    counts = (User.objects.count(), Cohort.objects.count(), CohortMembership.objects.count())
    digest = demo_digest()
    out = run_demo("--seed", "99")
    assert "already there" in out
    assert "admin@demo.cadre.test" in out and data.PASSWORD in out
    assert (User.objects.count(), Cohort.objects.count(), CohortMembership.objects.count()) == (
        counts
    )
    assert demo_digest() == digest


def test_reset_keeps_people_who_belong_to_other_networks() -> None:
    run_demo()
    elsewhere = Network.objects.create(name="Elsewhere", slug="elsewhere")
    both = User.objects.filter(email__endswith="@lumenfreight.test").first()
    assert both is not None
    NetworkMembership.objects.create(network=elsewhere, user=both)
    stranger = User.objects.create_user(email="stranger@example.test", password="x", name="S")
    run_demo("--reset")
    assert User.objects.filter(pk__in=[both.pk, stranger.pk]).count() == 2
    assert Network.objects.filter(slug="elsewhere").exists()


def test_a_larger_demo_puts_about_a_third_of_people_in_cohorts() -> None:
    out = run_demo("--people", "600", "--seed", "3")
    assert "600 people" in out
    profiles = northwind_profiles()
    assert profiles.count() == 600
    cohorts = Cohort.objects.filter(network__slug=data.NETWORK_SLUG)
    assert cohorts.count() >= 25
    placed = (
        CohortMembership.objects.active()
        .filter(cohort__in=cohorts)
        .values("user")
        .distinct()
        .count()
    )
    assert 0.25 * 600 <= placed <= 0.45 * 600
    assert len(set(cohorts.values_list("slug", flat=True))) == cohorts.count()


def test_too_few_people_is_refused() -> None:
    with pytest.raises(CommandError, match="at least"):
        run_demo("--people", "10")
    assert not Network.objects.filter(slug=data.NETWORK_SLUG).exists()


class FakeServer:
    def __init__(self, calls: list[dict[str, Any]], **kwargs: Any) -> None:
        calls.append(kwargs)
        self.closed = False

    def run(self) -> None:
        raise KeyboardInterrupt

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def server_calls(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The waitress server replaced by one that stops at once, as if Ctrl-C were pressed."""
    import waitress.server

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(
        waitress.server,
        "create_server",
        lambda app, **kwargs: FakeServer(calls, app=app, **kwargs),
    )
    return calls


def test_serve_runs_the_wsgi_app_with_waitress_and_stops_on_ctrl_c(
    server_calls: list[dict[str, Any]],
) -> None:
    from cadre.wsgi import application

    out = StringIO()
    call_command("serve", "--addr", "0.0.0.0:8123", "--threads", "3", stdout=out)
    assert server_calls == [{"app": application, "host": "0.0.0.0", "port": 8123, "threads": 3}]
    assert "http://127.0.0.1:8123/" in out.getvalue()
    assert "Stopped." in out.getvalue()


def test_serve_gives_waitress_the_trusted_proxy_settings(
    server_calls: list[dict[str, Any]], settings: Any
) -> None:
    settings.CADRE_TRUSTED_PROXY = "10.0.0.5"
    settings.CADRE_TRUSTED_PROXY_COUNT = 2
    settings.CADRE_TRUSTED_PROXY_HEADERS = ["x-forwarded-for", "x-forwarded-proto"]
    out = StringIO()
    call_command("serve", "--addr", "127.0.0.1:8125", stdout=out)
    (call,) = server_calls
    assert call["trusted_proxy"] == "10.0.0.5" and call["trusted_proxy_count"] == 2
    assert call["trusted_proxy_headers"] == {"x-forwarded-for", "x-forwarded-proto"}
    assert "Trusting x-forwarded-for, x-forwarded-proto from the proxy at 10.0.0.5." in (
        out.getvalue()
    )


def test_demo_with_serve_builds_then_serves(server_calls: list[dict[str, Any]]) -> None:
    out = run_demo("--serve", "--addr", "127.0.0.1:8124")
    assert Network.objects.filter(slug=data.NETWORK_SLUG).exists()
    assert [(c["host"], c["port"]) for c in server_calls] == [("127.0.0.1", 8124)]
    assert "outsider@demo.cadre.test" in out


@pytest.mark.parametrize(
    ("addr", "expected"),
    [
        ("127.0.0.1:8000", ("127.0.0.1", 8000)),
        ("0.0.0.0:80", ("0.0.0.0", 80)),
        ("[::1]:9000", ("::1", 9000)),
        ("8080", ("127.0.0.1", 8080)),
    ],
)
def test_serve_reads_host_and_port(addr: str, expected: tuple[str, int]) -> None:
    assert parse_addr(addr) == expected


@pytest.mark.parametrize("addr", ["localhost", "127.0.0.1:http", "127.0.0.1:70000"])
def test_serve_refuses_a_bad_address(addr: str) -> None:
    with pytest.raises(CommandError, match="--addr"):
        parse_addr(addr)


def test_serve_answers_real_requests_and_stops_with_its_worker_on_sigterm(
    tmp_path, migrated_sqlite
):
    """`cadre serve --with-worker` in a real process: it answers HTTP, starts the background
    worker, and a SIGTERM stops both."""
    import os
    import signal
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
        },
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{fresh_sqlite_copy(migrated_sqlite, tmp_path)}",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "cadre", "serve", "--addr", f"127.0.0.1:{port}", "--with-worker"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        health = None
        # The worker is a second process importing Django: on a loaded machine its first beat
        # can take well over half a minute, so the wait is long and ends at the first beat.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    health = json.loads(r.read())
                if health["worker"]["running"]:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        # The worker beside the server is `cadre worker`: it beats, so /healthz sees it.
        assert health is not None and health["database"] == "ok"
        assert health["worker"]["running"], health
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=30)
    assert server.returncode == 0, output
    assert "Background worker started" in output
    assert "Stopped." in output
