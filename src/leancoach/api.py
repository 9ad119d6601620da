"""The REST API at /api/v1: one NinjaAPI, routers per app, uniform JSON errors."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as ModelValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, django_auth

from leancoach.core import access
from leancoach.core.api import router as core_router
from leancoach.core.errors import Conflict
from leancoach.core.pagination import BadCursor
from leancoach.core.services import authenticate_api_token
from leancoach.cycle.api import router as cycle_router
from leancoach.engagements.api import router as engagements_router
from leancoach.meetings.api import router as meetings_router
from leancoach.metrics.api import router as metrics_router
from leancoach.people.api import router as people_router

logger = logging.getLogger(__name__)


class TokenAuth(HttpBearer):
    openapi_description = (
        "A personal API token created on your profile page: `Authorization: Bearer lc_…`. "
        "Scope `read` allows GET and HEAD only; tokens expire (90 days unless chosen otherwise) "
        "and are revoked when the password changes; they cannot manage tokens."
    )

    def authenticate(self, request: HttpRequest, token: str) -> object | None:
        found = authenticate_api_token(raw=token)
        if found is None:
            return None
        access.require_token_scope(found, request.method or "GET")
        request.user = found.user
        return found.user


# Bearer first: session auth enforces CSRF and would refuse a token POST before the token is tried.
api = NinjaAPI(
    title="leancoach API",
    version="1",
    urls_namespace="api",
    auth=[TokenAuth(), django_auth],
    docs_url="/docs",
)
api.add_router("", core_router)
api.add_router("", people_router)
api.add_router("", engagements_router)
api.add_router("", cycle_router)
api.add_router("", meetings_router)
api.add_router("", metrics_router)


def _error(request: HttpRequest, status: int, detail: str) -> HttpResponse:
    return api.create_response(request, {"detail": detail}, status=status)


def _field_name(location: list[object] | tuple[object, ...]) -> tuple[str, str]:
    parts = [str(part) for part in location]
    where = parts[0] if parts else "body"
    # ninja nests query/path parameters under their function argument name; drop it.
    names = [part for part in parts[1:] if part not in {"payload", "filters"}]
    return ".".join(names) or where, where


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = []
    for error in exc.errors:
        field, where = _field_name(error.get("loc", ()))
        errors.append({"field": field, "location": where, "message": error.get("msg", "invalid")})
    fields = ", ".join(sorted({error["field"] for error in errors}))
    return api.create_response(
        request, {"detail": f"Invalid input: {fields}.", "errors": errors}, status=422
    )


@api.exception_handler(ModelValidationError)
def model_validation_error(request: HttpRequest, exc: ModelValidationError) -> HttpResponse:
    by_field = exc.message_dict if hasattr(exc, "error_dict") else {"body": exc.messages}
    errors = [
        {"field": field, "location": "body", "message": " ".join(messages)}
        for field, messages in by_field.items()
    ]
    return api.create_response(
        request,
        {"detail": f"Invalid input: {', '.join(sorted(by_field))}.", "errors": errors},
        status=422,
    )


@api.exception_handler(BadCursor)
def bad_cursor(request: HttpRequest, exc: BadCursor) -> HttpResponse:
    return api.create_response(
        request,
        {
            "detail": "Invalid input: cursor.",
            "errors": [{"field": "cursor", "location": "query", "message": str(exc)}],
        },
        status=422,
    )


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _error(request, 401, "Authentication required: sign in or send a valid API token.")
    response["WWW-Authenticate"] = 'Bearer realm="leancoach"'
    return response


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, str(exc) or "You may not do this.")


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "Not found.")


@api.exception_handler(Conflict)
def conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
    return _error(request, 409, str(exc))


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, str(exc))


@api.exception_handler(RequestDataTooBig)
def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return _error(
        request,
        413,
        f"The request body is larger than {limit / 1024 / 1024:.1f} MB; send it in parts.",
    )


@api.exception_handler(Exception)
def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("Unhandled API error on %s %s", request.method, request.path)
    return _error(request, 500, "Internal error; it has been logged.")
