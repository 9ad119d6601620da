"""The engagement page shows the cycle as one ladder: challenge → targets → behaviours and
chains → practice → observations, each rung only for those the agreement lets read it."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from leancoach.cycle import services as cycle
from leancoach.engagements import services
from leancoach.metrics.services import add_measure

pytestmark = pytest.mark.django_db


def page_as(user: Any, engagement: Any) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(f"/engagements/{engagement.pk}/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def cycle_data(personas: Any, engagements: Any) -> Any:
    engagement = engagements.ours
    coach = engagement.coach
    challenge = cycle.create_challenge(
        owner=personas.person("sponsor"),
        title="Zero rework on line 1",
        why_it_matters="Rework eats a fifth of our hours",
        teams=[],
    )
    cycle.link_challenge(engagement=engagement, challenge=challenge)
    measure = add_measure(engagement=engagement, by=coach, name="Rework per shift")
    cycle.set_target(
        engagement=engagement,
        by=coach,
        by_date=timezone.localdate() + datetime.timedelta(weeks=6),
        expected="Fewer reworked units once problems are raised at the huddle",
        measure=measure,
        target_value=3,
    )
    steps = [
        cycle.add_behaviour(engagement=engagement, by=coach, text=text)
        for text in ("Asks each person for one problem", "Writes it on the board")
    ]
    cycle.define_skill(engagement=engagement, by=coach, name="Problem huddle", steps=steps)
    cycle.commit_to_practice(
        engagement=engagement,
        by=coach,
        behaviour=steps[0],
        when="at the 8:00 huddle",
        where="at the line 1 board",
        starts_on=timezone.localdate() - datetime.timedelta(days=14),
    )
    for response in ("reinforcement", "reinforcement", "correction"):
        cycle.record_observation(
            engagement=engagement,
            observer=coach,
            behaviour=steps[0],
            on=timezone.localdate(),
            performance="partly",
            response=response,
        )
    return engagement


def test_the_coach_sees_every_rung_of_the_ladder(personas: Any, cycle_data: Any) -> None:
    page = page_as(personas.coach, cycle_data)
    assert "Zero rework on line 1" in page
    assert "Rework per shift reaches 3 by" in page
    assert "Asks each person for one problem → Writes it on the board" in page
    assert "0 of 3 fluent observations in a row so far" in page
    assert "at the 8:00 huddle, at the line 1 board" in page
    assert "<strong>2.0:1</strong>" in page
    assert 'class="ratio-chart"' in page
    assert "The ratio week by week, as a table" in page


def test_the_client_sees_the_ladder_too(personas: Any, cycle_data: Any) -> None:
    page = page_as(personas.client, cycle_data)
    assert "Rework per shift reaches 3 by" in page
    assert "Writes it on the board" in page
    assert 'class="ratio-chart"' in page


def test_the_sponsor_sees_no_rung_the_agreement_does_not_share(
    personas: Any, cycle_data: Any
) -> None:
    # The shared agreement shares measures and action status only.
    page = page_as(personas.sponsor, cycle_data)
    assert "Rework per shift" in page  # the measure's chart
    assert "reaches 3 by" not in page
    assert "Asks each person for one problem" not in page
    assert "at the 8:00 huddle" not in page
    assert 'class="ratio-chart"' not in page


def test_the_sponsor_sees_targets_and_the_ratio_trend_once_they_are_shared(
    personas: Any, cycle_data: Any
) -> None:
    version = services.propose_agreement(
        request=None,
        engagement=cycle_data,
        by=cycle_data.coach,
        role="coach",
        terms={"share_measures": True, "share_targets": True, "share_observations": True},
    )
    for person in (cycle_data.coach, cycle_data.client, cycle_data.sponsor):
        services.sign_agreement(request=None, agreement=version, person=person)
    page = page_as(personas.sponsor, cycle_data)
    assert "Rework per shift reaches 3 by" in page
    assert 'class="ratio-chart"' in page
    # Behaviours and practice are the client's own work with the coach, in no agreement category.
    assert "Asks each person for one problem" not in page
    assert "at the 8:00 huddle" not in page
