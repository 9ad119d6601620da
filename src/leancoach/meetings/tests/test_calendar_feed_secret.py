"""The feed's address is its own secret: shown once, kept as a hash, revoked and re-issued at
will; a revoked, replaced or unknown address is a 404 (issue 5)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from leancoach.meetings.models import FeedToken
from leancoach.testing.calendars import (
    fetch,
    issue_on_profile_page,
    issue_through_api,
    parse,
    signed_in,
)

pytestmark = pytest.mark.django_db


def status_of(path: str) -> int:
    return Client().get(path).status_code


def test_re_issuing_on_the_profile_page_makes_the_old_address_404(personas: Any) -> None:
    old = issue_on_profile_page(personas.client)
    assert parse(fetch(old))
    new = issue_on_profile_page(personas.client)
    assert new != old
    assert status_of(old) == 404
    assert parse(fetch(new))


def test_re_issuing_through_the_api_makes_the_old_address_404(personas: Any) -> None:
    old = issue_on_profile_page(personas.coach)
    new = issue_through_api(personas.coach)
    assert status_of(old) == 404
    assert parse(fetch(new))
    newer = issue_through_api(personas.coach)
    assert status_of(new) == 404
    assert status_of(newer) == 200


def test_revoking_on_the_profile_page_makes_the_address_404(personas: Any) -> None:
    path = issue_on_profile_page(personas.client)
    response = signed_in(personas.client).post(reverse("meetings:feed_revoke"), follow=True)
    assert response.status_code == 200
    assert "You have no calendar address." in response.content.decode()
    assert status_of(path) == 404


def test_revoking_through_the_api_makes_the_address_404(personas: Any) -> None:
    path = issue_through_api(personas.client)
    response = signed_in(personas.client).delete("/api/v1/me/calendar-feed")
    assert response.status_code == 204
    assert status_of(path) == 404
    # Revoking again is harmless.
    assert signed_in(personas.client).delete("/api/v1/me/calendar-feed").status_code == 204


def test_an_unknown_or_malformed_address_is_404(personas: Any) -> None:
    issue_through_api(personas.client)
    for token in ("cal_unknown", "x", "cal_" + "A" * 43, "%00", "..", "cal_%2F"):
        assert status_of(f"/calendar/{token}.ics") == 404, token


def test_the_feed_of_a_deactivated_login_is_404(personas: Any) -> None:
    path = issue_through_api(personas.client)
    personas.client.is_active = False
    personas.client.save()
    assert status_of(path) == 404


def test_the_address_is_shown_once_and_only_its_hash_is_kept(personas: Any) -> None:
    path = issue_on_profile_page(personas.client)
    raw = path.removeprefix("/calendar/").removesuffix(".ics")
    assert raw.startswith("cal_")
    assert len(raw) > 40
    stored = FeedToken.objects.get(person=personas.person("client"), revoked_at__isnull=True)
    assert raw not in stored.key_hash
    page = signed_in(personas.client).get(reverse("profile")).content.decode()
    assert raw not in page
    assert "You have a calendar address in use." in page


def test_issuing_a_feed_needs_a_login(personas: Any) -> None:
    assert Client().post("/api/v1/me/calendar-feed").status_code == 401
    assert Client().delete("/api/v1/me/calendar-feed").status_code == 401
    response = Client().post(reverse("meetings:feed_issue"))
    assert response.status_code == 302
    assert "/login" in response["Location"]
    assert not FeedToken.objects.exists()


def test_a_calendar_program_may_ask_for_the_feed_with_head(personas: Any) -> None:
    path = issue_on_profile_page(personas.client)
    response = Client().head(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
