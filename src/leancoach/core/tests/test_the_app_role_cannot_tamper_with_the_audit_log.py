"""The database role docs/operations.md gives the app cannot truncate, alter or switch off the log.

PostgreSQL only: SQLite has no roles (its triggers are tested in
test_the_audit_log_refuses_update_and_delete.py).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from leancoach.core import audit
from leancoach.core.models import AuditEvent

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="database roles exist only on PostgreSQL; run with DATABASE_URL=postgres://…",
    ),
]

OPERATIONS = Path(__file__).resolve().parents[4] / "docs" / "operations.md"
# Roles belong to the whole cluster: a name of our own, and the test's transaction undoes it.
APP_ROLE = f"leancoach_app_test_{os.getpid()}"


def documented_sql(first_line: str) -> list[str]:
    """The statements of the ```sql block in operations.md that starts with ``first_line``."""
    blocks = re.findall(r"```sql\n(.*?)```", OPERATIONS.read_text(), flags=re.S)
    (block,) = [b for b in blocks if b.startswith(first_line)]
    statements = [s.strip() for s in re.sub(r"--[^\n]*", "", block).split(";")]
    return [s.replace("leancoach_app", APP_ROLE) for s in statements if s]


@pytest.fixture
def app_role(personas: Any) -> None:
    """The app role made as the docs say, its grants given after the migrations ran."""
    created = [s for s in documented_sql("-- 1.") if s.startswith(f"CREATE ROLE {APP_ROLE} ")]
    assert len(created) == 1, "operations.md no longer creates the app role"
    with connection.cursor() as cursor:
        cursor.execute(created[0])
        for statement in documented_sql("-- 2."):
            cursor.execute(statement)


def as_app(sql: str) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {APP_ROLE}")
        cursor.execute(sql)


@pytest.mark.parametrize(
    ("sql", "refusal"),
    [
        ("TRUNCATE core_auditevent", "permission denied"),
        (
            "ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_append_only",
            "must be owner",
        ),
        ("ALTER TABLE core_auditevent DISABLE TRIGGER ALL", "must be owner"),
        ("SET session_replication_role = replica", "permission denied to set parameter"),
        ("UPDATE core_auditevent SET detail = 'x'", "permission denied"),
        ("DELETE FROM core_auditevent", "permission denied"),
        ("DROP TABLE core_auditevent", "must be owner"),
        ("TRUNCATE core_auditcheck", "permission denied"),
    ],
    ids=[
        "truncate",
        "disable-trigger",
        "disable-all-triggers",
        "replica-role",
        "update",
        "delete",
        "drop",
        "truncate-checks",
    ],
)
def test_the_app_role_is_refused(app_role: None, sql: str, refusal: str) -> None:
    audit.record(None, action="change", what="status.changed", role="coach")
    with pytest.raises(DatabaseError, match=refusal):
        as_app(sql)
    assert AuditEvent.objects.count() == 1


def test_the_app_role_appends_to_the_chain(app_role: None) -> None:
    first = audit.record(None, action="change", what="status.changed", role="coach")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {APP_ROLE}")
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == APP_ROLE
        second = audit.record(None, action="change", what="role.changed", role="admin")
    assert second.prev_hash == first.hash


def test_the_role_is_no_superuser(app_role: None) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = %s", [APP_ROLE])
        assert cursor.fetchone() == (False, False)
