"""An admin gives an existing person a login from the person's page (no CSV re-upload): an
invitation e-mail with a set-password link that expires and works once (issue 10, finding 12)."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.test import Client

from leancoach.core.models import AuditEvent, User
from leancoach.people.models import Person

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-fresh-and-long-passphrase"


@pytest.fixture
def imported(personas: Any) -> Person:
    """Someone the CSV import brought in without a login."""
    return Person.objects.create(
        email="ivy.imported@example.com", name="Ivy Imported", team=personas.teams["line"]
    )


@pytest.fixture
def as_admin(client: Client, personas: Any) -> Client:
    client.force_login(personas.admin)
    return client


def invite(client: Client, person: Person) -> Any:
    return client.post(f"/people/{person.pk}/login/invite/", follow=True)


def link_in(message: Any) -> str:
    found = re.search(r"https?://[^/\s]+(/accounts/reset/\S+)", str(message.body))
    assert found is not None, message.body
    return found.group(1)


def choose_password(link: str) -> Any:
    """Follow the link in a fresh browser and set a password; the last response."""
    browser = Client()
    form_page = browser.get(link, follow=True)
    if b"Choose a new password" not in form_page.content:
        return form_page
    return browser.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )


def test_the_invitation_makes_a_login_and_its_link_sets_the_first_password(
    as_admin: Client, imported: Person
) -> None:
    page = invite(as_admin, imported)
    assert "Invitation sent to ivy.imported@example.com" in page.content.decode()
    imported.refresh_from_db()
    user = imported.user
    assert user is not None
    assert user.username == "ivy.imported@example.com"
    assert not user.has_usable_password()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ivy.imported@example.com"]
    assert "Ivy Imported" in mail.outbox[0].body
    assert "Alex Admin" in mail.outbox[0].body

    done = choose_password(link_in(mail.outbox[0]))
    assert b"Your password is set" in done.content
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_the_invited_person_signs_in_with_the_password_they_chose(
    as_admin: Client, imported: Person
) -> None:
    invite(as_admin, imported)
    choose_password(link_in(mail.outbox[0]))
    browser = Client()
    signed_in = browser.post(
        "/accounts/login/",
        {"username": "ivy.imported@example.com", "password": NEW_PASSWORD},
        follow=True,
    )
    assert signed_in.context["user"].is_authenticated
    assert signed_in.context["user"].person == imported


def test_the_link_works_once(as_admin: Client, imported: Person) -> None:
    invite(as_admin, imported)
    link = link_in(mail.outbox[0])
    choose_password(link)
    again = Client().get(link, follow=True)
    assert b"This link no longer works" in again.content


def test_the_link_expires_after_the_password_reset_timeout(
    as_admin: Client, imported: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    invite(as_admin, imported)
    link = link_in(mail.outbox[0])
    sent = datetime.datetime.now()
    later = sent + datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    monkeypatch.setattr(PasswordResetTokenGenerator, "_now", lambda self: later)
    expired = Client().get(link, follow=True)
    assert b"This link no longer works" in expired.content
    imported.refresh_from_db()
    assert imported.user is not None
    assert not imported.user.has_usable_password()


def test_an_invitation_can_be_sent_again(as_admin: Client, imported: Person) -> None:
    invite(as_admin, imported)
    page = invite(as_admin, imported)
    assert "Invitation sent" in page.content.decode()
    assert len(mail.outbox) == 2
    assert User.objects.filter(username="ivy.imported@example.com").count() == 1
    assert b"Your password is set" in choose_password(link_in(mail.outbox[1])).content


def test_someone_with_a_password_is_not_invited(
    as_admin: Client, personas: Any, imported: Person
) -> None:
    personas.client.set_password("their-own-long-password")
    personas.client.save()
    page = invite(as_admin, personas.person("client"))
    assert "Casey Client already has a password" in page.content.decode()
    assert mail.outbox == []
    personas.client.refresh_from_db()
    assert personas.client.check_password("their-own-long-password")


def test_a_disabled_login_is_not_invited(as_admin: Client, personas: Any) -> None:
    personas.client.is_active = False
    personas.client.save()
    page = invite(as_admin, personas.person("client"))
    assert "login is disabled; enable it before inviting" in page.content.decode()
    assert mail.outbox == []


def test_each_invitation_is_in_the_audit_log(as_admin: Client, imported: Person) -> None:
    invite(as_admin, imported)
    event = AuditEvent.objects.get(what="login.invited")
    assert event.actor_role == "admin"
    assert event.actor_label == "Alex Admin <admin@example.com>"
    assert "ivy.imported@example.com" in event.detail
    assert event.what_label == "invited someone to sign in"


@pytest.mark.parametrize("role", ["coach", "client", "sponsor", "outsider"])
def test_only_an_admin_invites(client: Client, personas: Any, imported: Person, role: str) -> None:
    client.force_login(getattr(personas, role))
    assert client.post(f"/people/{imported.pk}/login/invite/").status_code == 403
    assert client.get(f"/people/{imported.pk}/").content.count(b"login/invite") == 0
    imported.refresh_from_db()
    assert imported.user is None
    assert mail.outbox == []


def test_the_person_page_offers_the_invitation_to_an_admin(
    as_admin: Client, imported: Person, personas: Any
) -> None:
    page = as_admin.get(f"/people/{imported.pk}/").content.decode()
    assert "No login: cannot sign in." in page
    assert "Invite Ivy Imported to sign in" in page
    invited = as_admin.get(f"/people/{personas.person('client').pk}/").content.decode()
    assert "has not chosen a password yet" in invited
    assert "Send the invitation again" in invited


def test_the_api_invites_and_refuses_a_second_login_with_a_clear_message(
    as_admin: Client, imported: Person, personas: Any
) -> None:
    response = as_admin.post(f"/api/v1/people/{imported.pk}/login/invite")
    assert response.status_code == 200
    assert response.json()["state"] == "invited"
    assert len(mail.outbox) == 1
    personas.coach.set_password("the-coach-long-password")
    personas.coach.save()
    refused = as_admin.post(f"/api/v1/people/{personas.person('coach').pk}/login/invite")
    assert refused.status_code == 409
    assert "already has a password" in refused.json()["detail"]


def test_the_api_refuses_a_non_admin(client: Client, personas: Any, imported: Person) -> None:
    client.force_login(personas.coach)
    assert client.post(f"/api/v1/people/{imported.pk}/login/invite").status_code == 403
