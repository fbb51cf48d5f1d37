from pathlib import Path

import pytest

from cadre.testing import fresh_sqlite_copy


@pytest.fixture(scope="session")
def migrated_database(migrated_sqlite: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file shared by the tests that start Cadre's own processes in
    production settings (they cannot use the test database, which lives in the test's
    transaction)."""
    return fresh_sqlite_copy(migrated_sqlite, tmp_path_factory.mktemp("processes"))
