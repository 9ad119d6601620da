"""The demo engagement's meetings, and the bulk activity of the large data set."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db.models import Count

from leancoach.cycle.models import Observation
from leancoach.engagements.demo import seed_bulk_engagements
from leancoach.engagements.models import Engagement
from leancoach.meetings import demo
from leancoach.meetings.models import ActionItem, Meeting, MeetingNote
from leancoach.metrics.models import DataPoint

pytestmark = pytest.mark.django_db


def test_the_demo_coach_finds_meetings_held_notes_and_actions_and_the_next_meeting() -> None:
    call_command("seed", "--scale", "small", "--no-progress")
    engagement = Engagement.objects.get(coach__email="coach@example.com")
    meetings = Meeting.objects.filter(engagement=engagement)
    assert meetings.filter(status="held").count() == 3
    assert meetings.filter(status="scheduled").exists()
    assert (
        MeetingNote.objects.filter(meeting__engagement=engagement, visibility="summary").count()
        == 3
    )
    assert engagement.private_notes.filter(meeting__isnull=False).count() == 3
    assert ActionItem.objects.filter(engagement=engagement, meeting__isnull=False).count() == 3
    assert demo.seed_demo_meetings() == 0  # run again: nothing added
    call_command("seed", "--scale", "small", "--no-progress")
    assert meetings.filter(status="held").count() == 3


def test_bulk_activity_writes_the_reference_volumes_once_per_engagement() -> None:
    call_command("seed", "--scale", "small", "--no-progress")
    seed_bulk_engagements(4)
    assert demo.seed_bulk_activity() == 3  # the demo engagement has its own
    assert demo.seed_bulk_activity() == 0
    per = (
        Engagement.objects.exclude(coach__email="coach@example.com")
        .annotate(m=Count("meetings", distinct=True), a=Count("actions", distinct=True))
        .values_list("m", "a")
    )
    assert set(per) == {(demo.MEETINGS_EACH, demo.ACTIONS_EACH)}
    assert DataPoint.objects.filter(measure__name="Rework per week").count() >= 3 * demo.POINTS_EACH
    assert (
        Observation.objects.exclude(engagement__coach__email="coach@example.com").count()
        == 3 * demo.OBSERVATIONS_EACH
    )
