"""Let the test suite empty an SQLite database whose audit table refuses DELETE.

Transactional tests and the live server reset the database with Django's
``flush``, which on SQLite is ``DELETE FROM`` each table; the append-only
trigger (core migration "audit_hash_chain") rightly refuses that. For tests
only, each flush drops the tables' DELETE-refusing triggers, empties the tables
and re-creates the triggers from their own stored SQL, in one transaction.
(PostgreSQL flushes with TRUNCATE, which row triggers do not see.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db.backends.sqlite3.base import DatabaseWrapper

# Through the wrapper: importing the operations module first is a circular import in Django.
DatabaseOperations: Any = DatabaseWrapper.ops_class


def _flushing_through_triggers(original: Callable[..., list[str]]) -> Callable[..., list[str]]:
    def sql_flush(
        self: Any,
        style: Any,
        tables: Any,
        *,
        reset_sequences: bool = False,
        allow_cascade: bool = False,
    ) -> list[str]:
        statements = original(
            self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
        if not statements:
            return statements
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, tbl_name, sql FROM sqlite_master "
                "WHERE type = 'trigger' AND sql LIKE '%BEFORE DELETE%'"
            )
            triggers = [row for row in cursor.fetchall() if row[1] in set(tables)]
        drop = [f"DROP TRIGGER {self.quote_name(name)};" for name, _table, _sql in triggers]
        return drop + statements + [f"{sql};" for _name, _table, sql in triggers]

    return sql_flush


@contextmanager
def flush_through_delete_triggers() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            DatabaseOperations,
            "sql_flush",
            _flushing_through_triggers(DatabaseOperations.sql_flush),
        )
        yield
