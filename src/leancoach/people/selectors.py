from __future__ import annotations

from django.db import connection
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


def manager_ids_above(person_id: int, *, limit: int = 20) -> list[int]:
    """The ids of a person's managers, nearest first, in one query whatever the depth.

    The depth limit also stops a loop (refused on write, but never trusted on read).
    """
    table = connection.ops.quote_name(Person._meta.db_table)
    sql = f"""
        WITH RECURSIVE chain(id, manager_id, depth) AS (
            SELECT id, manager_id, 0 FROM {table} WHERE id = %s
            UNION ALL
            SELECT p.id, p.manager_id, chain.depth + 1
            FROM {table} p JOIN chain ON p.id = chain.manager_id
            WHERE chain.depth < %s
        )
        SELECT id FROM chain WHERE depth > 0 ORDER BY depth
    """  # noqa: S608 (the table name is ours; values are parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, [person_id, limit])
        ids: list[int] = []
        for (pk,) in cursor.fetchall():
            if pk == person_id or pk in ids:
                break
            ids.append(pk)
    return ids


def management_chain(person: Person, *, limit: int = 20) -> list[Person]:
    """The person's managers, nearest first, in two queries whatever the depth."""
    ids = manager_ids_above(person.pk, limit=limit)
    found = Person.objects.in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]
