"""The session store: Django's database sessions, with the login's id in its own column.

Disabling a login must end every session it has at once. Django's ``django_session``
keeps the user id only inside the encoded session data, so finding one person's
sessions would mean decoding every row. ``LoginSession`` adds an indexed ``user``
column, filled each time a session is saved, so ``end_sessions`` is one DELETE.
``SESSION_ENGINE = "leancoach.core.sessions"`` selects it; ``clearsessions`` works as usual.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

if TYPE_CHECKING:
    from leancoach.core.models import LoginSession, User


class SessionStore(DatabaseSessionStore):
    @classmethod
    def get_model_class(cls) -> type[LoginSession]:
        from leancoach.core.models import LoginSession

        return LoginSession

    def create_model_instance(self, data: dict[str, Any]) -> LoginSession:
        session: LoginSession = super().create_model_instance(data)  # type: ignore[assignment]
        try:
            session.user_id = int(data.get(SESSION_KEY))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            session.user_id = None
        return session


def end_sessions(user: User) -> int:
    """Sign ``user`` out everywhere: delete every session of theirs; returns how many."""
    from leancoach.core.models import LoginSession

    deleted, _ = LoginSession.objects.filter(user_id=user.pk).delete()
    return deleted
