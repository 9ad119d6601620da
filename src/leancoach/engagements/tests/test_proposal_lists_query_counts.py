"""Who is asked, and the proposed role changes, cost the same number of queries for twice the
rows: the API lists and the proposal page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from leancoach.engagements import services
from leancoach.testing.personas import make_user

pytestmark = pytest.mark.django_db


def more_proposals(engagement: Any, count: int, start: int) -> None:
    """``count`` more withdrawn proposals of a new sponsor, each of someone new."""
    for n in range(start, start + count):
        person = make_user(f"p{n}@example.com", f"Person {n}").person
        proposal = services.propose_role_change(
            request=None,
            engagement=engagement,
            by=engagement.coach,
            by_role="coach",
            role="sponsor",
            person=person,
            reason=f"Round {n}",
        )
        services.withdraw_role_change(
            request=None, proposal=proposal, by=engagement.coach, by_role="coach"
        )


@pytest.mark.parametrize(
    ("path", "limit"),
    [("/api/v1/engagements/{pk}/role-proposals", 5), ("/engagements/{pk}/proposal/", 7)],
)
def test_the_role_changes_cost_the_same_for_twice_the_rows(
    personas: Any, engagements: Any, path: str, limit: int, django_assert_max_num_queries: Any
) -> None:
    engagement = engagements.ours
    client = Client()
    client.force_login(personas.client)
    url = path.format(pk=engagement.pk)
    more_proposals(engagement, 3, 0)
    with django_assert_max_num_queries(limit):
        first = client.get(url)
    assert first.status_code == 200
    more_proposals(engagement, 6, 3)
    with django_assert_max_num_queries(limit):
        second = client.get(url)
    assert second.content.decode().count("Person 8") == 1
    assert "Person 8" not in first.content.decode()


def test_who_is_asked_costs_a_fixed_number_of_queries(
    personas: Any, engagements: Any, django_assert_max_num_queries: Any
) -> None:
    client = Client()
    client.force_login(personas.sponsor)
    with django_assert_max_num_queries(9):  # the sponsor's read is audited (a chained row)
        response = client.get(f"/api/v1/engagements/{engagements.ours.pk}/consents")
    assert [row["role"] for row in response.json()] == ["coach", "client", "sponsor"]
