"""Every page and API operation, for every persona, on their own and on another engagement.

Generated from the URL configuration and the OpenAPI schema. The expected
outcome of each request comes from core/access.py (the capability table and
ACCESS_TABLE, with the signed agreement for the sponsor, and ``team_allows``
for the routes on a team); nothing here repeats the rules. A route or
operation without a declared rule fails.

A team's routes are walked on two teams: "ours" is Assembly Line 1 (led by the
client, under the sponsor), "theirs" is Sales, led here by the other coach.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from leancoach.core import access
from leancoach.cycle import services as cycle_services
from leancoach.engagements import services
from leancoach.engagements.models import Engagement, RoleProposal
from leancoach.engagements.selectors import sponsor_grants
from leancoach.meetings.services import add_action
from leancoach.metrics.services import add_measure
from leancoach.people.models import Person, Team
from leancoach.testing.meetings import meeting_parts
from leancoach.testing.routes import PUBLIC, SELF_SERVICE, page_routes

pytestmark = pytest.mark.django_db

PERSONAS = ("coach", "client", "sponsor", "admin", "outsider", "other_coach")
ROUTES = [route for route in page_routes() if route.name not in PUBLIC | SELF_SERVICE]
DENIED = {403, 404}


def user_of(personas: Any, engagements: Any, persona: str) -> Any:
    return engagements.other_coach if persona == "other_coach" else getattr(personas, persona)


def parts_of(engagement: Engagement) -> dict[str, int]:
    """An object of each kind inside ``engagement``, for the routes' parameters."""
    coach = engagement.coach
    sponsor_need = services.add_need(
        engagement=engagement,
        by=coach,
        owner="sponsor",
        category="quality",
        description="Fewer defects",
    )
    client_need = services.add_need(
        engagement=engagement,
        by=coach,
        owner="client",
        category="team_behaviour",
        description="Calmer huddles",
    )
    measure = add_measure(engagement=engagement, by=coach, name="First-pass yield", unit="%")
    action = add_action(
        engagement=engagement,
        by=coach,
        what="Run the huddle",
        owner="client",
        due_on=datetime.date(2026, 12, 1),
    )
    behaviour = cycle_services.add_behaviour(
        engagement=engagement, by=coach, text="Asks each person for one problem at the huddle"
    )
    commitment = cycle_services.commit_to_practice(
        engagement=engagement,
        by=coach,
        behaviour=behaviour,
        when="at the 8:00 huddle",
        where="at the board",
    )
    target = cycle_services.set_target(
        engagement=engagement,
        by=coach,
        measure=measure,
        target_value=95.0,
        by_date=timezone.localdate() + datetime.timedelta(weeks=6),
        expected="Fewer reworked parts once the huddle asks about problems",
    )
    second = cycle_services.add_behaviour(
        engagement=engagement, by=coach, text="Writes each problem on the board"
    )
    skill = cycle_services.define_skill(
        engagement=engagement, by=coach, name="Run the huddle", steps=[behaviour, second]
    )
    # A new sponsor, proposed and waiting for the client's answer. (Roles of an engagement
    # nobody has accepted yet do not change, so there the row is written directly.)
    outsider = Person.objects.get(email="outsider@example.com")
    if engagement.accepted_at is None:
        proposal = RoleProposal.objects.create(
            engagement=engagement,
            role="sponsor",
            person=outsider,
            replaces=engagement.sponsor,
            proposed_by=coach,
            proposed_by_role="coach",
            reason="Reorganisation",
        )
    else:
        proposal = services.propose_role_change(
            request=None,
            engagement=engagement,
            by=coach,
            by_role="coach",
            role="sponsor",
            person=outsider,
            reason="Reorganisation",
        )
    return {
        "proposal_id": proposal.pk,
        "pk": engagement.pk,
        "engagement_id": engagement.pk,
        "version": 1,
        "need_id": sponsor_need.pk,
        "sponsor_need_id": sponsor_need.pk,
        "client_need_id": client_need.pk,
        "measure_id": measure.pk,
        "action_id": action.pk,
        "commitment_id": commitment.pk,
        "target_id": target.pk,
        "skill_id": skill.pk,
        "behaviour_id": behaviour.pk,
        "second_behaviour_id": second.pk,
        **meeting_parts(engagement),
    }


def expected(
    user: Any, engagement: Engagement, rule: access.RouteRule, team: Team | None = None
) -> tuple[bool, int]:
    """(allowed?, the refusal status if not) from the access module's own tables."""
    if rule.on == "team":
        assert team is not None
        assert rule.capability is not None
        return access.team_allows(user, team, rule.capability, rule.action), 403
    if rule.capability is not None:
        return access.can(user, rule.capability), 403
    assert rule.category is not None
    role = access.role_in(user, engagement)
    grants = sponsor_grants(engagement) if role == access.Role.SPONSOR else frozenset()
    ok = access.allowed_on(engagement, rule.category, role, rule.action, grants)
    if ok and rule.action_change is not None:
        # The action of the walk is the client's own, open and unconfirmed (see parts_of).
        ea = access.EngagementAccess(engagement=engagement, role=role, grants=grants)
        action = engagement.actions.get(what="Run the huddle")
        ok = access.may_change_action(ea, action, access.ActionChangeKind(rule.action_change))
    return ok, 404 if role == access.Role.NONE else 403


def request_in_savepoint(
    user: Any, path: str, *, write: bool, data: Any = None, method: str = ""
) -> Any:
    """One request whose writes are rolled back, so each persona meets the same state."""
    client = Client()
    client.force_login(user)
    with transaction.atomic():
        if method:
            response = getattr(client, method)(path, data, content_type="application/json")
        else:
            response = client.post(path, data or {}) if write else client.get(path)
        transaction.set_rollback(True)
    return response


def team_parts_of(team: Team, by: Person) -> dict[str, Any]:
    """A team and one of its measures, for the routes on a team."""
    measure = add_measure(team=team, by=by, name="Parts per hour")
    return {"team": team, "team_measure_id": measure.pk}


@pytest.fixture
def world(personas: Any, engagements: Any) -> dict[str, Any]:
    sales = personas.teams["sales"]
    sales.leader = engagements.other_coach.person
    sales.save()
    ours = {
        **parts_of(engagements.ours),
        **team_parts_of(personas.teams["line"], personas.person("client")),
    }
    theirs = {**parts_of(engagements.theirs), **team_parts_of(sales, sales.leader)}
    # The same people's proposal that client and sponsor have not accepted yet: only what
    # access.BEFORE_CONSENT lists answers. Its content is written through the services
    # alone (which trust their callers), to show that no route reaches it.
    coach = personas.person("coach")
    proposed = services.open_engagement(
        request=None, opened_by=coach, coach=coach, client=personas.person("client")
    )
    services.propose_agreement(request=None, engagement=proposed, by=coach, role="coach", terms={})
    pending = {
        **parts_of(proposed),
        "team": ours["team"],
        "team_measure_id": ours["team_measure_id"],
    }
    return {
        "ours": (engagements.ours, ours),
        "theirs": (engagements.theirs, theirs),
        "proposed": (proposed, pending),
    }


def walks(persona: str, rule: Any, needs_parameters: bool = True) -> tuple[str, ...]:
    """Which engagements a persona's requests go to: their own and another's; and, for the
    parties and the admin, a proposal nobody has accepted yet."""
    if not (needs_parameters or rule.category):
        return ("ours",)
    if persona in ("coach", "client", "sponsor", "admin") and rule.category is not None:
        return ("ours", "theirs", "proposed")
    return ("ours", "theirs")


def on_team(parts: dict[str, Any]) -> dict[str, Any]:
    """A team route's parameters: the team and a measure of that team."""
    return {"pk": parts["team"].pk, "measure_id": parts["team_measure_id"]}


def on_a_team(route: Any) -> bool:
    return getattr(route.rule, "on", None) == "team"


def test_every_page_declares_its_access_rule() -> None:
    missing = [route.name for route in ROUTES if route.rule is None]
    assert missing == [], f"routes without an access rule: {missing}"


@pytest.mark.parametrize("route", ROUTES, ids=[route.name for route in ROUTES])
def test_each_page_answers_each_persona_as_the_access_table_says(
    route: Any, personas: Any, engagements: Any, world: dict[str, Any]
) -> None:
    rule = route.rule
    assert rule is not None, f"{route.name} declares no access rule"
    needs_parameters = bool(route.parameters)
    if route.name.startswith("engagements:client_need"):
        key = "client_need_id"
    elif route.name.startswith("engagements:sponsor_need"):
        key = "sponsor_need_id"
    else:
        key = None
    failures = []
    for persona in PERSONAS:
        user = user_of(personas, engagements, persona)
        for which in walks(persona, rule, needs_parameters):
            engagement, parts = world[which]
            values = {**parts, **({"need_id": parts[key]} if key else {})}
            if rule.on == "team":
                values = on_team(parts)
            elif route.name == "people:detail" or route.name.startswith("people:login_"):
                values = {"pk": personas.person("client").pk}
            elif route.name.startswith("people:team"):
                values = {"pk": personas.teams["line"].pk}
            elif route.name == "profile" or "token" in route.name:
                values = {"pk": 1}
            elif route.name == "engagements:my_note_delete":
                values = {"note_id": 1}
            path = route.path(**values)
            ok, refusal = expected(user, engagement, rule, parts["team"])
            response = request_in_savepoint(user, path, write=rule.action == access.WRITE)
            status = response.status_code
            if route.name == "revoke_token":
                continue  # a token is per user, not per engagement: see test_profile_tokens_page
            if route.name == "engagements:my_note_delete":
                continue  # a note is its author's: see test_private_notes_belong_to_their_author
            if ok and (status in DENIED or status >= 500):
                failures.append(f"{persona} {which}: {path} → {status}, expected to be allowed")
            if not ok and status != refusal:
                failures.append(f"{persona} {which}: {path} → {status}, expected {refusal}")
    assert failures == []


@pytest.mark.parametrize(
    "route",
    [
        route
        for route in ROUTES
        if not on_a_team(route)
        and {
            "need_id",
            "measure_id",
            "action_id",
            "commitment_id",
            "target_id",
            "skill_id",
            "meeting_id",
            "obstacle_id",
            "experiment_id",
            "proposal_id",
        }
        & set(route.parameters)
    ],
    ids=lambda route: route.name,
)
def test_a_part_of_another_engagement_is_not_found_through_ours(
    route: Any, personas: Any, engagements: Any, world: dict[str, Any]
) -> None:
    _ours, our_parts = world["ours"]
    _theirs, their_parts = world["theirs"]
    key = "client_need_id" if "client_need" in route.name else "sponsor_need_id"
    values = {**their_parts, "need_id": their_parts[key], "pk": our_parts["pk"]}
    client = Client()
    # Someone the route's rule lets in, so that a 404 is about the part, not the person.
    answers_changes = route.rule.category == access.Category.ROLE_CHANGES
    client.force_login(personas.client if answers_changes else personas.coach)
    path = route.path(**values)
    response = client.post(path, {}) if route.rule.action == access.WRITE else client.get(path)
    assert response.status_code == 404


TEAM_MEASURE_ROUTES = [
    route for route in ROUTES if on_a_team(route) and "measure_id" in route.parameters
]


@pytest.mark.parametrize("route", TEAM_MEASURE_ROUTES, ids=lambda route: route.name)
def test_another_teams_or_an_engagements_measure_is_not_found_through_a_team(
    route: Any, personas: Any, world: dict[str, Any]
) -> None:
    _ours, our_parts = world["ours"]
    _theirs, their_parts = world["theirs"]
    client = Client()
    client.force_login(personas.admin)  # keeps every team's measures: a 404 is about ownership
    for measure_id in (their_parts["team_measure_id"], our_parts["measure_id"]):
        path = route.path(pk=our_parts["team"].pk, measure_id=measure_id)
        response = client.post(path, {}) if route.rule.action == access.WRITE else client.get(path)
        assert response.status_code == 404, path


@pytest.mark.parametrize(
    "route",
    [
        route
        for route in ROUTES
        if getattr(route.rule, "category", None) and "measure_id" in route.parameters
    ],
    ids=lambda route: route.name,
)
def test_a_teams_measure_is_not_found_through_an_engagement(
    route: Any, personas: Any, world: dict[str, Any]
) -> None:
    _ours, our_parts = world["ours"]
    client = Client()
    client.force_login(personas.coach)
    path = route.path(**{**our_parts, "measure_id": our_parts["team_measure_id"]})
    response = client.post(path, {}) if route.rule.action == access.WRITE else client.get(path)
    assert response.status_code == 404


# --- The API, walked through its OpenAPI schema ------------------------------

SAMPLE_STRINGS = {
    "date": "2026-11-20",
    "date-time": "2026-11-20T09:00:00Z",
    "email": "client@example.com",
}


def resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = schema["components"]["schemas"][name]
    return node


def id_for(name: str, ids: dict[str, Any]) -> Any:
    if name == "step_ids":
        return [ids["behaviour_id"], ids["second_behaviour_id"]]
    return ids.get(name, ids.get("person", 1))


def sample(schema: dict[str, Any], node: dict[str, Any], ids: dict[str, Any] | None = None) -> Any:
    """A small value that fits ``node``, so the request reaches the endpoint's own checks.

    Integer fields named ``*_id`` get the id of a real object of the engagement under test
    (``ids``: behaviour_id, measure_id …), or else a real person's (``person``).
    """
    node = resolve(schema, node)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in node:
            options = [
                option for option in node[key] if resolve(schema, option).get("type") != "null"
            ]
            return sample(schema, options[0], ids)
    if "enum" in node:
        return node["enum"][0]
    kind = node.get("type")
    if kind == "object" or "properties" in node:
        required = node.get("required", [])
        return {
            name: id_for(name, ids or {})
            if name.endswith("_id") or name == "step_ids"
            else sample(schema, prop, ids)
            for name, prop in node.get("properties", {}).items()
            if name in required
        }
    if kind == "array":
        return [sample(schema, node.get("items", {}), ids)]
    if kind == "integer":
        return max(1, node.get("minimum", 1))
    if kind == "number":
        return 1.0
    if kind == "boolean":
        return False
    return SAMPLE_STRINGS.get(node.get("format", ""), "x")


def api_operations() -> list[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    from leancoach.api import api

    schema = api.get_openapi_schema()
    operations = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            operations.append((method, path, operation, schema))
    return sorted(operations, key=lambda item: (item[1], item[0]))


API_OPERATIONS = api_operations()


def test_every_api_operation_declares_its_access_rule() -> None:
    missing = [
        f"{method.upper()} {path}"
        for method, path, operation, _ in API_OPERATIONS
        if "x-access" not in operation
    ]
    assert missing == []


def api_rule(operation: dict[str, Any]) -> access.RouteRule:
    declared = operation.get("x-access") or {
        "capability": "home",
        "category": None,
        "action": access.READ,
    }
    category = access.Category(declared["category"]) if declared.get("category") else None
    return access.RouteRule(
        capability=declared.get("capability"),
        category=category,
        action=declared["action"],
        action_change=declared.get("action_change"),
        on=declared.get("on"),
    )


@pytest.mark.parametrize(
    ("method", "path", "operation", "schema"),
    API_OPERATIONS,
    ids=[f"{m.upper()} {p}" for m, p, _, _ in API_OPERATIONS],
)
def test_each_api_operation_answers_each_persona_as_the_access_table_says(
    method: str,
    path: str,
    operation: dict[str, Any],
    schema: dict[str, Any],
    personas: Any,
    engagements: Any,
    world: dict[str, Any],
) -> None:
    import re

    rule = api_rule(operation)
    body_schema = None
    if "requestBody" in operation:
        body_schema = next(iter(operation["requestBody"]["content"].values()))["schema"]
    failures = []
    for persona in PERSONAS:
        user = user_of(personas, engagements, persona)
        for which in walks(persona, rule):
            engagement, parts = world[which]
            values = {
                **parts,
                "person_id": engagement.client_id,
                "team_id": personas.teams["line"].pk,
                "token_id": 1,
                "note_id": 1,
            }
            key = "client_need_id" if "client-needs" in path else "sponsor_need_id"
            values["need_id"] = parts[key]
            if rule.on == "team":
                values.update(team_id=parts["team"].pk, measure_id=parts["team_measure_id"])
            url = path.format(**{name: values[name] for name in re.findall(r"\{(\w+)\}", path)})
            ok, refusal = expected(user, engagement, rule, parts["team"])
            if "{token_id}" in path:
                continue  # tokens belong to users, not engagements: see test_api_authentication
            if "{note_id}" in path:
                continue  # a note is its author's: see test_private_notes_belong_to_their_author
            ids = {**parts, "person": personas.person("outsider").pk}
            body = sample(schema, body_schema, ids) if body_schema is not None else None
            response = request_in_savepoint(
                user, url, write=method != "get", data=body, method=method
            )
            status = response.status_code
            if ok and (status in DENIED or status >= 500):
                failures.append(
                    f"{persona} {which}: {method.upper()} {url} → {status} {response.content[:120]!r}, expected to be allowed"
                )
            if not ok and status != refusal:
                failures.append(
                    f"{persona} {which}: {method.upper()} {url} → {status}, expected {refusal}"
                )
    assert failures == []
