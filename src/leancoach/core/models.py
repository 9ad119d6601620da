from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models, router, transaction
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
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "password" not in update_fields:  # type: ignore[operator]
            super().save(*args, **kwargs)  # type: ignore[arg-type]
            return
        if self._state.adding or not self._password_replaced():
            super().save(*args, **kwargs)  # type: ignore[arg-type]
        else:
            from leancoach.core.services import revoke_tokens

            with transaction.atomic():
                super().save(*args, **kwargs)  # type: ignore[arg-type]
                revoke_tokens(user=self, reason="password changed")
        self._loaded_password = self.__dict__.get("password")
        self._password_set = self._password_removed = False

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any) -> User:
        user = super().from_db(db, field_names, values)
        # The hash as stored, to tell a new password from a re-save of the same one.
        user._loaded_password = user.__dict__.get("password")
        return user

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self._password_set = True
        if raw_password is None:  # Django's spelling of "no usable password"
            self._password_removed = True

    def set_unusable_password(self) -> None:
        super().set_unusable_password()
        self._password_removed = True

    def _password_replaced(self) -> bool:
        """Whether this save stores a new password (or none) in place of the old one.

        Catches every path: set_password (the change and reset forms, ``changepassword``,
        createadmin), set_unusable_password, and a hash assigned directly. A hash *upgrade*
        at login (the same password under new hasher parameters) is not a change: Django's
        check_password calls set_password and then clears ``_password`` to say so.
        """
        if getattr(self, "_password_removed", False):
            return True
        if getattr(self, "_password_set", False):
            return getattr(self, "_password", None) is not None
        loaded = getattr(self, "_loaded_password", None)
        current = self.__dict__.get("password")
        return loaded is not None and current is not None and current != loaded


def hash_token(raw: str) -> str:
    # Tokens carry 256 bits of randomness, so a fast hash is safe here (unlike
    # passwords) and lets us find the token by an indexed equality lookup.
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        """Neither revoked nor expired, now."""
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=timezone.now())
        )


class ApiToken(models.Model):
    class Scope(models.TextChoices):
        READ = "read", "Read only"
        READ_WRITE = "read_write", "Read and write"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(
        max_length=12, help_text="First characters of the token, to recognise it."
    )
    scope = models.CharField(
        max_length=10,
        choices=Scope.choices,
        default=Scope.READ,
        help_text="read: GET and HEAD only; read_write: everything its owner may do.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Empty: never expires.")
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=100, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @staticmethod
    def generate() -> str:
        return TOKEN_PREFIX + secrets.token_urlsafe(32)


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[AuditEvent]:
        """Chain the rows, in order, after the current head, under the chain's append lock."""
        from leancoach.core import auditchain

        if kwargs.get("ignore_conflicts") or kwargs.get("update_conflicts"):
            raise PermissionError("Audit events are appended, never merged.")
        events = list(objs)
        if not events:
            return events
        # savepoint=False: inside a caller's transaction the lock simply joins it.
        with transaction.atomic(using=self.db, savepoint=False):
            auditchain.link(events, auditchain.lock_and_read_head(self.db))
            return super().bulk_create(events, *args, **kwargs)

    def update(self, **kwargs: object) -> int:
        raise PermissionError("Audit events are append-only; they cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit events are append-only; they cannot be deleted.")


class AuditEvent(models.Model):
    """Who did or saw what, when, from where. Append-only: see core/audit.py.

    Triggers (core migrations) refuse UPDATE and DELETE from any database role on
    PostgreSQL and SQLite; each row is hash-chained to the one before it
    (core/auditchain.py), so ``leancoach audit-verify`` finds any row changed or
    removed by someone who got past them.
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
    # The hash chain (core/auditchain.py): set when the row is appended, never by hand.
    prev_hash = models.CharField(max_length=64, editable=False, default="")
    hash = models.CharField(
        max_length=64,
        editable=False,
        default="",
        help_text="SHA-256 of this row's fields and prev_hash.",
    )

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["engagement", "-at"], name="audit_engagement_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.what}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        from leancoach.core import auditchain

        if not self._state.adding:
            raise PermissionError("Audit events are append-only; they cannot be changed.")
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using, savepoint=False):
            auditchain.link([self], auditchain.lock_and_read_head(using))
            super().save(*args, **kwargs)

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


class AuditCheck(models.Model):
    """One run of ``leancoach audit-verify``: when, how far, and what it found.

    The last good run's head (id and hash) is what the next run checks is still
    there, since the chain alone cannot show rows cut from its end.
    """

    at = models.DateTimeField(default=timezone.now)
    ok = models.BooleanField()
    rows = models.BigIntegerField(help_text="Entries verified before the first break, if any.")
    head_id = models.BigIntegerField(null=True, blank=True)
    head_hash = models.CharField(max_length=64, blank=True)
    broken_event_id = models.BigIntegerField(null=True, blank=True)
    problem = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        get_latest_by = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {'intact' if self.ok else 'broken'} ({self.rows} rows)"
