"""iCalendar (RFC 5545) for meetings, action due dates and practice commitments.

A person's feed carries their meetings (as coach or client), the due dates of the
actions they own and their practice commitments — each only if the access table
lets them read it (``access.may_receive``). Times are written in the person's time
zone with its VTIMEZONE, so a calendar program shows the same wall-clock time the
app does. Events keep a stable UID and a SEQUENCE that grows with every change,
so a moved or cancelled meeting updates the copy in the calendar.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vRecur

from leancoach.core import access
from leancoach.core.access import Category
from leancoach.cycle.models import PracticeCommitment, Recurrence
from leancoach.engagements.models import Engagement, Status
from leancoach.meetings.models import ActionItem, ActionStatus, Meeting, MeetingStatus
from leancoach.people.models import Person

PAST_DAYS = 90  # meetings this far back stay in the feed
PRODID = "-//leancoach//coaching meetings//EN"


def _domain() -> str:
    return urlsplit(settings.LEANCOACH_BASE_URL).hostname or "leancoach.invalid"


def zone_of(person: Person) -> ZoneInfo:
    user = person.user
    name = (user.time_zone if user is not None else "") or settings.TIME_ZONE
    return ZoneInfo(name)


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    return cal


def _link(path: str) -> str:
    return settings.LEANCOACH_BASE_URL + path


def meeting_event(
    meeting: Meeting, *, zone: ZoneInfo, other: str, stamp: datetime.datetime
) -> Event:
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@{_domain()}")
    event.add("dtstamp", stamp)
    event.add("sequence", meeting.revision)
    event.add("dtstart", meeting.starts_at.astimezone(zone))
    event.add("dtend", meeting.ends_at.astimezone(zone))
    kind = "Kata coaching" if meeting.engagement.kind == "kata" else "Coaching meeting"
    event.add("summary", f"{kind} with {other}")
    if meeting.location:
        event.add("location", meeting.location)
    url = _link(
        reverse("meetings:meeting", kwargs={"pk": meeting.engagement_id, "meeting_id": meeting.pk})
    )
    event.add("url", url)
    event.add("description", f"The agenda builds itself from the data: {url}")
    event.add("status", "CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "CONFIRMED")
    return event


def _other_party(meeting: Meeting, person: Person) -> str:
    engagement = meeting.engagement
    return engagement.client.name if engagement.coach_id == person.pk else engagement.coach.name


def meeting_file(meeting: Meeting, *, viewer: Person) -> bytes:
    """One meeting as a file to add to a calendar."""
    cal = _calendar("Coaching meeting")
    zone = zone_of(viewer)
    cal.add_component(
        meeting_event(meeting, zone=zone, other=_other_party(meeting, viewer), stamp=timezone.now())
    )
    cal.add_missing_timezones()
    return bytes(cal.to_ical())


def _readable(person: Person, engagements: Iterable[Engagement], category: Category) -> set[int]:
    return {e.pk for e in engagements if access.may_receive(person, e, category)}


def feed(person: Person, *, now: datetime.datetime | None = None) -> bytes:
    """The person's calendar feed (four queries whatever its size)."""
    now = now or timezone.now()
    zone = zone_of(person)
    cal = _calendar(f"Coaching — {person.name}")
    engagements = list(
        Engagement.objects.filter(Q(coach=person) | Q(client=person))
        .exclude(status=Status.CLOSED)
        .select_related("coach__user", "client__user", "sponsor")
    )
    by_id = {e.pk: e for e in engagements}
    meetings_in = _readable(person, engagements, Category.MEETINGS)
    actions_in = _readable(person, engagements, Category.ACTION_STATUS)
    practice_in = _readable(person, engagements, Category.PRACTICE)

    for meeting in Meeting.objects.filter(
        engagement__in=meetings_in, starts_at__gte=now - datetime.timedelta(days=PAST_DAYS)
    ).order_by("starts_at", "id"):
        meeting.engagement = by_id[meeting.engagement_id]
        cal.add_component(
            meeting_event(meeting, zone=zone, other=_other_party(meeting, person), stamp=now)
        )

    mine = Q(engagement__client=person, owner="client") | Q(engagement__coach=person, owner="coach")
    for action in ActionItem.objects.filter(
        mine, engagement__in=actions_in, status=ActionStatus.OPEN
    ).order_by("due_on", "id"):
        cal.add_component(_action_event(action, by_id[action.engagement_id], now))

    for commitment in (
        PracticeCommitment.objects.filter(engagement__in=practice_in, engagement__client=person)
        .exclude(ends_on__lt=timezone.localdate(now))
        .select_related("behaviour")
        .order_by("starts_on", "id")
    ):
        event = _practice_event(commitment, now)
        if event is not None:
            cal.add_component(event)
    cal.add_missing_timezones()
    return bytes(cal.to_ical())


def _action_event(action: ActionItem, engagement: Engagement, stamp: datetime.datetime) -> Event:
    event = Event()
    event.add("uid", f"action-{action.pk}@{_domain()}")
    event.add("dtstamp", stamp)
    event.add("dtstart", action.due_on)
    event.add("dtend", action.due_on + datetime.timedelta(days=1))
    event.add("summary", f"Action due: {action.what}")
    event.add("transp", "TRANSPARENT")
    event.add("url", _link(reverse("meetings:actions", kwargs={"pk": engagement.pk})))
    return event


BYDAY = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def _practice_event(commitment: PracticeCommitment, stamp: datetime.datetime) -> Event | None:
    """An all-day event (the time is in words, "at the 8:00 huddle"), recurring as committed;
    None if no day of it is left (working-day practice within one weekend)."""
    first = commitment.starts_on
    if first == datetime.date.max:
        return None  # no day after it to end on
    if commitment.recurrence == Recurrence.DAILY and first.weekday() > 4:
        # DTSTART is always an occurrence (RFC 5545), so it must be a working day itself.
        first += datetime.timedelta(days=7 - first.weekday())
        if commitment.ends_on is not None and commitment.ends_on < first:
            return None
    event = Event()
    event.add("uid", f"practice-{commitment.pk}@{_domain()}")
    event.add("dtstamp", stamp)
    event.add("dtstart", first)
    event.add("dtend", first + datetime.timedelta(days=1))
    times = f", {commitment.count_target} times" if commitment.count_target > 1 else ""
    event.add("summary", f"Practise: {commitment.behaviour.text}{times}")
    event.add("description", f"When: {commitment.when}. Where: {commitment.where}.")
    event.add("transp", "TRANSPARENT")
    rule: dict[str, Any] = {}
    if commitment.recurrence == Recurrence.DAILY:
        rule = {"freq": "weekly", "byday": BYDAY[:5]}
    elif commitment.recurrence == Recurrence.WEEKLY:
        rule = {"freq": "weekly", "byday": [BYDAY[commitment.starts_on.weekday()]]}
    if rule:
        if commitment.ends_on:
            rule["until"] = commitment.ends_on
        event.add("rrule", vRecur(rule))
    return event
