"""Steps of an engagement's life that many tests take, written once."""

from __future__ import annotations

from typing import Any

from leancoach.engagements import services


def hand_over(engagement: Any, *, role: str, to: Any, by: Any) -> Any:
    """Give ``role`` (coach or sponsor) to the person ``to``, as the programme would let it
    happen, so tests can look at what each party reads afterwards."""
    return services.change_role(
        request=None,
        engagement=engagement,
        by_role="admin",
        role=role,
        person=to,
        reason="Handover",
        by=by,
    )
