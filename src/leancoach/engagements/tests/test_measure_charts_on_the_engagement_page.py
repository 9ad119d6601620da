from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from leancoach.cycle import services as cycle_services
from leancoach.engagements import services
from leancoach.metrics.services import add_measure, record_value

pytestmark = pytest.mark.django_db


@pytest.fixture
def measured(engagements: Any) -> Any:
    engagement = engagements.ours  # the agreement shares measures and action status
    measure = add_measure(
        engagement=engagement, by=engagement.coach, name="Rework per week", better="down"
    )
    today = timezone.localdate()
    for weeks_ago, value in enumerate((12, 11, 13, 12, 10, 12, 11, 13, 12, 4)):
        record_value(
            measure=measure, on=today - datetime.timedelta(weeks=10 - weeks_ago), value=value
        )
    cycle_services.set_target(
        engagement=engagement,
        by=engagement.coach,
        measure=measure,
        target_value=8,
        by_date=today + datetime.timedelta(days=30),
        expected="Huddles halve rework",
    )
    return engagement


def page_as(user: Any, engagement: Any) -> str:
    client = Client()
    client.force_login(user)
    return client.get(f"/engagements/{engagement.pk}/").content.decode()


def test_the_coach_sees_each_measure_as_a_process_behaviour_chart_with_its_target(
    personas: Any, measured: Any
) -> None:
    page = page_as(personas.coach, measured)
    assert 'role="img"' in page
    assert 'class="xmr-unpl"' in page
    assert 'class="xmr-target"' in page
    assert "below the lower natural process limit" in page  # the drop to 4 is a signal, explained
    assert "Rework per week as a table" in page


def test_the_sponsor_sees_the_chart_but_not_the_target_line_unless_targets_are_shared(
    personas: Any, measured: Any
) -> None:
    page = page_as(personas.sponsor, measured)
    assert 'class="xmr-unpl"' in page
    assert 'class="xmr-target"' not in page
    coach = measured.coach
    version = services.propose_agreement(
        request=None, engagement=measured, by=coach, role="coach", terms={"share_targets": True}
    )
    for person in (measured.coach, measured.client, measured.sponsor):
        services.sign_agreement(request=None, agreement=version, person=person)
    assert 'class="xmr-target"' in page_as(personas.sponsor, measured)
