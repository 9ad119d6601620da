"""Demo engagements for the demo organisation (see people/demo.py); safe to run again."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from leancoach.engagements import services
from leancoach.engagements.models import Engagement, Kind
from leancoach.meetings.services import add_action
from leancoach.metrics.services import add_measure, record_value
from leancoach.people.models import Person


@transaction.atomic
def seed_demo_engagements() -> int:
    """The demo coach coaches the demo client, sponsored by the demo sponsor, under a signed
    agreement sharing measures and action status. Returns how many engagements it created."""
    coach = Person.objects.get(email="coach@example.com")
    client = Person.objects.get(email="client@example.com")
    if Engagement.objects.filter(coach=coach, client=client, kind=Kind.COACHING).exists():
        return 0
    engagement = services.open_engagement(
        request=None,
        opened_by=coach,
        coach=coach,
        client=client,
        focus="Daily huddles that solve problems",
        zones=["blue", "green"],
        cadence="weekly",
    )
    services.add_need(
        engagement=engagement,
        by=coach,
        owner="sponsor",
        category="quality",
        description="Halve the rework on the line within a quarter",
    )
    services.add_need(
        engagement=engagement,
        by=coach,
        owner="client",
        category="team_behaviour",
        description="The team raises problems in the huddle instead of after it",
    )
    services.write_assumptions(
        engagement=engagement,
        by=coach,
        best_outcome="A team that finds and fixes its own problems",
        strengths="Patient listener\nKnows the process in detail",
    )
    agreement = services.propose_agreement(
        request=None,
        engagement=engagement,
        by=coach,
        role="coach",
        terms={
            "share_measures": True,
            "share_action_status": True,
            "cadence": "weekly",
            "coach_commitments": "Observe one huddle a week and give feedback the same day",
            "client_commitments": "Run the huddle daily at 8:00 and log each one",
        },
    )
    for person in (engagement.coach, engagement.client, engagement.sponsor):
        assert person is not None
        services.sign_agreement(request=None, agreement=agreement, person=person)
    services.change_status(
        request=None,
        engagement=engagement,
        by=coach,
        role="coach",
        to_status="active",
        reason="Agreement signed by all",
    )
    measure = add_measure(
        engagement=engagement, by=coach, name="Rework per week", unit="units", better="down"
    )
    today = timezone.localdate()
    for weeks_ago, value in enumerate((21, 19, 22, 18, 17, 15, 16, 13)):
        record_value(
            measure=measure, on=today - datetime.timedelta(weeks=8 - weeks_ago), value=value
        )
    add_action(
        engagement=engagement,
        by=coach,
        what="Hold a 10-minute huddle at 8:00 every day",
        owner="client",
        due_on=today + datetime.timedelta(days=7),
    )
    return 1
