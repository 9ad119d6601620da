"""The team measures list costs the same number of queries for twice the measures and values."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from leancoach.metrics.services import add_measure, record_value

pytestmark = pytest.mark.django_db


def grow(personas: Any, count: int, start: int = 0) -> None:
    today = timezone.localdate()
    for n in range(start, start + count):
        measure = add_measure(
            team=personas.teams["line"], by=personas.person("client"), name=f"Measure {n}"
        )
        for day in range(25):
            record_value(measure=measure, on=today - datetime.timedelta(days=day), value=day)


def test_the_team_measures_list_costs_a_fixed_number_of_queries(
    personas: Any, django_assert_max_num_queries: Any
) -> None:
    client = Client()
    client.force_login(personas.outsider)
    url = f"/api/v1/teams/{personas.teams['line'].pk}/measures"
    grow(personas, 3)
    with django_assert_max_num_queries(6):
        assert len(client.get(url).json()) == 3
    grow(personas, 3, start=3)
    with django_assert_max_num_queries(6):
        assert len(client.get(url).json()) == 6
