from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

TOKEN_PREFIX = "lc_"


class User(AbstractUser):
    """A login. The username is the person's e-mail address (lower case).

    ``is_staff`` marks a programme admin: they manage people and the programme
    but, by the rules in core/access.py, never read coaching content.
    """

    class Meta:
        db_table = "core_user"

    def save(self, *args: object, **kwargs: object) -> None:
        self.username = self.username.strip().lower()
        if not self.email:
            self.email = self.username
        super().save(*args, **kwargs)  # type: ignore[arg-type]


def hash_token(raw: str) -> str:
    # Tokens carry 256 bits of randomness, so a fast hash is safe here (unlike
    # passwords) and lets us find the token by an indexed equality lookup.
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(
        max_length=12, help_text="First characters of the token, to recognise it."
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @staticmethod
    def generate() -> str:
        return TOKEN_PREFIX + secrets.token_urlsafe(32)
