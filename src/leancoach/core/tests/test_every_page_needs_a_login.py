"""Generated from the URL configuration: a new page that forgets its login rule fails here."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

# Pages that must work signed out: signing in, setting a password, and the health check.
PUBLIC = {
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "health",
}
SAMPLE_ARGS = {"pk": "1", "uidb64": "MQ", "token": "set-password"}


def page_routes() -> Iterator[tuple[str, str]]:
    def walk(
        patterns: list[URLPattern | URLResolver], prefix: str, namespace: str
    ) -> Iterator[tuple[str, str]]:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if route.startswith("api/"):
                    continue  # the API answers 401 itself: see test_api_authentication
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, route, inner)
            else:
                yield f"{namespace}{pattern.name}", route

    yield from walk(get_resolver().url_patterns, "", "")


def concrete(route: str) -> str:
    import re

    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda match: SAMPLE_ARGS[str(match.group(1))], route)


ROUTES = sorted(set(page_routes()))
PRIVATE_ROUTES = [(name, route) for name, route in ROUTES if name not in PUBLIC]


@pytest.mark.parametrize(
    ("name", "route"), PRIVATE_ROUTES, ids=[name for name, _ in PRIVATE_ROUTES]
)
def test_a_signed_out_visitor_is_sent_to_sign_in(client: Client, name: str, route: str) -> None:
    for method in (client.get, client.post):
        response = method(concrete(route))
        assert response.status_code == 302, f"{method.__name__.upper()} {route}"
        assert response["Location"].startswith("/accounts/login/")


def test_the_public_list_names_real_routes() -> None:
    names = {name for name, _ in ROUTES}
    assert names >= PUBLIC
