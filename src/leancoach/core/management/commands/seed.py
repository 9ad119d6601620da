from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from leancoach.core.db import refresh_planner_statistics
from leancoach.core.models import User
from leancoach.core.progress import progress_bar
from leancoach.cycle.models import Behaviour, Observation, PracticeCommitment
from leancoach.engagements.demo import seed_bulk_engagements, seed_demo_engagements
from leancoach.meetings.demo import seed_bulk_activity, seed_demo_meetings
from leancoach.meetings.models import ActionItem, Meeting
from leancoach.metrics.models import DataPoint, Measure
from leancoach.people.demo import DEMO_LOGINS, DEMO_PASSWORD, SCALES, build_people_csv
from leancoach.people.importer import import_people_csv

LARGE_ENGAGEMENTS = 25_000  # DESIGN.md's reference data set


class Command(BaseCommand):
    help = (
        "Load the demo organisation: --scale small (1,000 people, what `make run` loads) or large "
        "(100,000 people). Safe to run again: it adds nothing twice and keeps changed passwords."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--no-progress", action="store_true", help="do not draw a progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        scale = options["scale"]
        with progress_bar(enabled=not options["no_progress"]) as report:
            report("building the file", 0, 1)
            data = build_people_csv(scale)
            report("building the file", 1, 1)
            result = import_people_csv(data, progress=report)
        with transaction.atomic():
            passwords_set = 0
            for login in DEMO_LOGINS:
                user = User.objects.get(username=login.email)
                if login.role == "admin" and not user.is_staff:
                    user.is_staff = True
                    user.save(update_fields=["is_staff"])
                if not user.has_usable_password():
                    user.set_password(DEMO_PASSWORD)
                    user.save(update_fields=["password"])
                    passwords_set += 1
        engagements = seed_demo_engagements()
        seed_demo_meetings()
        if scale == "large":
            with progress_bar(enabled=not options["no_progress"]) as report:
                engagements += seed_bulk_engagements(LARGE_ENGAGEMENTS, progress=report)
                if seed_bulk_activity(progress=report):
                    refresh_planner_statistics(
                        Meeting,
                        ActionItem,
                        Measure,
                        DataPoint,
                        Behaviour,
                        Observation,
                        PracticeCommitment,
                    )
        self.stdout.write(
            f"Demo organisation ({scale}): {result.rows} people, {result.changes} changes, "
            f"{passwords_set} demo passwords set, {engagements} demo engagements added."
        )
        self.stdout.write("Demo logins (password for all: " + DEMO_PASSWORD + "):")
        for login in DEMO_LOGINS:
            self.stdout.write(f"  {login.role:<9} {login.email:<24} {login.what}")
