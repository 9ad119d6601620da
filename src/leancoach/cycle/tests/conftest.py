from __future__ import annotations

from typing import Any

import pytest

from leancoach.cycle import services


@pytest.fixture
def huddle(engagements: Any) -> Any:
    """Two component behaviours of running a huddle, in our engagement."""
    engagement = engagements.ours
    return [
        services.add_behaviour(engagement=engagement, by=engagement.coach, text=text)
        for text in (
            "Asks each person for one problem at the 8:00 huddle",
            "Writes each problem on the board",
        )
    ]
