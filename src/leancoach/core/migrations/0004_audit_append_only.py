"""Make audit events append-only in the database itself.

PostgreSQL: a trigger refuses UPDATE and DELETE on every row, whatever the
role, so not even the app's own database login can rewrite history (TRUNCATE,
a table-level privilege, is left to the database owner; see docs/operations.md).
SQLite: a trigger refuses UPDATE (Django's test flush needs DELETE there).
"""

from django.db import migrations

PG_UP = """
CREATE OR REPLACE FUNCTION leancoach_audit_append_only() RETURNS trigger AS $$
BEGIN
    -- %% is a literal percent sign: schema_editor.execute passes the SQL through
    -- the driver's parameter formatting.
    RAISE EXCEPTION 'audit events are append-only: %% refused', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditevent_append_only
    BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION leancoach_audit_append_only();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent;
DROP FUNCTION IF EXISTS leancoach_audit_append_only();
"""
SQLITE_UP = """
CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON core_auditevent
BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS core_auditevent_no_update;"


def forwards(apps, schema_editor):
    sql = {"postgresql": PG_UP, "sqlite": SQLITE_UP}.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    sql = {"postgresql": PG_DOWN, "sqlite": SQLITE_DOWN}.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_auditevent_engagement_auditevent_audit_engagement_at")]

    operations = [migrations.RunPython(forwards, backwards)]
