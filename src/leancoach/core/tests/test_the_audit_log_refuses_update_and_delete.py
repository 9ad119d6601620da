"""The audit table refuses UPDATE and DELETE in the database itself, on PostgreSQL and SQLite."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from leancoach.core import audit
from leancoach.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(personas: Any) -> AuditEvent:
    return audit.record(None, action="change", what="status.changed", role="coach")


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE core_auditevent SET detail = 'rewritten' WHERE id = %s",
        "DELETE FROM core_auditevent WHERE id = %s",
    ],
    ids=["update", "delete"],
)
def test_raw_sql_cannot_change_or_remove_an_entry(event: AuditEvent, sql: str) -> None:
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, detail="").exists()


def test_the_orm_refuses_too(event: AuditEvent) -> None:
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(detail="x")
    with pytest.raises(PermissionError):
        event.delete()
