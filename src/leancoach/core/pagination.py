"""Keyset pagination: a page is "the next N rows after this key", never OFFSET.

A cursor is an opaque URL-safe string encoding the sort key of the last row
shown. Deep pages cost the same as the first (see docs/benchmarks.md).
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db.models import Model, Q, QuerySet

M = TypeVar("M", bound=Model)


class BadCursor(ValueError):
    pass


def encode_cursor(values: list[Any]) -> str:
    return (
        base64.urlsafe_b64encode(json.dumps(values, separators=(",", ":")).encode())
        .decode()
        .rstrip("=")
    )


def decode_cursor(cursor: str, length: int) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise BadCursor("cursor is not one this server issued") from None
    if not isinstance(values, list) or len(values) != length:
        raise BadCursor("cursor is not one this server issued")
    if any(isinstance(value, str) and "\x00" in value for value in values):
        raise BadCursor("cursor is not one this server issued")
    return values


@dataclass
class Page(Generic[M]):
    items: list[M]
    next_cursor: str | None


def keyset_page(
    queryset: QuerySet[M], *, keys: tuple[str, str], cursor: str | None, size: int
) -> Page[M]:
    """Page ``queryset`` ordered by ``keys`` (a text column, then the unique id)."""
    text_key, id_key = keys
    ordered = queryset.order_by(text_key, id_key)
    if cursor:
        text_value, id_value = decode_cursor(cursor, 2)
        if (
            not isinstance(text_value, str)
            or not isinstance(id_value, int)
            or isinstance(id_value, bool)
        ):
            raise BadCursor("cursor is not one this server issued")
        # The leading ">=" lets the database range-scan the (text, id) index; the
        # OR alone would make it scan and filter.
        ordered = ordered.filter(
            Q(**{f"{text_key}__gte": text_value}),
            Q(**{f"{text_key}__gt": text_value}) | Q(**{f"{id_key}__gt": id_value}),
        )
    rows = list(ordered[: size + 1])
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        next_cursor = encode_cursor([getattr(last, text_key), getattr(last, id_key)])
    return Page(items=rows, next_cursor=next_cursor)


def ordered_page(
    queryset: QuerySet[M],
    *,
    key: str,
    parse: Any,
    cursor: str | None,
    size: int,
    descending: bool = False,
) -> Page[M]:
    """Page ``queryset`` by a date or time column ``key`` then id, either way.

    ``parse`` turns the cursor's ISO text back into a value of the column
    (``datetime.date.fromisoformat``, say); a bad cursor raises ``BadCursor``.
    """
    sign = "-" if descending else ""
    ordered = queryset.order_by(f"{sign}{key}", f"{sign}id")
    if cursor:
        text_value, id_value = decode_cursor(cursor, 2)
        if not isinstance(text_value, str) or not isinstance(id_value, int):
            raise BadCursor("cursor is not one this server issued")
        try:
            value = parse(text_value)
        except (TypeError, ValueError):
            raise BadCursor("cursor is not one this server issued") from None
        after, beyond = ("lte", "lt") if descending else ("gte", "gt")
        ordered = ordered.filter(
            Q(**{f"{key}__{after}": value}),
            Q(**{f"{key}__{beyond}": value}) | Q(**{f"id__{beyond}": id_value}),
        )
    rows = list(ordered[: size + 1])
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        next_cursor = encode_cursor([getattr(last, key).isoformat(), last.pk])
    return Page(items=rows, next_cursor=next_cursor)
