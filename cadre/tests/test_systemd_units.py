"""The example systemd units in contrib/systemd: systemd's own checker accepts them and rates
their hardening, each ExecStart is a real `cadre` command with valid options, each starts and
stops on SIGTERM as systemd would run it, and the example environment file holds documented,
valid settings."""

import json
import re
import shlex
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
from django.core.management import get_commands, load_command_class

from cadre.tests.processes import (
    child_env,
    free_port,
    get,
    production_env,
    run_cadre,
    wait_for_http,
)

REPO = Path(__file__).resolve().parents[2]
CONTRIB = REPO / "contrib" / "systemd"
# The web server (`cadre serve`), the worker, and the web server with several processes
# (gunicorn, Linux only), which replaces the first where it is used.
UNITS = ["cadre-web.service", "cadre-worker.service", "cadre-web-gunicorn.service"]
GUNICORN_UNIT = UNITS[2]
ENV_EXAMPLE = CONTRIB / "cadre.env.example"
INSTALLED_AT = "/srv/cadre"  # where the units expect the checkout
ENV_AT = "/etc/cadre/cadre.env"


def unit(name: str) -> dict[str, dict[str, list[str]]]:
    """A unit file's sections and their settings (a key may repeat)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] = {}
    for line in (CONTRIB / name).read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
            continue
        key, _, value = line.partition("=")
        current.setdefault(key, []).append(value)
    return sections


def service(name: str, key: str) -> str:
    (value,) = unit(name)["Service"][key]
    return value


def here(value: str, env_file: Path) -> str:
    """A unit's value with the paths of an installation replaced by this checkout's."""
    return value.replace(INSTALLED_AT, str(REPO)).replace(ENV_AT, str(env_file))


def read_env_file(path: Path) -> dict[str, str]:
    """Read an EnvironmentFile, holding it to the plain subset whose meaning is not in doubt:
    VARIABLE=value with no quotes, spaces or $ in the value, or VARIABLE="value" with spaces."""
    values = {}
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        match = re.fullmatch(r'([A-Z][A-Z0-9_]*)=(?:([^\s"\'\\$]*)|"([^"\\$`]*)")', line)
        assert match, f"{path.name}:{number}: not a plain VARIABLE=value line: {line!r}"
        name, plain, quoted = match.groups()
        values[name] = plain if quoted is None else quoted
    return values


@pytest.fixture
def systemd_analyze() -> str:
    tool = shutil.which("systemd-analyze")
    if tool is None:
        pytest.fail(
            "systemd-analyze is not installed: install Debian's systemd package "
            "(apt-get install systemd); `make test` does it through bin/ensure-chromium."
        )
    return tool


@pytest.fixture
def units_here(tmp_path: Path) -> list[Path]:
    """Copies of the units pointing at this checkout and the example environment file, so
    systemd's checker can look for the programs and files they name."""
    copies = []
    for name in UNITS:
        copy = tmp_path / name
        copy.write_text(here((CONTRIB / name).read_text(), ENV_EXAMPLE))
        copies.append(copy)
    return copies


def test_systemd_verify_reports_nothing(systemd_analyze, units_here):
    # Unknown keys and bad values are only warnings to systemd: any output fails the test.
    result = subprocess.run(
        [systemd_analyze, "verify", *map(str, units_here)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and not result.stdout + result.stderr, result.stderr


def test_systemd_rates_both_units_ok_or_better(systemd_analyze, units_here):
    result = subprocess.run(
        [systemd_analyze, "security", "--offline=yes", "--no-pager", *map(str, units_here)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    ratings = re.findall(r"Overall exposure level for (\S+): ([\d.]+) (\w+)", result.stdout)
    assert sorted(name for name, _, _ in ratings) == sorted(UNITS), result.stdout
    for name, exposure, word in ratings:
        assert float(exposure) <= 2.0 and word in {"OK", "SAFE", "PERFECT"}, (name, exposure)


@pytest.mark.parametrize("name", UNITS)
def test_each_unit_runs_cadre_from_its_checkout_as_a_dedicated_user(name):
    settings = unit(name)["Service"]
    assert settings["User"] == ["cadre"] and settings["Group"] == ["cadre"]
    assert settings["WorkingDirectory"] == [INSTALLED_AT]
    assert settings["EnvironmentFile"] == [ENV_AT]
    assert settings["ReadWritePaths"] == [f"{INSTALLED_AT}/var"]
    assert settings["KillSignal"] == ["SIGTERM"] and settings["Restart"] == ["on-failure"]
    for hardening in ["NoNewPrivileges", "PrivateTmp", "ProtectHome"]:
        assert settings[hardening] == ["yes"], hardening
    assert settings["ProtectSystem"] == ["strict"]


@pytest.mark.parametrize(("name", "command"), [(UNITS[0], "serve"), (UNITS[1], "worker")])
def test_each_exec_start_is_a_cadre_command_with_valid_options(name, command):
    program, subcommand, *args = shlex.split(service(name, "ExecStart"))
    assert program == f"{INSTALLED_AT}/.venv/bin/cadre"
    assert subcommand == command
    # The command's own parser: an unknown option or a bad value raises CommandError here.
    parser = load_command_class(get_commands()[subcommand], subcommand).create_parser(
        "cadre", subcommand
    )
    options = parser.parse_args(args)
    if command == "serve":
        from cadre.demo.management.commands.serve import parse_addr

        assert parse_addr(options.addr) == ("127.0.0.1", 8000)  # behind the TLS proxy only


def test_the_gunicorn_unit_runs_the_documented_command():
    """The gunicorn unit serves the way docs/operating.md ("Scaling out") says, on the same
    loopback address as `cadre serve`, with options gunicorn's own parser accepts."""
    from gunicorn.config import Config

    program, *args = shlex.split(service(GUNICORN_UNIT, "ExecStart"))
    assert program == f"{INSTALLED_AT}/.venv/bin/gunicorn"
    guide = (REPO / "docs" / "operating.md").read_text()
    documented = re.search(r"^\.venv/bin/gunicorn (.*)$", guide, re.M)
    assert documented, "docs/operating.md lost its gunicorn command"
    assert args == shlex.split(documented.group(1))
    options = Config().parser().parse_args(args)
    assert options.args == ["cadre.wsgi:application"] and options.bind == ["127.0.0.1:8000"]
    assert options.control_socket_disable  # no socket in the home directory systemd hides
    # gunicorn believes no forwarded header: Cadre's application applies CADRE_TRUSTED_PROXY
    # (cadre/lib/proxy.py), once.
    assert options.forwarded_allow_ips == ""
    # gunicorn lets requests finish for --graceful-timeout; systemd waits longer than that.
    assert options.graceful_timeout < float(service(GUNICORN_UNIT, "TimeoutStopSec"))


def environment(name: str, tmp_path: Path, database: Path) -> dict[str, str]:
    """What systemd gives the service: the example environment file, the unit's Environment=
    lines, with the few values an installation fills in (a secret, this machine's paths and
    database) set for the test."""
    env = read_env_file(ENV_EXAMPLE)
    for assignment in unit(name)["Service"].get("Environment", []):
        key, _, value = assignment.partition("=")
        env[key] = here(value, ENV_EXAMPLE)
    env.update(production_env(database))
    env["ALLOWED_HOSTS"] = "127.0.0.1"
    env["CADRE_VAR_DIR"] = str(tmp_path / "var")
    env.pop("EMAIL_HOST", None)  # nothing is mailed in these tests
    return env


def start(name: str, env: dict[str, str], replace: dict[str, str] | None = None):
    argv = shlex.split(here(service(name, "ExecStart"), ENV_EXAMPLE))
    argv = [(replace or {}).get(arg, arg) for arg in argv]
    return subprocess.Popen(
        argv,
        cwd=here(service(name, "WorkingDirectory"), ENV_EXAMPLE),
        env=child_env(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def stop_as_systemd_does(name: str, process: subprocess.Popen) -> tuple[str, str]:
    process.send_signal(getattr(signal, service(name, "KillSignal")))
    timeout = float(service(name, "TimeoutStopSec"))
    try:
        return process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        pytest.fail(f"{name} did not stop within TimeoutStopSec={timeout:g}:\n{out}\n{err}")


def json_log_lines(stderr: str) -> list[dict]:
    lines = [json.loads(line) for line in stderr.splitlines()]  # LOG_FORMAT=json in the example
    assert all({"time", "level", "logger", "message"} <= line.keys() for line in lines)
    return lines


def test_the_web_unit_serves_and_stops_cleanly_on_sigterm(tmp_path, migrated_database):
    name = UNITS[0]
    port = free_port()
    env = environment(name, tmp_path, migrated_database)
    process = start(name, env, replace={"127.0.0.1:8000": f"127.0.0.1:{port}"})
    try:
        wait_for_http(f"http://127.0.0.1:{port}/healthz", process)
        assert get(f"http://127.0.0.1:{port}/healthz")[0] == 200
    finally:
        out, err = stop_as_systemd_does(name, process)
    assert process.returncode == 0, err  # systemd counts the stop as clean, not a failure
    assert "Stopped." in out
    json_log_lines(err)


def test_the_gunicorn_unit_serves_and_stops_cleanly_on_sigterm(tmp_path, migrated_database):
    port = free_port()
    env = environment(GUNICORN_UNIT, tmp_path, migrated_database)
    process = start(GUNICORN_UNIT, env, replace={"127.0.0.1:8000": f"127.0.0.1:{port}"})
    try:
        wait_for_http(f"http://127.0.0.1:{port}/healthz", process, timeout=120)
        assert get(f"http://127.0.0.1:{port}/healthz")[0] == 200
    finally:
        out, err = stop_as_systemd_does(GUNICORN_UNIT, process)
    assert process.returncode == 0, err
    assert "Shutting down: Master" in err


def test_the_worker_unit_works_and_stops_cleanly_on_sigterm(
    tmp_path: Path, migrated_database: Path
) -> None:
    name = UNITS[1]
    env = environment(name, tmp_path, migrated_database)
    process = start(name, env)
    logged: list[str] = []
    reader = threading.Thread(target=lambda: logged.extend(process.stderr), daemon=True)
    reader.start()
    deadline = time.monotonic() + 60
    # Running: it has claimed and finished its first periodic job.
    while not any("SUCCESSFUL" in line for line in logged):
        assert process.poll() is None, "".join(logged)
        assert time.monotonic() < deadline, "the worker ran nothing within 60 s:\n" + "".join(
            logged
        )
        time.sleep(0.2)
    process.send_signal(getattr(signal, service(name, "KillSignal")))
    try:
        process.wait(timeout=float(service(name, "TimeoutStopSec")))
    finally:
        if process.poll() is None:
            process.kill()
    reader.join(timeout=10)
    assert process.returncode == 0, "".join(logged)
    json_log_lines("".join(logged))


def test_the_example_environment_file_holds_documented_valid_settings(tmp_path):
    values = read_env_file(ENV_EXAMPLE)
    mentioned = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", ENV_EXAMPLE.read_text(), re.M))
    assert set(values) <= mentioned
    documented = (REPO / "docs" / "operating.md").read_text()
    undocumented = [name for name in sorted(mentioned) if f"`{name}`" not in documented]
    assert not undocumented, f"not in docs/operating.md: {undocumented}"
    # Filled in as an operator would (a secret; the rest as given), Django's deployment
    # check finds nothing to warn about.
    env = {**values, "SECRET_KEY": production_env(tmp_path)["SECRET_KEY"]}
    result = run_cadre(["check", "--deploy", "--fail-level", "WARNING"], {**env, "DEBUG": "0"})
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
