"""A token's scope: "read" may only read; "read_write" acts as its owner in full."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from leancoach.core.models import ApiToken
from leancoach.core.services import create_api_token

pytestmark = pytest.mark.django_db


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def an_action() -> dict[str, str]:
    return {
        "what": "Call the supplier",
        "due_on": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
    }


def test_a_read_token_reads(personas: Any, engagements: Any) -> None:
    _token, raw = create_api_token(user=personas.coach, name="report", scope="read")
    assert Client().get("/api/v1/me", headers=bearer(raw)).status_code == 200
    engagement = Client().get(f"/api/v1/engagements/{engagements.ours.pk}", headers=bearer(raw))
    assert engagement.status_code == 200


def test_a_read_token_cannot_write_and_is_told_its_scope(personas: Any, engagements: Any) -> None:
    _token, raw = create_api_token(user=personas.coach, name="report", scope="read")
    response = Client().post(
        f"/api/v1/engagements/{engagements.ours.pk}/actions",
        an_action(),
        content_type="application/json",
        headers=bearer(raw),
    )
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")
    assert "read" in response.json()["detail"]
    assert "scope" in response.json()["detail"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("put", "/api/v1/engagements/{pk}/agreements/1"),
        ("patch", "/api/v1/engagements/{pk}/actions/1"),
        ("delete", "/api/v1/me/calendar-feed"),
    ],
)
def test_a_read_token_is_refused_every_unsafe_method(
    personas: Any, engagements: Any, method: str, path: str
) -> None:
    _token, raw = create_api_token(user=personas.coach, name="report", scope="read")
    call = getattr(Client(), method)
    response = call(
        path.format(pk=engagements.ours.pk),
        "{}",
        content_type="application/json",
        headers=bearer(raw),
    )
    assert response.status_code == 403
    assert "read" in response.json()["detail"]


def test_a_read_write_token_writes(personas: Any, engagements: Any) -> None:
    _token, raw = create_api_token(user=personas.coach, name="upload", scope="read_write")
    response = Client(enforce_csrf_checks=True).post(
        f"/api/v1/engagements/{engagements.ours.pk}/actions",
        an_action(),
        content_type="application/json",
        headers=bearer(raw),
    )
    assert response.status_code == 201, response.content


def test_the_scope_is_chosen_on_the_profile_page_and_shown_in_the_list(
    client: Client, personas: Any
) -> None:
    client.force_login(personas.coach)
    client.post("/profile/", {"name": "reader", "scope": "read", "expires_in_days": "90"})
    client.post("/profile/", {"name": "writer", "scope": "read_write", "expires_in_days": "90"})
    assert dict(ApiToken.objects.values_list("name", "scope")) == {
        "reader": "read",
        "writer": "read_write",
    }
    page = client.get("/profile/").content.decode()
    assert "Read only" in page
    assert "Read and write" in page


def test_the_scope_is_chosen_through_the_api_and_shown_in_its_list(
    client: Client, personas: Any
) -> None:
    client.force_login(personas.coach)
    made = client.post(
        "/api/v1/tokens", {"name": "writer", "scope": "read_write"}, content_type="application/json"
    )
    assert made.status_code == 201
    assert made.json()["scope"] == "read_write"
    default = client.post("/api/v1/tokens", {"name": "plain"}, content_type="application/json")
    assert default.json()["scope"] == "read"
    listed = {token["name"]: token["scope"] for token in client.get("/api/v1/tokens").json()}
    assert listed == {"writer": "read_write", "plain": "read"}


def test_an_unknown_scope_is_refused_naming_the_field(client: Client, personas: Any) -> None:
    client.force_login(personas.coach)
    response = client.post(
        "/api/v1/tokens", {"name": "x", "scope": "admin"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "scope"
