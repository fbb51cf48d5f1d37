from pathlib import Path

import pytest

from cadre.tests.processes import production_env, run_cadre


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated by the real `cadre migrate`, for tests that start Cadre's own
    processes (they cannot use the test database, which lives in the test's transaction)."""
    database = tmp_path_factory.mktemp("processes") / "cadre.sqlite3"
    result = run_cadre(["migrate", "--no-input", "-v", "0"], production_env(database))
    assert result.returncode == 0, result.stderr
    return database
