from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from leancoach.core.csvio import ImportRejected
from leancoach.metrics.importer import import_points_csv
from leancoach.metrics.models import Measure


class Command(BaseCommand):
    help = (
        "Import data points for one measure from a CSV file with columns date (YYYY-MM-DD) and "
        "value. Idempotent (one value per day) and all or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--measure", type=int, required=True, help="the measure's id")
        parser.add_argument("csv_file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check the file, write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        measure = Measure.objects.filter(pk=options["measure"]).first()
        if measure is None:
            raise CommandError(f"there is no measure with id {options['measure']}.")
        path: Path = options["csv_file"]
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}") from None
        try:
            result = import_points_csv(measure=measure, data=data, dry_run=options["dry_run"])
        except ImportRejected as rejected:
            for problem in rejected.errors:
                self.stderr.write(f"{path}: {problem}")
            raise CommandError(
                f"{len(rejected.errors)} problem(s) in {path}; nothing was imported."
            ) from None
        self.stdout.write(
            f"{measure.name}: {result.rows} rows, {result.created} added, {result.updated} updated, "
            f"{result.unchanged} unchanged."
        )
