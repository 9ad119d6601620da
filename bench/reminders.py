"""Benchmark: `send-reminders` and the calendar feed on the large data set.

Uses the data directory of bench/pages.py (run that first: it seeds `--scale large`).
Gives every person with a part in an engagement a login, then times a first run of the
reminder digests at 08:00 in the organisation's zone (every digest built, claimed and
"sent" to Django's in-memory mail backend), a second run a minute later (the steady state
of a command run every minute: everything already claimed), and one busy coach's calendar
feed. The claims are rolled back afterwards, so the data set stays as it was. It measures;
it asserts nothing.
"""

from __future__ import annotations

import datetime
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("LEANCOACH_DEBUG", "0")
os.environ.setdefault("LEANCOACH_SECRET_KEY", "bench-only-secret-key-" + "b" * 40)
os.environ.setdefault("LEANCOACH_ALLOWED_HOSTS", "testserver")
os.environ.setdefault(
    "LEANCOACH_DATA_DIR", str(Path(__file__).resolve().parent.parent / "var" / "bench")
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leancoach.test_settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core import mail  # noqa: E402
from django.db import transaction  # noqa: E402
from django.db.models import Count, Q  # noqa: E402

from leancoach.core.models import User  # noqa: E402
from leancoach.engagements.models import Engagement  # noqa: E402
from leancoach.meetings.calendar import feed  # noqa: E402
from leancoach.meetings.reminders import send_reminders  # noqa: E402
from leancoach.meetings.services import organisation_zone  # noqa: E402
from leancoach.people.models import Person  # noqa: E402


class Rollback(Exception):
    pass


def main() -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    involved = Person.objects.filter(
        Q(coaching__isnull=False) | Q(coached_in__isnull=False)
    ).distinct()
    try:
        with transaction.atomic():
            missing = list(involved.filter(user__isnull=True))
            users = User.objects.bulk_create(
                User(username=person.email, email=person.email) for person in missing
            )
            for person, user in zip(missing, users, strict=True):
                person.user = user
            Person.objects.bulk_update(missing, ["user"], batch_size=2000)
            people = involved.count()
            today = datetime.datetime.now(organisation_zone()).date()
            eight = datetime.datetime.combine(
                today, datetime.time(8, 0), tzinfo=organisation_zone()
            )
            started = time.perf_counter()
            first = send_reminders(now=eight)
            first_s = time.perf_counter() - started
            started = time.perf_counter()
            second = send_reminders(now=eight + datetime.timedelta(minutes=1))
            second_s = time.perf_counter() - started
            busy = (
                Engagement.objects.values("coach_id")
                .annotate(n=Count("id"))
                .order_by("-n", "coach_id")
                .first()
            )
            assert busy is not None
            coach = Person.objects.select_related("user").get(pk=busy["coach_id"])
            samples = []
            size = 0
            for _ in range(20):
                t = time.perf_counter()
                size = len(feed(coach))
                samples.append((time.perf_counter() - t) * 1000)
            print(f"reminders benchmark: database {engine}, {people} people with an engagement")
            print(
                f"  first run at 08:00: {first_s:6.1f} s  ({first.sent} sent, "
                f"{first.nothing_due} with nothing due, {len(mail.outbox)} e-mails)"
            )
            print(
                f"  second run, a minute later: {second_s * 1000:6.0f} ms  "
                f"({second.sent} sent, {second.already} already done)"
            )
            print(
                f"  calendar feed of a coach with {busy['n']} engagements: "
                f"{statistics.median(samples):.1f} ms median, {size / 1024:.0f} KiB"
            )
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    sys.exit(main())
