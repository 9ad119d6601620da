from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils import timezone

TOKEN_PREFIX = "lc_"


class ReminderChoice(models.TextChoices):
    DAILY = "daily", "A daily digest of what is due"
    WEEKLY = "weekly", "A weekly digest, on Monday"
    OFF = "off", "No reminders"


class User(AbstractUser):
    """A login. The username is the person's e-mail address (lower case).

    ``is_staff`` marks a programme admin: they manage people and the programme
    but, by the rules in core/access.py, never read coaching content.
    """

    time_zone = models.CharField(
        max_length=64, blank=True, help_text="Empty: the organisation's time zone."
    )
    reminders = models.CharField(
        max_length=10, choices=ReminderChoice.choices, default=ReminderChoice.DAILY
    )

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


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: object) -> int:
        raise PermissionError("Audit events are append-only; they cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit events are append-only; they cannot be deleted.")


class AuditEvent(models.Model):
    """Who did or saw what, when, from where. Append-only: see core/audit.py.

    On PostgreSQL a trigger (migration core 0003) also refuses UPDATE and DELETE
    from any database role, the app's included.
    """

    class Action(models.TextChoices):
        READ = "read", "read"
        EXPORT = "export", "exported"
        CHANGE = "change", "changed"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=300, help_text="Name and e-mail at the time.")
    actor_role = models.CharField(max_length=20, help_text="coach, client, sponsor, admin …")
    action = models.CharField(max_length=10, choices=Action.choices)
    engagement = models.ForeignKey(
        "engagements.Engagement", null=True, on_delete=models.PROTECT, related_name="audit_events"
    )
    what = models.CharField(
        max_length=100, help_text="The category or event, e.g. measures, agreement.signed."
    )
    detail = models.CharField(max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["engagement", "-at"], name="audit_engagement_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.what}"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise PermissionError("Audit events are append-only; they cannot be changed.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit events are append-only; they cannot be deleted.")

    @property
    def what_label(self) -> str:
        from leancoach.core.audit import WHAT_LABELS

        return WHAT_LABELS.get(self.what, self.what)


class LoginSession(AbstractBaseSession):
    """A browser session that knows whose it is (Django's table keeps that only inside the
    encoded data), so disabling a login ends all its sessions with one indexed DELETE.
    The store is ``leancoach.core.sessions`` (``SESSION_ENGINE``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        db_constraint=False,  # a session row may outlive a deleted login for a moment
        related_name="+",
    )

    @classmethod
    def get_session_store_class(cls) -> type[SessionBase]:
        from leancoach.core.sessions import SessionStore

        return SessionStore
