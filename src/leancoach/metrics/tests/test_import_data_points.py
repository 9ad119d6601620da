from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from leancoach.core.csvio import ImportRejected
from leancoach.metrics.importer import RawPoint, import_points, import_points_csv
from leancoach.metrics.models import DataPoint, Measure
from leancoach.metrics.services import add_measure

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 25)
CSV = b"date,value\n2026-11-20,14\n2026-11-21,12.5\n2026-11-22,13\n"


@pytest.fixture
def measure(engagements: Any) -> Measure:
    return add_measure(
        engagement=engagements.ours, by=engagements.ours.coach, name="Rework per week"
    )


def rejected(measure: Measure, data: bytes) -> list[tuple[int, str]]:
    with pytest.raises(ImportRejected) as caught:
        import_points_csv(measure=measure, data=data, today=TODAY)
    return [(error.line, error.column) for error in caught.value.errors]


def test_importing_the_same_file_twice_changes_nothing_the_second_time(measure: Measure) -> None:
    first = import_points_csv(measure=measure, data=CSV, today=TODAY)
    second = import_points_csv(measure=measure, data=CSV, today=TODAY)
    assert (first.created, first.changes) == (3, 3)
    assert (second.changes, second.unchanged) == (0, 3)
    assert list(measure.points.values_list("value", flat=True)) == [14, 12.5, 13]


def test_a_new_value_for_a_known_day_updates_it(measure: Measure) -> None:
    import_points_csv(measure=measure, data=CSV, today=TODAY)
    result = import_points_csv(measure=measure, data=b"date,value\n2026-11-21,11\n", today=TODAY)
    assert (result.updated, result.created) == (1, 0)
    assert DataPoint.objects.get(measure=measure, on=datetime.date(2026, 11, 21)).value == 11


def test_a_bad_row_writes_nothing_and_names_its_line(measure: Measure) -> None:
    assert rejected(measure, CSV + b"2026-11-23,lots\n") == [(5, "value")]
    assert not DataPoint.objects.exists()


def test_non_numeric_values_and_future_dates_are_refused_with_clear_messages(
    measure: Measure,
) -> None:
    data = b"date,value\n2026-11-20,abc\n2026-12-24,3\n24/11/2026,4\n2026-11-21,nan\n"
    with pytest.raises(ImportRejected) as caught:
        import_points_csv(measure=measure, data=data, today=TODAY)
    messages = [str(error) for error in caught.value.errors]
    assert messages == [
        "line 2, column value: “abc” is not a number",
        "line 3, column date: 2026-12-24 is in the future; data points record what has happened",
        "line 4, column date: “24/11/2026” is not a date in the form YYYY-MM-DD",
        "line 5, column value: “nan” is not a number",
    ]
    assert not DataPoint.objects.exists()


def test_the_same_day_twice_in_one_file_is_refused(measure: Measure) -> None:
    assert rejected(measure, b"date,value\n2026-11-20,1\n2026-11-20,2\n") == [(3, "date")]


def test_semicolons_and_decimal_commas_are_understood(measure: Measure) -> None:
    result = import_points_csv(
        measure=measure, data="\ufeffdate;value\n2026-11-20;12,5\n".encode(), today=TODAY
    )
    assert result.created == 1
    assert DataPoint.objects.get().value == 12.5


def test_a_list_of_points_goes_through_the_same_rules(measure: Measure) -> None:
    points = [RawPoint(1, "2026-11-20", 3.0), RawPoint(2, "2026-11-21", "x")]
    with pytest.raises(ImportRejected) as caught:
        import_points(measure=measure, points=points, today=TODAY)
    assert [(error.line, error.column) for error in caught.value.errors] == [(2, "value")]


def test_the_command_reports_line_numbers_and_exits_with_an_error(
    measure: Measure, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "points.csv"
    path.write_bytes(b"date,value\n2026-11-20,1\n2026-11-21,oops\n")
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_datapoints", "--measure", str(measure.pk), str(path))
    assert "line 3, column value" in capsys.readouterr().err
    path.write_bytes(b"date,value\n2026-11-20,1\n")
    call_command("import_datapoints", "--measure", str(measure.pk), str(path))
    assert "1 added" in capsys.readouterr().out
    with pytest.raises(CommandError, match="no measure with id 999999"):
        call_command("import_datapoints", "--measure", "999999", str(path))
