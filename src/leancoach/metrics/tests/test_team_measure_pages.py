"""A team's KPI board: anyone signed in reads it; the leader and the managers above keep it."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from leancoach.metrics.models import Baseline, DataPoint, Measure
from leancoach.metrics.services import add_measure, record_value

pytestmark = pytest.mark.django_db


@pytest.fixture
def line_measure(personas: Any) -> Measure:
    measure = add_measure(
        team=personas.teams["line"],
        by=personas.person("client"),
        name="Parts per hour",
        unit="parts",
        frequency="daily",
    )
    today = timezone.localdate()
    for days_ago, value in enumerate((40, 42, 41, 39, 43, 40, 41, 42)):
        record_value(
            measure=measure, on=today - datetime.timedelta(days=10 - days_ago), value=value
        )
    return measure


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def board(personas: Any, tail: str = "") -> str:
    return f"/teams/{personas.teams['line'].pk}/measures/{tail}"


def messages_of(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_the_team_page_shows_its_measures_and_links_to_the_board(
    personas: Any, line_measure: Measure
) -> None:
    page = signed_in(personas.coach).get(f"/teams/{personas.teams['line'].pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="measures-heading">Measures</h2>' in html
    assert f'href="{board(personas)}"' in html
    assert f'href="{board(personas, f"{line_measure.pk}/")}">Parts per hour</a>' in html


def test_a_colleague_reads_the_board_as_charts_but_is_offered_no_forms(
    personas: Any, line_measure: Measure
) -> None:
    page = signed_in(personas.outsider).get(board(personas))
    assert page.status_code == 200
    assert page.context["can_write"] is False
    [item] = page.context["measures"]
    assert item.measure == line_measure
    html = page.content.decode()
    assert "<svg" in html
    assert "Parts per hour as a table" in html
    assert "Add measure" not in html
    detail = signed_in(personas.outsider).get(board(personas, f"{line_measure.pk}/"))
    assert detail.status_code == 200
    assert b"A new value is expected daily." in detail.content
    assert b"Set the baseline" not in detail.content


def test_the_leader_adds_a_measure_and_records_a_value(personas: Any) -> None:
    leader = signed_in(personas.client)
    assert b"Add measure" in leader.get(board(personas)).content
    added = leader.post(
        board(personas, "add/"),
        {"name": "First-pass yield", "unit": "%", "better": "up", "frequency": "weekly"},
        follow=True,
    )
    assert "Measure added." in messages_of(added)
    measure = Measure.objects.get(name="First-pass yield")
    assert (measure.team, measure.engagement, measure.created_by) == (
        personas.teams["line"],
        None,
        personas.person("client"),
    )
    recorded = leader.post(
        board(personas, f"{measure.pk}/values/"),
        {"on": timezone.localdate().isoformat(), "value": "97.5"},
    )
    assert recorded.status_code == 302
    assert recorded["Location"] == board(personas, f"#measure-{measure.pk}")
    assert measure.points.get().value == 97.5


def test_the_manager_above_the_leader_sets_a_baseline_and_uploads_values(
    personas: Any, line_measure: Measure
) -> None:
    sponsor = signed_in(personas.sponsor)
    page = board(personas, f"{line_measure.pk}/")
    assert sponsor.get(page).context["can_write"] is True
    started = timezone.localdate() - datetime.timedelta(days=7)
    response = sponsor.post(
        page + "baselines/", {"starts_on": started.isoformat(), "reason": "Second shift added"}
    )
    assert response["Location"] == page
    assert Baseline.objects.get(measure=line_measure).reason == "Second shift added"
    upload = sponsor.post(
        page + "import/",
        {"file": SimpleUploadedFile("p.csv", b"date,value\n2026-10-01,38\n2026-10-02,44\n")},
        follow=True,
    )
    assert "2 rows: 2 added, 0 updated, 0 unchanged." in messages_of(upload)
    assert b"Second shift added" in sponsor.get(page).content


@pytest.mark.parametrize("role", ["coach", "outsider"])
def test_someone_not_in_the_leaders_line_may_not_change_the_board(
    personas: Any, line_measure: Measure, role: str
) -> None:
    user = signed_in(getattr(personas, role))
    page = board(personas, f"{line_measure.pk}/")
    today = timezone.localdate().isoformat()
    refused = [
        user.post(board(personas, "add/"), {"name": "Mine", "better": "up", "frequency": "daily"}),
        user.post(page + "values/", {"on": today, "value": "1"}),
        user.post(page + "baselines/", {"starts_on": today, "reason": "x"}),
        user.post(page + "import/", {"file": SimpleUploadedFile("p.csv", b"date,value\n")}),
    ]
    assert [response.status_code for response in refused] == [403] * 4
    assert Measure.objects.count() == 1
    assert DataPoint.objects.count() == 8
    assert not Baseline.objects.exists()


def test_the_leader_of_one_team_may_not_keep_the_team_above(personas: Any) -> None:
    ops = personas.teams["ops"]
    response = signed_in(personas.client).post(
        f"/teams/{ops.pk}/measures/add/", {"name": "Mine", "better": "up", "frequency": "daily"}
    )
    assert response.status_code == 403
    assert signed_in(personas.client).get(f"/teams/{ops.pk}/measures/").status_code == 200


def test_another_teams_measure_is_not_found_through_this_team(
    personas: Any, line_measure: Measure
) -> None:
    ops = personas.teams["ops"]
    assert (
        signed_in(personas.sponsor).get(f"/teams/{ops.pk}/measures/{line_measure.pk}/").status_code
        == 404
    )
    assert signed_in(personas.sponsor).get("/teams/999999/measures/").status_code == 404
