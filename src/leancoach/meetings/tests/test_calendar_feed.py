"""A person's calendar feed: valid iCalendar with their meetings at the stored times, in their
time zone, action due dates and practice commitments (issue 5)."""

from __future__ import annotations

import datetime
import itertools
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from leancoach.cycle import services as cycle
from leancoach.meetings import services
from leancoach.meetings.models import Meeting
from leancoach.testing.calendars import (
    events,
    feed_path,
    fetch,
    issue_on_profile_page,
    issue_through_api,
    on_the_hour,
    parse,
    uid,
    uids,
)

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")


def assert_round_trips(meetings: list[Meeting], calendar: Any) -> None:
    found = events(calendar)
    for meeting in meetings:
        event = found[uid("meeting", meeting.pk)]
        assert event.decoded("dtstart") == meeting.starts_at
        assert event.decoded("dtend") == meeting.ends_at
        assert event.decoded("dtstart").tzinfo is not None


def test_a_feed_issued_on_the_profile_page_carries_every_meeting_at_its_stored_times(
    engagements: Any, personas: Any
) -> None:
    engagement = engagements.ours
    services.schedule_meetings(
        engagement=engagement,
        by=engagement.coach,
        first_starts_at=on_the_hour(1),
        cadence="weekly",
        duration_minutes=45,
        location="Line 1 office",
    )
    services.add_meeting(
        engagement=engagement,
        by=engagement.coach,
        starts_at=on_the_hour(2, 15),
        duration_minutes=90,
    )
    meetings = list(Meeting.objects.filter(engagement=engagement))
    assert len(meetings) > 20

    for user in (personas.coach, personas.client):
        calendar = parse(fetch(issue_on_profile_page(user)))
        assert uids(calendar, "meeting") == {uid("meeting", m.pk) for m in meetings}
        assert_round_trips(meetings, calendar)
    event = events(calendar)[uid("meeting", meetings[0].pk)]
    assert str(event["summary"]) == "Coaching meeting with Cora Coach"
    assert str(event["location"]) == "Line 1 office"
    assert str(event["status"]) == "CONFIRMED"
    assert str(event["url"]).endswith(f"/engagements/{engagement.pk}/meetings/{meetings[0].pk}/")


def test_the_feed_has_what_a_calendar_program_requires(engagements: Any) -> None:
    engagement = engagements.ours
    services.add_meeting(engagement=engagement, by=engagement.coach, starts_at=on_the_hour(1))
    raw = fetch(feed_path(engagement.client))
    lines = raw.split(b"\r\n")
    assert lines[0] == b"BEGIN:VCALENDAR"
    assert lines[-2:] == [b"END:VCALENDAR", b""]
    assert all(len(line) <= 75 for line in lines), "lines longer than 75 octets must be folded"
    calendar = parse(raw)
    assert str(calendar["version"]) == "2.0"
    assert calendar["prodid"]
    for event in calendar.walk("VEVENT"):
        assert event["uid"]
        assert event.decoded("dtstamp").tzinfo is not None


def test_a_feed_issued_through_the_api_carries_the_meetings(engagements: Any) -> None:
    engagement = engagements.ours
    meeting = services.add_meeting(
        engagement=engagement, by=engagement.coach, starts_at=on_the_hour(3)
    )
    calendar = parse(fetch(issue_through_api(engagement.client.user)))
    assert uids(calendar, "meeting") == {uid("meeting", meeting.pk)}
    assert_round_trips([meeting], calendar)


def test_times_are_written_in_the_persons_time_zone_with_its_vtimezone(
    engagements: Any, personas: Any
) -> None:
    personas.coach.time_zone = "America/New_York"
    personas.coach.save()
    engagement = engagements.ours
    meeting = services.add_meeting(
        engagement=engagement, by=engagement.coach, starts_at=on_the_hour(3, 14)
    )
    calendar = parse(fetch(feed_path(personas.person("coach"))))
    event = events(calendar)[uid("meeting", meeting.pk)]
    start = event.decoded("dtstart")
    assert event["dtstart"].params["TZID"] == "America/New_York"
    assert start.tzinfo is not None
    assert start.tzinfo.key == "America/New_York"
    wall_clock = meeting.starts_at.astimezone(NEW_YORK).replace(tzinfo=None)
    assert start.replace(tzinfo=None) == wall_clock
    assert start == meeting.starts_at
    assert [str(zone["tzid"]) for zone in calendar.walk("VTIMEZONE")] == ["America/New_York"]

    # The client keeps the organisation's zone: the same meeting, another wall clock.
    client_event = events(parse(fetch(feed_path(personas.person("client")))))[
        uid("meeting", meeting.pk)
    ]
    assert client_event.decoded("dtstart") == meeting.starts_at


def next_change(zone: ZoneInfo, after: datetime.date) -> datetime.date:
    """The first day from ``after`` on whose 09:00 has another UTC offset than the next day's."""
    day = after
    while True:
        nine, next_nine = (
            datetime.datetime.combine(d, datetime.time(9), tzinfo=zone)
            for d in (day, day + datetime.timedelta(days=1))
        )
        if nine.utcoffset() != next_nine.utcoffset():
            return day
        day += datetime.timedelta(days=1)


def test_a_weekly_schedule_keeps_its_wall_clock_time_across_a_daylight_saving_change(
    engagements: Any, settings: Any
) -> None:
    settings.TIME_ZONE = "Europe/Berlin"
    engagement = engagements.ours
    change = next_change(BERLIN, timezone.localdate() + datetime.timedelta(days=15))
    first = datetime.datetime.combine(
        change - datetime.timedelta(days=14), datetime.time(9), tzinfo=BERLIN
    )
    series = services.schedule_meetings(
        engagement=engagement, by=engagement.coach, first_starts_at=first, cadence="weekly"
    )
    assert series.time_zone == "Europe/Berlin"
    starts = [services.occurrence(series, n) for n in range(6)]
    assert {s.astimezone(BERLIN).time() for s in starts} == {datetime.time(9)}
    assert len({s.utcoffset() for s in starts}) == 2, "the change lies inside the six weeks"
    utc = [s.astimezone(datetime.UTC) for s in starts]
    gaps = {later - earlier for earlier, later in itertools.pairwise(utc)}
    assert len(gaps) == 2
    assert datetime.timedelta(days=7) in gaps

    meetings = list(Meeting.objects.filter(series=series).order_by("sequence")[:6])
    assert [m.starts_at for m in meetings] == starts
    calendar = parse(fetch(feed_path(engagement.client)))
    assert_round_trips(meetings, calendar)
    for meeting in meetings:
        event = events(calendar)[uid("meeting", meeting.pk)]
        assert event["dtstart"].params["TZID"] == "Europe/Berlin"
        assert event.decoded("dtstart").time() == datetime.time(9)
    assert "Europe/Berlin" in [str(zone["tzid"]) for zone in calendar.walk("VTIMEZONE")]


def test_a_moved_meeting_has_a_higher_sequence_and_its_new_time(engagements: Any) -> None:
    engagement = engagements.ours
    meeting = services.add_meeting(
        engagement=engagement, by=engagement.coach, starts_at=on_the_hour(3)
    )
    path = feed_path(engagement.client)
    before = events(parse(fetch(path)))[uid("meeting", meeting.pk)]
    services.move_meeting(
        meeting=meeting, by=engagement.coach, starts_at=on_the_hour(4, 13), duration_minutes=30
    )
    after = events(parse(fetch(path)))[uid("meeting", meeting.pk)]
    assert after.decoded("sequence") > before.decoded("sequence")
    assert after.decoded("dtstart") == on_the_hour(4, 13)
    assert after.decoded("dtend") == on_the_hour(4, 13) + datetime.timedelta(minutes=30)
    services.move_meeting(meeting=meeting, by=engagement.coach, starts_at=on_the_hour(5))
    again = events(parse(fetch(path)))[uid("meeting", meeting.pk)]
    assert again.decoded("sequence") > after.decoded("sequence")


def test_a_cancelled_meeting_stays_in_the_feed_as_cancelled_with_a_higher_sequence(
    engagements: Any,
) -> None:
    engagement = engagements.ours
    meeting = services.add_meeting(
        engagement=engagement, by=engagement.coach, starts_at=on_the_hour(3)
    )
    path = feed_path(engagement.coach)
    before = events(parse(fetch(path)))[uid("meeting", meeting.pk)]
    services.cancel_meeting(meeting=meeting, by=engagement.coach)
    after = events(parse(fetch(path)))[uid("meeting", meeting.pk)]
    assert str(after["status"]) == "CANCELLED"
    assert after.decoded("sequence") > before.decoded("sequence")


def test_action_due_dates_are_all_day_events_only_for_the_actions_the_person_owns(
    personas: Any,
) -> None:
    from leancoach.testing.personas import make_engagements

    engagements = make_engagements(personas, share=("action_status", "meeting_summaries"))
    engagement = engagements.ours
    coach = engagement.coach
    due = timezone.localdate() + datetime.timedelta(days=5)
    theirs = services.add_action(
        engagement=engagement, by=coach, what="Run the huddle", owner="client", due_on=due
    )
    mine = services.add_action(
        engagement=engagement, by=coach, what="Observe the huddle", owner="coach", due_on=due
    )
    done = services.add_action(
        engagement=engagement, by=coach, what="Book the room", owner="client", due_on=due
    )
    services.set_action_status(action=done, by=coach, status="done")

    client_calendar = parse(fetch(feed_path(engagement.client)))
    assert uids(client_calendar, "action") == {uid("action", theirs.pk)}
    event = events(client_calendar)[uid("action", theirs.pk)]
    assert event.decoded("dtstart") == due
    assert not isinstance(event.decoded("dtstart"), datetime.datetime)
    assert event.decoded("dtend") == due + datetime.timedelta(days=1)
    assert str(event["summary"]) == "Action due: Run the huddle"
    assert str(event["transp"]) == "TRANSPARENT"

    assert uids(parse(fetch(feed_path(coach))), "action") == {uid("action", mine.pk)}
    # The agreement shares the action status with the sponsor, who owns none of them.
    assert uids(parse(fetch(feed_path(engagement.sponsor))), "action") == set()


def test_practice_commitments_recur_as_committed_in_the_clients_feed(engagements: Any) -> None:
    engagement = engagements.ours
    coach = engagement.coach
    behaviour = cycle.add_behaviour(
        engagement=engagement, by=coach, text="Asks each person for one problem"
    )
    today = timezone.localdate()
    monday = today + datetime.timedelta(days=7 - today.weekday())
    daily = cycle.commit_to_practice(
        engagement=engagement,
        by=coach,
        behaviour=behaviour,
        when="at the 8:00 huddle",
        where="at the line 1 board",
        recurrence="daily",
        starts_on=monday,
    )
    weekly = cycle.commit_to_practice(
        engagement=engagement,
        by=coach,
        behaviour=behaviour,
        when="at the Thursday review",
        where="in the office",
        recurrence="weekly",
        starts_on=monday + datetime.timedelta(days=3),
        ends_on=monday + datetime.timedelta(days=31),
        count_target=3,
    )
    once = cycle.commit_to_practice(
        engagement=engagement,
        by=coach,
        behaviour=behaviour,
        when="at the monthly meeting",
        where="in the canteen",
        recurrence="once",
        starts_on=monday,
    )
    found = events(parse(fetch(feed_path(engagement.client))))

    event = found[uid("practice", daily.pk)]
    assert event.decoded("dtstart") == monday
    rule = event["rrule"]
    assert rule["FREQ"] == ["WEEKLY"]
    assert [str(day) for day in rule["BYDAY"]] == ["MO", "TU", "WE", "TH", "FR"]
    assert "UNTIL" not in rule
    assert str(event["description"]) == "When: at the 8:00 huddle. Where: at the line 1 board."

    event = found[uid("practice", weekly.pk)]
    assert [str(day) for day in event["rrule"]["BYDAY"]] == ["TH"]
    assert event["rrule"]["UNTIL"] == [monday + datetime.timedelta(days=31)]
    assert str(event["summary"]) == "Practise: Asks each person for one problem, 3 times"

    assert "rrule" not in found[uid("practice", once.pk)]
    # Practice is the client's; the coach's calendar does not fill up with it.
    assert uids(parse(fetch(feed_path(coach))), "practice") == set()


def test_a_working_day_practice_committed_on_a_saturday_first_shows_on_monday(
    engagements: Any,
) -> None:
    # RFC 5545 counts DTSTART as the first occurrence even where the rule does not match it.
    engagement = engagements.ours
    coach = engagement.coach
    behaviour = cycle.add_behaviour(engagement=engagement, by=coach, text="Thanks each speaker")
    today = timezone.localdate()
    saturday = today + datetime.timedelta(days=(5 - today.weekday()) % 7 or 7)
    commitment = cycle.commit_to_practice(
        engagement=engagement,
        by=coach,
        behaviour=behaviour,
        when="at the huddle",
        where="at the board",
        recurrence="daily",
        starts_on=saturday,
    )
    weekend_only = cycle.commit_to_practice(
        engagement=engagement,
        by=coach,
        behaviour=behaviour,
        when="at the huddle",
        where="at the board",
        recurrence="daily",
        starts_on=saturday,
        ends_on=saturday + datetime.timedelta(days=1),
    )
    found = events(parse(fetch(feed_path(engagement.client))))
    event = found[uid("practice", commitment.pk)]
    assert event.decoded("dtstart") == saturday + datetime.timedelta(days=2)
    assert event.decoded("dtend") == saturday + datetime.timedelta(days=3)
    # No working day falls inside a weekend: nothing to show.
    assert uid("practice", weekend_only.pk) not in found


def test_a_practice_commitment_on_the_last_representable_day_does_not_break_the_feed(
    engagements: Any,
) -> None:
    engagement = engagements.ours
    behaviour = cycle.add_behaviour(
        engagement=engagement, by=engagement.coach, text="Thanks each speaker"
    )
    cycle.commit_to_practice(
        engagement=engagement,
        by=engagement.coach,
        behaviour=behaviour,
        when="at the huddle",
        where="at the board",
        recurrence="once",
        starts_on=datetime.date.max,
    )
    assert uids(parse(fetch(feed_path(engagement.client))), "practice") == set()
