from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from leancoach.engagements.models import Engagement
from leancoach.metrics.models import DataPoint, Direction, Measure
from leancoach.people.models import Person


@transaction.atomic
def add_measure(
    *, engagement: Engagement, by: Person, name: str, unit: str = "", better: str = Direction.UP
) -> Measure:
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Name the measure."})
    if better not in Direction.values:
        raise ValidationError(
            {"better": f"“{better}” is not one of: {', '.join(Direction.values)}."}
        )
    return Measure.objects.create(
        engagement=engagement, name=name[:200], unit=unit.strip()[:50], better=better, created_by=by
    )


@transaction.atomic
def record_value(*, measure: Measure, on: date, value: float) -> DataPoint:
    if on > timezone.localdate():
        raise ValidationError({"on": "A value cannot be dated in the future."})
    point, _created = DataPoint.objects.update_or_create(
        measure=measure, on=on, defaults={"value": value}
    )
    return point
