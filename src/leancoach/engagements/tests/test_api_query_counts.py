"""Each API list costs the same number of queries for twice the rows (no N+1)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from leancoach.engagements import services
from leancoach.meetings.services import add_action
from leancoach.metrics.services import add_measure, record_value
from leancoach.testing.personas import make_user

pytestmark = pytest.mark.django_db

LISTS = [
    "",
    "/agreements",
    "/sponsor-needs",
    "/client-needs",
    "/assumptions",
    "/private-notes",
    "/measures",
    "/actions",
    "/audit",
]


def more_engagements(personas: Any, count: int, start: int = 0) -> None:
    coach = personas.person("coach")
    for n in range(start, start + count):
        client = make_user(f"c{n}@example.com", f"Client {n}", manager=personas.person("sponsor"))
        services.open_engagement(request=None, opened_by=coach, coach=coach, client=client.person)


def fill(engagement: Any, rounds: int) -> None:
    """``rounds`` more of everything an engagement lists."""
    coach = engagement.coach
    today = timezone.localdate()
    for n in range(rounds):
        for owner, category in (("sponsor", "quality"), ("client", "team_behaviour")):
            services.add_need(
                engagement=engagement, by=coach, owner=owner, category=category, description=f"{n}"
            )
        services.write_assumptions(
            engagement=engagement, by=coach, best_outcome=f"{n}", strengths="a\nb"
        )
        services.add_private_note(engagement=engagement, by=coach, text=f"note {n}")
        measure = add_measure(engagement=engagement, by=coach, name=f"Measure {n}")
        for day in range(3):
            record_value(measure=measure, on=today - datetime.timedelta(days=day), value=day)
        add_action(
            engagement=engagement, by=coach, what=f"Action {n}", owner="client", due_on=today
        )
        version = services.propose_agreement(
            request=None,
            engagement=engagement,
            by=coach,
            role="coach",
            terms={"coach_commitments": f"round {n}"},
        )
        for person in (engagement.coach, engagement.client, engagement.sponsor):
            services.sign_agreement(request=None, agreement=version, person=person)
        for status in ("active", "paused") if engagement.status != "active" else ("paused",):
            services.change_status(
                request=None,
                engagement=engagement,
                by=coach,
                role="coach",
                to_status=status,
                reason="again",
            )
        engagement.refresh_from_db()


def queries_for(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.content)
    return len(captured)


def test_the_list_endpoint_costs_a_fixed_number_of_queries(
    personas: Any, django_assert_max_num_queries: Any
) -> None:
    more_engagements(personas, 10)
    client = Client()
    client.force_login(personas.coach)
    with django_assert_max_num_queries(4):
        response = client.get("/api/v1/engagements")
    assert len(response.json()) == 10
    more_engagements(personas, 10, start=10)
    with django_assert_max_num_queries(4):
        assert len(client.get("/api/v1/engagements").json()) == 20


# Who reads which list (the sponsor: what the agreement of make_engagements shares).
READERS = {
    "coach": LISTS,
    "client": [tail for tail in LISTS if tail != "/private-notes"],
    "sponsor": ["", "/agreements", "/measures", "/actions"],
    "admin": [""],
}
CASES = [(role, tail) for role, tails in READERS.items() for tail in tails]


@pytest.mark.parametrize(("role", "tail"), CASES, ids=[f"{r} {t or '/'}" for r, t in CASES])
def test_each_list_of_an_engagement_costs_the_same_for_twice_the_rows(
    personas: Any, engagements: Any, role: str, tail: str
) -> None:
    engagement = engagements.ours
    client = Client()
    client.force_login(getattr(personas, role))
    path = f"/api/v1/engagements/{engagement.pk}{tail}"
    fill(engagement, 3)
    few = queries_for(client, path)
    fill(engagement, 3)
    assert queries_for(client, path) == few
    assert few <= 14
