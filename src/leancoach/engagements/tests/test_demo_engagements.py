from __future__ import annotations

import pytest
from django.core.management import call_command

from leancoach.engagements.demo import seed_bulk_engagements
from leancoach.engagements.models import Engagement, Signature
from leancoach.engagements.selectors import sponsor_grants
from leancoach.metrics.models import Measure

pytestmark = pytest.mark.django_db


def test_bulk_engagements_are_complete_signed_and_topped_up_not_duplicated() -> None:
    call_command("seed", "--scale", "small", "--no-progress")
    assert seed_bulk_engagements(40) == 39  # the demo engagement counts towards the 40
    assert seed_bulk_engagements(40) == 0
    assert Engagement.objects.count() == 40
    sample = Engagement.objects.order_by("-pk").first()
    assert sample is not None
    assert len({sample.coach_id, sample.client_id, sample.sponsor_id}) == 3
    assert Signature.objects.filter(agreement__engagement=sample).count() == 3
    assert sponsor_grants(sample) == {"measures", "action_status"}


def test_the_demo_clients_team_keeps_a_kpi_board() -> None:
    call_command("seed", "--scale", "small", "--no-progress")
    [measure] = Measure.objects.filter(team__isnull=False)
    assert measure.team is not None
    assert measure.team.leader is not None
    assert measure.team.leader.email == "client@example.com"
    assert measure.points.count() == 14


def test_the_demo_coach_client_and_sponsor_share_an_accepted_signed_active_engagement() -> None:
    call_command("seed", "--scale", "small", "--no-progress")
    engagement = Engagement.objects.get(coach__email="coach@example.com", kind="coaching")
    assert engagement.client.email == "client@example.com"
    assert engagement.sponsor is not None
    assert engagement.sponsor.email == "sponsor@example.com"
    assert engagement.status == "active"
    assert engagement.accepted_at is not None
    assert set(engagement.consents.values_list("answer", flat=True)) == {"accepted"}
    last = engagement.status_history.last()
    assert last is not None
    assert last.reason == "Agreement v1 signed by everyone"
