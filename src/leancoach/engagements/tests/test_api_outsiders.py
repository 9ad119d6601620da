"""Someone with no part in an engagement learns nothing about it from any API operation.

Walked from the OpenAPI schema, with a valid body for each operation (so the
request reaches the access check and is not stopped by validation first).
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from leancoach.core.models import AuditEvent
from leancoach.cycle import services as cycle_services
from leancoach.engagements import services
from leancoach.meetings.services import add_action
from leancoach.metrics.services import add_measure
from leancoach.people.models import Person
from leancoach.testing.meetings import meeting_parts

pytestmark = pytest.mark.django_db

PREFIX = "/api/v1/engagements/{engagement_id}"
TODAY = timezone.localdate().isoformat()
NEED = {"category": "quality", "description": "Fewer defects"}

# A valid body for each operation on one engagement; an operation missing here fails the test.
BODIES: dict[str, Any] = {
    "GET ": None,
    "POST /answer": {"accept": True},
    "POST /status": {"status": "closed", "reason": "Done"},
    "POST /roles": {"role": "sponsor", "person_id": None, "reason": "Leaving"},
    "GET /consents": None,
    "GET /role-proposals": None,
    "POST /role-proposals/{proposal_id}/answer": {"accept": True},
    "POST /role-proposals/{proposal_id}/withdraw": None,
    "GET /agreements": None,
    "POST /agreements": {"share_measures": True},
    "PUT /agreements/{version}": {"share_measures": True},
    "POST /agreements/{version}/sign": None,
    "GET /sponsor-needs": None,
    "POST /sponsor-needs": NEED,
    "PATCH /sponsor-needs/{need_id}": {"description": "Changed"},
    "DELETE /sponsor-needs/{need_id}": None,
    "POST /sponsor-needs/{need_id}/move": {"position": 1},
    "GET /client-needs": None,
    "POST /client-needs": NEED,
    "PATCH /client-needs/{need_id}": {"description": "Changed"},
    "DELETE /client-needs/{need_id}": None,
    "POST /client-needs/{need_id}/move": {"position": 1},
    "GET /assumptions": None,
    "POST /assumptions": {"best_outcome": "Calm", "strengths": "Listens"},
    "GET /private-notes": None,
    "POST /private-notes": {"text": "A note"},
    "GET /measures": None,
    "POST /measures": {"name": "Defects"},
    "POST /measures/{measure_id}/values": {"on": TODAY, "value": 1},
    "GET /actions": None,
    "POST /actions": {"what": "Huddle", "due_on": TODAY},
    "PATCH /actions/{action_id}": {"status": "done"},
    "POST /actions/{action_id}/done": None,
    "POST /actions/{action_id}/confirm": None,
    "GET /actions/{action_id}/history": None,
    "GET /meetings": None,
    "POST /meetings": {"starts_at": "2026-12-07T09:00:00Z"},
    "POST /meetings/schedule": {"first_starts_at": "2026-12-07T09:00:00Z"},
    "GET /meetings/{meeting_id}": None,
    "PATCH /meetings/{meeting_id}": {"starts_at": "2026-12-08T09:00:00Z"},
    "POST /meetings/{meeting_id}/cancel": None,
    "POST /meetings/{meeting_id}/close": {"status": "held"},
    "POST /meetings/{meeting_id}/notes/private": {"item": "facts", "text": "x"},
    "POST /meetings/{meeting_id}/notes/shared": {"item": "facts", "text": "x"},
    "POST /meetings/{meeting_id}/notes/summary": {"item": "facts", "text": "x"},
    "GET /summaries": None,
    "GET /obstacles": None,
    "POST /obstacles": {"text": "Parts arrive late"},
    "POST /obstacles/{obstacle_id}/work-on": None,
    "POST /obstacles/{obstacle_id}/clear": None,
    "GET /experiments": None,
    "POST /experiments": {"step": "Call at 7:30", "expected": "Parts by 8:00"},
    "POST /experiments/{experiment_id}/reflection": {"happened": "Late", "learned": "Call at 7"},
    "GET /audit": None,
    "GET /behaviours": None,
    "POST /behaviours": {"text": "Asks each person for one problem at the huddle"},
    "PATCH /behaviours/{behaviour_id}": {"text": "Asks each person by name for one problem"},
    "GET /practice": None,
    "POST /practice": {"behaviour_id": 1, "when": "at 8:00", "where": "line 1"},
    "POST /practice/{commitment_id}/logs": {"on": TODAY, "done": True},
    "GET /observations": None,
    "POST /observations": {
        "on": TODAY,
        "behaviour_id": 1,
        "performance": "performed",
        "response": "reinforcement",
    },
    "GET /targets": None,
    "POST /targets": {
        "by_date": "2099-01-01",
        "expected": "Better",
        "measure_id": 1,
        "target_value": 5,
    },
    "POST /targets/{target_id}/close": {
        "status": "met",
        "actual": "Done",
        "learned": "Practice works",
    },
    "GET /skills": None,
    "POST /skills": {"name": "Run the huddle", "step_ids": [1, 2]},
    "POST /measures/{measure_id}/values/bulk": {"points": [{"on": TODAY, "value": 1}]},
    "GET /current-conditions": None,
    "POST /current-conditions": {"priorities": "Daily huddle"},
    "POST /measures/{measure_id}/baselines": {"starts_on": TODAY, "reason": "New fixture"},
}


def engagement_operations() -> list[tuple[str, str]]:
    from leancoach.api import api

    paths = api.get_openapi_schema()["paths"]
    return sorted(
        (method.upper(), path)
        for path, methods in paths.items()
        if path.startswith(PREFIX)
        for method in methods
    )


OPERATIONS = engagement_operations()


def test_every_engagement_operation_has_a_body_here() -> None:
    keys = {f"{method} {path.removeprefix(PREFIX)}" for method, path in OPERATIONS}
    assert keys == set(BODIES)


def parts_of(engagement: Any) -> dict[str, int]:
    coach = engagement.coach
    need = services.add_need(
        engagement=engagement, by=coach, owner="client", category="quality", description="x"
    )
    sponsor_need = services.add_need(
        engagement=engagement, by=coach, owner="sponsor", category="quality", description="x"
    )
    measure = add_measure(engagement=engagement, by=coach, name="Yield")
    action = add_action(
        engagement=engagement, by=coach, what="Huddle", owner="client", due_on=timezone.localdate()
    )
    first = cycle_services.add_behaviour(
        engagement=engagement, by=coach, text="Asks for one problem"
    )
    second = cycle_services.add_behaviour(
        engagement=engagement, by=coach, text="Writes it on the board"
    )
    commitment = cycle_services.commit_to_practice(
        engagement=engagement, by=coach, behaviour=first, when="at 8:00", where="line 1"
    )
    target = cycle_services.set_target(
        engagement=engagement,
        by=coach,
        measure=measure,
        target_value=5,
        expected="Better",
        by_date=timezone.localdate() + datetime.timedelta(days=30),
    )
    skill = cycle_services.define_skill(
        engagement=engagement, by=coach, name="Huddle", steps=[first, second]
    )
    # The person proposed as the new sponsor has no part in the engagement until the client accepts.
    proposal = services.propose_role_change(
        request=None,
        engagement=engagement,
        by=coach,
        by_role="coach",
        role="sponsor",
        person=Person.objects.get(email="outsider@example.com"),
        reason="Reorganisation",
    )
    return {
        "proposal_id": proposal.pk,
        "engagement_id": engagement.pk,
        "version": 1,
        "commitment_id": commitment.pk,
        "target_id": target.pk,
        "skill_id": skill.pk,
        "client_need_id": need.pk,
        "sponsor_need_id": sponsor_need.pk,
        "measure_id": measure.pk,
        "action_id": action.pk,
        "behaviour_id": second.pk,
        **meeting_parts(engagement),
    }


def url(path: str, values: dict[str, int]) -> str:
    key = "client_need_id" if "client-needs" in path else "sponsor_need_id"
    values = {**values, "need_id": values[key]}
    return re.sub(r"\{(\w+)\}", lambda match: str(values[match.group(1)]), path)


@pytest.mark.parametrize("persona", ["outsider", "other_coach"])
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_an_outsider_gets_404_for_every_engagement_endpoint(
    personas: Any, engagements: Any, persona: str, method: str, path: str
) -> None:
    user = engagements.other_coach if persona == "other_coach" else personas.outsider
    real = parts_of(engagements.ours)
    made_up = {**{name: 10**15 + n for n, name in enumerate(real)}, "version": 999}
    body = BODIES[f"{method} {path.removeprefix(PREFIX)}"]
    client = Client()
    client.force_login(user)
    before = AuditEvent.objects.count()
    answers = []
    for values in (real, made_up):
        response = getattr(client, method.lower())(
            url(path, values), body or {}, content_type="application/json"
        )
        answers.append((response.status_code, response.json()))
    assert answers[0] == answers[1] == (404, {"detail": "Not found."})
    assert AuditEvent.objects.count() == before
