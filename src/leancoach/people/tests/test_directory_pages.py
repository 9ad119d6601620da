from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from leancoach.people.models import Person, Team
from leancoach.people.search import reindex

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client: Client, personas: Any) -> Client:
    client.force_login(personas.outsider)
    return client


def many_people(count: int) -> None:
    team = Team.objects.create(name="Big team")
    boss = Person.objects.create(email="boss@big.example", name="Boss Big", team=team)
    Person.objects.bulk_create(
        Person(
            email=f"p{n:03}@big.example",
            name=f"Person {n:03}",
            title="Operator",
            manager=boss,
            team=team,
        )
        for n in range(count)
    )
    reindex(Person.objects.values_list("pk", flat=True))


def test_the_directory_finds_a_person_by_name(signed_in: Client) -> None:
    response = signed_in.get("/people/", {"q": "casey"})
    assert response.status_code == 200
    assert [person.name for person in response.context["page"].items] == ["Casey Client"]


def test_the_directory_search_matches_every_word(signed_in: Client) -> None:
    body = signed_in.get("/people/", {"q": "sam director"}).content
    assert b"Sam Sponsor" in body
    assert b"No one matches" in signed_in.get("/people/", {"q": "sam specialist"}).content


def test_an_htmx_search_returns_only_the_results(signed_in: Client) -> None:
    response = signed_in.get("/people/", {"q": "casey"}, HTTP_HX_REQUEST="true")
    assert b"<html" not in response.content
    assert b"Casey Client" in response.content


def test_the_directory_pages_by_key(signed_in: Client) -> None:
    many_people(60)
    first = signed_in.get("/people/", {"q": "person"})
    cursor = first.context["page"].next_cursor
    assert cursor
    second = signed_in.get("/people/", {"q": "person", "after": cursor})
    names = [person.name for person in second.context["page"].items]
    assert names[0] == "Person 025"


def test_a_forged_page_link_is_a_clear_400(signed_in: Client) -> None:
    response = signed_in.get("/people/", {"after": "garbage!"})
    assert response.status_code == 400
    assert b"not valid any more" in response.content


def test_the_directory_costs_the_same_queries_for_many_people(
    signed_in: Client, django_assert_max_num_queries: Any
) -> None:
    many_people(80)
    with django_assert_max_num_queries(4):  # session, user+person, page of people, (savepoint-free)
        response = signed_in.get("/people/")
    assert len(response.context["page"].items) == 25


def test_a_person_page_shows_the_management_chain_and_reports(
    signed_in: Client, personas: Any
) -> None:
    response = signed_in.get(f"/people/{personas.person('client').pk}/")
    assert response.status_code == 200
    chain = [person.name for person in response.context["chain"]]
    assert chain == ["Sam Sponsor", "Chris Chief"]
    assert [person.name for person in response.context["reports"]] == ["Oscar Outsider"]


def test_an_unknown_person_is_a_404(signed_in: Client) -> None:
    assert signed_in.get("/people/987654/").status_code == 404
    assert signed_in.get("/people/99999999999999999999999/").status_code == 404


def test_the_team_tree_lists_top_teams_and_opens_branches(
    signed_in: Client, personas: Any, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(4):
        response = signed_in.get("/teams/")
    assert [team.name for team in response.context["teams"]] == ["Executive"]
    branch = signed_in.get(f"/teams/{personas.teams['top'].pk}/children/")
    assert [team.name for team in branch.context["teams"]] == ["Operations", "Sales"]
    assert b"<html" not in branch.content


def test_a_team_page_lists_members_and_sub_teams(signed_in: Client, personas: Any) -> None:
    response = signed_in.get(f"/teams/{personas.teams['ops'].pk}/")
    assert [team.name for team in response.context["subteams"]] == ["Assembly Line 1"]
    assert [person.name for person in response.context["members"]] == ["Sam Sponsor"]


def test_the_home_page_shows_who_i_am(client: Client, personas: Any) -> None:
    client.force_login(personas.sponsor)
    response = client.get("/")
    assert b"Welcome, Sam Sponsor" in response.content
    assert [person.name for person in response.context["reports"]] == ["Casey Client"]


def test_navigation_offers_the_import_page_to_admins_only(client: Client, personas: Any) -> None:
    client.force_login(personas.admin)
    assert b'href="/people/import/"' in client.get("/").content
    client.force_login(personas.coach)
    assert b'href="/people/import/"' not in client.get("/").content


def test_a_deep_management_chain_costs_no_extra_queries(
    signed_in: Client, personas: Any, django_assert_max_num_queries: Any
) -> None:
    above = personas.person("client")
    for level in range(10):
        above = Person.objects.create(
            email=f"l{level}@example.com", name=f"Level {level}", manager=above
        )
    with django_assert_max_num_queries(7):
        response = signed_in.get(f"/people/{above.pk}/")
    chain = [person.name for person in response.context["chain"]]
    assert chain[:2] == ["Level 8", "Level 7"]
    assert chain[-3:] == ["Casey Client", "Sam Sponsor", "Chris Chief"]
