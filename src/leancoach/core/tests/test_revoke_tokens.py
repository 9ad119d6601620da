"""core.services.revoke_tokens: what disabling a login (and a password change) calls."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from leancoach.core.models import ApiToken
from leancoach.core.services import create_api_token, revoke_api_token, revoke_tokens

pytestmark = pytest.mark.django_db


def works(raw: str) -> bool:
    return Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 200


def test_revoke_tokens_stops_every_token_of_the_login_and_says_why(personas: Any) -> None:
    raws = [create_api_token(user=personas.coach, name=f"t{n}")[1] for n in range(3)]
    _other, other_raw = create_api_token(user=personas.client, name="theirs")
    assert revoke_tokens(user=personas.coach, reason="login disabled") == 3
    assert not any(works(raw) for raw in raws)
    assert works(other_raw)
    assert set(
        ApiToken.objects.filter(user=personas.coach).values_list("revoked_reason", flat=True)
    ) == {"login disabled"}


def test_revoke_tokens_keeps_the_first_revocation(personas: Any) -> None:
    token, _ = create_api_token(user=personas.coach, name="early")
    revoke_api_token(token=token)
    token.refresh_from_db()
    first = token.revoked_at
    assert revoke_tokens(user=personas.coach, reason="login disabled") == 0
    token.refresh_from_db()
    assert (token.revoked_at, token.revoked_reason) == (first, "revoked by its owner")


def test_revoke_tokens_takes_keyword_arguments_only(personas: Any) -> None:
    with pytest.raises(TypeError):
        revoke_tokens(personas.coach, "login disabled")  # type: ignore[misc]


def test_a_revoked_token_shows_why_on_the_profile_page(client: Client, personas: Any) -> None:
    create_api_token(user=personas.coach, name="script")
    revoke_tokens(user=personas.coach, reason="login disabled")
    client.force_login(personas.coach)
    assert "login disabled" in client.get("/profile/").content.decode()
