from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client: Client, personas: Any) -> Client:
    client.force_login(personas.outsider)
    return client


def test_people_are_listed_by_name_with_team_and_manager(signed_in: Client) -> None:
    body = signed_in.get("/api/v1/people", {"q": "casey"}).json()
    assert [person["email"] for person in body["items"]] == ["client@example.com"]
    assert body["items"][0]["manager"]["name"] == "Sam Sponsor"
    assert body["items"][0]["team"]["name"] == "Assembly Line 1"


def test_pages_follow_the_cursor_without_repeats(signed_in: Client) -> None:
    seen: list[str] = []
    names: list[str] = []
    cursor = None
    for _ in range(10):
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        body = signed_in.get("/api/v1/people", params).json()
        seen += [person["email"] for person in body["items"]]
        names += [person["name"] for person in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 6 == len(set(seen))
    assert names == sorted(names)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": "many"}, "limit"),
        ({"limit": 0}, "limit"),
        ({"limit": 10**30}, "limit"),
        ({"cursor": "%%%"}, "cursor"),
        ({"cursor": "WzEsMiwzXQ"}, "cursor"),
        ({"q": "x" * 101}, "q"),
    ],
)
def test_malformed_query_parameters_get_422_naming_the_field(
    signed_in: Client, params: dict[str, Any], field: str
) -> None:
    response = signed_in.get("/api/v1/people", params)
    assert response.status_code == 422
    body = response.json()
    assert [error["field"] for error in body["errors"]] == [field]
    assert field in body["detail"]


@pytest.mark.parametrize("path", ["/api/v1/people/999999", "/api/v1/teams/999999"])
def test_an_unknown_id_is_a_json_404(signed_in: Client, path: str) -> None:
    response = signed_in.get(path)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize(
    "path", ["/api/v1/people/99999999999999999999999", "/api/v1/people/-1", "/api/v1/people/abc"]
)
def test_an_impossible_id_is_a_4xx_not_a_500(signed_in: Client, path: str) -> None:
    response = signed_in.get(path)
    assert 400 <= response.status_code < 500
    assert "detail" in response.json()


def test_a_person_and_a_team_can_be_read(signed_in: Client, personas: Any) -> None:
    person = signed_in.get(f"/api/v1/people/{personas.person('client').pk}").json()
    assert person["title"] == "Team Leader"
    team = signed_in.get(f"/api/v1/teams/{personas.teams['line'].pk}").json()
    assert team["parent"]["name"] == "Operations"
    assert team["leader"]["name"] == "Casey Client"


def test_teams_are_listed_and_searchable(signed_in: Client) -> None:
    names = [team["name"] for team in signed_in.get("/api/v1/teams").json()["items"]]
    assert names == ["Assembly Line 1", "Executive", "Operations", "Sales"]
    assert [t["name"] for t in signed_in.get("/api/v1/teams", {"q": "sal"}).json()["items"]] == [
        "Sales"
    ]


def test_the_openapi_schema_is_published(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/people" in schema["paths"]
    assert "422" in schema["paths"]["/api/v1/people"]["get"]["responses"]


def test_the_people_list_costs_the_same_queries_for_many_people(
    signed_in: Client, django_assert_max_num_queries: Any
) -> None:
    from leancoach.people.models import Person

    manager = Person.objects.get(email="client@example.com")
    Person.objects.bulk_create(
        Person(email=f"p{n}@example.com", name=f"P {n:03}", manager=manager, team=manager.team)
        for n in range(60)
    )
    with django_assert_max_num_queries(3):  # session, user, one page with manager and team joined
        body = signed_in.get("/api/v1/people", {"limit": 50}).json()
    assert len(body["items"]) == 50
    assert all(
        item["manager"] is not None for item in body["items"] if item["name"].startswith("P ")
    )


def test_the_team_list_costs_the_same_queries_for_many_teams(
    signed_in: Client, django_assert_max_num_queries: Any
) -> None:
    from leancoach.people.models import Person, Team

    leader = Person.objects.get(email="client@example.com")
    parent = Team.objects.get(name="Operations")
    Team.objects.bulk_create(
        Team(name=f"Cell {n:02}", leader=leader, parent=parent) for n in range(40)
    )
    with django_assert_max_num_queries(3):
        body = signed_in.get("/api/v1/teams", {"limit": 40}).json()
    assert len(body["items"]) == 40


# "WyJhXHUwMDAwYiIsMV0" is URL-safe base64 for ["a\u0000b",1]: a forged cursor with a NUL inside.
FORGED = "WyJhXHUwMDAwYiIsMV0"


@pytest.mark.parametrize("params", [{"q": "a\x00b"}, {"cursor": FORGED}], ids=["query", "cursor"])
def test_a_nul_character_is_refused_not_a_500(signed_in: Client, params: dict[str, str]) -> None:
    assert signed_in.get("/api/v1/people", params).status_code == 422


def test_the_directory_page_ignores_a_nul_character(signed_in: Client) -> None:
    assert signed_in.get("/people/", {"q": "cas\x00ey"}).status_code == 200
    assert signed_in.get("/people/", {"after": FORGED}).status_code == 400


def test_a_token_name_with_a_nul_character_is_a_422(signed_in: Client) -> None:
    response = signed_in.post("/api/v1/tokens", {"name": "a\x00b"}, content_type="application/json")
    assert response.status_code == 422
