"""Asking for a password reset does the same work, while the request is answered, for an
address that has a login and for one that has none, so its timing tells nobody which
addresses are real. The e-mail is built and sent after the response.

Work is counted (queries, templates rendered, e-mails sent), never timed.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.test import RequestFactory
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext
from django.urls import resolve

pytestmark = pytest.mark.django_db

PATH = "/accounts/password_reset/"


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Any) -> int:
        raise ConnectionRefusedError("the mail server is down")


def ask_for_a_reset(email: str) -> tuple[Any, dict[str, Any]]:
    """The view's response, not yet closed, and the work done until it was returned."""
    request = RequestFactory().post(PATH, {"email": email})
    request._dont_enforce_csrf_checks = True  # type: ignore[attr-defined]  # the form, not CSRF, is tested
    templates: list[str] = []
    sent_before = len(mail.outbox)

    def rendered(sender: Any, template: Any, **kwargs: Any) -> None:
        templates.append(template.name)

    template_rendered.connect(rendered)
    try:
        with CaptureQueriesContext(connection) as queries:
            response = resolve(PATH).func(request)
    finally:
        template_rendered.disconnect(rendered)
    work = {
        "status": response.status_code,
        "location": response["Location"],
        "queries": [re.sub(r"'[^']*'|%s|\?", "_", query["sql"]) for query in queries],
        "templates": templates,
        "emails_sent": len(mail.outbox) - sent_before,
    }
    return response, work


def test_a_known_and_an_unknown_address_do_the_same_work_during_the_request(
    personas: Any, mailoutbox: list[Any]
) -> None:
    known_response, known = ask_for_a_reset("client@example.com")
    unknown_response, unknown = ask_for_a_reset("nobody@example.com")
    assert known == unknown
    assert known["emails_sent"] == 0
    known_response.close()
    unknown_response.close()


def test_the_known_address_gets_its_email_once_the_response_is_sent(
    personas: Any, mailoutbox: list[Any]
) -> None:
    response, _work = ask_for_a_reset("client@example.com")
    assert mailoutbox == []
    response.close()  # what the WSGI server does after sending the response
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["client@example.com"]
    assert "/accounts/reset/" in str(mailoutbox[0].body)


def test_the_unknown_address_gets_nothing_after_the_response_either(
    personas: Any, mailoutbox: list[Any]
) -> None:
    response, _work = ask_for_a_reset("nobody@example.com")
    response.close()
    assert mailoutbox == []


def test_through_the_whole_stack_the_mail_still_arrives(
    client: Any, personas: Any, mailoutbox: list[Any]
) -> None:
    response = client.post(PATH, {"email": "Client@Example.com"})
    assert response.status_code == 302
    assert [message.to for message in mailoutbox] == [["client@example.com"]]


def test_a_mail_server_that_fails_after_the_response_is_logged_not_raised(
    personas: Any, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    response, _work = ask_for_a_reset("client@example.com")
    response.close()
    assert "Failed to send password reset email" in caplog.text
