"""Log lines of the real processes (the web server, the worker, commands) carry the time, the
level and the logger, as text or, with LOG_FORMAT=json, as one JSON object a line."""

import json
import re
from pathlib import Path

import pytest

from cadre.tests.processes import get, production_env, run_cadre, serving

TEXT_LINE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (DEBUG|INFO|WARNING|ERROR|CRITICAL) [\w.]+ "
)


def json_lines(stderr: str) -> list[dict]:
    """Every line the process wrote to standard error, each parsed as one JSON object."""
    records = []
    for line in stderr.splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            pytest.fail(f"a log line is not JSON: {line!r}\n--- all of it:\n{stderr}")
        assert isinstance(record, dict), line
        assert {"time", "level", "logger", "message"} <= record.keys(), line
        records.append(record)
    return records


def web_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    # DEBUG on: Django's own default logging then adds a bare console handler of its own; the
    # test shows Cadre's configuration replaces it. The database is left empty on purpose so
    # that one page fails for real (no such table) and logs an exception.
    return {"DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}", **extra}


def test_web_server_writes_json_lines_with_the_exception_text(tmp_path):
    with serving(web_env(tmp_path, LOG_FORMAT="json")) as server:
        assert get(f"{server.url}/no-such-page/")[0] == 404
        assert get(f"{server.url}/calendar/some-token.ics")[0] == 500
    records = json_lines(server.stderr)

    not_found = [r for r in records if r["message"] == "Not Found: /no-such-page/"]
    assert len(not_found) == 1, records
    assert not_found[0]["level"] == "WARNING" and not_found[0]["logger"] == "django.request"
    assert not_found[0]["status_code"] == 404 and "exception" not in not_found[0]
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+\+00:00$", not_found[0]["time"])

    failed = [
        r for r in records if r["message"] == "Internal Server Error: /calendar/some-token.ics"
    ]
    assert len(failed) == 1, records
    assert failed[0]["level"] == "ERROR" and failed[0]["logger"] == "django.request"
    assert "Traceback (most recent call last)" in failed[0]["exception"]
    assert "OperationalError: no such table" in failed[0]["exception"]


def test_web_server_text_lines_carry_time_level_and_logger(tmp_path):
    with serving(web_env(tmp_path)) as server:
        assert get(f"{server.url}/no-such-page/")[0] == 404
    lines = server.stderr.splitlines()
    not_found = [line for line in lines if line.endswith("Not Found: /no-such-page/")]
    # Once: Django's own debug console handler would print a second, bare copy.
    assert len(not_found) == 1, server.stderr
    assert TEXT_LINE.match(not_found[0]) and " WARNING django.request " in not_found[0]
    # Whatever else was written (a traceback's continuation lines aside) has the same shape.
    starts = [line for line in lines if line and not line.startswith((" ", "Traceback"))]
    assert all(TEXT_LINE.match(line) for line in starts), server.stderr


def test_worker_writes_json_lines(migrated_database):
    env = {**production_env(migrated_database), "LOG_FORMAT": "json"}
    result = run_cadre(["worker", "--batch"], env)
    assert result.returncode == 0, result.stderr
    records = json_lines(result.stderr)
    assert records, "the worker logged nothing"
    assert {r["level"] for r in records} <= {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}
    assert any(r["logger"].startswith(("django_tasks", "cadre")) for r in records), records


def test_log_level_quiets_the_lower_levels(migrated_database):
    env = {**production_env(migrated_database), "LOG_FORMAT": "json", "LOG_LEVEL": "warning"}
    result = run_cadre(["worker", "--batch"], env)
    assert result.returncode == 0, result.stderr
    assert all(r["level"] != "INFO" for r in json_lines(result.stderr)), result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("LOG_FORMAT", "xml", "LOG_FORMAT must be text or json, not 'xml'."),
        (
            "LOG_LEVEL",
            "loud",
            "LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, not 'LOUD'.",
        ),
    ],
)
def test_a_bad_logging_setting_is_refused_with_a_clear_message(tmp_path, variable, value, message):
    env = {**production_env(tmp_path / "unused.sqlite3"), variable: value}
    result = run_cadre(["check"], env)
    assert result.returncode != 0
    assert f"ImproperlyConfigured: {message}" in result.stderr


def test_the_examples_in_the_operating_guide_have_the_real_shape():
    guide = (Path(__file__).resolve().parents[2] / "docs" / "operating.md").read_text()
    section = guide.split("## Logging")[1].split("\n## ")[0]
    text = re.search(r"```text\n(.*?)\n```", section, re.S).group(1)
    assert TEXT_LINE.match(text)
    (record,) = json_lines(re.search(r"```json\n(.*?)\n```", section, re.S).group(1))
    assert record["logger"] == "django.request" and record["status_code"] == 404
