from __future__ import annotations

from django.db.models import QuerySet

from leancoach.core.pagination import Page, keyset_page
from leancoach.people import search
from leancoach.people.models import Person, Team


def search_people(people: QuerySet[Person], *, query: str) -> QuerySet[Person]:
    return search.search(people, query)


def directory_page(
    people: QuerySet[Person], *, query: str, cursor: str | None, size: int
) -> Page[Person]:
    matching = search_people(people, query=query).select_related("team", "manager")
    return keyset_page(matching, keys=("name", "id"), cursor=cursor, size=size)


def team_page(teams: QuerySet[Team], *, query: str, cursor: str | None, size: int) -> Page[Team]:
    if query:
        teams = teams.filter(name__icontains=query)
    return keyset_page(
        teams.select_related("leader", "parent"), keys=("name", "id"), cursor=cursor, size=size
    )


def child_teams(teams: QuerySet[Team], *, parent: Team | None) -> list[Team]:
    from django.db.models import Count

    return list(
        teams.filter(parent=parent)
        .select_related("leader")
        .annotate(
            child_count=Count("children", distinct=True),
            member_count=Count("members", distinct=True),
        )
        .order_by("name", "id")
    )


def management_chain(person: Person, *, limit: int = 20) -> list[Person]:
    chain: list[Person] = []
    seen = {person.pk}
    current = person.manager
    while current is not None and current.pk not in seen and len(chain) < limit:
        chain.append(current)
        seen.add(current.pk)
        current = current.manager
    return chain
