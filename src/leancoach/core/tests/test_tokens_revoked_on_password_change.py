"""Changing a password by any path revokes every API token of the login; a hash upgrade does not."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.core.management import call_command
from django.test import Client

from leancoach.core.models import ApiToken, User
from leancoach.core.services import create_api_token, create_or_update_admin
from leancoach.testing.personas import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-long-passphrase"


def works(raw: str) -> bool:
    return Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 200


@pytest.fixture
def coach_with_password(personas: Any) -> User:
    user: User = personas.coach
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def raw(coach_with_password: User) -> str:
    return create_api_token(user=coach_with_password, name="script", scope="read_write")[1]


def test_the_password_change_form_revokes_tokens(coach_with_password: User, raw: str) -> None:
    browser = Client()
    browser.force_login(coach_with_password)
    response = browser.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert not works(raw)
    token = ApiToken.objects.get()
    assert token.revoked_reason == "password changed"


def test_the_password_reset_link_revokes_tokens(coach_with_password: User, raw: str) -> None:
    browser = Client()
    browser.post("/accounts/password_reset/", {"email": "coach@example.com"})
    link = re.search(r"http://testserver(/accounts/reset/\S+)", str(mail.outbox[0].body))
    assert link is not None
    form_page = browser.get(link.group(1), follow=True)
    browser.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert not works(raw)


def test_set_password_in_code_revokes_tokens(coach_with_password: User, raw: str) -> None:
    user = User.objects.get(pk=coach_with_password.pk)
    user.set_password(NEW_PASSWORD)
    user.save()
    assert not works(raw)


def test_making_the_password_unusable_revokes_tokens(coach_with_password: User, raw: str) -> None:
    user = User.objects.get(pk=coach_with_password.pk)
    user.set_unusable_password()
    user.save()
    assert not works(raw)


def test_assigning_a_password_hash_directly_revokes_tokens(
    coach_with_password: User, raw: str
) -> None:
    user = User.objects.get(pk=coach_with_password.pk)
    user.password = make_password(NEW_PASSWORD)
    user.save(update_fields=["password"])
    assert not works(raw)


def test_the_changepassword_command_revokes_tokens(
    coach_with_password: User, raw: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("getpass.getpass", lambda prompt="": NEW_PASSWORD)
    call_command("changepassword", "coach@example.com")
    assert not works(raw)


def test_createadmin_with_a_new_password_revokes_tokens(personas: Any) -> None:
    _token, raw = create_api_token(user=personas.admin, name="admin script")
    create_or_update_admin(email="admin@example.com", password=NEW_PASSWORD)
    assert not works(raw)


def test_saving_the_login_for_another_reason_keeps_tokens(
    coach_with_password: User, raw: str
) -> None:
    user = User.objects.get(pk=coach_with_password.pk)
    user.reminders = "weekly"
    user.save()
    user.check_password(PASSWORD)  # a correct password check, with no hash upgrade due
    assert works(raw)


def test_upgrading_the_password_hash_keeps_tokens(
    coach_with_password: User, raw: str, settings: Any
) -> None:
    # A login after the hasher's parameters change re-hashes the same password: not a change.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        *settings.PASSWORD_HASHERS,
    ]
    user = User.objects.get(pk=coach_with_password.pk)
    old_hash = user.password
    assert user.check_password(PASSWORD)
    user.refresh_from_db()
    assert user.password != old_hash  # upgraded
    assert works(raw)
