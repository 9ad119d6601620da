from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

# Any text without NUL (PostgreSQL cannot store it; a 500 otherwise); text that is also not blank.
TEXT = r"^[^\x00]*$"
# Whitespace spelt out, exactly the characters Python's str.strip() removes: "\s" means
# different things to the schema's readers (ECMAScript leaves out U+0085) and to the
# server, and schemathesis found a name of one U+0085 that the schema allowed and we refused.
WHITESPACE = r"\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
SOME_TEXT = rf"^[^\x00]*[^\x00{WHITESPACE}][^\x00]*$"
# What keyset cursors are made of (URL-safe base64).
CURSOR = r"^[A-Za-z0-9_-]*$"


class ErrorOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    field: str
    location: str
    message: str


class ValidationErrorOut(Schema):
    detail: str
    errors: list[FieldErrorOut]


class TokenIn(Schema):
    name: str = Field(
        min_length=1, max_length=100, pattern=SOME_TEXT, description="what the token is for"
    )
    scope: Literal["read", "read_write"] = Field(
        "read", description="read: GET and HEAD only; read_write: everything you may do"
    )
    expires_in_days: int | None = Field(
        90, ge=1, le=365, description="days until it stops working; null: never"
    )


class TokenOut(Schema):
    id: int
    name: str
    hint: str
    scope: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None = Field(description="updated at most once a minute")
    revoked_at: datetime | None
    revoked_reason: str


class NewTokenOut(TokenOut):
    token: str


# 400: a body that is not JSON at all; 422: JSON that breaks the schema or a rule.
# 413: a body over Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB; bulk imports say so).
ERRORS = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    413: ErrorOut,
    422: ValidationErrorOut,
}
