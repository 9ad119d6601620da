from __future__ import annotations

from django.http import HttpRequest
from ninja import Path, Router, Schema, Status

from leancoach.core import access
from leancoach.core.schemas import ERRORS, NewTokenOut, TokenIn, TokenOut
from leancoach.core.services import create_api_token, revoke_api_token
from leancoach.people.schemas import PersonOut

router = Router(tags=["me"])

MAX_ID = 10**18


class MeOut(Schema):
    id: int
    email: str
    is_admin: bool
    person: PersonOut | None


@router.get(
    "/me",
    response={200: MeOut, **ERRORS},
    openapi_extra=access.RouteRule(capability="home").as_openapi(),
)
def me(request: HttpRequest) -> dict[str, object]:
    user = request.user
    return {
        "id": user.pk,
        "email": user.get_username(),
        "is_admin": access.is_admin(user),
        "person": access.person_of(user),
    }


@router.get(
    "/tokens",
    response={200: list[TokenOut], **ERRORS},
    openapi_extra=access.RouteRule(capability="profile.manage_tokens").as_openapi(),
)
def list_tokens(request: HttpRequest) -> list[object]:
    return list(access.tokens_for(request.user))


@router.post(
    "/tokens",
    response={201: NewTokenOut, **ERRORS},
    openapi_extra=access.RouteRule(capability="profile.manage_tokens").as_openapi(),
)
def create_token(request: HttpRequest, payload: TokenIn) -> Status[dict[str, object]]:
    access.require(request.user, "profile.manage_tokens")
    token, raw = create_api_token(user=request.user, name=payload.name)  # type: ignore[arg-type]
    return Status(201, {**TokenOut.from_orm(token).model_dump(), "token": raw})


@router.delete(
    "/tokens/{token_id}",
    response={200: TokenOut, **ERRORS},
    openapi_extra=access.RouteRule(capability="profile.manage_tokens").as_openapi(),
)
def revoke_token(request: HttpRequest, token_id: int = Path(..., ge=1, le=MAX_ID)) -> object:
    return revoke_api_token(token=access.get_token(request.user, token_id))
