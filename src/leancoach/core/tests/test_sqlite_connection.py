from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from leancoach import settings as production

pytestmark = pytest.mark.django_db

sqlite_only = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="SQLite pragmas apply only when the suite runs on SQLite",
)


@sqlite_only
def test_the_test_database_runs_with_foreign_keys_in_wal_mode() -> None:
    with connection.cursor() as cursor:
        assert cursor.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@sqlite_only
def test_a_production_database_opens_in_wal_mode_with_full_sync(tmp_path: Path) -> None:
    # The test database trades durability for speed (test_settings); production must not.
    # Open a file the way Django does, with the production settings' init command.
    init = production.DATABASES["default"]["OPTIONS"]["init_command"]
    database = sqlite3.connect(tmp_path / "x.sqlite3")
    database.executescript(init)
    assert database.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert database.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert production.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
