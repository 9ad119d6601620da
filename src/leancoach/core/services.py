from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from leancoach.core.models import ApiToken, User, hash_token


@transaction.atomic
def create_api_token(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret, which is shown once and never stored."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the token a name so you can recognise it later."})
    raw = ApiToken.generate()
    token = ApiToken.objects.create(
        user=user, name=name[:100], key_hash=hash_token(raw), hint=raw[:10]
    )
    return token, raw


@transaction.atomic
def revoke_api_token(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def authenticate_api_token(*, raw: str) -> User | None:
    token = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(key_hash=hash_token(raw), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Write last-use at most once a minute so a busy script does not turn every read into a write.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


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
