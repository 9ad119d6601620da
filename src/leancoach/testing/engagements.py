"""Steps of an engagement's life that many tests take, written once."""

from __future__ import annotations

from typing import Any

from leancoach.engagements import services


def hand_over(engagement: Any, *, role: str, to: Any, by: Any, by_role: str = "admin") -> Any:
    """Give ``role`` (coach or sponsor) to the person ``to`` as the programme lets it happen:
    ``by`` proposes it and the client accepts. Returns the engagement as it is now."""
    proposal = services.propose_role_change(
        request=None,
        engagement=engagement,
        by=by,
        by_role=by_role,
        role=role,
        person=to,
        reason="Handover",
    )
    services.answer_role_change(request=None, proposal=proposal, by=engagement.client, accept=True)
    engagement.refresh_from_db()
    return engagement
