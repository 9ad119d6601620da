"""Strict readers for settings from the environment.

Each helper fails loudly (ImproperlyConfigured naming the variable and the bad
value) instead of guessing, so a typo in a deployment never silently turns a
feature off.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _raw(name: str, environ: Mapping[str, str] | None) -> str | None:
    value = (environ if environ is not None else os.environ).get(name)
    if value is None:
        return None
    value = value.strip()
    return value if value != "" else None


def env_str(
    name: str, default: str | None = None, *, environ: Mapping[str, str] | None = None
) -> str:
    value = _raw(name, environ)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"{name} must be set.")
        return default
    return value


def env_time_zone(name: str, default: str, *, environ: Mapping[str, str] | None = None) -> str:
    """An IANA time-zone name (Europe/Berlin) that this machine's zone database knows."""
    import zoneinfo

    value = _raw(name, environ) or default
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a time zone; use a name such as Europe/Berlin or UTC."
        ) from None
    return value


def env_bool(name: str, default: bool, *, environ: Mapping[str, str] | None = None) -> bool:
    value = _raw(name, environ)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a boolean; use one of {sorted(_TRUE | _FALSE)}."
    )


def env_int(
    name: str,
    default: int,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    value = _raw(name, environ)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not an integer.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} is below the minimum {minimum}.")
    if maximum is not None and number > maximum:
        raise ImproperlyConfigured(f"{name}={number} is above the maximum {maximum}.")
    return number


def env_list(
    name: str, default: list[str], *, environ: Mapping[str, str] | None = None
) -> list[str]:
    value = _raw(name, environ)
    if value is None:
        return list(default)
    items = [item.strip() for item in value.split(",")]
    if any(item == "" for item in items):
        raise ImproperlyConfigured(
            f"{name}={value!r} has an empty item; separate items with commas."
        )
    return items


def env_database(
    name: str, default: str, *, environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    import environ as django_environ

    url = _raw(name, environ) or default
    scheme = url.split(":", 1)[0]
    if scheme not in {"sqlite", "postgres", "postgresql"}:
        raise ImproperlyConfigured(
            f"{name} has scheme {scheme!r}; leancoach supports sqlite:/// and postgres:// URLs."
        )
    try:
        config: dict[str, Any] = django_environ.Env.db_url_config(url)
    except Exception as error:  # django-environ raises a mix of types on bad URLs
        raise ImproperlyConfigured(f"{name} is not a valid database URL: {error}") from None
    if scheme == "sqlite" and not config.get("NAME"):
        raise ImproperlyConfigured(f"{name}={url!r} names no SQLite file.")
    return config


def env_email(
    name: str, default: str, *, environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    import environ as django_environ

    url = _raw(name, environ) or default
    scheme = url.split(":", 1)[0]
    if scheme not in django_environ.Env.EMAIL_SCHEMES:
        raise ImproperlyConfigured(
            f"{name} has scheme {scheme!r}; use one of {sorted(django_environ.Env.EMAIL_SCHEMES)}."
        )
    try:
        config: dict[str, Any] = django_environ.Env.email_url_config(url)
    except Exception as error:  # e.g. ValueError for a port that is not a number
        raise ImproperlyConfigured(f"{name} is not a valid e-mail URL: {error}") from None
    return config


def env_email_address(name: str, default: str, *, environ: Mapping[str, str] | None = None) -> str:
    """A sender address, ``addr@host`` or ``Name <addr@host>``; a bad one would only show when
    the mail server refuses every e-mail, so it stops start-up instead."""
    from email.utils import parseaddr

    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    value = _raw(name, environ) or default
    _display, address = parseaddr(value)
    try:
        if not address or "\n" in value or "\r" in value:
            raise ValidationError("no address")
        validate_email(address)
    except ValidationError:
        raise ImproperlyConfigured(
            f"{name}={value!r} is not an e-mail address (addr@host or Name <addr@host>)."
        ) from None
    return value
