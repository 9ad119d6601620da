from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from leancoach.cycle import services
from leancoach.cycle.selectors import weekly_adherence

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 11, 2)


def test_daily_practice_counts_working_days_week_by_week(engagements: Any, huddle: Any) -> None:
    commitment = services.commit_to_practice(
        engagement=engagements.ours,
        by=engagements.ours.client,
        behaviour=huddle[0],
        when="at the 8:00 huddle",
        where="at the line 1 board",
        recurrence="daily",
        starts_on=MONDAY,
    )
    for offset, done in ((0, True), (1, True), (2, False), (3, True)):  # Friday not logged
        services.log_practice(
            commitment=commitment, on=MONDAY + datetime.timedelta(days=offset), done=done, count=1
        )
    services.log_practice(
        commitment=commitment, on=MONDAY + datetime.timedelta(days=7), done=True, count=2
    )
    weeks = weekly_adherence(commitment, today=MONDAY + datetime.timedelta(days=8))
    first, second = weeks
    assert (first.expected, first.done, first.missed, first.unlogged, first.percent) == (
        5,
        3,
        1,
        1,
        60,
    )
    assert (second.expected, second.done, second.percent) == (2, 1, 50)  # Monday and Tuesday so far


def test_weekly_practice_is_due_on_its_weekday(engagements: Any, huddle: Any) -> None:
    commitment = services.commit_to_practice(
        engagement=engagements.ours,
        by=engagements.ours.client,
        behaviour=huddle[1],
        when="in the Wednesday review",
        where="meeting room 2",
        recurrence="weekly",
        starts_on=MONDAY + datetime.timedelta(days=2),
    )
    weeks = weekly_adherence(commitment, today=MONDAY + datetime.timedelta(days=20))
    assert [week.expected for week in weeks] == [1, 1, 1]


def test_logging_the_same_day_again_replaces_it(engagements: Any, huddle: Any) -> None:
    commitment = services.commit_to_practice(
        engagement=engagements.ours,
        by=engagements.ours.client,
        behaviour=huddle[0],
        when="at 8:00",
        where="line 1",
        starts_on=MONDAY,
    )
    services.log_practice(commitment=commitment, on=MONDAY, done=False, reflection="Forgot")
    services.log_practice(
        commitment=commitment, on=MONDAY, done=True, count=1, reflection="Did it late"
    )
    assert commitment.logs.count() == 1
    assert commitment.logs.get().reflection == "Did it late"


def test_practice_in_the_future_or_outside_the_commitment_is_refused(
    engagements: Any, huddle: Any
) -> None:
    commitment = services.commit_to_practice(
        engagement=engagements.ours,
        by=engagements.ours.client,
        behaviour=huddle[0],
        when="at 8:00",
        where="line 1",
        starts_on=MONDAY,
        ends_on=MONDAY + datetime.timedelta(days=4),
    )
    with pytest.raises(ValidationError, match="once it has happened"):
        services.log_practice(
            commitment=commitment, on=datetime.date.today() + datetime.timedelta(days=2), done=True
        )
    with pytest.raises(ValidationError, match="outside the practice"):
        services.log_practice(
            commitment=commitment, on=MONDAY + datetime.timedelta(days=6), done=True
        )


def test_a_commitment_needs_a_time_and_a_place(engagements: Any, huddle: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.commit_to_practice(
            engagement=engagements.ours,
            by=engagements.ours.client,
            behaviour=huddle[0],
            when=" ",
            where="",
        )
    assert "when" in caught.value.message_dict
