from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from leancoach.meetings import services


@pytest.fixture
def meeting(engagements: Any) -> Any:
    """A meeting of our engagement, an hour from now."""
    engagement = engagements.ours
    return services.add_meeting(
        engagement=engagement,
        by=engagement.coach,
        starts_at=timezone.now() + datetime.timedelta(hours=1),
    )
