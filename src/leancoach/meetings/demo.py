"""Demo meetings, notes, actions — and, for the large data set, the cycle's bulk rows.

``seed_demo_meetings`` gives the demo engagement a weekly schedule with three meetings
held (summary, shared and private notes, actions agreed in contracting, one done by the
client and waiting for the coach) and the next ones to come. ``seed_bulk_activity``
writes DESIGN.md's reference volumes for the large data set: per engagement 20 meetings,
80 actions, 80 data points of one measure, 200 observations of three behaviours and one
practice commitment (500,000 meetings, 2,000,000 actions, 2,000,000 data points and
5,000,000 observations for 25,000 engagements). Both are safe to run again.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from leancoach.cycle.models import Behaviour, Observation, PracticeCommitment
from leancoach.engagements.models import CADENCE_DAYS, Engagement, Kind
from leancoach.meetings import services
from leancoach.meetings.models import ActionItem, Meeting, MeetingSeries
from leancoach.metrics.models import DataPoint, Measure
from leancoach.people.models import Person


@transaction.atomic
def seed_demo_meetings() -> int:
    """Meetings of the demo engagement (coach@example.com coaching client@example.com)."""
    coach = Person.objects.get(email="coach@example.com")
    engagement = Engagement.objects.filter(
        coach=coach, client__email="client@example.com", kind=Kind.COACHING
    ).first()
    if engagement is None or MeetingSeries.objects.filter(engagement=engagement).exists():
        return 0
    furnish_meetings(engagement)
    return 1


def furnish_meetings(engagement: Engagement) -> None:
    """The demo's meetings for one engagement: a weekly series from three weeks ago, the first
    three held with summary, shared and private notes and an action each (two done, one of
    them confirmed), the rest to come."""
    coach = engagement.coach
    client = engagement.client
    zone = services.organisation_zone()
    today = timezone.localdate()
    first_day = today - datetime.timedelta(days=21)
    first = datetime.datetime.combine(first_day, datetime.time(9, 0), tzinfo=zone)
    series = services.schedule_meetings(
        engagement=engagement,
        by=coach,
        first_starts_at=first,
        duration_minutes=45,
        location="Line 1 office",
        cadence="weekly",
    )
    held = list(series.meetings.order_by("sequence")[:3])
    notes = (
        (
            "The team raised four problems in the huddle; two solved the same day.",
            "Casey is hesitant to ask the quiet members; practise asking by name.",
        ),
        ("Rework down from 22 to 18 a week.", "Ask about the new starter's training."),
        ("Huddles start on time every day this week.", "Casey asked for help with a peer."),
    )
    for number, (meeting, (summary, private)) in enumerate(zip(held, notes, strict=True)):
        services.add_meeting_note(
            meeting=meeting, by=coach, item="facts", visibility="summary", text=summary
        )
        services.add_meeting_note(
            meeting=meeting,
            by=client,
            item="feedback",
            visibility="shared",
            text="I would like to watch another team leader run a huddle.",
        )
        services.add_private_meeting_note(meeting=meeting, by=coach, item="feedback", text=private)
        action = services.add_action(
            engagement=engagement,
            by=coach,
            meeting=meeting,
            what=(
                "Ask each person by name for one problem",
                "Post the rework chart daily",
                "Visit the line 2 huddle",
            )[number],
            owner="client",
            due_on=timezone.localdate(meeting.starts_at) + datetime.timedelta(days=5),
            check_back_on=timezone.localdate(meeting.starts_at) + datetime.timedelta(days=7),
        )
        if number < 2:
            services.set_action_status(action=action, by=client, status="done")
            if number == 0:
                services.confirm_action(action=action, by=coach)
        services.close_meeting(meeting=meeting, by=coach)


# --- The large data set ---------------------------------------------------------------

MEETINGS_EACH = 20
PAST_MEETINGS = 14
ACTIONS_EACH = 80
POINTS_EACH = 80
OBSERVATIONS_EACH = 200
BEHAVIOURS_EACH = 3
ENGAGEMENTS_PER_BATCH = 500


def _meetings(engagement: Any, now: datetime.datetime, rng: random.Random) -> list[Meeting]:
    step = datetime.timedelta(days=CADENCE_DAYS[engagement.cadence])
    first = now.replace(minute=0, second=0, microsecond=0) - step * PAST_MEETINGS
    first = first.replace(hour=rng.choice((8, 9, 10, 13, 14, 15)))
    rows = []
    for n in range(MEETINGS_EACH):
        starts = first + step * n
        status = "scheduled"
        if n < PAST_MEETINGS:
            status = rng.choices(("held", "missed", "cancelled"), (90, 6, 4))[0]
        rows.append(
            Meeting(
                engagement_id=engagement.pk,
                starts_at=starts,
                planned_starts_at=starts,
                status=status,
                duration_minutes=45,
                closed_at=starts if status in ("held", "missed") else None,
                agenda_snapshot=[] if status == "held" else None,
            )
        )
    return rows


def _actions(engagement: Any, today: datetime.date, rng: random.Random) -> list[ActionItem]:
    rows = []
    for n in range(ACTIONS_EACH):
        due = (
            today - datetime.timedelta(days=180) + datetime.timedelta(days=n * 200 // ACTIONS_EACH)
        )
        if due < today - datetime.timedelta(days=14):
            status = rng.choices(("done", "dropped", "slipped"), (85, 10, 5))[0]
        else:
            status = rng.choices(("open", "done"), (80, 20))[0]
        rows.append(
            ActionItem(
                engagement_id=engagement.pk,
                what=f"Action {n + 1}",
                owner=rng.choice(("client", "client", "coach")),
                due_on=due,
                status=status,
                confirmed_at=timezone.now() if status == "done" and due < today else None,
                created_by_id=engagement.coach_id,
            )
        )
    return rows


def seed_bulk_activity(progress: Any = None) -> int:
    """The reference volumes for every engagement that has no meetings yet; returns how many."""
    report = progress or (lambda stage, done, total: None)
    todo = list(
        Engagement.objects.filter(meetings__isnull=True)
        .exclude(coach__email="coach@example.com")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    now = timezone.now()
    today = timezone.localdate()
    done = 0
    for start in range(0, len(todo), ENGAGEMENTS_PER_BATCH):
        ids = todo[start : start + ENGAGEMENTS_PER_BATCH]
        engagements = list(Engagement.objects.filter(pk__in=ids).order_by("pk"))
        rng = random.Random(f"leancoach-activity-{ids[0]}")
        with transaction.atomic():
            Meeting.objects.bulk_create(
                [m for e in engagements for m in _meetings(e, now, rng)], batch_size=2000
            )
            ActionItem.objects.bulk_create(
                [a for e in engagements for a in _actions(e, today, rng)], batch_size=2000
            )
            measures = Measure.objects.bulk_create(
                Measure(
                    engagement_id=e.pk,
                    name="Rework per week",
                    unit="units",
                    better="down",
                    frequency="daily",
                    created_by_id=e.coach_id,
                )
                for e in engagements
            )
            DataPoint.objects.bulk_create(
                (
                    DataPoint(
                        measure_id=measure.pk,
                        on=today - datetime.timedelta(days=POINTS_EACH - n),
                        value=round(rng.gauss(20, 3), 1),
                    )
                    for measure in measures
                    for n in range(POINTS_EACH)
                ),
                batch_size=5000,
            )
            behaviours = Behaviour.objects.bulk_create(
                Behaviour(
                    engagement_id=e.pk,
                    text=(
                        "Asks each person for one problem at the huddle",
                        "Writes each problem on the board",
                        "Names an owner and a date for each problem",
                    )[n],
                    created_by_id=e.coach_id,
                )
                for e in engagements
                for n in range(BEHAVIOURS_EACH)
            )
            by_engagement: dict[int, list[int]] = {}
            for behaviour in behaviours:
                by_engagement.setdefault(behaviour.engagement_id, []).append(behaviour.pk)
            PracticeCommitment.objects.bulk_create(
                PracticeCommitment(
                    engagement_id=e.pk,
                    behaviour_id=by_engagement[e.pk][0],
                    when="at the 8:00 huddle",
                    where="at the team board",
                    starts_on=today - datetime.timedelta(days=60),
                    created_by_id=e.coach_id,
                )
                for e in engagements
            )
            Observation.objects.bulk_create(
                (
                    Observation(
                        engagement_id=e.pk,
                        observer_id=e.coach_id,
                        behaviour_id=by_engagement[e.pk][n % BEHAVIOURS_EACH],
                        on=today
                        - datetime.timedelta(
                            days=(OBSERVATIONS_EACH - n) * 180 // OBSERVATIONS_EACH
                        ),
                        performance=rng.choice(("performed", "partly", "not")),
                        response=rng.choices(("reinforcement", "correction", "none"), (78, 18, 4))[
                            0
                        ],
                    )
                    for e in engagements
                    for n in range(OBSERVATIONS_EACH)
                ),
                batch_size=5000,
            )
        done += len(engagements)
        report("meetings and actions", done, len(todo))
    return done
