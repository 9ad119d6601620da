"""Today: the coach's home page (meetings today and this week, actions due or overdue, practice
due, stalled engagements) and the client's (next meeting, open actions, practice commitments)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from leancoach.cycle import services as cycle
from leancoach.meetings import services
from leancoach.testing.personas import everyone_accepts

pytestmark = pytest.mark.django_db


def page(user: Any) -> str:
    client = Client()
    client.force_login(user)
    return client.get("/").content.decode()


@pytest.fixture
def day(engagements: Any) -> Any:
    engagement = engagements.ours
    coach = engagement.coach
    now = timezone.localtime()
    later_today = now.replace(hour=23, minute=30)
    services.add_meeting(engagement=engagement, by=coach, starts_at=later_today, location="Room 4")
    services.add_action(
        engagement=engagement,
        by=coach,
        what="Post the chart",
        owner="client",
        due_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    services.add_action(
        engagement=engagement,
        by=coach,
        what="Far in the future",
        owner="client",
        due_on=timezone.localdate() + datetime.timedelta(days=40),
    )
    behaviour = cycle.add_behaviour(engagement=engagement, by=coach, text="Asks for one problem")
    cycle.commit_to_practice(
        engagement=engagement,
        by=coach,
        behaviour=behaviour,
        when="at the 8:00 huddle",
        where="at the board",
        recurrence="daily" if timezone.localdate().weekday() < 5 else "weekly",
        starts_on=timezone.localdate(),
    )
    return engagement


def test_the_coach_sees_today_actions_due_and_practice_due(personas: Any, day: Any) -> None:
    html = page(personas.coach)
    assert "Today, as a coach" in html
    assert "23:30 with Casey Client" in html
    assert "Post the chart" in html
    assert "overdue" in html
    assert "Far in the future" not in html
    assert (
        "Casey Client: Asks for one problem (at the 8:00 huddle, at the board) — not logged yet"
        in html
    )


def test_the_client_sees_the_next_meeting_open_actions_and_practice(
    personas: Any, day: Any
) -> None:
    html = page(personas.client)
    assert "Your coaching" in html
    assert "with Cora Coach" in html
    assert "Room 4" in html
    assert "Post the chart" in html
    assert "Far in the future" in html  # all open actions, not only this week's
    assert "Asks for one problem" in html
    assert "due today" in html
    assert "Today, as a coach" not in html


def test_the_sponsor_and_an_outsider_see_no_coaching_day(personas: Any, day: Any) -> None:
    for role in ("sponsor", "outsider", "admin"):
        html = page(getattr(personas, role))
        assert "Today, as a coach" not in html
        assert "Post the chart" not in html


def test_a_client_who_is_also_a_coach_sees_both(personas: Any, engagements: Any, day: Any) -> None:
    from leancoach.engagements import services as engagement_services

    everyone_accepts(
        engagement_services.open_engagement(
            request=None,
            opened_by=personas.person("client"),
            coach=personas.person("client"),
            client=personas.person("outsider"),
        )
    )
    html = page(personas.client)
    assert "Today, as a coach" in html
    assert "Your coaching" in html


def test_a_long_list_shows_the_first_fifteen_and_says_how_many_there_are(
    personas: Any, engagements: Any
) -> None:
    engagement = engagements.ours
    for n in range(20):
        services.add_action(
            engagement=engagement,
            by=engagement.coach,
            what=f"Overdue number {n:02d}",
            owner="client",
            due_on=timezone.localdate() - datetime.timedelta(days=30 - n),
        )
    html = page(personas.coach)
    assert "Overdue number 00" in html
    assert "Overdue number 14" in html
    assert "Overdue number 15" not in html
    assert "The first 15 of 20, by agreed date" in html
    assert "All 20 open actions" in page(personas.client)
