"""The "Add to calendar" file of one meeting: one event at the stored times, for the coach and
the client only (issue 5)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from leancoach.meetings import services
from leancoach.testing.calendars import events, on_the_hour, parse, signed_in, uid
from leancoach.testing.personas import make_engagements

pytestmark = pytest.mark.django_db


def ics_of(engagement: Any, meeting: Any) -> str:
    return reverse("meetings:ics", kwargs={"pk": engagement.pk, "meeting_id": meeting.pk})


def test_the_coach_and_the_client_get_a_file_with_the_one_event(
    engagements: Any, personas: Any
) -> None:
    engagement = engagements.ours
    meeting = services.add_meeting(
        engagement=engagement,
        by=engagement.coach,
        starts_at=on_the_hour(2, 10),
        duration_minutes=50,
        location="Room 4",
    )
    services.add_meeting(engagement=engagement, by=engagement.coach, starts_at=on_the_hour(9))
    personas.client.time_zone = "America/New_York"
    personas.client.save()
    for user, other in ((personas.coach, "Casey Client"), (personas.client, "Cora Coach")):
        response = signed_in(user).get(ics_of(engagement, meeting))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/calendar")
        assert response["Content-Disposition"] == (
            f'attachment; filename="meeting-{meeting.pk}.ics"'
        )
        found = events(parse(response.content))
        assert list(found) == [uid("meeting", meeting.pk)]
        event = found[uid("meeting", meeting.pk)]
        assert event.decoded("dtstart") == meeting.starts_at
        assert event.decoded("dtend") == meeting.starts_at + datetime.timedelta(minutes=50)
        assert str(event["summary"]) == f"Coaching meeting with {other}"
        assert str(event["location"]) == "Room 4"
    # The client's file is in the client's zone, with its VTIMEZONE.
    assert event["dtstart"].params["TZID"] == "America/New_York"
    assert [str(z["tzid"]) for z in parse(response.content).walk("VTIMEZONE")] == [
        "America/New_York"
    ]


def test_a_cancelled_meetings_file_says_cancelled(engagements: Any) -> None:
    engagement = engagements.ours
    meeting = services.add_meeting(
        engagement=engagement, by=engagement.coach, starts_at=on_the_hour(2)
    )
    services.cancel_meeting(meeting=meeting, by=engagement.coach)
    response = signed_in(engagement.client.user).get(ics_of(engagement, meeting))
    event = events(parse(response.content))[uid("meeting", meeting.pk)]
    assert str(event["status"]) == "CANCELLED"
    assert event.decoded("sequence") == 1


def test_the_sponsor_admin_outsider_and_other_engagements_get_no_file(personas: Any) -> None:
    engagements = make_engagements(personas, share=("action_status", "meeting_summaries"))
    engagement = engagements.ours
    meeting = services.add_meeting(
        engagement=engagement, by=engagement.coach, starts_at=on_the_hour(2)
    )
    path = ics_of(engagement, meeting)
    # The sponsor knows the engagement but meetings are not theirs to read, shared or not.
    assert signed_in(personas.sponsor).get(path).status_code == 403
    assert signed_in(personas.admin).get(path).status_code == 403
    assert signed_in(personas.outsider).get(path).status_code == 404
    assert signed_in(engagements.other_coach).get(path).status_code == 404
    # Our meeting through their engagement, and a made-up meeting, are 404 too.
    theirs = engagements.theirs
    crossed = reverse("meetings:ics", kwargs={"pk": theirs.pk, "meeting_id": meeting.pk})
    assert signed_in(engagements.other_coach).get(crossed).status_code == 404
    made_up = reverse("meetings:ics", kwargs={"pk": engagement.pk, "meeting_id": 10**9})
    assert signed_in(personas.coach).get(made_up).status_code == 404
    response = Client().get(path)
    assert response.status_code == 302
    assert "/login" in response["Location"]
