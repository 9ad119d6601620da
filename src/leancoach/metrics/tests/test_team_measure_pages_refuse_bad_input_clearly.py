"""Bad input on a team's measure pages is a message naming what is wrong, never a 500 or a partial write."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from leancoach.metrics.models import Baseline, DataPoint, Measure
from leancoach.metrics.services import add_measure

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader(personas: Any) -> Client:
    client = Client()
    client.force_login(personas.client)
    return client


@pytest.fixture
def measure(personas: Any) -> Measure:
    return add_measure(team=personas.teams["line"], by=personas.person("client"), name="Yield")


def messages_of(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def board(personas: Any, tail: str = "") -> str:
    return f"/teams/{personas.teams['line'].pk}/measures/{tail}"


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"name": "", "better": "up", "frequency": "weekly"}, "name:"),
        ({"name": "Yield", "better": "sideways", "frequency": "weekly"}, "better:"),
        ({"name": "Yield", "better": "up", "frequency": "hourly"}, "frequency:"),
        ({"name": "   ", "better": "up", "frequency": "weekly"}, "name:"),
    ],
)
def test_a_bad_new_measure_is_a_message_naming_the_field(
    personas: Any, leader: Client, body: dict[str, str], named: str
) -> None:
    response = leader.post(board(personas, "add/"), body, follow=True)
    assert response.status_code == 200
    assert any(text.startswith(named) for text in messages_of(response)), messages_of(response)
    assert not Measure.objects.exists()


def test_a_value_dated_in_the_future_or_not_a_number_is_a_message(
    personas: Any, leader: Client, measure: Measure
) -> None:
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    future = leader.post(
        board(personas, f"{measure.pk}/values/"), {"on": tomorrow, "value": "3"}, follow=True
    )
    assert "A value cannot be dated in the future." in messages_of(future)
    wordy = leader.post(
        board(personas, f"{measure.pk}/values/"), {"on": "2026-10-01", "value": "lots"}, follow=True
    )
    assert any(text.startswith("value:") for text in messages_of(wordy))
    assert not DataPoint.objects.exists()


def test_a_baseline_ending_before_it_starts_is_a_message(
    personas: Any, leader: Client, measure: Measure
) -> None:
    response = leader.post(
        board(personas, f"{measure.pk}/baselines/"),
        {"starts_on": "2026-10-10", "ends_on": "2026-10-01", "reason": "New fixture"},
        follow=True,
    )
    assert "The baseline cannot end before it starts." in messages_of(response)
    assert not Baseline.objects.exists()


def test_a_bad_csv_names_its_line_and_writes_nothing(
    personas: Any, leader: Client, measure: Measure
) -> None:
    response = leader.post(
        board(personas, f"{measure.pk}/import/"),
        {"file": SimpleUploadedFile("p.csv", b"date,value\n2026-10-01,30\n2026-10-02,lots\n")},
        follow=True,
    )
    assert "line 3, column value: “lots” is not a number" in messages_of(response)
    missing = leader.post(board(personas, f"{measure.pk}/import/"), {}, follow=True)
    assert "Choose a CSV file to upload." in messages_of(missing)
    assert not DataPoint.objects.exists()
