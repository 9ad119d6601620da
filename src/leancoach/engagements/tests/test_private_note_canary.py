"""A unique string in every private field never reaches the sponsor or an admin.

Private fields: the coach's private notes and what the client asked to keep
confidential; and, because the agreement does not share them, the client's
needs and positive assumptions. The sponsor and the admin request every page
and every API read they can reach (walked from the URL configuration and the
OpenAPI schema); the canary must be in none of the answers, in no e-mail, and
in no log line.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from leancoach.engagements import services
from leancoach.testing.routes import PUBLIC, SELF_SERVICE, page_routes

pytestmark = pytest.mark.django_db

CANARY = "CANARY-7f3a9c-private"


def fill_private_fields(engagement: Any) -> None:
    coach = engagement.coach
    services.add_private_note(
        engagement=engagement, by=coach, text=f"Worried about burnout {CANARY}"
    )
    services.add_need(
        engagement=engagement,
        by=coach,
        owner="client",
        category="personal_behaviour",
        description=f"Handle conflict {CANARY}",
    )
    services.add_need(
        engagement=engagement,
        by=coach,
        owner="sponsor",
        category="quality",
        description="Fewer defects",
    )
    services.write_assumptions(
        engagement=engagement,
        by=coach,
        best_outcome=f"Lead calmly {CANARY}",
        strengths=f"Listens {CANARY}",
    )
    signed = services.propose_agreement(
        request=None,
        engagement=engagement,
        by=coach,
        role="coach",
        terms={"client_confidential": f"My health {CANARY}", "share_measures": True},
    )
    for person in (engagement.coach, engagement.client, engagement.sponsor):
        services.sign_agreement(request=None, agreement=signed, person=person)
    # and a version still waiting for signatures, which mails the parties
    services.propose_agreement(
        request=None,
        engagement=engagement,
        by=coach,
        role="coach",
        terms={"client_confidential": f"My health and family {CANARY}", "share_targets": True},
    )


def api_get_paths(client: Client, values: dict[str, int]) -> list[str]:
    schema = client.get("/api/v1/openapi.json").json()
    paths = []
    for path, operations in schema["paths"].items():
        if "get" in operations:
            paths.append(
                re.sub(r"\{(\w+)\}", lambda match: str(values.get(str(match.group(1)), 1)), path)
            )
    return paths


def everything_readable(user: Any, engagement: Any) -> list[tuple[str, bytes]]:
    client = Client()
    client.force_login(user)
    values = {"pk": engagement.pk, "engagement_id": engagement.pk, "version": 1}
    answers = []
    for route in page_routes():
        if route.name in PUBLIC | SELF_SERVICE or "need_id" in route.parameters:
            continue
        path = route.path(**{name: values.get(name, 1) for name in route.parameters})
        answers.append((path, client.get(path).content))
    for path in api_get_paths(client, values):
        answers.append((path, client.get(path).content))
    return answers


def test_private_fields_reach_neither_the_sponsor_nor_an_admin(
    personas: Any, engagements: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    engagement = engagements.ours
    fill_private_fields(engagement)

    coach_view = everything_readable(personas.coach, engagement)
    assert any(CANARY.encode() in body for _path, body in coach_view), (
        "the canary must be readable by the coach"
    )

    leaks = [
        f"{who}: {path}"
        for who, user in (("sponsor", personas.sponsor), ("admin", personas.admin))
        for path, body in everything_readable(user, engagement)
        if CANARY.encode() in body
    ]
    assert leaks == []
    assert len(mail.outbox) >= 2
    assert [
        message.to for message in mail.outbox if CANARY in f"{message.subject} {message.body}"
    ] == []
    assert CANARY not in caplog.text


def test_the_sponsor_sees_that_a_confidential_clause_exists_but_not_what_it_says(
    personas: Any, engagements: Any
) -> None:
    fill_private_fields(engagements.ours)
    client = Client()
    client.force_login(personas.sponsor)
    page = client.get(f"/engagements/{engagements.ours.pk}/agreement/").content.decode()
    assert "the client has named matters to keep confidential" in page
    assert CANARY not in page
