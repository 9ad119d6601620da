"""A request for a host the app does not serve (a scanner, a misrouted proxy) is a plain 400
and one log line, not a 500 with tracebacks."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _production_like(settings: Any) -> None:
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["coach.example.org"]


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/api/v1/me", "/no-such-page/"])
def test_a_bad_host_is_a_400_with_one_log_line_and_no_traceback(
    caplog: pytest.LogCaptureFixture, path: str
) -> None:
    caplog.set_level(logging.INFO)
    response = Client(raise_request_exception=False).get(path, HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert b"Bad request" in response.content
    assert len(caplog.records) == 1, [record.getMessage() for record in caplog.records]
    (record,) = caplog.records
    assert "evil.example" in record.getMessage()
    assert record.exc_info is None
    assert "Traceback" not in caplog.text


def test_a_good_host_still_gets_the_page(caplog: pytest.LogCaptureFixture) -> None:
    response = Client().get("/accounts/login/", HTTP_HOST="coach.example.org")
    assert response.status_code == 200
