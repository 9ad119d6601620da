"""A "not blank" field means the same to the published schema and to the server.

The schema's pattern spells whitespace out rather than writing ``\\s``: readers of the
OpenAPI document (ECMAScript regular expressions, schemathesis) and the server disagree
on what ``\\s`` matches, and schemathesis found a token name of one U+0085 that the
schema allowed and the server refused.
"""

from __future__ import annotations

import re
import sys
from typing import Any

import pytest
from django.test import Client

from leancoach.core.schemas import SOME_TEXT

pytestmark = pytest.mark.django_db

WHITESPACE = [chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace()]


def test_the_pattern_refuses_exactly_what_strip_removes() -> None:
    pattern = re.compile(SOME_TEXT)
    assert "\\s" not in SOME_TEXT
    for character in WHITESPACE:
        assert not pattern.match(character * 2), repr(character)
    for text in ("a", " a ", "\ufeff", "\u200b"):  # zero-width characters are not whitespace
        assert pattern.match(text), repr(text)


def test_the_server_refuses_a_blank_name_with_a_422_naming_it(personas: Any) -> None:
    client = Client()
    client.force_login(personas.coach)
    for character in ("\x85", "\u3000", "\x1c"):
        response = client.post(
            "/api/v1/tokens", {"name": character}, content_type="application/json"
        )
        assert response.status_code == 422, repr(character)
        assert [error["field"] for error in response.json()["errors"]] == ["name"]
