"""A token expires: 90 days after it is made unless its owner chooses otherwise."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from leancoach.core.models import ApiToken
from leancoach.core.services import create_api_token

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[datetime.timedelta], None]:
    """Moves "now" forward by a given amount, relative to the real time the test started."""
    start = timezone.now()

    def advance(by: datetime.timedelta) -> None:
        monkeypatch.setattr(timezone, "now", lambda: start + by)

    advance(datetime.timedelta(0))
    return advance


def test_a_token_expires_ninety_days_after_it_is_made_by_default(
    personas: Any, clock: Callable[[datetime.timedelta], None]
) -> None:
    token, raw = create_api_token(user=personas.coach, name="script")
    assert token.expires_at == token.created_at + 90 * DAY
    clock(89 * DAY)
    assert Client().get("/api/v1/me", headers=bearer(raw)).status_code == 200
    clock(90 * DAY + datetime.timedelta(seconds=1))
    response = Client().get("/api/v1/me", headers=bearer(raw))
    assert response.status_code == 401
    assert "Authentication required" in response.json()["detail"]


def test_the_owner_chooses_a_shorter_expiry(
    personas: Any, clock: Callable[[datetime.timedelta], None]
) -> None:
    _token, raw = create_api_token(user=personas.coach, name="script", expires_in_days=7)
    clock(8 * DAY)
    assert Client().get("/api/v1/me", headers=bearer(raw)).status_code == 401


def test_a_token_without_expiry_keeps_working(
    personas: Any, clock: Callable[[datetime.timedelta], None]
) -> None:
    token, raw = create_api_token(user=personas.coach, name="script", expires_in_days=None)
    assert token.expires_at is None
    clock(3 * 365 * DAY)
    assert Client().get("/api/v1/me", headers=bearer(raw)).status_code == 200


def test_the_profile_page_sets_and_shows_the_expiry(client: Client, personas: Any) -> None:
    client.force_login(personas.coach)
    client.post("/profile/", {"name": "month", "scope": "read", "expires_in_days": "30"})
    client.post("/profile/", {"name": "forever", "scope": "read", "expires_in_days": "never"})
    month = ApiToken.objects.get(name="month")
    assert month.expires_at == month.created_at + 30 * DAY
    assert ApiToken.objects.get(name="forever").expires_at is None
    page = client.get("/profile/").content.decode()
    assert f"{timezone.localtime(month.expires_at):%Y-%m-%d}" in page
    assert "no expiry" in page


def test_the_profile_page_says_when_a_token_has_expired(
    client: Client, personas: Any, clock: Callable[[datetime.timedelta], None]
) -> None:
    create_api_token(user=personas.coach, name="old", expires_in_days=1)
    clock(2 * DAY)
    client.force_login(personas.coach)
    assert "expired" in client.get("/profile/").content.decode()


def test_the_api_sets_the_expiry_and_refuses_one_out_of_range(
    client: Client, personas: Any
) -> None:
    client.force_login(personas.coach)
    made = client.post(
        "/api/v1/tokens", {"name": "a", "expires_in_days": 10}, content_type="application/json"
    ).json()
    assert made["expires_at"] is not None
    forever = client.post(
        "/api/v1/tokens", {"name": "b", "expires_in_days": None}, content_type="application/json"
    ).json()
    assert forever["expires_at"] is None
    too_long = client.post(
        "/api/v1/tokens", {"name": "c", "expires_in_days": 366}, content_type="application/json"
    )
    assert too_long.status_code == 422
    assert too_long.json()["errors"][0]["field"] == "expires_in_days"
