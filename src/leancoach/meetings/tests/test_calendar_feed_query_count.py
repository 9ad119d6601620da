"""A calendar feed costs the same few queries for twice the engagements, meetings and actions
(calendar programs poll it)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from leancoach.engagements import services as engagement_services
from leancoach.meetings import services
from leancoach.testing.calendars import feed_path, fetch, on_the_hour, parse, uids
from leancoach.testing.personas import everyone_accepts, make_user

pytestmark = pytest.mark.django_db

# The token and its person, the engagements, meetings, actions, practice commitments.
FEED_QUERIES = 5


def add_engagements(personas: Any, count: int, start: int) -> None:
    coach = personas.person("coach")
    due = timezone.localdate() + datetime.timedelta(days=4)
    for n in range(start, start + count):
        client = make_user(f"c{n}@example.com", f"Client {n}", manager=personas.person("sponsor"))
        engagement = everyone_accepts(
            engagement_services.open_engagement(
                request=None, opened_by=coach, coach=coach, client=client.person
            )
        )
        services.schedule_meetings(
            engagement=engagement, by=coach, first_starts_at=on_the_hour(1 + n), cadence="weekly"
        )
        for owner in ("coach", "client", "coach"):
            services.add_action(
                engagement=engagement, by=coach, what=f"Action {n}", owner=owner, due_on=due
            )


def test_the_feed_costs_the_same_queries_for_twice_the_rows(
    personas: Any, django_assert_max_num_queries: Any
) -> None:
    path = feed_path(personas.person("coach"))
    add_engagements(personas, 2, 0)
    with django_assert_max_num_queries(FEED_QUERIES):
        small = parse(fetch(path))
    add_engagements(personas, 2, 2)
    with django_assert_max_num_queries(FEED_QUERIES):
        large = parse(fetch(path))
    assert len(uids(large, "meeting")) == 2 * len(uids(small, "meeting")) > 40
    assert len(uids(large, "action")) == 2 * len(uids(small, "action")) == 8
