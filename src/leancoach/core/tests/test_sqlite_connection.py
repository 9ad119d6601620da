from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.django_db

sqlite_only = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="SQLite pragmas apply only when the suite runs on SQLite",
)


@sqlite_only
def test_sqlite_runs_with_full_sync_and_foreign_keys() -> None:
    with connection.cursor() as cursor:
        assert cursor.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert cursor.execute("PRAGMA foreign_keys").fetchone()[0] == 1


@sqlite_only
def test_a_file_database_opens_in_wal_mode(tmp_path: Path) -> None:
    # The test database lives in memory, where WAL does not apply; open a file
    # the way Django does, with the configured init command.
    init = settings.DATABASES["default"]["OPTIONS"]["init_command"]
    database = sqlite3.connect(tmp_path / "x.sqlite3")
    database.executescript(init)
    assert database.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
