"""The settings module: production is safe by default, SQLite copes with concurrent writers."""

import os
import secrets
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from cadre.testing import fresh_sqlite_copy

CADRE = [sys.executable, "-m", "cadre"]


# The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for their own process; a production check must
# not inherit it (nor the test run's database and debug settings).
_NOT_INHERITED = {"DEBUG", "DATABASE_URL", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def run_cadre(args: list[str], env: dict[str, str], **kwargs) -> subprocess.CompletedProcess:
    """The timeout guards against a hung command, not a slow one on a loaded machine."""
    base = {k: v for k, v in os.environ.items() if k not in _NOT_INHERITED}
    return subprocess.run(
        [*CADRE, *args], env={**base, **env}, capture_output=True, text=True, timeout=600, **kwargs
    )


def production_env(tmp_path: Path) -> dict[str, str]:
    return {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "cadre.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
    }


def test_deploy_check_reports_nothing_with_production_settings(tmp_path):
    result = run_cadre(["check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_secret_key_is_required_when_debug_is_off(tmp_path):
    env = production_env(tmp_path)
    env["SECRET_KEY"] = ""
    result = run_cadre(["check"], env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_a_malformed_boolean_setting_names_the_variable(tmp_path):
    env = production_env(tmp_path)
    env["DEBUG"] = "maybe"
    result = run_cadre(["check"], env)
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_two_factor_is_required_for_organizers_in_production_and_not_in_the_demo(tmp_path):
    script = "from django.conf import settings; print(settings.CADRE_REQUIRE_2FA_FOR_ORGANIZERS)"
    prod = run_cadre(["shell", "-v", "0", "-c", script], production_env(tmp_path))
    demo_env = {"DJANGO_SETTINGS_MODULE": "cadre.settings_demo", "CADRE_VAR_DIR": str(tmp_path)}
    demo = run_cadre(["shell", "-v", "0", "-c", script], demo_env)
    assert prod.stdout.strip() == "True", prod.stderr
    assert demo.stdout.strip() == "False", demo.stderr


def test_database_url_selects_postgresql():
    import dj_database_url

    config = dj_database_url.parse("postgres://postgres@127.0.0.1:5432/cadre")
    assert config["ENGINE"] == "django.db.backends.postgresql"


def test_sqlite_is_configured_for_concurrent_writers(tmp_path):
    script = (
        "from django.conf import settings; o = settings.DATABASES['default']['OPTIONS']; "
        "print(o['transaction_mode'], 'journal_mode=WAL' in o['init_command'], o['timeout'])"
    )
    env = {"DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"}
    result = run_cadre(["shell", "-v", "0", "-c", script], env)
    assert result.stdout.split() == ["IMMEDIATE", "True", "20"], result.stderr


WRITER = textwrap.dedent(
    """
    import django, sys
    django.setup()
    from django.db import transaction
    from cadre.networks.models import Network
    worker = sys.argv[1]
    for i in range(40):
        # Read, then write in the same transaction: with SQLite's default deferred
        # transactions this upgrade fails at once with "database is locked" under contention.
        with transaction.atomic():
            n = Network.objects.count()
            Network.objects.create(name=f"w{worker}-{i}", slug=f"w{worker}-{i}-{n}")
    print("ok")
    """
)


def test_concurrent_writers_on_sqlite_never_see_database_is_locked(tmp_path, migrated_sqlite):
    database = fresh_sqlite_copy(migrated_sqlite, tmp_path, "busy.sqlite3")
    env = {"DEBUG": "1", "DATABASE_URL": f"sqlite:///{database}"}
    base = {k: v for k, v in os.environ.items() if k not in _NOT_INHERITED}
    full_env = {**base, **env, "DJANGO_SETTINGS_MODULE": "cadre.settings"}
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(w)],
            env=full_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(4)
    ]
    outputs = [w.communicate(timeout=120) for w in workers]
    for (out, err), worker in zip(outputs, workers, strict=True):
        assert worker.returncode == 0, err
        assert "database is locked" not in err
        assert out.strip() == "ok"
    count = run_cadre(
        [
            "shell",
            "-v",
            "0",
            "-c",
            "from cadre.networks.models import Network; print(Network.objects.count())",
        ],
        env,
    )
    assert count.stdout.strip() == "160", count.stderr


def test_debug_without_a_secret_key_uses_a_key_made_once_for_this_machine(tmp_path):
    script = "from django.conf import settings; print(settings.SECRET_KEY)"
    env = {"DEBUG": "1", "CADRE_VAR_DIR": str(tmp_path), "SECRET_KEY": ""}
    first = run_cadre(["shell", "-v", "0", "-c", script], env)
    second = run_cadre(["shell", "-v", "0", "-c", script], env)
    key_file = tmp_path / "secret-key"
    assert first.returncode == 0, first.stderr
    # Made on first use, private to its owner, then reused (sessions survive a restart).
    assert first.stdout.strip() == second.stdout.strip() == key_file.read_text().strip()
    assert len(first.stdout.strip()) >= 50
    assert key_file.stat().st_mode & 0o777 == 0o600
    # Another machine (another var/ folder) gets a key of its own: none is shared by every
    # checkout of Cadre.
    elsewhere = run_cadre(
        ["shell", "-v", "0", "-c", script], {**env, "CADRE_VAR_DIR": str(tmp_path / "other")}
    )
    assert elsewhere.stdout.strip() not in ("", first.stdout.strip()), elsewhere.stderr


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("CADRE_TRUSTED_PROXY", "proxy.internal", "CADRE_TRUSTED_PROXY must be the IP address"),
        ("CADRE_TRUSTED_PROXY_COUNT", "0", "CADRE_TRUSTED_PROXY_COUNT must be a whole number"),
        ("CADRE_TRUSTED_PROXY_HEADERS", "x-real-ip", "CADRE_TRUSTED_PROXY_HEADERS must be"),
        ("CADRE_TRUSTED_PROXY_HEADERS", "forwarded,x-forwarded-for", "`forwarded` alone"),
    ],
)
def test_a_malformed_trusted_proxy_setting_is_named(tmp_path, variable, value, message):
    env = {**production_env(tmp_path), "CADRE_TRUSTED_PROXY": "127.0.0.1", variable: value}
    result = run_cadre(["check"], env)
    assert result.returncode != 0
    assert message in result.stderr
