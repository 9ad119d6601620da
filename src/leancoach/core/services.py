from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from leancoach.core.models import ApiToken, User, hash_token

# What a new token lives for unless its owner chooses otherwise (docs/decisions.md, 2026-12-02).
DEFAULT_TOKEN_DAYS = 90
MAX_TOKEN_DAYS = 365
# Write a token's last use at most this often, so a busy script does not turn every read into a write.
LAST_USE_RESOLUTION = datetime.timedelta(minutes=1)


@transaction.atomic
def create_api_token(
    *,
    user: User,
    name: str,
    scope: str = ApiToken.Scope.READ,
    expires_in_days: int | None = DEFAULT_TOKEN_DAYS,
) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret, which is shown once and never stored.

    ``expires_in_days``: 1 to 365, or None for a token that never expires.
    """
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the token a name so you can recognise it later."})
    if scope not in ApiToken.Scope.values:
        raise ValidationError({"scope": "Choose “read” or “read_write”."})
    if expires_in_days is not None and not 1 <= expires_in_days <= MAX_TOKEN_DAYS:
        raise ValidationError(
            {"expires_in_days": f"Choose 1 to {MAX_TOKEN_DAYS} days, or no expiry."}
        )
    now = timezone.now()
    raw = ApiToken.generate()
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        key_hash=hash_token(raw),
        hint=raw[:10],
        scope=scope,
        created_at=now,
        expires_at=None
        if expires_in_days is None
        else now + datetime.timedelta(days=expires_in_days),
    )
    return token, raw


@transaction.atomic
def revoke_api_token(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_reason = "revoked by its owner"
        token.save(update_fields=["revoked_at", "revoked_reason"])
    return token


@transaction.atomic
def revoke_tokens(*, user: User, reason: str) -> int:
    """Revoke every unrevoked token of ``user``; returns how many.

    Called when the password changes (core.models.User.save) and when a login is
    disabled. Expired tokens are revoked too, so none can come back to life.
    """
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_reason=reason[:100]
    )


def authenticate_api_token(*, raw: str) -> ApiToken | None:
    """The live token (not revoked, not expired, its login active) for ``raw``, or None."""
    token = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(key_hash=hash_token(raw), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USE_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


@transaction.atomic
def create_or_update_admin(
    *, email: str, name: str = "", password: str | None
) -> tuple[User, bool]:
    """Make ``email`` a programme admin with a directory entry; returns (user, created)."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.validators import validate_email

    from leancoach.people.models import Person

    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": f"“{email}” is not a valid e-mail address."}) from None
    user, created = User.objects.get_or_create(username=email, defaults={"email": email})
    user.is_staff = True
    user.is_active = True
    if password is not None:
        validate_password(password, user)
        user.set_password(password)
    elif created:
        user.set_unusable_password()
    user.save()
    person, _ = Person.objects.get_or_create(
        email=email, defaults={"name": name or email.split("@")[0]}
    )
    if person.user_id != user.pk:
        person.user = user
        person.save(update_fields=["user"])
    return user, created
