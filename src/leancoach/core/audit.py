"""The audit log: reads of engagement content by sponsors and admins, exports, and changes.

Written only through ``record``; never updated or deleted (the model refuses,
and on PostgreSQL a trigger refuses too). The client reads it on "Who has seen
my coaching data".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from axes.helpers import get_client_ip_address
from django.http import HttpRequest

from leancoach.core.models import AuditEvent

if TYPE_CHECKING:
    from leancoach.engagements.models import Engagement


def _actor_label(request: HttpRequest | None) -> str:
    if request is None or not request.user.is_authenticated:
        return "system"
    person = getattr(request.user, "person", None)
    email = request.user.get_username()
    return f"{person.name} <{email}>" if person is not None else email


def record(
    request: HttpRequest | None,
    *,
    action: str,
    what: str,
    role: str,
    engagement: Engagement | None = None,
    detail: str = "",
) -> AuditEvent:
    user = request.user if request is not None and request.user.is_authenticated else None
    return AuditEvent.objects.create(
        actor=user,
        actor_label=_actor_label(request)[:300],
        actor_role=role,
        action=action,
        engagement=engagement,
        what=what[:100],
        detail=detail[:500],
        ip_address=get_client_ip_address(request) if request is not None else None,
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request is not None else "")[:300],
    )


def record_reads(
    request: HttpRequest,
    *,
    engagement: Engagement,
    role: str,
    categories: Iterable[str],
    detail: str = "",
) -> None:
    """One row per category read, written together."""
    user = request.user if request.user.is_authenticated else None
    label = _actor_label(request)[:300]
    ip_address = get_client_ip_address(request)
    agent = request.META.get("HTTP_USER_AGENT", "")[:300]
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=user,
            actor_label=label,
            actor_role=role,
            action=AuditEvent.Action.READ,
            engagement=engagement,
            what=category,
            detail=detail[:500],
            ip_address=ip_address,
            user_agent=agent,
        )
        for category in sorted(set(categories))
    )
