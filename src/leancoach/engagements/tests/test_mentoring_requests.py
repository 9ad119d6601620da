from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from leancoach.core import access
from leancoach.engagements.models import Engagement, Kind, Status

pytestmark = pytest.mark.django_db


def ask(personas: Any, mentee: str = "client", mentor: str = "coach") -> Engagement:
    client = Client()
    client.force_login(getattr(personas, mentee))
    response = client.post(
        "/engagements/request-mentor/",
        {"mentor": f"{mentor}@example.com", "cadence": "monthly", "focus": "Grow as a leader"},
    )
    assert response.status_code == 302
    return Engagement.objects.get(kind=Kind.MENTORING)


def test_the_mentee_asks_and_the_mentor_sees_the_request(personas: Any) -> None:
    engagement = ask(personas)
    assert engagement.client == personas.person("client")
    assert engagement.coach == personas.person("coach")
    assert engagement.sponsor is None
    assert engagement.is_awaiting_mentor
    mentor = Client()
    mentor.force_login(personas.coach)
    page = mentor.get("/engagements/")
    assert [e.pk for e in page.context["waiting"]] == [engagement.pk]


def test_the_mentor_accepts(personas: Any) -> None:
    engagement = ask(personas)
    mentor = Client()
    mentor.force_login(personas.coach)
    mentor.post(f"/engagements/{engagement.pk}/answer/", {"accept": "yes"})
    engagement.refresh_from_db()
    assert engagement.accepted_at is not None
    assert engagement.status == Status.PROPOSED


def test_the_mentor_declines_and_the_request_closes_with_the_reason(personas: Any) -> None:
    engagement = ask(personas)
    mentor = Client()
    mentor.force_login(personas.coach)
    mentor.post(
        f"/engagements/{engagement.pk}/answer/", {"accept": "no", "reason": "No time this quarter"}
    )
    engagement.refresh_from_db()
    assert engagement.status == Status.CLOSED
    assert engagement.status_history.last().reason == "Declined by the mentor: No time this quarter"  # type: ignore[union-attr]


def test_the_mentee_cannot_answer_their_own_request(personas: Any) -> None:
    engagement = ask(personas)
    mentee = Client()
    mentee.force_login(personas.client)
    response = mentee.post(f"/engagements/{engagement.pk}/answer/", {"accept": "yes"}, follow=True)
    assert "You already accepted this" in response.content.decode()  # by asking
    engagement.refresh_from_db()
    assert engagement.is_awaiting_mentor


def test_asking_the_same_mentor_twice_is_refused_clearly(personas: Any) -> None:
    ask(personas)
    client = Client()
    client.force_login(personas.client)
    response = client.post(
        "/engagements/request-mentor/", {"mentor": "coach@example.com", "cadence": "monthly"}
    )
    assert response.status_code == 400
    assert b"already have a mentoring request" in response.content
    assert Engagement.objects.count() == 1


def test_mentoring_is_more_open_the_mentee_shapes_measures_and_the_agreement(personas: Any) -> None:
    engagement = ask(personas)
    mentee_role = access.role_in(personas.client, engagement)
    assert access.allowed(
        engagement.kind, access.Category.MEASURES, mentee_role, access.WRITE, frozenset()
    )
    assert access.allowed(
        engagement.kind, access.Category.AGREEMENT, mentee_role, access.WRITE, frozenset()
    )
    assert not access.allowed(
        engagement.kind, access.Category.PRIVATE_NOTES, mentee_role, access.READ, frozenset()
    )


def test_a_mentoring_agreement_proposes_open_sharing_by_default(personas: Any) -> None:
    from leancoach.engagements.services import default_terms

    engagement = ask(personas)
    assert all(
        value for name, value in default_terms(engagement).items() if name.startswith("share_")
    )
