"""Input and output shapes of the team measures API (an engagement's measures are in engagements/schemas.py)."""

from __future__ import annotations

from leancoach.engagements.schemas import MeasureFields, MeasureIn
from leancoach.metrics.models import Frequency


class TeamMeasureIn(MeasureIn):
    frequency: Frequency = Frequency.WEEKLY


class TeamMeasureOut(MeasureFields):
    """A team's KPI board is read by everyone signed in: not engagement content."""

    team_id: int
    frequency: str
