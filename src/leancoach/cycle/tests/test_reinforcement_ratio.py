from __future__ import annotations

import datetime
from typing import Any

import pytest

from leancoach.cycle import services
from leancoach.cycle.models import Observation
from leancoach.cycle.selectors import ratio, ratio_over_time, rolling_ratio

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 25)


def observe(engagement: Any, behaviour: Any, days_ago: int, response: str) -> Observation:
    return services.record_observation(
        engagement=engagement,
        observer=engagement.coach,
        behaviour=behaviour,
        on=TODAY - datetime.timedelta(days=days_ago),
        performance="performed",
        response=response,
    )


def test_four_reinforcements_for_one_correction_meets_the_goal(
    engagements: Any, huddle: Any
) -> None:
    for day in range(4):
        observe(engagements.ours, huddle[0], day, "reinforcement")
    observe(engagements.ours, huddle[0], 5, "correction")
    result = rolling_ratio(Observation.objects.filter(engagement=engagements.ours), today=TODAY)
    assert (result.reinforcements, result.corrections, result.value) == (4, 1, 4.0)
    assert result.meets_goal
    assert result.warning is None
    assert result.label == "4.0:1"


def test_below_four_to_one_gives_a_plain_warning(engagements: Any, huddle: Any) -> None:
    observe(engagements.ours, huddle[0], 1, "reinforcement")
    observe(engagements.ours, huddle[0], 2, "correction")
    result = rolling_ratio(Observation.objects.filter(engagement=engagements.ours), today=TODAY)
    assert not result.meets_goal
    assert result.warning is not None
    assert "1 reinforcement for 1 correction between" in result.warning
    assert "3 more things done well" in result.warning


def test_the_warning_counts_in_words_that_agree(engagements: Any, huddle: Any) -> None:
    for days in (1, 2, 3):
        observe(engagements.ours, huddle[0], days, "reinforcement")
    observe(engagements.ours, huddle[0], 4, "correction")
    result = rolling_ratio(Observation.objects.filter(engagement=engagements.ours), today=TODAY)
    assert result.warning is not None
    assert "3 reinforcements for 1 correction between" in result.warning
    assert "Look for 1 more thing done well" in result.warning


def test_the_window_leaves_out_older_observations(engagements: Any, huddle: Any) -> None:
    observe(engagements.ours, huddle[0], 1, "reinforcement")
    observe(engagements.ours, huddle[0], 40, "correction")  # outside a 28-day window
    observe(engagements.ours, huddle[0], 3, "none")  # no response counts for neither side
    result = rolling_ratio(Observation.objects.filter(engagement=engagements.ours), today=TODAY)
    assert (result.reinforcements, result.corrections) == (1, 0)
    assert result.value is None
    assert result.label == "1:0"
    assert (
        rolling_ratio(
            Observation.objects.filter(engagement=engagements.ours), today=TODAY, days=60
        ).corrections
        == 1
    )


def test_no_responses_yet_is_said_plainly(engagements: Any) -> None:
    result = rolling_ratio(Observation.objects.filter(engagement=engagements.ours), today=TODAY)
    assert result.label == "no responses yet"
    assert result.meets_goal


def test_the_trend_is_a_rolling_ratio_per_week(engagements: Any, huddle: Any) -> None:
    observe(engagements.ours, huddle[0], 60, "correction")
    for day in (1, 2, 3, 4):
        observe(engagements.ours, huddle[0], day, "reinforcement")
    trend = ratio_over_time(
        Observation.objects.filter(engagement=engagements.ours), end=TODAY, weeks=12
    )
    assert len(trend) == 12
    assert trend[-1].end == TODAY
    assert (trend[-1].reinforcements, trend[-1].corrections) == (4, 0)
    assert any(point.corrections == 1 for point in trend[:6])


def test_a_coachs_own_ratio_counts_every_client(engagements: Any, huddle: Any) -> None:
    from leancoach.cycle.services import add_behaviour
    from leancoach.engagements import services as engagement_services
    from leancoach.testing.personas import make_user

    coach = engagements.ours.coach
    other_client = make_user("c9@example.com", "Cai Nine", manager=engagements.ours.sponsor)
    second = engagement_services.open_engagement(
        request=None, opened_by=coach, coach=coach, client=other_client.person
    )
    behaviour = add_behaviour(engagement=second, by=coach, text="Opens the review with the numbers")
    observe(engagements.ours, huddle[0], 1, "reinforcement")
    observe(second, behaviour, 1, "correction")
    overall = ratio(
        Observation.objects.filter(observer=coach),
        start=TODAY - datetime.timedelta(days=27),
        end=TODAY,
    )
    assert (overall.reinforcements, overall.corrections) == (1, 1)
