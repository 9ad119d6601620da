"""A token's last use is recorded (at most a write a minute) and shown to its owner."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from leancoach.core.models import ApiToken
from leancoach.core.services import create_api_token

pytestmark = pytest.mark.django_db


def call(raw: str) -> None:
    assert Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 200


def test_the_last_use_is_recorded_and_shown_on_the_profile_page_and_in_the_api(
    client: Client, personas: Any
) -> None:
    token, raw = create_api_token(user=personas.coach, name="script")
    client.force_login(personas.coach)
    assert "never" in client.get("/profile/").content.decode()
    call(raw)
    token.refresh_from_db()
    assert token.last_used_at is not None
    shown = f"{timezone.localtime(token.last_used_at):%Y-%m-%d %H:%M}"
    assert shown in client.get("/profile/").content.decode()
    listed = client.get("/api/v1/tokens").json()[0]
    assert listed["last_used_at"] is not None


def test_the_last_use_is_written_at_most_once_a_minute(
    personas: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    token, raw = create_api_token(user=personas.coach, name="script")
    start = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: start)
    call(raw)
    token.refresh_from_db()
    first = token.last_used_at
    monkeypatch.setattr(timezone, "now", lambda: start + datetime.timedelta(seconds=30))
    call(raw)
    token.refresh_from_db()
    assert token.last_used_at == first
    monkeypatch.setattr(timezone, "now", lambda: start + datetime.timedelta(seconds=61))
    call(raw)
    token.refresh_from_db()
    assert token.last_used_at == start + datetime.timedelta(seconds=61)
    assert ApiToken.objects.count() == 1
