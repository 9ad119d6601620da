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
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

from leancoach.core.models import User  # noqa: E402
from leancoach.engagements.models import Engagement  # noqa: E402
from leancoach.meetings.models import Meeting  # noqa: E402
from leancoach.metrics.models import Measure  # noqa: E402
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
    if (
        Person.objects.count() < 100_000
        or Engagement.objects.count() < 25_000
        or Engagement.objects.filter(meetings__isnull=True).count() > 1
    ):
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
    # A coach of the bulk set with the most engagements: their home page, an engagement's pages.
    busy = (
        Engagement.objects.exclude(coach__email="coach@example.com")
        .values("coach_id")
        .annotate(n=Count("id"))
        .order_by("-n", "coach_id")
        .first()
    )
    assert busy is not None, "seed --scale large first"
    busy_coach = Person.objects.select_related("user").get(pk=busy["coach_id"])
    if busy_coach.user is None:
        busy_coach.user = User.objects.create(username=busy_coach.email, email=busy_coach.email)
        busy_coach.save(update_fields=["user"])
    theirs = Engagement.objects.filter(coach=busy_coach).order_by("pk").first()
    assert theirs is not None
    next_meeting = (
        Meeting.objects.filter(engagement=theirs, status="scheduled").order_by("starts_at").first()
    )
    last_held = (
        Meeting.objects.filter(engagement=theirs, status="held").order_by("-starts_at").first()
    )
    measure = Measure.objects.filter(engagement=theirs).first()
    assert next_meeting is not None
    assert last_held is not None
    assert measure is not None
    client_user = theirs.client.user or User.objects.create(
        username=theirs.client.email, email=theirs.client.email
    )
    if theirs.client.user_id is None:
        theirs.client.user = client_user
        theirs.client.save(update_fields=["user"])
    e = f"/engagements/{theirs.pk}"
    as_users += [
        (
            f"busy coach ({busy['n']} engagements)",
            busy_coach.email,
            [
                "/",
                f"{e}/",
                f"{e}/meetings/",
                f"{e}/meetings/{next_meeting.pk}/",
                f"{e}/meetings/{last_held.pk}/",
                f"{e}/actions/log/",
                f"{e}/actions/log/?status=done&sort=created&order=desc",
                f"{e}/observations/",
                f"{e}/measures/{measure.pk}/",
                "/my/actions/",
                "/coaching/consistency/",
                f"/api/v1{e}/meetings",
                f"/api/v1{e}/meetings/{next_meeting.pk}",
                f"/api/v1{e}/actions",
                f"/api/v1{e}/measures",
                f"/api/v1{e}/observations",
            ],
        ),
        ("their client", client_user.username, ["/", f"{e}/meetings/{next_meeting.pk}/"]),
        ("admin", "admin@example.com", ["/programme/"]),
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
