from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from leancoach.metrics.models import DataPoint, Measure
from leancoach.metrics.services import add_measure, record_value

pytestmark = pytest.mark.django_db


@pytest.fixture
def measure(engagements: Any) -> Measure:
    engagement = engagements.ours  # the agreement shares measures
    measure = add_measure(
        engagement=engagement, by=engagement.coach, name="Rework per week", better="down"
    )
    today = timezone.localdate()
    for days_ago, value in enumerate((20, 21, 19, 20, 22, 21, 20, 19, 10, 11, 9, 10, 11, 10)):
        record_value(
            measure=measure, on=today - datetime.timedelta(days=30 - days_ago), value=value
        )
    return measure


def url(measure: Measure, tail: str = "") -> str:
    return f"/engagements/{measure.engagement_id}/measures/{measure.pk}/{tail}"


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def messages_of(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_a_new_baseline_after_a_real_change_moves_the_limits(
    personas: Any, measure: Measure
) -> None:
    coach = signed_in(personas.coach)
    before = coach.get(url(measure)).context["item"].chart
    assert before.average == pytest.approx(
        sum((20, 21, 19, 20, 22, 21, 20, 19, 10, 11, 9, 10, 11, 10)) / 14
    )
    start = timezone.localdate() - datetime.timedelta(days=22)
    response = coach.post(
        url(measure, "baselines/"),
        {"starts_on": start.isoformat(), "reason": "New fixture on line 1"},
    )
    assert response.status_code == 302
    after = coach.get(url(measure))
    assert after.context["item"].chart.average == pytest.approx(61 / 6)
    assert b"New fixture on line 1" in after.content


def test_a_baseline_without_a_reason_is_a_message_not_a_change(
    personas: Any, measure: Measure
) -> None:
    response = signed_in(personas.coach).post(
        url(measure, "baselines/"), {"starts_on": "2026-11-01", "reason": ""}, follow=True
    )
    assert any("reason" in text for text in messages_of(response))
    assert not measure.baselines.exists()


def test_uploading_the_same_csv_twice_changes_nothing_the_second_time(
    personas: Any, measure: Measure
) -> None:
    coach = signed_in(personas.coach)
    data = b"date,value\n2026-10-01,30\n2026-10-02,31\n"
    first = coach.post(
        url(measure, "import/"), {"file": SimpleUploadedFile("p.csv", data)}, follow=True
    )
    second = coach.post(
        url(measure, "import/"), {"file": SimpleUploadedFile("p.csv", data)}, follow=True
    )
    assert "2 rows: 2 added, 0 updated, 0 unchanged." in messages_of(first)
    assert "2 rows: 0 added, 0 updated, 2 unchanged." in messages_of(second)


def test_a_bad_upload_names_the_line_and_writes_nothing(personas: Any, measure: Measure) -> None:
    count = DataPoint.objects.count()
    response = signed_in(personas.coach).post(
        url(measure, "import/"),
        {"file": SimpleUploadedFile("p.csv", b"date,value\n2026-10-01,30\n2026-10-02,lots\n")},
        follow=True,
    )
    assert "line 3, column value: “lots” is not a number" in messages_of(response)
    assert DataPoint.objects.count() == count


def test_the_sponsor_reads_the_chart_but_cannot_change_it(personas: Any, measure: Measure) -> None:
    sponsor = signed_in(personas.sponsor)
    page = sponsor.get(url(measure))
    assert page.status_code == 200
    assert page.context["can_write"] is False
    assert (
        sponsor.post(
            url(measure, "baselines/"), {"starts_on": "2026-11-01", "reason": "x"}
        ).status_code
        == 403
    )


def test_an_outsider_gets_404_and_another_engagements_measure_is_not_found(
    personas: Any, engagements: Any, measure: Measure
) -> None:
    assert signed_in(personas.outsider).get(url(measure)).status_code == 404
    theirs = add_measure(engagement=engagements.theirs, by=engagements.theirs.coach, name="Theirs")
    assert (
        signed_in(personas.coach)
        .get(f"/engagements/{engagements.ours.pk}/measures/{theirs.pk}/")
        .status_code
        == 404
    )


def test_the_measure_page_costs_a_fixed_number_of_queries(
    personas: Any, measure: Measure, django_assert_max_num_queries: Any
) -> None:
    coach = signed_in(personas.coach)
    with django_assert_max_num_queries(12):
        coach.get(url(measure))
    for days_ago in range(40, 80):
        record_value(
            measure=measure, on=timezone.localdate() - datetime.timedelta(days=days_ago), value=15
        )
    with django_assert_max_num_queries(12):
        coach.get(url(measure))
