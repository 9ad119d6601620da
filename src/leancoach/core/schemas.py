from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, Literal

from ninja import Field, Schema
from pydantic import ConfigDict, ValidationInfo, model_validator

from leancoach.core import access

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


def _categories_in_schema(schema: dict[str, Any], model: type[Disclosed]) -> None:
    subject = model.subject
    schema["x-subject"] = subject
    for name, prop in schema.get("properties", {}).items():
        category = access.FIELDS.get(subject, {}).get(name)
        if isinstance(category, access.ByValue):
            prop["x-category"] = {
                "by": category.field,
                "categories": {value: c.value for value, c in category.categories.items()},
            }
        elif category is not None:
            prop["x-category"] = category.value


class Disclosed(Schema):
    """An output schema of engagement content. Each field's category comes from
    ``access.FIELDS[subject]`` and is published as ``x-category``; a field the reader of this
    response may not read is emptied before it is sent (the reader is the engagement opened
    in this request — ``access.disclosure_for``; nobody, if none was)."""

    subject: ClassVar[str]
    model_config = ConfigDict(json_schema_extra=_categories_in_schema)

    @model_validator(mode="after")
    def _only_what_the_reader_may_read(self, info: ValidationInfo) -> Any:
        context = info.context or {}
        viewer = access.disclosure_for(context.get("request"))
        row = self.__dict__
        for name in type(self).model_fields:
            if not access.may_read_field(viewer, self.subject, name, row):
                setattr(self, name, None)
        return self
