"""A measure belongs to an engagement or to a team: exactly one, refused clearly otherwise."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from leancoach.metrics.importer import import_points_csv
from leancoach.metrics.models import Measure
from leancoach.metrics.services import add_measure

pytestmark = pytest.mark.django_db


def test_a_team_owns_a_measure_with_its_expected_frequency(personas: Any) -> None:
    measure = add_measure(
        team=personas.teams["line"],
        by=personas.person("client"),
        name="  Parts per hour ",
        unit="parts",
        better="up",
        frequency="daily",
    )
    measure.refresh_from_db()
    assert (measure.team, measure.engagement, measure.name) == (
        personas.teams["line"],
        None,
        "Parts per hour",
    )
    assert measure.frequency == "daily"


def test_a_measure_with_no_owner_or_two_is_refused_naming_the_team(
    personas: Any, engagements: Any
) -> None:
    by = personas.person("client")
    with pytest.raises(ValidationError) as neither:
        add_measure(by=by, name="Yield")
    with pytest.raises(ValidationError) as both:
        add_measure(engagement=engagements.ours, team=personas.teams["line"], by=by, name="Yield")
    assert "team" in neither.value.message_dict
    assert "not to both" in both.value.message_dict["team"][0]
    assert not Measure.objects.exists()


@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("name", {"name": "  "}),
        ("better", {"better": "sideways"}),
        ("frequency", {"frequency": "hourly"}),
    ],
)
def test_a_bad_value_is_refused_naming_its_field(
    personas: Any, field: str, values: dict[str, Any]
) -> None:
    with pytest.raises(ValidationError) as refused:
        add_measure(
            team=personas.teams["line"], by=personas.person("client"), **{"name": "Yield", **values}
        )
    assert list(refused.value.message_dict) == [field]
    assert not Measure.objects.exists()


def test_the_database_refuses_a_measure_without_an_owner(personas: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Measure.objects.create(name="Orphan", created_by=personas.person("client"))


def test_the_csv_importer_works_unchanged_for_a_teams_measure(personas: Any) -> None:
    measure = add_measure(team=personas.teams["line"], by=personas.person("client"), name="Yield")
    data = (
        b'date,value\n2026-10-01,91\n2026-10-02,"93,5"\n'  # a decimal comma, as spreadsheets write
    )
    result = import_points_csv(measure=measure, data=data)
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    assert [point.value for point in measure.points.order_by("on")] == [91.0, 93.5]
    again = import_points_csv(measure=measure, data=data)
    assert (again.created, again.unchanged) == (0, 2)
