from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from leancoach.core.auditchain import verify_whole_log
from leancoach.core.progress import progress_bar


class Command(BaseCommand):
    help = (
        "Recompute the audit log's hash chain from its first entry to its last. Exits 0 and says "
        "how many entries it verified, or exits 1 naming the first broken entry (its id, when it "
        "was recorded, and what is wrong). Each run is recorded; the client's 'Who has seen my "
        "data' page shows the last one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-progress", action="store_true", help="do not draw a progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        with progress_bar(enabled=not options["no_progress"]) as report:
            result = verify_whole_log(report=report)
        if result.broken is not None:
            raise CommandError(
                f"The audit log is broken at {result.broken}. "
                f"{result.rows} entries before it verified.",
                returncode=1,
            )
        head = f" Last entry #{result.head_id}, hash {result.head_hash}." if result.rows else ""
        self.stdout.write(f"The audit log is intact: {result.rows} entries verified.{head}")
