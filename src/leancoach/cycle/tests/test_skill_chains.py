from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from leancoach.cycle import services
from leancoach.cycle.selectors import chain_status

pytestmark = pytest.mark.django_db


def observe_chain(engagement: Any, skill: Any, day: int, performance: str) -> None:
    services.record_observation(
        engagement=engagement,
        observer=engagement.coach,
        skill=skill,
        on=datetime.date(2026, 11, day),
        performance=performance,
        response="reinforcement",
    )


def test_a_chain_is_chained_after_three_fluent_observations_in_a_row(
    engagements: Any, huddle: Any
) -> None:
    skill = services.define_skill(
        engagement=engagements.ours, by=engagements.ours.coach, name="Run the huddle", steps=huddle
    )
    assert chain_status(skill).chained is False
    observe_chain(engagements.ours, skill, 1, "performed")
    observe_chain(engagements.ours, skill, 2, "performed")
    assert chain_status(skill).fluent_in_a_row == 2
    assert not chain_status(skill).chained
    observe_chain(engagements.ours, skill, 3, "performed")
    assert chain_status(skill).chained


def test_a_partly_performed_chain_starts_the_count_again(engagements: Any, huddle: Any) -> None:
    skill = services.define_skill(
        engagement=engagements.ours, by=engagements.ours.coach, name="Run the huddle", steps=huddle
    )
    for day in (1, 2, 3):
        observe_chain(engagements.ours, skill, day, "performed")
    assert chain_status(skill).chained
    observe_chain(engagements.ours, skill, 4, "partly")
    status = chain_status(skill)
    assert (status.chained, status.fluent_in_a_row) == (False, 0)
    observe_chain(engagements.ours, skill, 5, "performed")
    assert chain_status(skill).fluent_in_a_row == 1


def test_the_number_of_observations_needed_is_configurable(engagements: Any, huddle: Any) -> None:
    skill = services.define_skill(
        engagement=engagements.ours,
        by=engagements.ours.coach,
        name="Run the huddle",
        steps=huddle,
        fluency_threshold=1,
    )
    observe_chain(engagements.ours, skill, 1, "performed")
    assert chain_status(skill).chained


def test_a_chain_needs_two_distinct_behaviours_of_the_same_engagement(
    engagements: Any, huddle: Any
) -> None:
    coach = engagements.ours.coach
    with pytest.raises(ValidationError, match="at least two"):
        services.define_skill(engagement=engagements.ours, by=coach, name="x", steps=huddle[:1])
    with pytest.raises(ValidationError, match="appears twice"):
        services.define_skill(
            engagement=engagements.ours, by=coach, name="x", steps=[huddle[0], huddle[0]]
        )
    theirs = services.add_behaviour(
        engagement=engagements.theirs, by=engagements.theirs.coach, text="Other"
    )
    with pytest.raises(ValidationError, match="another engagement"):
        services.define_skill(
            engagement=engagements.ours, by=coach, name="x", steps=[huddle[0], theirs]
        )
