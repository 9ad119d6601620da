from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from leancoach.cycle import services as cycle_services
from leancoach.engagements import services

pytestmark = pytest.mark.django_db


def page_as(user: Any, engagement: Any) -> str:
    client = Client()
    client.force_login(user)
    return client.get(f"/engagements/{engagement.pk}/").content.decode()


@pytest.fixture
def observed(engagements: Any) -> Any:
    engagement = engagements.ours
    behaviour = cycle_services.add_behaviour(
        engagement=engagement, by=engagement.coach, text="Asks for one problem"
    )
    for response in ("reinforcement", "correction"):
        cycle_services.record_observation(
            engagement=engagement,
            observer=engagement.coach,
            behaviour=behaviour,
            on=timezone.localdate(),
            performance="performed",
            response=response,
        )
    return engagement


def test_the_coach_sees_the_ratio_and_its_warning_on_the_engagement_page(
    personas: Any, observed: Any
) -> None:
    page = page_as(personas.coach, observed)
    assert "Reinforcement to correction over the last 28 days: <strong>1.0:1</strong>" in page
    assert "Below 4:1." in page


def test_the_sponsor_sees_the_ratio_only_when_the_agreement_shares_observations(
    personas: Any, observed: Any
) -> None:
    assert "Reinforcement to correction" not in page_as(personas.sponsor, observed)
    version = services.propose_agreement(
        request=None,
        engagement=observed,
        by=observed.coach,
        role="coach",
        terms={"share_observations": True},
    )
    for person in (observed.coach, observed.client, observed.sponsor):
        services.sign_agreement(request=None, agreement=version, person=person)
    assert "Reinforcement to correction over the last 28 days" in page_as(
        personas.sponsor, observed
    )
