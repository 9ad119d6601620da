"""Every page and every API response carries a Content-Security-Policy without inline script
or style, a Permissions-Policy that denies the browser's sensors, and ``Cache-Control:
no-store``, so nothing a signed-in person saw stays in a shared browser's or proxy's cache.

Generated from the URL configuration and the OpenAPI schema, walked as the coach (who
reaches the engagement pages) and the admin (who reaches the programme pages).
Static files keep their own caching, and so does the calendar feed (docs/operations.md).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from leancoach.engagements.tests.test_authorization_matrix import API_OPERATIONS, parts_of
from leancoach.meetings.services import issue_feed_token
from leancoach.testing.routes import page_routes

pytestmark = pytest.mark.django_db

ROUTES = page_routes()
SAMPLE = {"uidb64": "MQ", "token": "set-password"}


def directives(response: Any) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy", "")
    parsed = {}
    for part in header.split(";"):
        if part.strip():
            name, *values = part.split()
            parsed[name] = values
    return parsed


def problems_with(response: Any, where: str) -> list[str]:
    found = []
    policy = directives(response)
    if policy.get("default-src") != ["'self'"]:
        found.append(f"{where}: default-src is {policy.get('default-src')}")
    for name, values in policy.items():
        unsafe = {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*"} & set(values)
        if unsafe:
            found.append(f"{where}: {name} allows {sorted(unsafe)}")
    for name in ("object-src", "base-uri", "frame-ancestors"):  # not covered by default-src
        if policy.get(name) != ["'none'"]:
            found.append(f"{where}: {name} is {policy.get(name)}")
    permissions = response.get("Permissions-Policy", "")
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        if f"{feature}=()" not in permissions:
            found.append(f"{where}: Permissions-Policy does not deny {feature}")
    if "no-store" not in response.get("Cache-Control", ""):
        found.append(f"{where}: Cache-Control is {response.get('Cache-Control')!r}")
    return found


@pytest.fixture
def world(personas: Any, engagements: Any) -> dict[str, Any]:
    parts: dict[str, Any] = dict(parts_of(engagements.ours))
    parts["team"] = personas.teams["line"].pk
    return parts


def path_of(route: Any, parts: dict[str, Any], personas: Any) -> str:
    values = {**parts, "need_id": parts["sponsor_need_id"], **SAMPLE}
    if route.name.startswith("engagements:client_need"):
        values["need_id"] = parts["client_need_id"]
    if route.name == "people:detail":
        values["pk"] = personas.person("client").pk
    elif route.name.startswith(("people:team", "metrics:team")):
        values["pk"] = parts["team"]
    # a part this walk does not create gets id 1: a 404 must carry the headers too
    return str(route.path(**{name: values.get(name, 1) for name in route.parameters}))


def test_every_page_carries_the_headers_for_a_signed_in_person(
    personas: Any, world: dict[str, Any]
) -> None:
    failures: list[str] = []
    statuses: dict[int, int] = {}
    for persona in ("coach", "admin"):
        client = Client()
        client.force_login(getattr(personas, persona))
        for route in ROUTES:
            if route.name in {"logout", "meetings:calendar_feed"}:
                continue  # signing out ends the walk; the feed keeps its own rule (below)
            path = path_of(route, world, personas)
            response = client.get(path)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            failures += problems_with(response, f"{persona} GET {path} ({response.status_code})")
    assert failures == []
    assert statuses.get(200, 0) > len(ROUTES) // 2, statuses  # the walk reached real pages


def test_every_api_response_carries_the_headers(personas: Any, world: dict[str, Any]) -> None:
    client = Client()
    client.force_login(personas.coach)
    failures: list[str] = []
    ok = 0
    for method, template, _operation, _schema in API_OPERATIONS:
        if method != "get":
            continue
        path = re.sub(r"{(\w+)}", lambda match: str(world.get(match.group(1), 1)), template)
        response = client.get("/api/v1" + path.removeprefix("/api/v1"))
        ok += response.status_code == 200
        failures += problems_with(response, f"GET {path} ({response.status_code})")
    refused = Client().get("/api/v1/me")
    failures += problems_with(refused, f"signed out GET /api/v1/me ({refused.status_code})")
    invalid = client.post("/api/v1/tokens", "{", content_type="application/json")
    failures += problems_with(invalid, f"POST /api/v1/tokens ({invalid.status_code})")
    assert failures == []
    assert ok > 10


def test_the_sign_in_page_and_an_error_page_carry_them_too(db: None) -> None:
    client = Client()
    assert problems_with(client.get("/accounts/login/"), "login") == []
    assert problems_with(client.get("/no-such-page/"), "404") == []


def test_static_files_keep_their_own_caching(client: Client) -> None:
    response = client.get("/static/leancoach/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_the_calendar_feed_keeps_its_five_minute_caching(personas: Any) -> None:
    token = issue_feed_token(person=personas.person("coach"))
    for client in (Client(), signed_in(personas.coach)):
        response = client.get(f"/calendar/{token}.ics")
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, max-age=300"


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client
