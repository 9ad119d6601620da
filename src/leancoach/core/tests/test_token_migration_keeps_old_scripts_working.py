"""Tokens made before scopes existed keep writing, and now expire 90 days after the upgrade."""

from __future__ import annotations

import datetime
import importlib
import pkgutil
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone

from leancoach.core import migrations
from leancoach.core.models import ApiToken, hash_token

pytestmark = pytest.mark.django_db


def the_migration() -> Any:
    # Found by name, not number: migrations get renumbered when branches merge.
    (name,) = [
        module.name
        for module in pkgutil.iter_modules(migrations.__path__)
        if module.name.endswith("_api_token_scope_and_expiry")
    ]
    return importlib.import_module(f"{migrations.__name__}.{name}")


def old_token(user: Any, name: str, **fields: Any) -> ApiToken:
    # As the schema change leaves a row made earlier: the column defaults, no expiry.
    return ApiToken.objects.create(
        user=user, name=name, key_hash=hash_token(name), hint=name[:10], **fields
    )


def test_old_tokens_keep_read_write_and_get_ninety_days(personas: Any) -> None:
    live = old_token(personas.coach, "nightly upload")
    revoked = old_token(personas.coach, "old laptop", revoked_at=timezone.now())
    before = timezone.now()
    the_migration().existing_tokens_keep_writing_and_expire(apps, None)
    live.refresh_from_db()
    revoked.refresh_from_db()
    assert live.scope == ApiToken.Scope.READ_WRITE
    assert live.expires_at is not None
    assert before + datetime.timedelta(days=90) <= live.expires_at
    assert live.expires_at <= timezone.now() + datetime.timedelta(days=90)
    assert revoked.expires_at is None  # revoked already; nothing to expire
