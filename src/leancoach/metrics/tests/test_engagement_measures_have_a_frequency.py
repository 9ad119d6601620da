"""A measure of an engagement is added with its expected frequency, on the page and by the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from leancoach.metrics.models import Measure

pytestmark = pytest.mark.django_db


def coach(personas: Any) -> Client:
    client = Client()
    client.force_login(personas.coach)
    return client


def test_the_engagement_page_adds_a_measure_with_its_frequency(
    personas: Any, engagements: Any
) -> None:
    response = coach(personas).post(
        f"/engagements/{engagements.ours.pk}/measures/",
        {"name": "Defects", "unit": "", "better": "down", "frequency": "daily"},
        follow=True,
    )
    assert "Measure added." in response.content.decode()
    assert Measure.objects.get(name="Defects").frequency == "daily"


def test_the_api_adds_a_measure_with_its_frequency_and_names_a_bad_one(
    personas: Any, engagements: Any
) -> None:
    path = f"/api/v1/engagements/{engagements.ours.pk}/measures"
    ok = coach(personas).post(
        path, {"name": "Lead time", "frequency": "monthly"}, content_type="application/json"
    )
    assert ok.status_code == 201
    assert ok.json()["frequency"] == "monthly"
    bad = coach(personas).post(
        path, {"name": "Lead time", "frequency": "hourly"}, content_type="application/json"
    )
    assert bad.status_code == 422
    assert [error["field"] for error in bad.json()["errors"]] == ["frequency"]
