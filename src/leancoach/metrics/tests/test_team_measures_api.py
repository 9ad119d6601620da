"""The team measures API: anyone signed in reads a team's measures; its leader's line keeps them."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from leancoach.core.services import create_api_token
from leancoach.metrics.models import Baseline, DataPoint, Measure
from leancoach.metrics.services import add_measure, record_value

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def measures_url(personas: Any, team: str = "line") -> str:
    return f"/api/v1/teams/{personas.teams[team].pk}/measures"


@pytest.fixture
def line_measure(personas: Any) -> Measure:
    measure = add_measure(
        team=personas.teams["line"], by=personas.person("client"), name="Parts per hour"
    )
    today = timezone.localdate()
    for day in range(25):
        record_value(measure=measure, on=today - datetime.timedelta(days=day), value=day)
    return measure


def test_a_colleague_reads_the_teams_measures_with_their_recent_values(
    personas: Any, line_measure: Measure
) -> None:
    response = signed_in(personas.outsider).get(measures_url(personas))
    assert response.status_code == 200
    [row] = response.json()
    assert (row["id"], row["team_id"], row["frequency"]) == (
        line_measure.pk,
        personas.teams["line"].pk,
        "weekly",
    )
    assert row["latest"] == {"on": timezone.localdate().isoformat(), "value": 0.0}
    assert len(row["recent"]) == 20
    assert row["recent"][-1] == row["latest"]


def test_the_leader_adds_a_measure_with_a_personal_token(personas: Any) -> None:
    _token, raw = create_api_token(user=personas.client, name="script", scope="read_write")
    response = Client().post(
        measures_url(personas),
        {"name": "First-pass yield", "unit": "%", "better": "up", "frequency": "daily"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["frequency"], body["latest"], body["recent"]) == (
        "First-pass yield",
        "daily",
        None,
        [],
    )
    measure = Measure.objects.get(pk=body["id"])
    assert (measure.team, measure.engagement) == (personas.teams["line"], None)


@pytest.mark.parametrize(
    ("role", "status"), [("sponsor", 201), ("admin", 201), ("coach", 403), ("outsider", 403)]
)
def test_only_the_leaders_line_and_admins_record_values(
    personas: Any, line_measure: Measure, role: str, status: int
) -> None:
    url = f"{measures_url(personas)}/{line_measure.pk}/values"
    day = (timezone.localdate() - datetime.timedelta(days=40)).isoformat()
    response = signed_in(getattr(personas, role)).post(
        url, {"on": day, "value": 7.5}, content_type="application/json"
    )
    assert response.status_code == status
    assert DataPoint.objects.filter(measure=line_measure, on=day).exists() == (status == 201)


@pytest.mark.parametrize("role", ["coach", "outsider", "client"])
def test_who_may_not_keep_the_team_above_cannot_add_to_it(personas: Any, role: str) -> None:
    response = signed_in(getattr(personas, role)).post(
        measures_url(personas, "ops"), {"name": "Mine"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert "leader" in response.json()["detail"]
    assert not Measure.objects.exists()


def test_values_in_bulk_are_all_or_nothing_and_idempotent(
    personas: Any, line_measure: Measure
) -> None:
    url = f"{measures_url(personas)}/{line_measure.pk}/values/bulk"
    leader = signed_in(personas.client)
    points = [{"on": "2026-09-01", "value": 1}, {"on": "2026-09-02", "value": 2}]
    first = leader.post(url, {"points": points}, content_type="application/json")
    again = leader.post(url, {"points": points}, content_type="application/json")
    assert first.json() == {"created": 2, "updated": 0, "unchanged": 0}
    assert again.json() == {"created": 0, "updated": 0, "unchanged": 2}
    twice = leader.post(
        url,
        {"points": [*points, {"on": "2026-09-01", "value": 3}]},
        content_type="application/json",
    )
    assert twice.status_code == 422
    assert twice.json()["errors"][0]["field"] == "points.2.on"
    assert DataPoint.objects.filter(measure=line_measure).count() == 27


def test_a_baseline_is_started_through_the_api(personas: Any, line_measure: Measure) -> None:
    url = f"{measures_url(personas)}/{line_measure.pk}/baselines"
    body = {"starts_on": "2026-09-01", "reason": "Second shift added"}
    response = signed_in(personas.sponsor).post(url, body, content_type="application/json")
    assert response.status_code == 201
    assert Baseline.objects.get(measure=line_measure).reason == "Second shift added"
    assert (
        signed_in(personas.coach).post(url, body, content_type="application/json").status_code
        == 403
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "Yield", "better": "sideways"}, "better"),
        ({"name": "Yield", "frequency": "hourly"}, "frequency"),
        ({"name": "Yield", "unit": "x" * 51}, "unit"),
    ],
)
def test_a_bad_measure_is_a_422_naming_the_field(
    personas: Any, body: dict[str, str], field: str
) -> None:
    response = signed_in(personas.client).post(
        measures_url(personas), body, content_type="application/json"
    )
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == [field]
    assert not Measure.objects.exists()


def test_a_value_in_the_future_is_a_422_naming_the_date(
    personas: Any, line_measure: Measure
) -> None:
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = signed_in(personas.client).post(
        f"{measures_url(personas)}/{line_measure.pk}/values",
        {"on": tomorrow, "value": 1},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "on", "location": "body", "message": "A value cannot be dated in the future."}
    ]


def test_another_teams_or_an_engagements_measure_is_not_found_through_a_team(
    personas: Any, engagements: Any, line_measure: Measure
) -> None:
    engagement_measure = add_measure(
        engagement=engagements.ours, by=engagements.ours.coach, name="Rework"
    )
    admin = signed_in(personas.admin)
    for measure in (line_measure, engagement_measure):
        response = admin.post(
            f"{measures_url(personas, 'ops')}/{measure.pk}/values",
            {"on": "2026-09-01", "value": 1},
            content_type="application/json",
        )
        assert response.status_code == 404
    assert admin.get("/api/v1/teams/999999/measures").status_code == 404
    through_engagement = signed_in(personas.coach).post(
        f"/api/v1/engagements/{engagements.ours.pk}/measures/{line_measure.pk}/values",
        {"on": "2026-09-01", "value": 1},
        content_type="application/json",
    )
    assert through_engagement.status_code == 404


def test_signed_out_callers_get_401(personas: Any) -> None:
    assert Client().get(measures_url(personas)).status_code == 401
