"""A meeting's agenda, pre-filled from the engagement's data (reads only).

Each item of the method's agenda gets the facts that belong to it, each fact
tagged with the access category it comes from, so a viewer sees only the facts
their role (and, for a sponsor, the agreement) lets them read. "Since the last
meeting" means since the start of the engagement's previous held meeting.

When a meeting is closed, ``snapshot`` freezes the facts as plain text (still
tagged by category), so the record shows what was on the table that day.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q
from django.utils import timezone

from leancoach.core.access import Category
from leancoach.cycle.models import (
    Behaviour,
    CurrentCondition,
    Observation,
    PracticeCommitment,
    PracticeLog,
    Response,
    TargetCondition,
    TargetStatus,
)
from leancoach.meetings.agenda_items import AgendaItem, items_for
from leancoach.meetings.models import (
    ActionItem,
    ActionStatus,
    Experiment,
    Meeting,
    MeetingStatus,
    Obstacle,
    ObstacleStatus,
)
from leancoach.metrics.models import Measure
from leancoach.metrics.selectors import measure_charts

RECENT_OBSERVATIONS = 10


@dataclass(frozen=True)
class Fact:
    category: str  # an access Category value
    text: str
    tone: str = ""  # "signal", "celebrate", "overdue" or "": how the page marks it

    def as_json(self) -> dict[str, str]:
        return {"category": self.category, "text": self.text, "tone": self.tone}


@dataclass
class ItemOnAgenda:
    item: AgendaItem
    facts: list[Fact] = field(default_factory=list)

    def visible(self, readable: set[str]) -> list[Fact]:
        return [fact for fact in self.facts if fact.category in readable]


@dataclass
class Agenda:
    meeting: Meeting
    since: datetime.datetime | None  # the previous held meeting's start
    items: list[ItemOnAgenda]
    frozen: bool  # True: from the snapshot taken when the meeting was closed

    def snapshot(self) -> list[dict[str, Any]]:
        return [
            {"key": entry.item.key, "facts": [fact.as_json() for fact in entry.facts]}
            for entry in self.items
        ]


def previous_held(meeting: Meeting) -> Meeting | None:
    return (
        Meeting.objects.filter(
            engagement_id=meeting.engagement_id,
            status=MeetingStatus.HELD,
            starts_at__lt=meeting.starts_at,
        )
        .order_by("-starts_at", "-id")
        .first()
    )


def build_agenda(meeting: Meeting, *, today: datetime.date) -> Agenda:
    """The agenda of ``meeting``: frozen if it was closed as held, else built from the data now."""
    items = items_for(meeting.engagement.kind)
    previous = previous_held(meeting)
    since = previous.starts_at if previous else None
    if meeting.agenda_snapshot is not None:
        stored = {entry["key"]: entry["facts"] for entry in meeting.agenda_snapshot}
        return Agenda(
            meeting=meeting,
            since=since,
            frozen=True,
            items=[
                ItemOnAgenda(item, [Fact(**fact) for fact in stored.get(item.key, [])])
                for item in items
            ],
        )
    facts = _Facts(meeting, since=since, today=today)
    builders = {
        "facts": facts.review_the_facts,
        "recognition": facts.recognition,
        "pinpoint": facts.pinpoint,
        "action_review": facts.action_review,
        "challenge": facts.challenge,
        "feedback": facts.feedback,
        "problem_solving": facts.problem_solving,
        "contracting": facts.contracting,
        "kata_target": facts.challenge,
        "kata_actual": facts.kata_actual,
        "kata_obstacles": facts.kata_obstacles,
        "kata_next_step": facts.kata_next_step,
        "kata_go_see": facts.kata_go_see,
    }
    return Agenda(
        meeting=meeting,
        since=since,
        frozen=False,
        items=[ItemOnAgenda(item, list(builders[item.key]())) for item in items],
    )


def _subject(observation: Observation) -> str:
    """What was observed: the behaviour, or the skill whose whole chain was observed."""
    if observation.behaviour is not None:
        return observation.behaviour.text
    return observation.skill.name if observation.skill is not None else ""


def _day(moment: datetime.datetime | None) -> datetime.date | None:
    return None if moment is None else timezone.localdate(moment)


class _Facts:
    """Reads the engagement once per kind of data and words each fact (a fixed number of queries)."""

    def __init__(self, meeting: Meeting, *, since: datetime.datetime | None, today: datetime.date):
        self.meeting = meeting
        self.engagement = meeting.engagement
        self.since = since
        self.since_day = _day(since)
        self.today = today
        self._cache: dict[str, Any] = {}

    def _once(self, key: str, load: Any) -> Any:
        if key not in self._cache:
            self._cache[key] = load()
        return self._cache[key]

    def _after_since(self, day: datetime.date) -> bool:
        return self.since_day is None or day > self.since_day

    # -- data -------------------------------------------------------------------------

    def measures(self) -> list[Any]:
        return self._once(
            "measures", lambda: measure_charts(Measure.objects.filter(engagement=self.engagement))
        )

    def targets(self) -> list[TargetCondition]:
        return self._once(
            "targets",
            # Open targets, and those closed since the last meeting (recognition): not the
            # whole history, which only grows.
            lambda: list(
                TargetCondition.objects.filter(engagement=self.engagement)
                .filter(
                    Q(status=TargetStatus.OPEN)
                    | Q(
                        closed_at__gt=self.since
                        or datetime.datetime.min.replace(tzinfo=datetime.UTC)
                    )
                )
                .select_related("measure", "behaviour")
            ),
        )

    def observations(self) -> list[Observation]:
        def load() -> list[Observation]:
            rows = Observation.objects.filter(engagement=self.engagement).select_related(
                "behaviour", "skill"
            )
            if self.since_day is not None:
                rows = rows.filter(on__gt=self.since_day)
            return list(rows.order_by("-on", "-id")[:200])

        return self._once("observations", load)

    def actions(self) -> list[ActionItem]:
        return self._once(
            "actions",
            # Open and slipped ones whatever their date, done ones due since the last meeting,
            # and this meeting's own: what the review and contracting show, not the history.
            lambda: list(
                ActionItem.objects.filter(engagement=self.engagement).filter(
                    Q(status__in=[ActionStatus.OPEN, ActionStatus.SLIPPED])
                    | Q(status=ActionStatus.DONE, due_on__gte=self.since_day or datetime.date.min)
                    | Q(meeting=self.meeting)
                )
            ),
        )

    def commitments(self) -> list[PracticeCommitment]:
        return self._once(
            "commitments",
            lambda: list(
                PracticeCommitment.objects.filter(engagement=self.engagement)
                .exclude(ends_on__lt=self.since_day or self.today)
                .select_related("behaviour")
                .prefetch_related(
                    Prefetch("logs", queryset=PracticeLog.objects.order_by("-on", "-id"))
                )
            ),
        )

    def experiments(self) -> list[Experiment]:
        return self._once(
            "experiments",
            lambda: list(
                Experiment.objects.filter(engagement=self.engagement)
                .select_related("obstacle")
                .order_by("created_at", "id")
            ),
        )

    def obstacles(self) -> list[Obstacle]:
        return self._once(
            "obstacles", lambda: list(Obstacle.objects.filter(engagement=self.engagement))
        )

    # -- the eight items -------------------------------------------------------------

    def review_the_facts(self) -> Iterable[Fact]:
        yield from self._measure_facts()
        condition = (
            CurrentCondition.objects.filter(engagement=self.engagement)
            .order_by("-on", "-id")
            .first()
        )
        if condition is not None:
            summary = "; ".join(
                part
                for part in (
                    condition.observed_behaviour and f"behaviour: {condition.observed_behaviour}",
                    condition.external_conditions and f"landscape: {condition.external_conditions}",
                    condition.priorities and f"priorities: {condition.priorities}",
                )
                if part
            )
            yield Fact(
                Category.CURRENT_CONDITION,
                f"Current condition of {condition.on:%Y-%m-%d}: {summary or 'measures only'}.",
            )
        observed = self.observations()
        if observed:
            performed = sum(1 for o in observed if o.performance == "performed")
            yield Fact(
                Category.OBSERVATIONS,
                f"{len(observed)} observation{'s' if len(observed) != 1 else ''} "
                f"{self._since_words()}: {performed} performed fully.",
            )

    def _since_words(self) -> str:
        return f"since the last meeting ({self.since_day:%Y-%m-%d})" if self.since_day else "so far"

    def _measure_facts(self) -> Iterable[Fact]:
        for item in self.measures():
            points = list(item.measure.points.all())
            unit = f" {item.measure.unit}" if item.measure.unit else ""
            if not points:
                yield Fact(Category.MEASURES, f"{item.measure.name}: no values yet.")
                continue
            recent = ", ".join(f"{p.value:g}" for p in points[-3:])
            yield Fact(
                Category.MEASURES,
                f"{item.measure.name}: latest {points[-1].value:g}{unit} on "
                f"{points[-1].on:%Y-%m-%d} (last values {recent}).",
            )
            for signal in item.chart.signals:
                on = points[signal.index].on
                if self._after_since(on):
                    yield Fact(
                        Category.MEASURES,
                        f"New signal in {item.measure.name} on {on:%Y-%m-%d}: {signal.explanation}",
                        "signal",
                    )

    def recognition(self) -> Iterable[Fact]:
        for target in self.targets():
            if (
                target.status == TargetStatus.MET
                and target.closed_at is not None
                and (self.since is None or target.closed_at > self.since)
            ):
                yield Fact(Category.TARGETS, f"Target met: {target.words}.", "celebrate")
        for commitment in self.commitments():
            streak = 0
            for log in commitment.logs.all():
                if not log.done:
                    break
                streak += 1
            if streak >= 2:
                yield Fact(
                    Category.PRACTICE,
                    f"Practised “{commitment.behaviour.text}” {streak} times in a row.",
                    "celebrate",
                )
        reinforced: dict[str, int] = {}
        for observation in self.observations():
            if observation.response == Response.REINFORCEMENT:
                name = _subject(observation)
                reinforced[name] = reinforced.get(name, 0) + 1
        for name, count in reinforced.items():
            yield Fact(
                Category.OBSERVATIONS,
                f"Reinforced “{name}” {count} time{'s' if count != 1 else ''} {self._since_words()}.",
                "celebrate",
            )

    def pinpoint(self) -> Iterable[Fact]:
        practised = {c.behaviour_id for c in self.commitments()}
        behaviours = Behaviour.objects.filter(engagement=self.engagement, archived=False)
        for behaviour in behaviours:
            marker = " (practising)" if behaviour.pk in practised else ""
            yield Fact(Category.PRACTICE, f"Working on: {behaviour.text}{marker}.")
        for observation in self.observations()[:RECENT_OBSERVATIONS]:
            what = (
                observation.behaviour.text
                if observation.behaviour
                else f"the chain {_subject(observation)}"
            )
            yield Fact(
                Category.OBSERVATIONS,
                f"Observed {observation.on:%Y-%m-%d}: {what} — "
                f"{observation.get_performance_display().lower()}, "
                f"{observation.get_response_display().lower()}.",
            )

    def action_review(self) -> Iterable[Fact]:
        start = self.since_day
        for action in self.actions():
            if action.meeting_id == self.meeting.pk:
                continue  # agreed in this meeting: contracting, not review
            owner = action.get_owner_display().lower()
            due = f"agreed for {action.due_on:%Y-%m-%d}"
            if action.status == ActionStatus.OPEN:
                if action.due_on < self.today:
                    yield Fact(
                        Category.ACTION_STATUS,
                        f"Overdue: {action.what} ({owner}, {due}).",
                        "overdue",
                    )
                elif action.due_on == self.today:
                    yield Fact(Category.ACTION_STATUS, f"Due today: {action.what} ({owner}).")
                else:
                    yield Fact(Category.ACTION_STATUS, f"Open: {action.what} ({owner}, {due}).")
            elif action.status == ActionStatus.SLIPPED:
                yield Fact(
                    Category.ACTION_STATUS, f"Slipped: {action.what} ({owner}, {due}).", "overdue"
                )
            elif action.status == ActionStatus.DONE and (start is None or action.due_on >= start):
                confirmed = "" if action.confirmed_at else ", waiting for the coach to confirm"
                yield Fact(
                    Category.ACTION_STATUS,
                    f"Done: {action.what} ({owner}{confirmed}).",
                    "celebrate",
                )

    def challenge(self) -> Iterable[Fact]:
        if self.engagement.challenge_id is not None:
            yield Fact(
                Category.DETAILS, f"The organisation's challenge: {self.engagement.challenge}."
            )
        for target in self.targets():
            if target.status == TargetStatus.OPEN:
                yield Fact(
                    Category.TARGETS,
                    f"Target condition: {target.words} by {target.by_date:%Y-%m-%d} "
                    f"(we expect: {target.expected}).",
                )

    def feedback(self) -> Iterable[Fact]:
        return ()

    def problem_solving(self) -> Iterable[Fact]:
        for obstacle in self.obstacles():
            if obstacle.status == ObstacleStatus.CURRENT:
                yield Fact(Category.MEETING_NOTES, f"Obstacle being worked on: {obstacle.text}.")

    def contracting(self) -> Iterable[Fact]:
        for action in self.actions():
            if action.meeting_id == self.meeting.pk and action.status != ActionStatus.DROPPED:
                check = (
                    f", check back {action.check_back_on:%Y-%m-%d}" if action.check_back_on else ""
                )
                yield Fact(
                    Category.ACTION_STATUS,
                    f"Agreed: {action.what} — {action.get_owner_display().lower()}, by "
                    f"{action.due_on:%Y-%m-%d}{check}.",
                )

    # -- the Kata questions -------------------------------------------------------------

    def kata_actual(self) -> Iterable[Fact]:
        yield from self._measure_facts()
        done = [e for e in self.experiments() if e.meeting_id != self.meeting.pk]
        if done:
            last = done[-1]
            yield Fact(
                Category.MEETING_NOTES,
                f"Last step: {last.step}. Expected: {last.expected}. "
                f"What happened: {last.happened or 'not recorded yet'}. "
                f"What we learned: {last.learned or 'not recorded yet'}.",
            )

    def kata_obstacles(self) -> Iterable[Fact]:
        for obstacle in self.obstacles():
            if obstacle.status == ObstacleStatus.CURRENT:
                yield Fact(Category.MEETING_NOTES, f"Working on now: {obstacle.text}.", "signal")
        for obstacle in self.obstacles():
            if obstacle.status == ObstacleStatus.PARKED:
                yield Fact(Category.MEETING_NOTES, f"In the parking lot: {obstacle.text}.")

    def kata_next_step(self) -> Iterable[Fact]:
        for experiment in self.experiments():
            if experiment.meeting_id == self.meeting.pk:
                yield Fact(
                    Category.MEETING_NOTES,
                    f"Next step: {experiment.step}. We expect: {experiment.expected}.",
                )

    def kata_go_see(self) -> Iterable[Fact]:
        following = (
            Meeting.objects.filter(
                engagement_id=self.engagement.pk,
                status=MeetingStatus.SCHEDULED,
                starts_at__gt=self.meeting.starts_at,
            )
            .order_by("starts_at", "id")
            .first()
        )
        if following is not None:
            yield Fact(
                Category.MEETINGS,
                f"The next meeting is on {timezone.localtime(following.starts_at):%Y-%m-%d %H:%M} "
                "(go and see by then).",
            )
        yield from self.contracting()
