from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from leancoach.core.progress import progress_bar
from leancoach.meetings.reminders import send_reminders
from leancoach.meetings.services import top_up_schedules


class Command(BaseCommand):
    help = (
        "Send each person at most one reminder digest a day (or a week, by their choice) of what "
        "is due, and keep meeting schedules topped up. Safe to run every minute from cron or a "
        "systemd timer: a digest is never sent twice, even by two copies running at once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet", action="store_true", help="print nothing but errors")

    def handle(self, *args: Any, **options: Any) -> None:
        created = top_up_schedules()
        with progress_bar(enabled=not options["quiet"]) as report:
            run = send_reminders(report=report)
        if not options["quiet"]:
            self.stdout.write(
                f"{run.sent} digest(s) sent, {run.nothing_due} with nothing due, "
                f"{run.already} already done; {created} meeting(s) added to schedules."
            )
