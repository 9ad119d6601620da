"""Every field has exactly one category, and nothing reaches a viewer who may not read it.

An engagement gets content in every category, each with its own canary. Under an agreement
that shares exactly one category, the sponsor fetches every page, every API read, the
calendar feed and the e-mails; the canaries found must be exactly those of the categories
the sponsor may read (the shared one and the details). The same walk for coach, client,
admin and an outsider. Separately, the OpenAPI document must give every field of every
engagement response a category, and every API answer must carry no value of a category the
reader may not read.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from leancoach.core import access
from leancoach.core.access import SHAREABLE, Category, Role
from leancoach.meetings import services as meeting_services
from leancoach.testing.content import WRITTEN, canary, fill_every_category
from leancoach.testing.routes import PUBLIC, SELF_SERVICE, page_routes

pytestmark = pytest.mark.django_db

# Routes whose parameter names differ from the ids' names.
ALIASES = {"need_id": "sponsor_need_id"}


def openapi(client: Client) -> dict[str, Any]:
    schema: dict[str, Any] = client.get("/api/v1/openapi.json").json()
    return schema


def engagement_operations(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The GET operations on one engagement's content (their rule names a category)."""
    return [
        (path, operations["get"])
        for path, operations in schema["paths"].items()
        if "get" in operations and operations["get"]["x-access"]["category"]
    ]


def fill(path: str, ids: dict[str, int]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(ids[ALIASES.get(m.group(1), m.group(1))]), path)


def everything(user: Any, ids: dict[str, int]) -> dict[str, str]:
    """Every page and API read of the engagement this user can ask for, and their feed."""
    client = Client()
    client.force_login(user)
    answers: dict[str, str] = {}
    for route in page_routes():
        if route.name in PUBLIC | SELF_SERVICE:
            continue
        values = {name: ids.get(ALIASES.get(name, name), ids["pk"]) for name in route.parameters}
        if route.name == "people:person_detail" or route.name.startswith("people:team"):
            continue  # the directory: no engagement content
        path = route.path(**values)
        response = client.get(path)
        answers[path] = response.content.decode()
    for path, operations in openapi(client)["paths"].items():
        names = [ALIASES.get(name, name) for name in re.findall(r"\{(\w+)\}", path)]
        if "get" in operations and all(name in ids for name in names):
            url = fill(path, ids)
            answers[url] = client.get(url).content.decode()
    person = user.person
    token = meeting_services.issue_feed_token(person=person)
    answers["calendar feed"] = client.get(f"/calendar/{token}.ics").content.decode()
    return answers


def categories_in(answers: dict[str, str]) -> dict[Category, list[str]]:
    found: dict[Category, list[str]] = {}
    for where, body in answers.items():
        for category in WRITTEN:
            if canary(category) in body:
                found.setdefault(category, []).append(where)
    return found


def readable_by(role: Role, grants: frozenset[str]) -> set[Category]:
    return {
        category
        for category in WRITTEN
        if access.allowed("coaching", category, role, access.READ, grants)
    }


@pytest.mark.parametrize("shared", [c.value for c in SHAREABLE if c != Category.SURVEY_RESULTS])
def test_under_an_agreement_sharing_one_category_the_sponsor_reads_that_one_and_no_other(
    personas: Any, engagements: Any, shared: str
) -> None:
    ids = fill_every_category(engagements.ours, share=(shared,))
    mail.outbox.clear()
    found = categories_in(everything(personas.sponsor, ids))
    expected = {Category(shared), Category.DETAILS}
    assert expected == readable_by(Role.SPONSOR, frozenset({shared}))
    leaks = {category.value: where for category, where in found.items() if category not in expected}
    assert leaks == {}
    assert set(found) == expected, "the shared category must reach the sponsor somewhere"


def test_under_an_agreement_sharing_nothing_the_sponsor_reads_only_the_details(
    personas: Any, engagements: Any
) -> None:
    ids = fill_every_category(engagements.ours, share=())
    found = categories_in(everything(personas.sponsor, ids))
    assert set(found) == {Category.DETAILS}


@pytest.mark.parametrize(
    ("persona", "role"),
    [("coach", Role.COACH), ("client", Role.CLIENT), ("admin", Role.ADMIN)],
)
def test_each_participant_reads_exactly_the_categories_the_access_table_gives_them(
    personas: Any, engagements: Any, persona: str, role: Role
) -> None:
    ids = fill_every_category(engagements.ours, share=tuple(c.value for c in SHAREABLE))
    found = categories_in(everything(getattr(personas, persona), ids))
    assert set(found) == readable_by(role, frozenset())


def test_an_outsider_reads_nothing_of_the_engagement(personas: Any, engagements: Any) -> None:
    ids = fill_every_category(engagements.ours, share=tuple(c.value for c in SHAREABLE))
    assert categories_in(everything(personas.outsider, ids)) == {}


def test_no_e_mail_carries_a_canary_to_someone_who_may_not_read_it(
    personas: Any, engagements: Any
) -> None:
    mail.outbox.clear()
    fill_every_category(engagements.ours, share=("measures",))
    for message in mail.outbox:
        text = f"{message.subject} {message.body}"
        assert not [category for category in WRITTEN if canary(category) in text], message.to


# --- The map itself -----------------------------------------------------------------


def resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def objects_in(schema: dict[str, Any], node: dict[str, Any]) -> list[dict[str, Any]]:
    """The object schemas a response node can hold (through lists, unions and refs)."""
    node = resolve(schema, node)
    found: list[dict[str, Any]] = []
    if node.get("type") == "object" or "properties" in node:
        found.append(node)
    for key in ("anyOf", "oneOf", "allOf"):
        for option in node.get(key, []):
            found += objects_in(schema, option)
    if "items" in node:
        found += objects_in(schema, node["items"])
    return found


def nullable(schema: dict[str, Any], node: dict[str, Any]) -> bool:
    node = resolve(schema, node) if "$ref" in node and len(node) == 1 else node
    options = node.get("anyOf", [])
    return node.get("type") == "null" or any(
        resolve(schema, option).get("type") == "null" for option in options
    )


def test_every_field_of_every_engagement_response_has_one_category(client: Client) -> None:
    schema = openapi(client)
    operations = engagement_operations(schema)
    assert len(operations) >= 15
    problems: list[str] = []
    for path, operation in operations:
        own = operation["x-access"]["category"]
        response = operation["responses"]["200"]["content"]["application/json"]["schema"]
        pending = objects_in(schema, response)
        seen: set[int] = set()
        while pending:
            node = pending.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            if "x-subject" not in node:
                problems.append(f"{path}: {node.get('title')} is not a Disclosed schema")
                continue
            for name, prop in node["properties"].items():
                category = prop.get("x-category")
                if category is None:
                    problems.append(f"{path}: {node['x-subject']}.{name} has no category")
                    continue
                # A field that a reader of this operation may lack must be able to be empty.
                # (A row whose every field follows one of its values — a note by its visibility —
                # is shown whole or not at all: its selector picks the rows.)
                if isinstance(category, str) and category != own and not nullable(schema, prop):
                    problems.append(f"{path}: {node['x-subject']}.{name} ({category}) is required")
                for inner in objects_in(schema, prop):
                    if "x-subject" in inner:
                        pending.append(inner)
    assert "\n".join(problems) == ""


def values_outside(
    schema: dict[str, Any], node: dict[str, Any], value: Any, readable: set[str], where: str
) -> list[str]:
    """Where ``value`` holds something of a category outside ``readable``."""
    out: list[str] = []
    if isinstance(value, list):
        for index, item in enumerate(value):
            for option in objects_in(schema, node) or [node]:
                out += values_outside(schema, option, item, readable, f"{where}[{index}]")
                break
        return out
    if not isinstance(value, dict):
        return out
    [shape, *_rest] = objects_in(schema, node) or [{}]
    for name, item in value.items():
        prop = shape.get("properties", {}).get(name, {})
        category = prop.get("x-category")
        if isinstance(category, dict):  # by the value of another field of the row
            category = category["categories"].get(str(value.get(category["by"])))
        if item in (None, [], "") or category is None:
            continue
        if category not in readable:
            out.append(f"{where}.{name} ({category})")
            continue
        inner = objects_in(schema, prop)
        if inner and "x-subject" in inner[0]:
            out += values_outside(schema, prop, item, readable, f"{where}.{name}")
    return out


@pytest.mark.parametrize("shared", [c.value for c in SHAREABLE if c != Category.SURVEY_RESULTS])
def test_no_api_answer_to_the_sponsor_holds_a_field_of_a_category_not_shared(
    personas: Any, engagements: Any, shared: str
) -> None:
    ids = fill_every_category(engagements.ours, share=(shared,))
    client = Client()
    client.force_login(personas.sponsor)
    schema = openapi(client)
    readable = {
        c.value
        for c in Category
        if access.allowed("coaching", c, Role.SPONSOR, access.READ, frozenset({shared}))
    }
    answered = []
    problems: list[str] = []
    for path, operation in engagement_operations(schema):
        response = client.get(fill(path, ids))
        if response.status_code != 200:
            assert response.status_code in (403, 404), path
            continue
        answered.append(path)
        node = operation["responses"]["200"]["content"]["application/json"]["schema"]
        problems += values_outside(schema, node, response.json(), readable, path)
    assert problems == []
    assert len(answered) >= 3, answered
