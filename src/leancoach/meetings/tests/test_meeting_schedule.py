"""Meetings are scheduled from the engagement's cadence in the organisation's time zone, and
moved, cancelled or closed one at a time."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from leancoach.core.errors import Conflict
from leancoach.meetings import services
from leancoach.meetings.models import Meeting, MeetingStatus

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")


def test_a_weekly_schedule_keeps_nine_oclock_across_the_change_to_summer_time(
    engagements: Any, settings: Any
) -> None:
    settings.TIME_ZONE = "Europe/Berlin"
    first = datetime.datetime(2027, 3, 16, 9, 0, tzinfo=BERLIN)  # CET, UTC+1
    series = services.schedule_meetings(
        engagement=engagements.ours,
        by=engagements.ours.coach,
        first_starts_at=first,
        cadence="weekly",
    )
    starts = [m.starts_at.astimezone(BERLIN) for m in series.meetings.order_by("sequence")[:3]]
    assert [(s.date().isoformat(), s.hour, s.minute) for s in starts] == [
        ("2027-03-16", 9, 0),
        ("2027-03-23", 9, 0),
        ("2027-03-30", 9, 0),  # CEST, UTC+2
    ]
    assert starts[0].utcoffset() != starts[2].utcoffset()


def test_a_monthly_schedule_falls_back_to_the_last_day_of_a_short_month(
    engagements: Any, settings: Any
) -> None:
    settings.TIME_ZONE = "Europe/Berlin"
    first = datetime.datetime(2027, 1, 31, 14, 0, tzinfo=BERLIN)
    series = services.schedule_meetings(
        engagement=engagements.ours,
        by=engagements.ours.coach,
        first_starts_at=first,
        cadence="monthly",
    )
    days = [
        m.starts_at.astimezone(BERLIN).date().isoformat()
        for m in series.meetings.order_by("sequence")[:3]
    ]
    assert days == ["2027-01-31", "2027-02-28", "2027-03-31"]


def test_a_schedule_reaches_half_a_year_ahead_and_topping_up_is_idempotent(
    engagements: Any,
) -> None:
    first = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)
    series = services.schedule_meetings(
        engagement=engagements.ours,
        by=engagements.ours.coach,
        first_starts_at=first,
        cadence="fortnightly",
    )
    count = series.meetings.count()
    assert count == services.HORIZON_DAYS // 14 + 1
    assert services.top_up_schedules() == 0
    assert series.meetings.count() == count
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=30)
    assert services.top_up_schedules(now=later) == 2
    assert series.meetings.count() == count + 2


def test_a_new_schedule_replaces_the_old_but_keeps_what_was_written(engagements: Any) -> None:
    engagement = engagements.ours
    coach = engagement.coach
    start = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)
    old = services.schedule_meetings(engagement=engagement, by=coach, first_starts_at=start)
    annotated = old.meetings.order_by("sequence")[1]
    services.add_meeting_note(
        meeting=annotated, by=coach, item="facts", visibility="shared", text="Bring the chart"
    )
    new = services.schedule_meetings(
        engagement=engagement,
        by=coach,
        first_starts_at=start + datetime.timedelta(hours=3),
        cadence="weekly",
    )
    old.refresh_from_db()
    assert old.ended_at is not None
    assert list(Meeting.objects.filter(series=old)) == [annotated]
    assert new.meetings.count() > 0


def test_one_meeting_moves_alone_and_says_so(engagements: Any) -> None:
    engagement = engagements.ours
    start = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)
    series = services.schedule_meetings(
        engagement=engagement, by=engagement.coach, first_starts_at=start
    )
    first, second = series.meetings.order_by("sequence")[:2]
    moved = services.move_meeting(
        meeting=first, by=engagement.coach, starts_at=first.starts_at + datetime.timedelta(hours=2)
    )
    second.refresh_from_db()
    assert moved.was_moved
    assert moved.revision == 1
    assert not second.was_moved


def test_a_cancelled_or_held_meeting_cannot_be_moved(engagements: Any, meeting: Any) -> None:
    coach = engagements.ours.coach
    services.cancel_meeting(meeting=meeting, by=coach)
    assert meeting.status == MeetingStatus.CANCELLED
    with pytest.raises(Conflict):
        services.move_meeting(meeting=meeting, by=coach, starts_at=meeting.starts_at)
    with pytest.raises(Conflict):
        services.close_meeting(meeting=meeting, by=coach)


def test_bad_times_are_refused_with_the_field_named(engagements: Any) -> None:
    engagement = engagements.ours
    with pytest.raises(ValidationError) as naive:
        services.add_meeting(
            engagement=engagement, by=engagement.coach, starts_at=datetime.datetime(2027, 1, 1, 9)
        )
    assert "starts_at" in naive.value.message_dict
    with pytest.raises(ValidationError) as short:
        services.add_meeting(
            engagement=engagement,
            by=engagement.coach,
            starts_at=datetime.datetime(2027, 1, 1, 9, tzinfo=datetime.UTC),
            duration_minutes=2,
        )
    assert "duration_minutes" in short.value.message_dict


def test_the_coach_schedules_from_the_page_and_the_client_cannot(
    personas: Any, engagements: Any
) -> None:
    path = f"/engagements/{engagements.ours.pk}/meetings/schedule/"
    data = {"first_starts_at": "2027-01-05T09:00", "cadence": "weekly", "duration_minutes": 45}
    client = Client()
    client.force_login(personas.client)
    assert client.post(path, data).status_code == 403
    coach = Client()
    coach.force_login(personas.coach)
    response = coach.post(path, data, follow=True)
    assert "Meetings scheduled." in response.content.decode()
    assert Meeting.objects.filter(engagement=engagements.ours).count() > 20


def test_a_bad_schedule_form_says_why_and_writes_nothing(personas: Any, engagements: Any) -> None:
    coach = Client()
    coach.force_login(personas.coach)
    response = coach.post(
        f"/engagements/{engagements.ours.pk}/meetings/schedule/",
        {"first_starts_at": "next tuesday", "cadence": "hourly", "duration_minutes": 0},
        follow=True,
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "first_starts_at" in page
    assert Meeting.objects.count() == 0


def test_nothing_changes_in_the_meetings_of_a_closed_engagement(
    engagements: Any, meeting: Any
) -> None:
    from leancoach.engagements import services as engagement_services

    engagement = engagements.ours
    engagement_services.change_status(
        request=None,
        engagement=engagement,
        by=engagement.coach,
        role="coach",
        to_status="closed",
        reason="Goals reached",
    )
    meeting.refresh_from_db()
    for attempt in (
        lambda: services.move_meeting(
            meeting=meeting, by=engagement.coach, starts_at=meeting.starts_at
        ),
        lambda: services.cancel_meeting(meeting=meeting, by=engagement.coach),
        lambda: services.close_meeting(meeting=meeting, by=engagement.coach),
        lambda: services.add_private_meeting_note(
            meeting=meeting, by=engagement.coach, item="facts", text="x"
        ),
        lambda: services.add_meeting_note(
            meeting=meeting, by=engagement.coach, item="facts", visibility="shared", text="x"
        ),
    ):
        with pytest.raises(Conflict):
            attempt()
