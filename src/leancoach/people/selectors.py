from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

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


class LoginState(StrEnum):
    NONE = "none"  # no login: the person cannot sign in
    INVITED = "invited"  # a login without a password yet (imported, or invited)
    ACTIVE = "active"  # signs in with a password
    DISABLED = "disabled"  # cannot sign in until enabled again


LOGIN_STATE_WORDS = {
    LoginState.NONE: "No login: cannot sign in.",
    LoginState.INVITED: "Has a login but has not chosen a password yet.",
    LoginState.ACTIVE: "Signs in with a password.",
    LoginState.DISABLED: "Login disabled: cannot sign in.",
}


@dataclass(frozen=True)
class Login:
    state: LoginState
    last_login: datetime.datetime | None
    is_own: bool  # the viewer's own login, which they may not disable

    @property
    def words(self) -> str:
        return LOGIN_STATE_WORDS[self.state]

    @property
    def may_invite(self) -> bool:
        return self.state in (LoginState.NONE, LoginState.INVITED)

    @property
    def may_disable(self) -> bool:
        return self.state in (LoginState.INVITED, LoginState.ACTIVE) and not self.is_own


def login_of(person: Person, *, viewer: Any = None) -> Login:
    user = person.user
    if user is None:
        return Login(LoginState.NONE, None, False)
    if not user.is_active:
        state = LoginState.DISABLED
    elif user.has_usable_password():
        state = LoginState.ACTIVE
    else:
        state = LoginState.INVITED
    return Login(state, user.last_login, viewer is not None and viewer.pk == user.pk)
