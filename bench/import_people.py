"""Benchmark: import the 100,000-person demo organisation from CSV, then import it again.

Run with `make bench` (SQLite in a temporary directory) or with DATABASE_URL set
for PostgreSQL. Prints wall-clock seconds; it measures, it asserts nothing.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time

os.environ.setdefault("LEANCOACH_DEBUG", "1")
os.environ.setdefault("LEANCOACH_DATA_DIR", tempfile.mkdtemp(prefix="leancoach-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leancoach.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from leancoach.people.demo import build_people_csv  # noqa: E402
from leancoach.people.importer import import_people_csv  # noqa: E402


def main() -> None:
    scale = sys.argv[1] if len(sys.argv) > 1 else "large"
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    call_command("migrate", verbosity=0)
    data = build_people_csv(scale)
    rows = data.count(b"\n") - 1
    print(f"import-people benchmark: {rows} rows, {len(data) / 1e6:.1f} MB, database {engine}")
    for label in ("first import (all new)", "second import (no changes)"):
        started = time.perf_counter()
        result = import_people_csv(data)
        elapsed = time.perf_counter() - started
        print(f"  {label:<28} {elapsed:6.1f} s   changes={result.changes}")


if __name__ == "__main__":
    main()
