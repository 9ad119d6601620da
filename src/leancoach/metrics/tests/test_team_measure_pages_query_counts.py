"""A team's measure pages cost a fixed number of queries, however many measures and values."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from leancoach.metrics.models import Measure
from leancoach.metrics.services import add_measure, record_value, start_baseline

pytestmark = pytest.mark.django_db


def grow(personas: Any, rounds: int, start: int = 0) -> Measure:
    """``rounds`` more measures on line 1, each with ten values and a baseline."""
    today = timezone.localdate()
    measure = None
    for n in range(start, start + rounds):
        measure = add_measure(
            team=personas.teams["line"], by=personas.person("client"), name=f"Measure {n}"
        )
        for day in range(10):
            record_value(measure=measure, on=today - datetime.timedelta(days=day), value=n + day)
        start_baseline(measure=measure, starts_on=today - datetime.timedelta(days=9), reason="x")
    assert measure is not None
    return measure


@pytest.mark.parametrize("role", ["client", "outsider", "admin"])
def test_the_team_board_costs_the_same_for_twice_the_measures_and_values(
    personas: Any, role: str, django_assert_max_num_queries: Any
) -> None:
    client = Client()
    client.force_login(getattr(personas, role))
    url = f"/teams/{personas.teams['line'].pk}/measures/"
    grow(personas, 4)
    with django_assert_max_num_queries(9):
        response = client.get(url)
    assert len(response.context["measures"]) == 4
    grow(personas, 4, start=4)
    with django_assert_max_num_queries(9):
        response = client.get(url)
    assert len(response.context["measures"]) == 8


def test_a_team_measure_page_and_the_team_page_cost_the_same_for_twice_the_values(
    personas: Any, django_assert_max_num_queries: Any
) -> None:
    client = Client()
    client.force_login(personas.sponsor)
    measure = grow(personas, 2)
    page = f"/teams/{personas.teams['line'].pk}/measures/{measure.pk}/"
    with django_assert_max_num_queries(10):
        assert client.get(page).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(f"/teams/{personas.teams['line'].pk}/").status_code == 200
    today = timezone.localdate()
    for day in range(10, 30):
        record_value(measure=measure, on=today - datetime.timedelta(days=day), value=day)
    grow(personas, 2, start=2)
    with django_assert_max_num_queries(10):
        assert client.get(page).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(f"/teams/{personas.teams['line'].pk}/").status_code == 200
