"""Data points for one measure, from CSV or a list: all-or-nothing, idempotent, line-numbered.

CSV columns: ``date`` (YYYY-MM-DD) and ``value`` (a number; a decimal comma is
accepted, as spreadsheets in many countries write it). One value per day: a
date already recorded with the same value is unchanged, with another value it
is updated. A date in the future, a value that is not a finite number, or the
same date twice in one file is refused, and then nothing is written.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from leancoach.core.csvio import ImportRejected, RowError, read_table
from leancoach.metrics.models import DataPoint, Measure


@dataclass
class PointsResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def changes(self) -> int:
        return self.created + self.updated


@dataclass(frozen=True)
class RawPoint:
    line: int  # a CSV line, or a 1-based position in an API list
    on: str
    value: str | float


def parse_value(raw: str | float) -> float:
    if isinstance(raw, bool):
        raise ValueError("is not a number")
    if isinstance(raw, int | float):
        number = float(raw)
    else:
        text = raw.strip().replace("\u00a0", "").replace(" ", "")
        if "," in text and "." not in text:
            text = text.replace(",", ".")
        number = float(text)  # raises ValueError
    if not math.isfinite(number):
        raise ValueError("is not a finite number")
    return number


def _validate(
    points: Iterable[RawPoint], today: datetime.date
) -> tuple[dict[datetime.date, float], list[RowError]]:
    errors: list[RowError] = []
    wanted: dict[datetime.date, float] = {}
    first_line: dict[datetime.date, int] = {}
    for point in points:
        try:
            on = (
                datetime.date.fromisoformat(point.on.strip())
                if isinstance(point.on, str)
                else point.on
            )
        except ValueError:
            errors.append(
                RowError(point.line, "date", f"“{point.on}” is not a date in the form YYYY-MM-DD")
            )
            on = None
        if on is not None and on > today:
            errors.append(
                RowError(
                    point.line,
                    "date",
                    f"{on} is in the future; data points record what has happened",
                )
            )
            on = None
        try:
            value = parse_value(point.value)
        except ValueError:
            errors.append(RowError(point.line, "value", f"“{point.value}” is not a number"))
            continue
        if on is None:
            continue
        if on in first_line:
            errors.append(RowError(point.line, "date", f"{on} is also on line {first_line[on]}"))
            continue
        first_line[on] = point.line
        wanted[on] = value
    return wanted, errors


@transaction.atomic
def import_points(
    *,
    measure: Measure,
    points: Iterable[RawPoint],
    dry_run: bool = False,
    today: datetime.date | None = None,
) -> PointsResult:
    points = list(points)
    wanted, errors = _validate(points, today or timezone.localdate())
    if errors:
        raise ImportRejected(sorted(errors, key=lambda error: (error.line, error.column)))
    current = {
        point.on: point for point in DataPoint.objects.filter(measure=measure, on__in=list(wanted))
    }
    result = PointsResult(rows=len(points))
    new, changed = [], []
    for on, value in wanted.items():
        existing = current.get(on)
        if existing is None:
            new.append(DataPoint(measure=measure, on=on, value=value))
        elif existing.value != value:
            existing.value = value
            changed.append(existing)
    DataPoint.objects.bulk_create(new, batch_size=1000)
    DataPoint.objects.bulk_update(changed, ["value"], batch_size=1000)
    result.created, result.updated = len(new), len(changed)
    result.unchanged = len(wanted) - result.created - result.updated
    if dry_run:
        transaction.set_rollback(True)
    return result


def import_points_csv(
    *, measure: Measure, data: bytes, dry_run: bool = False, today: datetime.date | None = None
) -> PointsResult:
    _columns, rows, errors = read_table(data, required=("date", "value"), known=("date", "value"))
    if errors:
        raise ImportRejected(errors)
    points = [
        RawPoint(line=row.line, on=row.values["date"], value=row.values["value"]) for row in rows
    ]
    return import_points(measure=measure, points=points, dry_run=dry_run, today=today)
