"""Meeting-side objects of an engagement, for the "who can and who cannot" walks."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from leancoach.meetings import services


def meeting_parts(engagement: Any) -> dict[str, int]:
    """A scheduled meeting (tomorrow), an obstacle and an experiment in ``engagement``."""
    coach = engagement.coach
    meeting = services.add_meeting(
        engagement=engagement, by=coach, starts_at=timezone.now() + datetime.timedelta(days=1)
    )
    obstacle = services.park_obstacle(engagement=engagement, by=coach, text="Parts arrive late")
    experiment = services.plan_experiment(
        engagement=engagement,
        by=coach,
        meeting=meeting,
        obstacle=obstacle,
        step="Call the supplier at 7:30",
        expected="Parts on the line by 8:00",
    )
    return {
        "meeting_id": meeting.pk,
        "obstacle_id": obstacle.pk,
        "experiment_id": experiment.pk,
    }
