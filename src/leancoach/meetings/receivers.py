"""What the meetings app does when something happens in an engagement (engagements/signals.py)."""

from __future__ import annotations

from typing import Any

from leancoach.engagements.models import Agreement, Engagement
from leancoach.meetings import services


def apply_agreed_cadence(
    sender: Any, *, engagement: Engagement, agreement: Agreement, **kwargs: Any
) -> None:
    """The agreed cadence is the schedule: a version in force with a new cadence reschedules
    the engagement's coming meetings (inside the signing transaction)."""
    if agreement.cadence != engagement.cadence:
        services.apply_agreed_cadence(
            engagement=engagement, cadence=agreement.cadence, by=agreement.created_by
        )
