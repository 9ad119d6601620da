"""Meetings are kept in the organisation's time zone; each person sees them in their own."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from leancoach.meetings import services

pytestmark = pytest.mark.django_db


def test_each_person_sees_the_meeting_on_their_own_clock(
    personas: Any, engagements: Any, settings: Any
) -> None:
    settings.TIME_ZONE = "Europe/Berlin"
    starts = (
        datetime.datetime.now(ZoneInfo("Europe/Berlin")) + datetime.timedelta(days=2)
    ).replace(hour=9, minute=0, second=0, microsecond=0)
    meeting = services.add_meeting(
        engagement=engagements.ours, by=engagements.ours.coach, starts_at=starts
    )
    personas.client.time_zone = "America/New_York"
    personas.client.save()
    path = f"/engagements/{engagements.ours.pk}/meetings/{meeting.pk}/"
    coach = Client()
    coach.force_login(personas.coach)
    assert f"{starts.day} {starts:%B %Y}, 09:00" in coach.get(path).content.decode()
    client = Client()
    client.force_login(personas.client)
    new_york = starts.astimezone(ZoneInfo("America/New_York"))
    assert f"{new_york.day} {new_york:%B %Y}, {new_york:%H}:00" in client.get(path).content.decode()
    assert new_york.hour != 9


def test_the_profile_page_saves_the_time_zone_and_the_reminder_choice(personas: Any) -> None:
    client = Client()
    client.force_login(personas.client)
    response = client.post(
        "/my/preferences/", {"time_zone": "Asia/Tokyo", "reminders": "weekly"}, follow=True
    )
    assert "Preferences saved." in response.content.decode()
    personas.client.refresh_from_db()
    assert (personas.client.time_zone, personas.client.reminders) == ("Asia/Tokyo", "weekly")
    refused = client.post(
        "/my/preferences/", {"time_zone": "Mars/Olympus", "reminders": "hourly"}, follow=True
    )
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Select a valid choice" in page
    personas.client.refresh_from_db()
    assert personas.client.time_zone == "Asia/Tokyo"
