from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from leancoach.core.models import ApiToken

pytestmark = pytest.mark.django_db


def new_token(name: str) -> dict[str, str]:
    return {"name": name, "scope": "read", "expires_in_days": "90"}


def test_a_token_created_on_the_profile_page_is_shown_once_and_works(
    client: Client, personas: Any
) -> None:
    client.force_login(personas.coach)
    response = client.post("/profile/", new_token("KPI upload"))
    raw = response.context["new_token"]
    assert raw.startswith("lc_")
    assert raw.encode() not in client.get("/profile/").content
    api = Client()
    assert api.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200


def test_revoking_on_the_profile_page_stops_the_token(client: Client, personas: Any) -> None:
    client.force_login(personas.coach)
    raw = client.post("/profile/", new_token("KPI upload")).context["new_token"]
    token = ApiToken.objects.get(user=personas.coach)
    assert client.post(f"/profile/tokens/{token.pk}/revoke/").status_code == 302
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_nobody_can_revoke_another_persons_token(client: Client, personas: Any) -> None:
    client.force_login(personas.coach)
    client.post("/profile/", new_token("mine"))
    token = ApiToken.objects.get(user=personas.coach)
    client.force_login(personas.admin)
    assert client.post(f"/profile/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.is_active


def test_a_nameless_token_is_a_form_error(client: Client, personas: Any) -> None:
    client.force_login(personas.coach)
    response = client.post("/profile/", new_token(""))
    assert response.status_code == 400
    assert response.context["form"].errors["name"]
    assert not ApiToken.objects.exists()


def test_the_profile_page_lists_tokens_in_few_queries(
    client: Client, personas: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(personas.coach)
    for n in range(5):
        client.post("/profile/", new_token(f"token {n}"))
    with django_assert_max_num_queries(5):
        response = client.get("/profile/")
    assert len(response.context["tokens"]) == 5


def test_the_api_lists_tokens_in_few_queries(
    client: Client, personas: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(personas.coach)
    for n in range(5):
        client.post("/profile/", new_token(f"token {n}"))
    with django_assert_max_num_queries(4):
        response = client.get("/api/v1/tokens")
    assert len(response.json()) == 5
