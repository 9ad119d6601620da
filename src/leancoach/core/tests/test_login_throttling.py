from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from leancoach.core.models import User
from leancoach.testing.personas import PASSWORD

pytestmark = pytest.mark.django_db


def attempt(client: Client, username: str, password: str) -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password})


@pytest.fixture
def known(personas: Any) -> User:
    user: User = personas.coach
    user.set_password(PASSWORD)
    user.save()
    return user


def test_a_correct_password_signs_in(client: Client, known: User) -> None:
    response = attempt(client, "coach@example.com", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_the_email_is_not_case_sensitive(client: Client, known: User) -> None:
    assert attempt(client, "Coach@Example.com", PASSWORD).status_code == 302


def test_lock_out_starts_after_at_most_ten_failures(client: Client, known: User) -> None:
    assert settings.AXES_FAILURE_LIMIT <= 10
    statuses = [
        attempt(client, "coach@example.com", "wrong").status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses[:-1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    locked = attempt(client, "coach@example.com", PASSWORD)
    assert locked.status_code == 429
    assert b"Too many failed sign-ins" in locked.content
    assert "_auth_user_id" not in client.session


def test_unknown_and_known_accounts_get_the_same_replies(client: Client, known: User) -> None:
    def replies(username: str) -> list[tuple[int, bytes]]:
        fresh = Client()
        out = []
        for _ in range(settings.AXES_FAILURE_LIMIT + 1):
            response = attempt(fresh, username, "wrong")
            body = response.content.replace(username.encode(), b"USER")
            # the CSRF token differs per response; compare the page without it
            out.append(
                (
                    response.status_code,
                    b"\n".join(line for line in body.splitlines() if b"csrf" not in line.lower()),
                )
            )
        return out

    assert replies("coach@example.com") == replies("nobody@example.com")


def test_stored_password_hashes_are_argon2(known: User) -> None:
    known.refresh_from_db()
    assert known.password.startswith("argon2$argon2id$")


def test_a_weak_password_is_refused_by_the_validators(client: Client, known: User) -> None:
    client.force_login(known)
    response = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": "password", "new_password2": "password"},
    )
    assert response.status_code == 200
    assert b"too common" in response.content
