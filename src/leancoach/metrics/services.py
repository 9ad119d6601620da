from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from leancoach.core.validate import one_of
from leancoach.engagements.models import Engagement
from leancoach.metrics.models import Baseline, DataPoint, Direction, Frequency, Measure
from leancoach.people.models import Person, Team


@transaction.atomic
def add_measure(
    *,
    engagement: Engagement | None = None,
    team: Team | None = None,
    by: Person,
    name: str,
    unit: str = "",
    better: str = Direction.UP,
    frequency: str = Frequency.WEEKLY,
) -> Measure:
    """A measure owned by exactly one of an engagement or a team."""
    if engagement is None and team is None:
        raise ValidationError({"team": "Say whose measure this is: an engagement's or a team's."})
    if engagement is not None and team is not None:
        raise ValidationError(
            {"team": "A measure belongs to an engagement or to a team, not to both."}
        )
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Name the measure."})
    better = one_of("better", better, Direction)
    frequency = one_of("frequency", frequency, Frequency)
    return Measure.objects.create(
        engagement=engagement,
        team=team,
        name=name[:200],
        unit=unit.strip()[:50],
        better=better,
        frequency=frequency,
        created_by=by,
    )


@transaction.atomic
def record_value(*, measure: Measure, on: date, value: float) -> DataPoint:
    if on > timezone.localdate():
        raise ValidationError({"on": "A value cannot be dated in the future."})
    point, _created = DataPoint.objects.update_or_create(
        measure=measure, on=on, defaults={"value": value}
    )
    return point


@transaction.atomic
def start_baseline(
    *, measure: Measure, starts_on: date, reason: str, ends_on: date | None = None
) -> Baseline:
    """Limits are computed from this period on; a real change in the process starts a new one."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say what changed, or why this period is the baseline."})
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": "The baseline cannot end before it starts."})
    if Baseline.objects.filter(measure=measure, starts_on=starts_on).exists():
        raise ValidationError({"starts_on": f"A baseline already starts on {starts_on}."})
    return Baseline.objects.create(
        measure=measure, starts_on=starts_on, ends_on=ends_on, reason=reason[:300]
    )
