"""An engagement with no meeting held for more than twice its cadence, or with overdue actions
piling up, is stalled; it shows on the coach's home page and the admin's programme view."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from leancoach.engagements import services as engagement_services
from leancoach.engagements.models import Engagement
from leancoach.meetings import services
from leancoach.meetings.models import Meeting
from leancoach.meetings.selectors import stall_reason, stalled

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=datetime.UTC)


def active_since(engagement: Engagement, days: int) -> Engagement:
    """``engagement`` (active since everyone signed) as if that had been ``days`` ago."""
    assert engagement.status == "active"
    Engagement.objects.filter(pk=engagement.pk).update(
        status_changed_at=NOW - datetime.timedelta(days=days), cadence="weekly"
    )
    engagement.refresh_from_db()
    return engagement


def held(engagement: Engagement, days_ago: int) -> Meeting:
    meeting = services.add_meeting(
        engagement=engagement,
        by=engagement.coach,
        starts_at=NOW - datetime.timedelta(days=days_ago),
    )
    return services.close_meeting(meeting=meeting, by=engagement.coach)


def stalled_ids() -> list[int]:
    return list(stalled(Engagement.objects.all(), now=NOW).values_list("pk", flat=True))


def test_a_weekly_engagement_that_met_ten_days_ago_is_not_stalled(engagements: Any) -> None:
    engagement = active_since(engagements.ours, 60)
    held(engagement, 10)
    assert engagement.pk not in stalled_ids()


def test_a_weekly_engagement_that_last_met_fifteen_days_ago_is_stalled(engagements: Any) -> None:
    engagement = active_since(engagements.ours, 60)
    held(engagement, 40)
    held(engagement, 15)
    assert engagement.pk in stalled_ids()
    [row] = stalled(Engagement.objects.filter(pk=engagement.pk), now=NOW)
    assert stall_reason(row, now=NOW) == "no meeting held for 15 days"


def test_a_missed_or_cancelled_meeting_does_not_count_as_held(engagements: Any) -> None:
    engagement = active_since(engagements.ours, 60)
    held(engagement, 20)
    missed = services.add_meeting(
        engagement=engagement, by=engagement.coach, starts_at=NOW - datetime.timedelta(days=5)
    )
    services.close_meeting(meeting=missed, by=engagement.coach, status="missed")
    assert engagement.pk in stalled_ids()


def test_a_new_engagement_counts_from_the_day_it_became_active(engagements: Any) -> None:
    fresh = active_since(engagements.ours, 10)
    assert fresh.pk not in stalled_ids()
    old = active_since(engagements.theirs, 20)
    assert old.pk in stalled_ids()
    [row] = stalled(Engagement.objects.filter(pk=old.pk), now=NOW)
    assert stall_reason(row, now=NOW) == "no meeting held since it started 20 days ago"


def test_the_cadence_sets_the_limit(engagements: Any) -> None:
    engagement = active_since(engagements.ours, 90)
    held(engagement, 40)
    Engagement.objects.filter(pk=engagement.pk).update(cadence="monthly")
    assert engagement.pk not in stalled_ids()
    Engagement.objects.filter(pk=engagement.pk).update(cadence="fortnightly")
    assert engagement.pk in stalled_ids()


def test_three_overdue_actions_stall_an_engagement_that_meets(engagements: Any) -> None:
    engagement = active_since(engagements.ours, 60)
    held(engagement, 3)
    for n in range(2):
        services.add_action(
            engagement=engagement,
            by=engagement.coach,
            what=f"Overdue {n}",
            owner="client",
            due_on=NOW.date() - datetime.timedelta(days=5),
        )
    assert engagement.pk not in stalled_ids()
    services.add_action(
        engagement=engagement,
        by=engagement.coach,
        what="Overdue 3",
        owner="client",
        due_on=NOW.date() - datetime.timedelta(days=1),
    )
    [row] = stalled(Engagement.objects.filter(pk=engagement.pk), now=NOW)
    assert stall_reason(row, now=NOW) == "3 overdue actions"


def test_engagements_not_yet_active_are_not_stalled(personas: Any) -> None:
    coach = personas.person("coach")
    proposed = engagement_services.open_engagement(
        request=None, opened_by=coach, coach=coach, client=personas.person("client")
    )
    Engagement.objects.filter(pk=proposed.pk).update(
        status_changed_at=NOW - datetime.timedelta(days=60), cadence="weekly"
    )
    assert stalled_ids() == []


def test_the_coach_and_the_admin_see_the_stalled_engagement(
    personas: Any, engagements: Any
) -> None:
    engagement = engagements.ours  # active since everyone signed
    Engagement.objects.filter(pk=engagement.pk).update(
        status_changed_at=timezone.now() - datetime.timedelta(days=45)
    )
    coach = Client()
    coach.force_login(personas.coach)
    page = coach.get("/").content.decode()
    assert "Stalled engagements" in page
    assert "no meeting held since it started 45 days ago" in page
    admin = Client()
    admin.force_login(personas.admin)
    page = admin.get("/programme/").content.decode()
    assert "Casey Client" in page
    assert "no meeting held since it started 45 days ago" in page
    # The programme view is the admin's alone.
    assert coach.get("/programme/").status_code == 403
