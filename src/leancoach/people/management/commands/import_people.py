from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from leancoach.core.progress import progress_bar
from leancoach.people.importer import ImportRejected, import_people_csv


class Command(BaseCommand):
    help = (
        "Import people and teams from a CSV file (columns: email, name, title, manager_email, "
        "team, team_parent, team_leader, login). Upserts by e-mail; all or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "csv_file", type=Path, help="path to the UTF-8 CSV file ('-' is not accepted)"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="validate and count changes, write nothing"
        )
        parser.add_argument("--no-progress", action="store_true", help="do not draw a progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["csv_file"]
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}") from None
        with progress_bar(enabled=not options["no_progress"]) as report:
            try:
                result = import_people_csv(data, dry_run=options["dry_run"], progress=report)
            except ImportRejected as rejected:
                for problem in rejected.errors:
                    self.stderr.write(f"{path}: {problem}")
                raise CommandError(
                    f"{len(rejected.errors)} problem(s) in {path}; nothing was imported."
                ) from None
        verb = "would change" if options["dry_run"] else "changed"
        self.stdout.write(
            f"{result.rows} rows: {result.people_created} people added, {result.people_updated} updated, "
            f"{result.people_unchanged} unchanged; {result.teams_created} teams added, "
            f"{result.teams_updated} updated; {result.logins_created} logins added "
            f"({verb} {result.changes})."
        )
