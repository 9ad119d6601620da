"""Token management needs the browser session: a stolen token cannot mint, list or revoke tokens."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from leancoach.core.models import ApiToken
from leancoach.core.services import create_api_token

pytestmark = pytest.mark.django_db


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def test_a_token_cannot_create_a_token(personas: Any) -> None:
    _token, raw = create_api_token(user=personas.coach, name="stolen", scope="read_write")
    response = Client().post(
        "/api/v1/tokens", {"name": "more"}, content_type="application/json", headers=bearer(raw)
    )
    assert response.status_code == 403
    assert "browser session" in response.json()["detail"]
    assert ApiToken.objects.count() == 1


def test_a_token_cannot_list_tokens(personas: Any) -> None:
    _token, raw = create_api_token(user=personas.coach, name="stolen", scope="read_write")
    response = Client().get("/api/v1/tokens", headers=bearer(raw))
    assert response.status_code == 403
    assert "browser session" in response.json()["detail"]


def test_a_token_cannot_revoke_tokens(personas: Any) -> None:
    other, _ = create_api_token(user=personas.coach, name="nightly", scope="read_write")
    _token, raw = create_api_token(user=personas.coach, name="stolen", scope="read_write")
    response = Client().delete(f"/api/v1/tokens/{other.pk}", headers=bearer(raw))
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.is_active


def test_the_browser_session_manages_tokens_with_csrf(personas: Any) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(personas.coach)
    browser.get("/profile/")
    csrf = {"X-CSRFToken": browser.cookies["csrftoken"].value}
    made = browser.post(
        "/api/v1/tokens", {"name": "mine"}, content_type="application/json", headers=csrf
    )
    assert made.status_code == 201
    assert [token["name"] for token in browser.get("/api/v1/tokens").json()] == ["mine"]
    assert browser.delete(f"/api/v1/tokens/{made.json()['id']}", headers=csrf).status_code == 200


def test_a_session_without_csrf_cannot_create_a_token(personas: Any) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(personas.coach)
    response = browser.post("/api/v1/tokens", {"name": "x"}, content_type="application/json")
    assert response.status_code == 403
    assert not ApiToken.objects.exists()
