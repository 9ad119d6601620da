from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from leancoach.cycle.models import Challenge, CurrentCondition
from leancoach.metrics.models import Baseline
from leancoach.metrics.services import add_measure

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_admin_writes_a_challenge_through_the_api_and_anyone_reads_it(personas: Any) -> None:
    response = signed_in(personas.admin).post(
        "/api/v1/challenges",
        {
            "title": "Right first time",
            "why_it_matters": "Rework",
            "owner_id": personas.person("sponsor").pk,
            "team_ids": [personas.teams["ops"].pk],
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["teams"] == ["Operations"]
    listed = signed_in(personas.outsider).get("/api/v1/challenges").json()
    assert [row["title"] for row in listed] == ["Right first time"]


def test_a_coach_may_not_write_a_challenge(personas: Any) -> None:
    response = signed_in(personas.coach).post(
        "/api/v1/challenges",
        {"title": "x", "why_it_matters": "y", "owner_id": personas.person("coach").pk},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Challenge.objects.exists()


def test_the_coach_records_a_current_condition_and_the_sponsor_may_not_read_it(
    personas: Any, engagements: Any
) -> None:
    url = f"/api/v1/engagements/{engagements.ours.pk}/current-conditions"
    created = signed_in(personas.coach).post(
        url, {"priorities": "Daily huddle"}, content_type="application/json"
    )
    assert created.status_code == 201
    assert created.json()["priorities"] == "Daily huddle"
    assert [row["priorities"] for row in signed_in(personas.client).get(url).json()] == [
        "Daily huddle"
    ]
    assert signed_in(personas.sponsor).get(url).status_code == 403
    assert (
        signed_in(personas.client)
        .post(url, {"priorities": "x"}, content_type="application/json")
        .status_code
        == 403
    )
    assert CurrentCondition.objects.count() == 1


def test_a_baseline_is_set_through_the_api_and_refused_twice_on_the_same_day(
    personas: Any, engagements: Any
) -> None:
    measure = add_measure(engagement=engagements.ours, by=engagements.ours.coach, name="Yield")
    url = f"/api/v1/engagements/{engagements.ours.pk}/measures/{measure.pk}/baselines"
    body = {
        "starts_on": (timezone.localdate() - datetime.timedelta(days=7)).isoformat(),
        "reason": "New fixture",
    }
    coach = signed_in(personas.coach)
    assert coach.post(url, body, content_type="application/json").status_code == 201
    again = coach.post(url, body, content_type="application/json")
    assert again.status_code == 422
    assert again.json()["errors"][0]["field"] == "starts_on"
    assert Baseline.objects.count() == 1


def test_the_lists_cost_a_fixed_number_of_queries(
    personas: Any, engagements: Any, django_assert_max_num_queries: Any
) -> None:
    from leancoach.cycle import services

    for n in range(8):
        services.create_challenge(
            owner=personas.person("sponsor"),
            title=f"C{n}",
            why_it_matters="x",
            teams=[personas.teams["ops"]],
        )
        services.record_current_condition(
            engagement=engagements.ours,
            by=engagements.ours.coach,
            observed_behaviour="",
            external_conditions="",
            priorities=f"P{n}",
        )
    coach = signed_in(personas.coach)
    with django_assert_max_num_queries(5):
        assert len(coach.get("/api/v1/challenges").json()) == 8
    with django_assert_max_num_queries(6):
        assert (
            len(coach.get(f"/api/v1/engagements/{engagements.ours.pk}/current-conditions").json())
            == 8
        )
