from __future__ import annotations

from django.http import HttpRequest
from ninja import Path, Router, Schema, Status
from ninja.security import SessionAuth

from leancoach.core import access
from leancoach.core.schemas import ERRORS, NewTokenOut, TokenIn, TokenOut
from leancoach.core.services import create_api_token, revoke_api_token
from leancoach.people.schemas import PersonOut

router = Router(tags=["me"])

MAX_ID = 10**18


class BrowserSession(SessionAuth):
    """The signed-in browser session (with CSRF) and nothing else: see access.refuse_api_tokens."""

    def __call__(self, request: HttpRequest) -> object | None:
        access.refuse_api_tokens(request)
        return super().__call__(request)


SESSION_ONLY = [BrowserSession()]


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
    auth=SESSION_ONLY,
    response={200: list[TokenOut], **ERRORS},
    summary="List your tokens (browser session only; a token gets 403)",
    openapi_extra=access.RouteRule(capability="profile.manage_tokens").as_openapi(),
)
def list_tokens(request: HttpRequest) -> list[object]:
    return list(access.tokens_for(request.user))


@router.post(
    "/tokens",
    auth=SESSION_ONLY,
    response={201: NewTokenOut, **ERRORS},
    summary="Create a token (browser session only; a token gets 403)",
    openapi_extra=access.RouteRule(capability="profile.manage_tokens").as_openapi(),
)
def create_token(request: HttpRequest, payload: TokenIn) -> Status[dict[str, object]]:
    access.require(request.user, "profile.manage_tokens")
    token, raw = create_api_token(
        user=request.user,  # type: ignore[arg-type]
        name=payload.name,
        scope=payload.scope,
        expires_in_days=payload.expires_in_days,
    )
    return Status(201, {**TokenOut.from_orm(token).model_dump(), "token": raw})


@router.delete(
    "/tokens/{token_id}",
    auth=SESSION_ONLY,
    response={200: TokenOut, **ERRORS},
    summary="Revoke a token (browser session only; a token gets 403)",
    openapi_extra=access.RouteRule(capability="profile.manage_tokens").as_openapi(),
)
def revoke_token(request: HttpRequest, token_id: int = Path(..., ge=1, le=MAX_ID)) -> object:
    return revoke_api_token(token=access.get_token(request.user, token_id))
