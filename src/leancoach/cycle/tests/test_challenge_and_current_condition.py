from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from leancoach.cycle import services
from leancoach.metrics.services import add_measure, record_value

pytestmark = pytest.mark.django_db


def test_an_engagement_serves_the_organisations_challenge(personas: Any, engagements: Any) -> None:
    challenge = services.create_challenge(
        owner=personas.person("sponsor"),
        title="Ship every order right first time",
        why_it_matters="Rework costs a fifth of our capacity and customers notice.",
        teams=[personas.teams["ops"], personas.teams["line"]],
    )
    services.link_challenge(engagement=engagements.ours, challenge=challenge)
    engagements.ours.refresh_from_db()
    assert engagements.ours.challenge == challenge
    assert set(challenge.teams.values_list("name", flat=True)) == {"Operations", "Assembly Line 1"}
    with pytest.raises(ValidationError) as caught:
        services.create_challenge(owner=personas.person("sponsor"), title=" ", why_it_matters="")
    assert set(caught.value.message_dict) == {"title"}


def test_a_current_condition_snapshots_the_measures_and_their_signals(engagements: Any) -> None:
    engagement = engagements.ours
    measure = add_measure(
        engagement=engagement, by=engagement.coach, name="Rework per week", better="down"
    )
    today = timezone.localdate()
    for weeks_ago, value in enumerate((12, 11, 13, 12, 10, 12, 11, 13, 12, 3)):
        record_value(
            measure=measure, on=today - datetime.timedelta(weeks=10 - weeks_ago), value=value
        )
    snapshot = services.record_current_condition(
        engagement=engagement,
        by=engagement.coach,
        observed_behaviour="Asks for problems at 3 of 5 huddles",
        external_conditions="New supplier since March",
        priorities="1. Huddle daily\n2. Board before 8:15",
    )
    [state] = snapshot.measures_state
    assert state["measure"] == "Rework per week"
    assert [point["value"] for point in state["latest"]] == [10, 12, 11, 13, 12, 3][-5:]
    assert any("below the lower natural process limit" in text for text in state["signals"])
    record_value(measure=measure, on=today, value=12)
    snapshot.refresh_from_db()
    assert snapshot.measures_state[0]["latest"][-1]["value"] == 3  # a snapshot does not move


def test_a_current_condition_needs_priorities_and_cannot_be_dated_ahead(engagements: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.record_current_condition(
            engagement=engagements.ours,
            by=engagements.ours.coach,
            observed_behaviour="",
            external_conditions="",
            priorities=" ",
        )
    assert "priorities" in caught.value.message_dict
    with pytest.raises(ValidationError, match="today or the past"):
        services.record_current_condition(
            engagement=engagements.ours,
            by=engagements.ours.coach,
            observed_behaviour="",
            external_conditions="",
            priorities="x",
            on=timezone.localdate() + datetime.timedelta(days=1),
        )
