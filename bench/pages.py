"""Benchmark: server time of the main pages and endpoints on the 100,000-person organisation.

Seeds `--scale large` into a data directory (reused between runs), then times
each URL in-process with Django's test client (median and 95th percentile of
repeated requests, after a warm-up). Works on SQLite (default) or PostgreSQL
(DATABASE_URL). It measures; it asserts nothing.
"""

from __future__ import annotations

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
Path(os.environ["LEANCOACH_DATA_DIR"]).mkdir(parents=True, exist_ok=True)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from leancoach.core.models import User  # noqa: E402
from leancoach.engagements.models import Engagement  # noqa: E402
from leancoach.people.models import Person, Team  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "40"))


def time_url(client: Client, url: str) -> tuple[float, float, int]:
    for _ in range(3):
        client.get(url)
    samples = []
    status = 0
    for _ in range(REPEAT):
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        status = response.status_code
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1], status


def main() -> None:
    call_command("migrate", verbosity=0)
    if Person.objects.count() < 100_000 or Engagement.objects.count() < 25_000:
        call_command("seed", "--scale", "large", "--no-progress")
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    client = Client()
    client.force_login(User.objects.get(username="coach@example.com"))
    deep = client.get("/api/v1/people", {"limit": 100})
    cursor = deep.json()["next_cursor"]
    for _ in range(300):  # walk 30,000 people deep
        cursor = client.get("/api/v1/people", {"limit": 100, "cursor": cursor}).json()[
            "next_cursor"
        ]
    person = Person.objects.get(email="client@example.com")
    team = Team.objects.get(name="Executive")
    urls = [
        "/",
        "/people/",
        "/people/?q=lea",
        "/people/?q=kim",
        "/people/?q=lea+kim",
        "/people/?q=zz-no-match",
        f"/people/?after={cursor}",
        f"/people/{person.pk}/",
        "/teams/",
        f"/teams/{team.pk}/",
        f"/teams/{team.pk}/children/",
        "/api/v1/people",
        f"/api/v1/people?cursor={cursor}",
        f"/api/v1/people/{person.pk}",
        "/api/v1/teams",
    ]
    demo = Engagement.objects.get(client=person, coach__email="coach@example.com")
    as_users = [
        (
            "coach",
            "coach@example.com",
            [
                f"/engagements/{demo.pk}/",
                f"/engagements/{demo.pk}/agreement/",
                f"/engagements/{demo.pk}/needs/",
                "/engagements/",
            ],
        ),
        ("sponsor", "sponsor@example.com", [f"/engagements/{demo.pk}/"]),
        (
            "client",
            "client@example.com",
            ["/engagements/who-has-seen-my-data/", f"/engagements/{demo.pk}/audit/"],
        ),
        (
            "admin",
            "admin@example.com",
            [
                "/engagements/",
                f"/engagements/?before={Engagement.objects.order_by('pk').values_list('pk', flat=True)[5000]}",
                f"/engagements/{demo.pk}/",
            ],
        ),
    ]
    print(
        f"pages benchmark: {Person.objects.count()} people, {Team.objects.count()} teams, database {engine}, {REPEAT} requests each"
    )
    print(f"  {'url':<60} {'median ms':>9} {'p95 ms':>7}")
    for url in urls:
        median, p95, status = time_url(client, url)
        shown = url if len(url) < 58 else url[:55] + "..."
        print(f"  {shown:<60} {median:9.1f} {p95:7.1f}  ({status})")
    for role, email, role_urls in as_users:
        client.force_login(User.objects.get(username=email))
        for url in role_urls:
            median, p95, status = time_url(client, url)
            print(f"  {(role + ' ' + url)[:60]:<60} {median:9.1f} {p95:7.1f}  ({status})")


if __name__ == "__main__":
    sys.exit(main())
