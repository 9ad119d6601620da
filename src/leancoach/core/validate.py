"""Small checks that services share: each raises a ValidationError naming the field."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


def text(field: str, value: str, *, limit: int, required: bool = True) -> str:
    """``value`` stripped; refused when required and blank, or longer than ``limit``."""
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: "This is required."})
    if len(value) > limit:
        raise ValidationError({field: f"Keep it under {limit:,} characters."})
    return value


def one_of(field: str, value: str, choices: Any) -> str:
    """``value`` if it is one of the ``TextChoices`` ``choices``."""
    if value not in choices.values:
        raise ValidationError({field: f"“{value}” is not one of: {', '.join(choices.values)}."})
    return str(value)
