from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.django_db

sqlite_only = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="SQLite pragmas apply only when the suite runs on SQLite",
)


def production_init_command(tmp_path: Path) -> str:
    """The init command of the real settings (the test settings trade durability for speed:
    their SQLite test database is a file, see test_settings.py)."""
    environ = {key: value for key, value in os.environ.items() if not key.startswith("LEANCOACH_")}
    environ.pop("DJANGO_SETTINGS_MODULE", None)
    environ.update(LEANCOACH_DEBUG="1", DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import leancoach.settings as s; print(s.DATABASES['default']['OPTIONS']['init_command'])",
        ],
        env=environ,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_sqlite_runs_with_full_sync_and_foreign_keys(tmp_path: Path) -> None:
    database = sqlite3.connect(tmp_path / "x.sqlite3")
    database.executescript(production_init_command(tmp_path))
    assert database.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert database.execute("PRAGMA foreign_keys").fetchone()[0] == 1


@sqlite_only
def test_the_test_database_keeps_foreign_keys() -> None:
    with connection.cursor() as cursor:
        assert cursor.execute("PRAGMA foreign_keys").fetchone()[0] == 1


@sqlite_only
def test_a_file_database_opens_in_wal_mode(tmp_path: Path) -> None:
    # The test database lives in memory, where WAL does not apply; open a file
    # the way Django does, with the configured init command.
    init = settings.DATABASES["default"]["OPTIONS"]["init_command"]
    database = sqlite3.connect(tmp_path / "x.sqlite3")
    database.executescript(init)
    assert database.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
