from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_person_without_a_password_sets_one_through_the_reset_link(
    client: Client, personas: Any
) -> None:
    assert not personas.client.has_usable_password()
    response = client.post("/accounts/password_reset/", {"email": "client@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["client@example.com"]
    link = re.search(r"http://testserver(/accounts/reset/\S+)", str(mail.outbox[0].body))
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    assert b"Choose a new password" in form_page.content
    new_password = "a-fresh-and-long-passphrase"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code == 302
    personas.client.refresh_from_db()
    assert personas.client.check_password(new_password)


def test_an_unknown_address_gets_the_same_reply_and_no_mail(client: Client, personas: Any) -> None:
    known = client.post("/accounts/password_reset/", {"email": "client@example.com"})
    unknown = client.post("/accounts/password_reset/", {"email": "nobody@example.com"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mail.outbox) == 1


def test_a_deactivated_login_gets_no_mail(client: Client, personas: Any) -> None:
    personas.client.is_active = False
    personas.client.save()
    client.post("/accounts/password_reset/", {"email": "client@example.com"})
    assert mail.outbox == []
