from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from leancoach.core.services import create_api_token, revoke_api_token

pytestmark = pytest.mark.django_db


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_an_unauthenticated_call_gets_401_with_a_json_body(client: Client) -> None:
    response = client.get("/api/v1/people")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert "Authentication required" in response.json()["detail"]


def test_a_personal_token_authenticates_a_script(client: Client, personas: Any) -> None:
    _token, raw = create_api_token(user=personas.coach, name="script")
    response = client.get("/api/v1/me", headers=bearer(raw))
    assert response.status_code == 200
    assert response.json()["email"] == "coach@example.com"
    assert response.json()["person"]["name"] == "Cora Coach"


def test_tokens_are_stored_hashed(personas: Any) -> None:
    token, raw = create_api_token(user=personas.coach, name="script")
    assert raw not in (token.key_hash, token.hint)
    assert len(token.key_hash) == 64


def test_a_revoked_token_fails(client: Client, personas: Any) -> None:
    token, raw = create_api_token(user=personas.coach, name="script")
    revoke_api_token(token=token)
    assert client.get("/api/v1/me", headers=bearer(raw)).status_code == 401


def test_a_made_up_token_fails(client: Client, personas: Any) -> None:
    assert client.get("/api/v1/me", headers=bearer("lc_not-a-real-token")).status_code == 401


def test_a_token_of_a_deactivated_login_fails(client: Client, personas: Any) -> None:
    _token, raw = create_api_token(user=personas.coach, name="script")
    personas.coach.is_active = False
    personas.coach.save()
    assert client.get("/api/v1/me", headers=bearer(raw)).status_code == 401


def test_a_token_can_post_without_a_csrf_token(personas: Any) -> None:
    _token, raw = create_api_token(user=personas.coach, name="script", scope="read_write")
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        "/api/v1/me/calendar-feed", content_type="application/json", headers=bearer(raw)
    )
    assert response.status_code == 201
    assert "/calendar/" in response.json()["url"]


def test_a_session_post_without_csrf_is_refused(personas: Any) -> None:
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(personas.coach)
    response = strict.post("/api/v1/tokens", {"name": "x"}, content_type="application/json")
    assert response.status_code == 403


def test_the_browser_session_authenticates_reads(client: Client, personas: Any) -> None:
    client.force_login(personas.client)
    assert client.get("/api/v1/me").json()["email"] == "client@example.com"


def test_a_token_can_be_revoked_through_the_api_by_its_owner_only(
    client: Client, personas: Any
) -> None:
    token, raw = create_api_token(user=personas.coach, name="script")
    client.force_login(personas.outsider)
    assert client.delete(f"/api/v1/tokens/{token.pk}").status_code == 404
    assert Client().get("/api/v1/me", headers=bearer(raw)).status_code == 200
    client.force_login(personas.coach)
    assert client.delete(f"/api/v1/tokens/{token.pk}").status_code == 200
    assert Client().get("/api/v1/me", headers=bearer(raw)).status_code == 401


def test_a_token_without_a_name_is_refused_naming_the_field(client: Client, personas: Any) -> None:
    client.force_login(personas.coach)
    response = client.post("/api/v1/tokens", {"name": "  "}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "name"


def test_a_body_too_large_gets_a_413_in_json_not_a_500(client: Client, personas: Any) -> None:
    client.force_login(personas.coach)
    response = client.post(
        "/api/v1/engagements",
        "{" + " " * (3 * 1024 * 1024) + "}",
        content_type="application/json",
    )
    assert response.status_code == 413
    assert "larger than 2.5 MB" in response.json()["detail"]
