"""Tamper with the audit log the way only a database superuser could, to test that it shows."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection


@contextmanager
def behind_the_apps_back() -> Iterator[Any]:
    """A cursor with the audit table's append-only triggers lifted for the block."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # What a superuser can do and the app's role cannot (docs/operations.md).
            cursor.execute("SET session_replication_role = replica")
            try:
                yield cursor
            finally:
                cursor.execute("SET session_replication_role = DEFAULT")
            return
        cursor.execute(
            "SELECT name, sql FROM sqlite_master "
            "WHERE type = 'trigger' AND tbl_name = 'core_auditevent'"
        )
        triggers = cursor.fetchall()
        for name, _sql in triggers:
            cursor.execute(f'DROP TRIGGER "{name}"')
        try:
            yield cursor
        finally:
            for _name, sql in triggers:
                cursor.execute(sql)


def rewrite(event_id: int, **fields: Any) -> None:
    columns = ", ".join(f"{name} = %s" for name in fields)
    with behind_the_apps_back() as cursor:
        cursor.execute(
            f"UPDATE core_auditevent SET {columns} WHERE id = %s",  # noqa: S608  # names are ours
            [*fields.values(), event_id],
        )


def delete(event_id: int) -> None:
    with behind_the_apps_back() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [event_id])
