from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Schema


class PersonRef(Schema):
    id: int
    name: str


class TeamRef(Schema):
    id: int
    name: str


class PersonOut(Schema):
    id: int
    email: str
    name: str
    title: str
    manager: PersonRef | None
    team: TeamRef | None


class PersonPage(Schema):
    items: list[PersonOut]
    next_cursor: str | None


class TeamOut(Schema):
    id: int
    name: str
    parent: TeamRef | None
    leader: PersonRef | None


class TeamPage(Schema):
    items: list[TeamOut]
    next_cursor: str | None


class LoginOut(Schema):
    person_id: int
    state: Literal["none", "invited", "active", "disabled"]
    last_login: datetime | None
    detail: str
