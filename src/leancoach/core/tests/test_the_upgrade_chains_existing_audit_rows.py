"""The migration that brings the hash chain hashes the rows already there, in id order."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.db.migrations.loader import MigrationLoader

from leancoach.core import audit, migrations
from leancoach.core.models import AuditEvent
from leancoach.testing.audit import behind_the_apps_back

pytestmark = pytest.mark.django_db


def the_migration() -> Any:
    # Found by name, not number: migrations get renumbered when branches merge.
    (name,) = [
        module.name
        for module in pkgutil.iter_modules(migrations.__path__)
        if module.name.endswith("_audit_hash_chain")
    ]
    return importlib.import_module(f"{migrations.__name__}.{name}")


class Editor:
    """The part of a schema editor the migration's functions use."""

    connection = connection

    def execute(self, sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)


def test_rows_from_before_the_chain_are_chained_and_stay_append_only(personas: Any) -> None:
    for n in range(5):
        audit.record(None, action="change", what="status.changed", role="coach", detail=f"{n}")
    with behind_the_apps_back() as cursor:  # as the rows were before the upgrade
        cursor.execute("UPDATE core_auditevent SET prev_hash = '', hash = ''")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # as in a migration's own transaction
    migration = the_migration()
    # The models as the migration sees them: plain managers, no append-only refusal.
    state = MigrationLoader(connection).project_state(("core", migration.__name__.rsplit(".")[-1]))
    migration.chain_existing_rows(state.apps, Editor())
    migration.sqlite_refuses_update_and_delete(state.apps, Editor())
    call_command("audit_verify", "--no-progress")
    assert "" not in AuditEvent.objects.values_list("hash", flat=True)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET detail = 'x'")
