"""What a calendar feed must never carry: another engagement's meetings, coaching meetings for
the sponsor, anything of a closed engagement, and any note's text (issue 5)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from leancoach.cycle import services as cycle
from leancoach.engagements import services as engagement_services
from leancoach.meetings import services
from leancoach.meetings.models import Meeting
from leancoach.testing.calendars import (
    events,
    feed_path,
    fetch,
    on_the_hour,
    parse,
    signed_in,
    uid,
    uids,
    unfolded,
)
from leancoach.testing.personas import make_engagements

pytestmark = pytest.mark.django_db

PRIVATE = "CANARYfeedPRIVATE7q3"
SHARED = "CANARYfeedSHARED7q3"
SUMMARY = "CANARYfeedSUMMARY7q3"
SHARE_ALL = (
    "measures",
    "targets",
    "action_status",
    "meeting_summaries",
    "observations",
    "survey_results",
)


def everything_in(engagement: Any) -> dict[str, set[str]]:
    """A schedule, a single meeting, an action each, a practice commitment; their UIDs."""
    coach = engagement.coach
    services.schedule_meetings(
        engagement=engagement, by=coach, first_starts_at=on_the_hour(1), cadence="monthly"
    )
    services.add_meeting(engagement=engagement, by=coach, starts_at=on_the_hour(2))
    due = timezone.localdate() + datetime.timedelta(days=3)
    actions = [
        services.add_action(
            engagement=engagement, by=coach, what=f"{owner} does", owner=owner, due_on=due
        )
        for owner in ("client", "coach")
    ]
    behaviour = cycle.add_behaviour(engagement=engagement, by=coach, text="Thanks each speaker")
    practice = cycle.commit_to_practice(
        engagement=engagement, by=coach, behaviour=behaviour, when="at the huddle", where="board"
    )
    return {
        "meeting": {uid("meeting", m.pk) for m in Meeting.objects.filter(engagement=engagement)},
        "action": {uid("action", a.pk) for a in actions},
        "practice": {uid("practice", practice.pk)},
    }


def test_a_feed_carries_no_meeting_action_or_practice_of_another_engagement(
    engagements: Any,
) -> None:
    ours = everything_in(engagements.ours)
    theirs = everything_in(engagements.theirs)
    for engagement in (engagements.ours, engagements.theirs):
        mine, other = (ours, theirs) if engagement == engagements.ours else (theirs, ours)
        for person in (engagement.coach, engagement.client):
            found = set(events(parse(fetch(feed_path(person)))))
            assert found & mine["meeting"] == mine["meeting"]
            assert not found & (other["meeting"] | other["action"] | other["practice"])


def test_the_sponsor_gets_no_coaching_meetings_even_when_everything_is_shared(
    personas: Any,
) -> None:
    engagements = make_engagements(personas, share=SHARE_ALL)
    everything_in(engagements.ours)
    calendar = parse(fetch(feed_path(engagements.ours.sponsor)))
    assert calendar.walk("VEVENT") == []


def test_nothing_of_a_closed_engagement_is_in_the_feed(engagements: Any) -> None:
    engagement = engagements.ours
    ours = everything_in(engagement)
    path = {person.pk: feed_path(person) for person in (engagement.coach, engagement.client)}
    assert ours["meeting"] <= set(events(parse(fetch(path[engagement.coach.pk]))))
    engagement_services.change_status(
        request=None,
        engagement=engagement,
        by=engagement.coach,
        role="coach",
        to_status="closed",
        reason="Done",
    )
    for person_path in path.values():
        assert parse(fetch(person_path)).walk("VEVENT") == []


def test_no_note_text_is_ever_in_a_feed_or_a_meeting_file(personas: Any) -> None:
    engagements = make_engagements(personas, share=SHARE_ALL)
    engagement = engagements.ours
    coach = engagement.coach
    everything_in(engagement)
    meeting = Meeting.objects.filter(engagement=engagement).first()
    assert meeting is not None
    services.add_private_meeting_note(meeting=meeting, by=coach, item="feedback", text=PRIVATE)
    services.add_meeting_note(
        meeting=meeting, by=coach, item="facts", visibility="shared", text=SHARED
    )
    services.add_meeting_note(
        meeting=meeting, by=coach, item="contracting", visibility="summary", text=SUMMARY
    )
    engagement_services.add_private_note(engagement=engagement, by=coach, text=PRIVATE + "x")
    services.close_meeting(meeting=meeting, by=coach)

    files = [
        fetch(feed_path(person))
        for person in (engagement.coach, engagement.client, engagement.sponsor)
    ]
    ics = reverse("meetings:ics", kwargs={"pk": engagement.pk, "meeting_id": meeting.pk})
    for user in (personas.coach, personas.client):
        response = signed_in(user).get(ics)
        assert response.status_code == 200
        files.append(response.content)
    for raw in files:
        text = unfolded(raw)
        assert "CANARY" not in text
        assert parse(raw)  # and still a calendar


def test_a_held_meeting_stays_in_the_feed_without_its_notes(engagements: Any) -> None:
    engagement = engagements.ours
    meeting = services.add_meeting(
        engagement=engagement, by=engagement.coach, starts_at=on_the_hour(-1)
    )
    services.add_meeting_note(
        meeting=meeting, by=engagement.coach, item="facts", visibility="shared", text=SHARED
    )
    services.close_meeting(meeting=meeting, by=engagement.coach)
    raw = Client().get(feed_path(engagement.client)).content
    assert uids(parse(raw), "meeting") == {uid("meeting", meeting.pk)}
    assert SHARED not in unfolded(raw)
