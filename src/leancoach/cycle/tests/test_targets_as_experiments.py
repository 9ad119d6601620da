from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from leancoach.core.errors import Conflict
from leancoach.cycle import services
from leancoach.cycle.models import TargetStatus
from leancoach.metrics.services import add_measure

pytestmark = pytest.mark.django_db


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def test_a_measure_target_runs_as_an_experiment_from_expectation_to_lesson(
    engagements: Any,
) -> None:
    engagement = engagements.ours
    measure = add_measure(
        engagement=engagement, by=engagement.coach, name="Rework per week", better="down"
    )
    target = services.set_target(
        engagement=engagement,
        by=engagement.coach,
        measure=measure,
        target_value=8,
        by_date=in_days(30),
        expected="Fixing problems at the huddle halves rework within a month",
    )
    assert (target.kind, target.status) == ("measure", TargetStatus.OPEN)
    closed = services.close_target(
        target=target,
        status="not_met",
        actual="Rework fell to 11, not 8",
        learned="Half the rework comes from the supplier: a new target for the Red zone",
    )
    assert closed.status == TargetStatus.NOT_MET
    assert closed.closed_at is not None
    with pytest.raises(Conflict, match="already closed as not met"):
        services.close_target(target=target, status="met", actual="x", learned="y")


def test_a_behaviour_target_names_a_rate(engagements: Any, huddle: Any) -> None:
    target = services.set_target(
        engagement=engagements.ours,
        by=engagements.ours.coach,
        behaviour=huddle[0],
        rate=5,
        rate_period="week",
        by_date=in_days(14),
        expected="Five huddles a week become a habit in two weeks",
    )
    assert target.kind == "behaviour"
    with pytest.raises(ValidationError, match="how often"):
        services.set_target(
            engagement=engagements.ours,
            by=engagements.ours.coach,
            behaviour=huddle[0],
            by_date=in_days(14),
            expected="x",
        )


def test_a_target_without_an_expectation_or_in_the_past_is_refused(
    engagements: Any, huddle: Any
) -> None:
    coach = engagements.ours.coach
    with pytest.raises(ValidationError) as caught:
        services.set_target(
            engagement=engagements.ours,
            by=coach,
            behaviour=huddle[0],
            rate=1,
            rate_period="day",
            by_date=in_days(3),
            expected=" ",
        )
    assert "expected" in caught.value.message_dict
    with pytest.raises(ValidationError, match="in the future"):
        services.set_target(
            engagement=engagements.ours,
            by=coach,
            behaviour=huddle[0],
            rate=1,
            rate_period="day",
            by_date=in_days(0),
            expected="x",
        )
    with pytest.raises(ValidationError, match="either a measure"):
        services.set_target(engagement=engagements.ours, by=coach, by_date=in_days(3), expected="x")


def test_closing_needs_what_happened_and_what_was_learned(engagements: Any, huddle: Any) -> None:
    target = services.set_target(
        engagement=engagements.ours,
        by=engagements.ours.coach,
        behaviour=huddle[0],
        rate=1,
        rate_period="day",
        by_date=in_days(7),
        expected="Daily huddles",
    )
    with pytest.raises(ValidationError) as caught:
        services.close_target(target=target, status="met", actual="", learned="")
    assert set(caught.value.message_dict) == {"actual"}
    dropped = services.close_target(
        target=target, status="dropped", actual="", learned="The team moved to shifts"
    )
    assert dropped.status == TargetStatus.DROPPED
