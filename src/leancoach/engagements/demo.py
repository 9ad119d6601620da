"""Demo engagements for the demo organisation (see people/demo.py); safe to run again."""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from leancoach.cycle import services as cycle_services
from leancoach.engagements import services
from leancoach.engagements.models import Agreement, Engagement, Kind, Signature, StatusChange
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
    for person in (client, engagement.sponsor):
        assert person is not None
        engagement = services.answer_consent(
            request=None, engagement=engagement, person=person, accept=True
        )
    furnish_engagement(engagement)
    return 1


def furnish_engagement(engagement: Engagement) -> None:
    """The demo's content for one coaching engagement: needs, positive assumptions, an agreement
    version (sharing measures and action status) signed by all (which makes a proposal every
    party has accepted active, and leaves an active one active), a
    measure with values, behaviours with practice and observations, and an action. The
    browser tests lay it on their fixtures' engagements to crawl pages full of data."""
    coach = engagement.coach
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
    _sign_and_start(engagement)
    _measures_and_practice(engagement)


def _sign_and_start(engagement: Engagement) -> None:
    coach = engagement.coach
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
    # The last signature starts the engagement (services.sign_agreement).
    for person in (engagement.coach, engagement.client, engagement.sponsor):
        assert person is not None
        services.sign_agreement(request=None, agreement=agreement, person=person)


def _measures_and_practice(engagement: Engagement) -> None:
    coach = engagement.coach
    client = engagement.client
    measure = add_measure(
        engagement=engagement, by=coach, name="Rework per week", unit="units", better="down"
    )
    today = timezone.localdate()
    for weeks_ago, value in enumerate((21, 19, 22, 18, 17, 15, 16, 13)):
        record_value(
            measure=measure, on=today - datetime.timedelta(weeks=8 - weeks_ago), value=value
        )
    # The client's team keeps its own KPI board, which everyone may read.
    team = client.led_teams.order_by("pk").first()
    if team is not None:
        parts = add_measure(
            team=team, by=client, name="Parts per hour", unit="parts", frequency="daily"
        )
        for days_ago, value in enumerate((41, 43, 40, 42, 44, 41, 39, 42, 43, 40, 46, 47, 45, 48)):
            record_value(
                measure=parts, on=today - datetime.timedelta(days=14 - days_ago), value=value
            )
    ask = cycle_services.add_behaviour(
        engagement=engagement, by=coach, text="Asks each person for one problem at the 8:00 huddle"
    )
    write = cycle_services.add_behaviour(
        engagement=engagement,
        by=coach,
        text="Writes each problem on the board before 8:15 every day",
    )
    owns = cycle_services.add_behaviour(
        engagement=engagement,
        by=coach,
        text="Names an owner and a date for each problem before the huddle ends",
    )
    cycle_services.define_skill(
        engagement=engagement,
        by=coach,
        name="Run a problem-solving huddle",
        steps=[ask, write, owns],
    )
    cycle_services.set_target(
        engagement=engagement,
        by=coach,
        measure=measure,
        target_value=10,
        by_date=today + datetime.timedelta(weeks=8),
        expected="Problems raised in the huddle are fixed before they become rework",
    )
    cycle_services.set_target(
        engagement=engagement,
        by=coach,
        behaviour=ask,
        rate=5,
        rate_period="week",
        by_date=today + datetime.timedelta(weeks=4),
        expected="Asking every day makes the quiet members speak up",
    )
    practice = cycle_services.commit_to_practice(
        engagement=engagement,
        by=client,
        behaviour=ask,
        when="at the 8:00 huddle",
        where="at the line 1 board",
        recurrence="daily",
        starts_on=today - datetime.timedelta(days=13),
    )
    for days_ago in range(13, 0, -1):
        day = today - datetime.timedelta(days=days_ago)
        if day.weekday() < 5:
            cycle_services.log_practice(
                commitment=practice, on=day, done=days_ago % 4 != 0, count=1
            )
    for days_ago, behaviour, response in (
        (12, ask, "correction"),
        (10, ask, "reinforcement"),
        (8, write, "reinforcement"),
        (6, ask, "reinforcement"),
        (3, write, "correction"),
        (1, ask, "reinforcement"),
    ):
        cycle_services.record_observation(
            engagement=engagement,
            observer=coach,
            behaviour=behaviour,
            on=today - datetime.timedelta(days=days_ago),
            performance="performed" if response == "reinforcement" else "partly",
            response=response,
            words="Thanks for asking everyone"
            if response == "reinforcement"
            else "Ask the quiet ones too",
        )
    add_action(
        engagement=engagement,
        by=coach,
        what="Hold a 10-minute huddle at 8:00 every day",
        owner="client",
        due_on=today + datetime.timedelta(days=7),
    )


BULK_BATCH = 2000


def seed_bulk_engagements(count: int, progress: Any = None) -> int:
    """``count`` active coaching engagements for the large data set, written in bulk.

    Coaches are managers, clients the team leaders of other areas, sponsors the
    clients' managers; each has agreement v1, signed by all three, sharing
    measures and action status. Everyone's consent is recorded as ``accepted_at``
    alone (no ``Consent`` rows: they are the record of a proposal's answers, which
    these never were). Idempotent: tops up to ``count``.
    """
    report = progress or (lambda stage, done, total: None)
    existing = Engagement.objects.count()
    if existing >= count:
        return 0
    leaders = list(
        Person.objects.filter(led_teams__isnull=False, manager__isnull=False, reports__isnull=False)
        .values_list("pk", "manager_id")
        .distinct()
        .order_by("pk")
    )
    coaches = [pk for pk, _manager in leaders]
    rng = random.Random(f"leancoach-engagements-{count}")
    now = timezone.now()
    created = 0
    while existing + created < count:
        batch = []
        for _ in range(min(BULK_BATCH, count - existing - created)):
            client_id, sponsor_id = rng.choice(leaders)
            coach_id = rng.choice(coaches)
            while coach_id in (client_id, sponsor_id):
                coach_id = rng.choice(coaches)
            batch.append(
                Engagement(
                    kind=Kind.COACHING,
                    status="active",
                    cadence=rng.choice(["weekly", "fortnightly", "monthly"]),
                    focus="Demo engagement",
                    coach_id=coach_id,
                    client_id=client_id,
                    sponsor_id=sponsor_id,
                    requested_by_id=coach_id,
                    accepted_at=now,
                    created_at=now,
                    status_changed_at=now,
                )
            )
        with transaction.atomic():
            Engagement.objects.bulk_create(batch)
            # Both databases hand back the new ids from a bulk insert.
            ids = [(e.pk, e.coach_id, e.client_id, int(e.sponsor_id or 0)) for e in batch]
            StatusChange.objects.bulk_create(
                StatusChange(
                    engagement_id=pk, to_status="active", reason="Demo data", changed_by_id=coach
                )
                for pk, coach, _client, _sponsor in ids
            )
            Agreement.objects.bulk_create(
                Agreement(
                    engagement_id=pk,
                    version=1,
                    share_measures=True,
                    share_action_status=True,
                    created_by_id=coach,
                )
                for pk, coach, _client, _sponsor in ids
            )
            agreements = dict(
                Agreement.objects.filter(engagement_id__in=[row[0] for row in ids]).values_list(
                    "engagement_id", "pk"
                )
            )
            Signature.objects.bulk_create(
                Signature(agreement_id=agreements[pk], role=role, person_id=person)
                for pk, coach, client, sponsor in ids
                for role, person in (("coach", coach), ("client", client), ("sponsor", sponsor))
            )
        created += len(batch)
        report("engagements", created, count - existing)
    return created
