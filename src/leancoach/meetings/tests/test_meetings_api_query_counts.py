"""The meetings API's lists cost the same number of queries for twice the rows (no N+1)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from leancoach.engagements import services as engagement_services
from leancoach.meetings import services
from leancoach.testing.calendars import on_the_hour
from leancoach.testing.personas import make_engagements, make_user

pytestmark = pytest.mark.django_db

API = "/api/v1"


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def meetings(engagement: Any, count: int, start: int) -> None:
    coach, client = engagement.coach, engagement.client
    for n in range(start, start + count):
        services.add_meeting(engagement=engagement, by=coach, starts_at=on_the_hour(1 + n))
        held = services.add_meeting(engagement=engagement, by=coach, starts_at=on_the_hour(-1 - n))
        for author, visibility in ((coach, "summary"), (client, "summary"), (coach, "shared")):
            services.add_meeting_note(
                meeting=held, by=author, item="contracting", visibility=visibility, text=f"{n}"
            )
        services.close_meeting(meeting=held, by=coach)


def actions(engagement: Any, count: int, start: int) -> None:
    due = timezone.localdate() + datetime.timedelta(days=2)
    for n in range(start, start + count):
        for owner in ("client", "coach"):
            action = services.add_action(
                engagement=engagement, by=engagement.coach, what=f"{n}", owner=owner, due_on=due
            )
            services.change_action(action=action, by=engagement.client, what=f"{n} changed")


def length(response: Any) -> int:
    assert response.status_code == 200, response.content
    return len(response.json())


@pytest.mark.parametrize(
    ("who", "path", "fill", "queries"),
    [
        ("client", "/meetings", meetings, 5),
        ("coach", "/summaries", meetings, 6),
        # The sponsor's read goes to the audit log: the insert and the chain's head (and lock).
        ("sponsor", "/summaries", meetings, 10),
        ("client", "/actions", actions, 5),
        ("sponsor", "/actions", actions, 9),
    ],
)
def test_an_engagement_list_costs_the_same_queries_for_twice_the_rows(
    personas: Any,
    django_assert_max_num_queries: Any,
    who: str,
    path: str,
    fill: Any,
    queries: int,
) -> None:
    engagement = make_engagements(personas, share=("action_status", "meeting_summaries")).ours
    url = f"{API}/engagements/{engagement.pk}{path}"
    reader = signed_in(getattr(personas, who))
    fill(engagement, 3, 0)
    with django_assert_max_num_queries(queries):
        small = length(reader.get(url))
    fill(engagement, 3, 3)
    with django_assert_max_num_queries(queries):
        large = length(reader.get(url))
    assert large == 2 * small > 0


def test_my_actions_cost_the_same_queries_for_twice_the_engagements_and_actions(
    personas: Any, django_assert_max_num_queries: Any
) -> None:
    coach = personas.person("coach")

    def more(count: int, start: int) -> None:
        for n in range(start, start + count):
            client = make_user(
                f"c{n}@example.com", f"Client {n}", manager=personas.person("sponsor")
            )
            engagement = engagement_services.open_engagement(
                request=None, opened_by=coach, coach=coach, client=client.person
            )
            actions(engagement, 2, 0)

    reader = signed_in(personas.coach)
    more(2, 0)
    with django_assert_max_num_queries(4):
        small = length(reader.get(API + "/me/actions"))
    more(2, 2)
    with django_assert_max_num_queries(4):
        large = length(reader.get(API + "/me/actions"))
    assert large == 2 * small == 8
