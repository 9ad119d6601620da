"""Generated from the URL configuration: a new page that forgets its login rule fails here."""

from __future__ import annotations

import pytest
from django.test import Client

from leancoach.testing.routes import PUBLIC, page_routes

pytestmark = pytest.mark.django_db

ROUTES = [route for route in page_routes() if route.name not in PUBLIC]
SAMPLE = {"pk": 1, "uidb64": "MQ", "token": "set-password"}


@pytest.mark.parametrize("route", ROUTES, ids=[route.name for route in ROUTES])
def test_a_signed_out_visitor_is_sent_to_sign_in(client: Client, route: object) -> None:
    path = route.path(**{name: SAMPLE.get(name, 1) for name in route.parameters})  # type: ignore[attr-defined]
    for method in (client.get, client.post):
        response = method(path)
        assert response.status_code == 302, f"{method.__name__.upper()} {path}"
        assert response["Location"].startswith("/accounts/login/")


def test_the_public_list_names_real_routes() -> None:
    assert {route.name for route in page_routes()} >= PUBLIC
