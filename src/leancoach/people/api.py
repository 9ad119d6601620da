from __future__ import annotations

from django.http import HttpRequest
from ninja import Path, Query, Router

from leancoach.core import access
from leancoach.core.api import MAX_ID
from leancoach.core.pagination import Page
from leancoach.core.schemas import CURSOR as CURSOR_PATTERN
from leancoach.core.schemas import ERRORS, TEXT
from leancoach.people import selectors
from leancoach.people.models import Person, Team
from leancoach.people.schemas import PersonOut, PersonPage, TeamOut, TeamPage

router = Router(tags=["people"])

CURSOR = Query(
    None, max_length=200, pattern=CURSOR_PATTERN, description="next_cursor from the previous page"
)
LIMIT = Query(25, ge=1, le=100, description="rows per page")


@router.get(
    "/people",
    response={200: PersonPage, **ERRORS},
    openapi_extra=access.RouteRule(capability="people.browse").as_openapi(),
)
def list_people(
    request: HttpRequest,
    q: str = Query(
        "", max_length=100, pattern=TEXT, description="words to find in name, e-mail or title"
    ),
    cursor: str | None = CURSOR,
    limit: int = LIMIT,
) -> Page[Person]:
    return selectors.directory_page(
        access.people_for(request.user), query=q, cursor=cursor, size=limit
    )


@router.get(
    "/people/{person_id}",
    response={200: PersonOut, **ERRORS},
    openapi_extra=access.RouteRule(capability="people.browse").as_openapi(),
)
def get_person(request: HttpRequest, person_id: int = Path(..., ge=1, le=MAX_ID)) -> Person:
    return access.get_person(request.user, person_id)


@router.get(
    "/teams",
    response={200: TeamPage, **ERRORS},
    openapi_extra=access.RouteRule(capability="people.browse").as_openapi(),
)
def list_teams(
    request: HttpRequest,
    q: str = Query("", max_length=100, pattern=TEXT, description="text to find in the team name"),
    cursor: str | None = CURSOR,
    limit: int = LIMIT,
) -> Page[Team]:
    return selectors.team_page(access.teams_for(request.user), query=q, cursor=cursor, size=limit)


@router.get(
    "/teams/{team_id}",
    response={200: TeamOut, **ERRORS},
    openapi_extra=access.RouteRule(capability="people.browse").as_openapi(),
)
def get_team(request: HttpRequest, team_id: int = Path(..., ge=1, le=MAX_ID)) -> Team:
    return access.get_team(request.user, team_id)
