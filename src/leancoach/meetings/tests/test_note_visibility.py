"""Who reads which meeting notes: private (the coach only, never shareable), shared with the
client, or in the summary the sponsor reads if the agreement shares meeting summaries."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from leancoach.engagements import services as engagement_services
from leancoach.meetings import services

pytestmark = pytest.mark.django_db

PRIVATE = "CANARY-private-7f3a"
SHARED = "shared-note-about-the-huddle"
SUMMARY = "summary-the-team-raised-three-problems"


@pytest.fixture
def noted(engagements: Any, meeting: Any) -> Any:
    coach = engagements.ours.coach
    services.add_private_meeting_note(meeting=meeting, by=coach, item="feedback", text=PRIVATE)
    services.add_meeting_note(
        meeting=meeting, by=coach, item="facts", visibility="shared", text=SHARED
    )
    services.add_meeting_note(
        meeting=meeting,
        by=engagements.ours.client,
        item="recognition",
        visibility="summary",
        text=SUMMARY,
    )
    services.close_meeting(meeting=meeting, by=coach)
    return meeting


def get(user: Any, path: str) -> tuple[int, str]:
    client = Client()
    client.force_login(user)
    response = client.get(path)
    return response.status_code, response.content.decode()


def share_summaries(engagement: Any) -> None:
    version = engagement_services.propose_agreement(
        request=None,
        engagement=engagement,
        by=engagement.coach,
        role="coach",
        terms={"share_meeting_summaries": True},
    )
    for person in (engagement.coach, engagement.client, engagement.sponsor):
        engagement_services.sign_agreement(request=None, agreement=version, person=person)


def meeting_path(meeting: Any) -> str:
    return f"/engagements/{meeting.engagement_id}/meetings/{meeting.pk}/"


def test_the_coach_reads_every_note_on_the_meeting_page(personas: Any, noted: Any) -> None:
    status, page = get(personas.coach, meeting_path(noted))
    assert status == 200
    assert PRIVATE in page
    assert SHARED in page
    assert SUMMARY in page


def test_the_client_reads_shared_and_summary_notes_never_the_private_one(
    personas: Any, noted: Any
) -> None:
    status, page = get(personas.client, meeting_path(noted))
    assert status == 200
    assert SHARED in page
    assert SUMMARY in page
    assert PRIVATE not in page


def test_the_sponsor_cannot_open_the_meeting_page(personas: Any, noted: Any) -> None:
    status, page = get(personas.sponsor, meeting_path(noted))
    assert status == 403
    assert PRIVATE not in page


def test_the_sponsor_reads_no_summary_while_the_agreement_does_not_share_them(
    personas: Any, noted: Any
) -> None:
    status, page = get(personas.sponsor, f"/engagements/{noted.engagement_id}/summaries/")
    assert status == 403
    assert SUMMARY not in page


def test_the_sponsor_reads_only_the_summary_once_it_is_shared(
    personas: Any, engagements: Any, noted: Any
) -> None:
    share_summaries(engagements.ours)
    status, page = get(personas.sponsor, f"/engagements/{noted.engagement_id}/summaries/")
    assert status == 200
    assert SUMMARY in page
    assert SHARED not in page
    assert PRIVATE not in page
    status, page = get(personas.sponsor, f"/engagements/{noted.engagement_id}/")
    assert "Read the meeting summaries" in page
    assert PRIVATE not in page


def test_the_private_note_is_in_no_page_the_client_sponsor_or_admin_can_open(
    personas: Any, engagements: Any, noted: Any
) -> None:
    share_summaries(engagements.ours)
    engagement = engagements.ours
    paths = [
        f"/engagements/{engagement.pk}/",
        meeting_path(noted),
        f"/engagements/{engagement.pk}/meetings/",
        f"/engagements/{engagement.pk}/summaries/",
        f"/engagements/{engagement.pk}/actions/log/",
        "/",
        "/my/actions/",
    ]
    for role in ("client", "sponsor", "admin", "outsider"):
        for path in paths:
            _status, page = get(getattr(personas, role), path)
            assert PRIVATE not in page, f"{role} read the private note at {path}"


def test_the_client_may_write_shared_and_summary_notes_but_not_private_ones(
    personas: Any, meeting: Any
) -> None:
    client = Client()
    client.force_login(personas.client)
    base = meeting_path(meeting)
    assert (
        client.post(base + "notes/shared/", {"item": "feedback", "text": "I need help"}).status_code
        == 302
    )
    assert (
        client.post(base + "notes/summary/", {"item": "feedback", "text": "Agreed"}).status_code
        == 302
    )
    assert (
        client.post(base + "notes/private/", {"item": "feedback", "text": "x"}).status_code == 403
    )
    assert meeting.notes.count() == 2
    assert meeting.private_notes.count() == 0


def test_a_note_on_an_unknown_agenda_item_is_refused_with_a_message(
    personas: Any, meeting: Any
) -> None:
    client = Client()
    client.force_login(personas.coach)
    response = client.post(
        meeting_path(meeting) + "notes/shared/", {"item": "gossip", "text": "x"}, follow=True
    )
    assert response.status_code == 200
    assert "is not an item of this agenda" in response.content.decode()
    assert meeting.notes.count() == 0
