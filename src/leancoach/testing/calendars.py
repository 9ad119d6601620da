"""Calendar feeds as a calendar program sees them: issued by a person, fetched signed out,
parsed with the ``icalendar`` library."""

from __future__ import annotations

import datetime
import re
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from leancoach.meetings import services

FEED_URL = re.compile(r'id="feed-url"[^>]*value="([^"]+)"')


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def issue_on_profile_page(user: Any) -> str:
    """Press "Create a calendar address" on the profile page; the path it shows, once."""
    response = signed_in(user).post(reverse("meetings:feed_issue"), follow=True)
    assert response.status_code == 200, response.content
    found = FEED_URL.search(response.content.decode())
    assert found, "the profile page does not show the new calendar address"
    return urlsplit(found.group(1)).path


def issue_through_api(user: Any) -> str:
    response = signed_in(user).post("/api/v1/me/calendar-feed")
    assert response.status_code == 201, response.content
    return urlsplit(response.json()["url"]).path


def feed_path(person: Any) -> str:
    """A fresh feed address for ``person`` (straight from the service)."""
    return reverse(
        "meetings:calendar_feed", kwargs={"token": services.issue_feed_token(person=person)}
    )


def fetch(path: str) -> bytes:
    """The feed as a calendar program fetches it: no login, no cookies."""
    response = Client().get(path)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/calendar")
    return bytes(response.content)


def unfolded(raw: bytes) -> str:
    """The text with RFC 5545 line folding undone (a long line is split with CRLF + space)."""
    return raw.decode().replace("\r\n ", "").replace("\r\n\t", "")


def parse(raw: bytes) -> Calendar:
    calendar = Calendar.from_ical(raw)
    assert isinstance(calendar, Calendar)
    return calendar


def events(calendar: Calendar) -> dict[str, Any]:
    """The events by UID."""
    found = {str(event["uid"]): event for event in calendar.walk("VEVENT")}
    assert len(found) == len(calendar.walk("VEVENT")), "two events share a UID"
    return found


def uids(calendar: Calendar, prefix: str) -> set[str]:
    """The UIDs of one kind of event ("meeting", "action", "practice")."""
    return {uid for uid in events(calendar) if uid.startswith(prefix + "-")}


def uid(kind: str, pk: int) -> str:
    return f"{kind}-{pk}@{urlsplit(settings.LEANCOACH_BASE_URL).hostname}"


def on_the_hour(days: int, hour: int = 9) -> datetime.datetime:
    """A whole hour ``days`` from now, in UTC (iCalendar keeps whole seconds)."""
    moment = timezone.now() + datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)
