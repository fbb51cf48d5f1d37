"""The worker's timings are settings (CADRE_WORKER_*, CADRE_OUTBOX_LEASE_SECONDS): production
keeps its defaults, a test of killed workers shortens them, and a silence too short for the
beat is refused at start rather than running a live worker's task twice."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from django.conf import settings

from cadre.delivery import sending
from cadre.testing import child_environment
from cadre.worker import models, runner

READ = """
import json
from cadre.delivery.sending import LEASE
from cadre.worker.models import SILENT_AFTER
from cadre.worker.runner import REAP_EVERY, TICK
print(json.dumps([TICK, SILENT_AFTER.total_seconds(), REAP_EVERY.total_seconds(),
                  LEASE.total_seconds()]))
"""


def cadre(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `cadre ARGS` with these settings (and none of this run's timings)."""
    base = {
        k: v
        for k, v in child_environment().items()
        if not k.startswith(("CADRE_WORKER_", "CADRE_OUTBOX_"))
    }
    database = f"sqlite:///{tmp_path / 'cadre.sqlite3'}"
    return subprocess.run(
        [sys.executable, "-m", "cadre", *args],
        env={**base, "DEBUG": "1", "DATABASE_URL": database, **env},
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_the_defaults_are_those_of_production():
    assert (
        settings.CADRE_WORKER_BEAT_SECONDS,
        settings.CADRE_WORKER_SILENT_SECONDS,
        settings.CADRE_WORKER_REAP_SECONDS,
        settings.CADRE_OUTBOX_LEASE_SECONDS,
    ) == (5, 120, 60, 600)
    assert runner.TICK == 5.0 and timedelta(minutes=1) == runner.REAP_EVERY
    assert timedelta(minutes=2) == models.SILENT_AFTER
    assert timedelta(minutes=10) == sending.LEASE


def test_the_environment_shortens_them(tmp_path):
    done = cadre(
        ["shell", "-v", "0", "-c", READ],
        tmp_path,
        CADRE_WORKER_BEAT_SECONDS="1",
        CADRE_WORKER_SILENT_SECONDS="6",
        CADRE_WORKER_REAP_SECONDS="2",
        CADRE_OUTBOX_LEASE_SECONDS="3",
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [1.0, 6.0, 2.0, 3.0]


def test_a_silence_shorter_than_three_beats_is_refused(tmp_path):
    done = cadre(
        ["check"], tmp_path, CADRE_WORKER_BEAT_SECONDS="5", CADRE_WORKER_SILENT_SECONDS="10"
    )
    assert done.returncode != 0
    assert "CADRE_WORKER_SILENT_SECONDS must be at least three times" in done.stderr


def test_a_timing_that_is_not_a_whole_number_names_the_variable(tmp_path):
    done = cadre(["check"], tmp_path, CADRE_WORKER_REAP_SECONDS="0.5")
    assert done.returncode != 0
    assert "CADRE_WORKER_REAP_SECONDS must be a whole number" in done.stderr
