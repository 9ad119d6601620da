"""The meeting page's own controls: move, cancel, mark missed; and on a Kata meeting, the
obstacle parking lot, the next step and the reflection on the last one."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from leancoach.engagements import services as engagement_services
from leancoach.meetings import services
from leancoach.meetings.models import Experiment, Meeting, Obstacle
from leancoach.testing.personas import everyone_accepts

pytestmark = pytest.mark.django_db


def as_user(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_of(meeting: Meeting) -> str:
    return f"/engagements/{meeting.engagement_id}/meetings/{meeting.pk}/"


def test_the_coach_moves_a_meeting_from_its_page(personas: Any, meeting: Meeting) -> None:
    later = timezone.localtime(meeting.starts_at) + datetime.timedelta(days=1)
    response = as_user(personas.coach).post(
        page_of(meeting) + "move/",
        {
            "starts_at": later.strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": 30,
            "location": "Room 2",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Meeting moved." in page
    assert "(moved from" in page
    meeting.refresh_from_db()
    assert (meeting.duration_minutes, meeting.location, meeting.revision) == (30, "Room 2", 1)


def test_the_coach_cancels_or_marks_a_meeting_missed_and_then_it_stays(
    personas: Any, engagements: Any, meeting: Meeting
) -> None:
    coach = as_user(personas.coach)
    other = services.add_meeting(
        engagement=engagements.ours,
        by=engagements.ours.coach,
        starts_at=timezone.now() - datetime.timedelta(days=1),
    )
    assert (
        "Meeting cancelled."
        in coach.post(page_of(meeting) + "cancel/", follow=True).content.decode()
    )
    response = coach.post(page_of(other) + "close/", {"status": "missed"}, follow=True)
    assert "Meeting closed." in response.content.decode()
    again = coach.post(page_of(meeting) + "cancel/", follow=True).content.decode()
    assert "This meeting is cancelled; it cannot change." in again
    meeting.refresh_from_db()
    other.refresh_from_db()
    assert (meeting.status, other.status, other.agenda_snapshot) == ("cancelled", "missed", None)


def test_the_client_has_no_schedule_controls(personas: Any, meeting: Meeting) -> None:
    client = as_user(personas.client)
    assert "Close the meeting as held" not in client.get(page_of(meeting)).content.decode()
    assert client.post(page_of(meeting) + "cancel/").status_code == 403


@pytest.fixture
def kata_meeting(personas: Any) -> Meeting:
    coach = personas.person("coach")
    engagement = everyone_accepts(
        engagement_services.open_engagement(
            request=None,
            opened_by=coach,
            coach=coach,
            client=personas.person("outsider"),
            kind="kata",
            sponsor=personas.person("client"),
        )
    )
    return services.add_meeting(
        engagement=engagement, by=coach, starts_at=timezone.now() + datetime.timedelta(hours=1)
    )


def test_a_kata_meeting_page_runs_the_five_questions_with_obstacles_and_experiments(
    personas: Any, kata_meeting: Meeting
) -> None:
    # The learner (the client of a Kata engagement) takes part as fully as the coach.
    learner = as_user(personas.outsider)
    base = page_of(kata_meeting)
    page = learner.get(base).content.decode()
    assert "5. How quickly can we go and see what we have learned" in page
    assert "8. Contracting" not in page
    learner.post(base + "obstacles/", {"text": "Parts arrive late", "work_on_now": "on"})
    learner.post(base + "obstacles/", {"text": "Changeover takes 40 minutes"})
    parked = Obstacle.objects.get(text="Changeover takes 40 minutes")
    page = learner.get(base).content.decode()
    assert "Working on now: Parts arrive late." in page
    assert "In the parking lot: Changeover takes 40 minutes." in page
    response = learner.post(
        base + "experiments/",
        {"step": "Call the supplier at 7:30", "expected": "Parts by 8:00"},
        follow=True,
    )
    assert (
        "Next step: Call the supplier at 7:30. We expect: Parts by 8:00."
        in response.content.decode()
    )
    step = Experiment.objects.get()
    assert step.obstacle is not None
    assert step.obstacle.text == "Parts arrive late"
    response = learner.post(
        base + f"experiments/{step.pk}/reflect/",
        {"happened": "They came at 8:20", "learned": "Order a day ahead"},
        follow=True,
    )
    assert "What happened and what was learned are recorded." in response.content.decode()
    learner.post(base + f"obstacles/{parked.pk}/")  # work on this one now
    parked.refresh_from_db()
    assert parked.status == "current"
    assert Obstacle.objects.get(text="Parts arrive late").status == "parked"
    learner.post(base + f"obstacles/{parked.pk}/", {"clear": "yes"})
    parked.refresh_from_db()
    assert parked.status == "cleared"


def test_a_bad_kata_form_says_why_and_writes_nothing(personas: Any, kata_meeting: Meeting) -> None:
    response = as_user(personas.coach).post(
        page_of(kata_meeting) + "experiments/", {"step": "", "expected": "x"}, follow=True
    )
    assert response.status_code == 200
    assert "step" in response.content.decode()
    assert not Experiment.objects.exists()
