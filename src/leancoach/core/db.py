from __future__ import annotations

from django.db import connection
from django.db.models import Model


def refresh_planner_statistics(*models: type[Model]) -> None:
    """Update the query planner's statistics after a bulk load.

    Without this, PostgreSQL plans the first searches after a 100,000-row
    import from empty-table estimates and runs them 20x slower until
    autovacuum catches up (docs/benchmarks.md).
    """
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))
        elif connection.vendor == "sqlite":
            for table in tables:
                cursor.execute("ANALYZE " + connection.ops.quote_name(table))
