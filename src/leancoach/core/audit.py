"""The audit log: reads of engagement content by sponsors and admins, exports, and changes.

Written only through ``record`` and ``record_reads``; never updated or deleted
(the model refuses, and a trigger refuses on PostgreSQL and SQLite). Each row is
hash-chained to the one before it as it is saved (core/auditchain.py). The
client reads it on "Who has seen my coaching data".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest

from leancoach.core.http import client_ip
from leancoach.core.models import AuditEvent

if TYPE_CHECKING:
    from leancoach.engagements.models import Engagement


# What the client reads on "Who has seen my data", for each recorded ``what``.
WHAT_LABELS = {
    "summary": "that the engagement exists (kind, status, dates, people)",
    "details": "focus, coaching model, zones and cadence",
    "agreement": "the agreement",
    "confidential": "what you asked to keep confidential",
    "measures": "measures and KPIs",
    "targets": "targets",
    "action_status": "the action log",
    "meeting_summaries": "meeting summaries",
    "observations": "observations and the reinforcement ratio",
    "survey_results": "survey results",
    "engagement.opened": "opened the engagement",
    "mentoring.requested": "asked for mentoring",
    "mentoring.accepted": "accepted the mentoring request",
    "status.changed": "changed the status",
    "role.changed": "changed who takes part",
    "agreement.proposed": "proposed a version of the agreement",
    "agreement.edited": "changed an unsigned version of the agreement",
    "agreement.signed": "signed the agreement",
    "consent": "who is asked to take part, and their answers",
    "role_changes": "proposed changes of coach or sponsor",
    "consent.accepted": "accepted taking part",
    "consent.declined": "declined taking part",
    "role.proposed": "proposed a new coach or sponsor",
    "role.declined": "declined a proposed new coach or sponsor",
    "role.withdrawn": "withdrew a proposed new coach or sponsor",
    "login.invited": "invited someone to sign in",
    "login.disabled": "disabled someone's login",
    "login.enabled": "enabled someone's login again",
}


def _actor_label(request: HttpRequest | None, person: Any = None) -> str:
    if request is None or not request.user.is_authenticated:
        return f"{person.name} <{person.email}>" if person is not None else "system"
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
    person: Any = None,
) -> AuditEvent:
    """``person``: who acted, when there is no request (a command or the seed)."""
    user = request.user if request is not None and request.user.is_authenticated else None
    if user is None and person is not None:
        user = person.user
    return AuditEvent.objects.create(
        actor=user,
        actor_label=_actor_label(request, person)[:300],
        actor_role=role,
        action=action,
        engagement=engagement,
        what=what[:100],
        detail=detail[:500],
        ip_address=client_ip(request) if request is not None else None,
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
    ip_address = client_ip(request)
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
