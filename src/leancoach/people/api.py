from __future__ import annotations

from django.http import HttpRequest
from ninja import Path, Query, Router

from leancoach.core import access
from leancoach.core.api import MAX_ID
from leancoach.core.pagination import Page
from leancoach.core.schemas import CURSOR as CURSOR_PATTERN
from leancoach.core.schemas import ERRORS, TEXT, ErrorOut
from leancoach.people import selectors, services
from leancoach.people.models import Person, Team
from leancoach.people.schemas import LoginOut, PersonOut, PersonPage, TeamOut, TeamPage

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


# --- Logins (programme admins): invite, disable, enable ------------------------------

LOGIN_RULE = access.RouteRule(capability="people.manage_logins", action=access.WRITE).as_openapi()
WITH_CONFLICT = {**ERRORS, 409: ErrorOut}


def _login_out(person: Person, detail: str) -> dict[str, object]:
    person.refresh_from_db(fields=["user"])
    login = selectors.login_of(person)
    return {
        "person_id": person.pk,
        "state": login.state.value,
        "last_login": login.last_login,
        "detail": detail,
    }


@router.post(
    "/people/{person_id}/login/invite",
    response={200: LoginOut, **WITH_CONFLICT},
    openapi_extra=LOGIN_RULE,
    summary="Give the person a login if they have none and e-mail them a set-password link",
)
def invite_to_sign_in(
    request: HttpRequest, person_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict[str, object]:
    person = access.get_person_for_logins(request.user, person_id)
    services.invite_to_sign_in(request=request, person=person, by=request.user)  # type: ignore[arg-type]
    return _login_out(person, f"Invitation sent to {person.email}.")


@router.post(
    "/people/{person_id}/login/disable",
    response={200: LoginOut, **WITH_CONFLICT},
    openapi_extra=LOGIN_RULE,
    summary="Disable the login: end its sessions and revoke its API tokens",
)
def disable_login(
    request: HttpRequest, person_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict[str, object]:
    person = access.get_person_for_logins(request.user, person_id)
    changed = services.disable_login(request=request, person=person, by=request.user)  # type: ignore[arg-type]
    return _login_out(person, "Disabled." if changed else "Already disabled.")


@router.post(
    "/people/{person_id}/login/enable",
    response={200: LoginOut, **WITH_CONFLICT},
    openapi_extra=LOGIN_RULE,
    summary="Enable a disabled login (old sessions and tokens stay ended)",
)
def enable_login(
    request: HttpRequest, person_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict[str, object]:
    person = access.get_person_for_logins(request.user, person_id)
    changed = services.enable_login(request=request, person=person, by=request.user)  # type: ignore[arg-type]
    return _login_out(person, "Enabled." if changed else "Was not disabled.")
