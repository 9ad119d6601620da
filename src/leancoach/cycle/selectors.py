"""Reads that measure behaviour shaping: the 4:1 ratio, chain fluency, practice adherence."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from leancoach.cycle.models import (
    Observation,
    Performance,
    PracticeCommitment,
    PracticeLog,
    Recurrence,
    Response,
    Skill,
)
from leancoach.people.models import Person

RATIO_GOAL = 4.0  # METHOD.md step 7: four positive reinforcements for each correction
DEFAULT_WINDOW_DAYS = 28


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


@dataclass(frozen=True)
class Ratio:
    """Positive to corrective responses over a period."""

    reinforcements: int
    corrections: int
    start: datetime.date
    end: datetime.date

    @property
    def value(self) -> float | None:
        """Reinforcements per correction; None when there was no correction to divide by."""
        return None if self.corrections == 0 else self.reinforcements / self.corrections

    @property
    def responses(self) -> int:
        return self.reinforcements + self.corrections

    @property
    def meets_goal(self) -> bool:
        return self.corrections == 0 or self.reinforcements >= RATIO_GOAL * self.corrections

    @property
    def label(self) -> str:
        if self.responses == 0:
            return "no responses yet"
        if self.corrections == 0:
            return f"{self.reinforcements}:0"
        return f"{self.reinforcements / self.corrections:.1f}:1"

    @property
    def warning(self) -> str | None:
        """A plain warning when corrections outweigh the 4:1 goal, else None."""
        if self.meets_goal:
            return None
        needed = int(RATIO_GOAL * self.corrections) - self.reinforcements
        return (
            f"{_count(self.reinforcements, 'reinforcement')} for "
            f"{_count(self.corrections, 'correction')} between "
            f"{self.start:%d %b} and {self.end:%d %b} is below 4:1. Look for {needed} more "
            f"{'thing' if needed == 1 else 'things'} done well to reinforce before the next "
            "correction."
        )


def ratio(
    observations: Iterable[Observation], *, start: datetime.date, end: datetime.date
) -> Ratio:
    reinforcements = corrections = 0
    for observation in observations:
        if not start <= observation.on <= end:
            continue
        if observation.response == Response.REINFORCEMENT:
            reinforcements += 1
        elif observation.response == Response.CORRECTION:
            corrections += 1
    return Ratio(reinforcements=reinforcements, corrections=corrections, start=start, end=end)


def rolling_ratio(
    observations: QuerySet[Observation], *, today: datetime.date, days: int = DEFAULT_WINDOW_DAYS
) -> Ratio:
    """The ratio over the last ``days`` days up to ``today``, counted in the database."""
    start = today - datetime.timedelta(days=days - 1)
    window = observations.filter(on__gte=start, on__lte=today)
    return Ratio(
        reinforcements=window.filter(response=Response.REINFORCEMENT).count(),
        corrections=window.filter(response=Response.CORRECTION).count(),
        start=start,
        end=today,
    )


def ratio_over_time(
    observations: Iterable[Observation],
    *,
    end: datetime.date,
    weeks: int = 12,
    window_days: int = DEFAULT_WINDOW_DAYS,
) -> list[Ratio]:
    """The rolling ratio at the end of each of the last ``weeks`` weeks, oldest first (the trend)."""
    rows = list(observations)
    ends = [end - datetime.timedelta(weeks=back) for back in range(weeks - 1, -1, -1)]
    return [
        ratio(rows, start=point - datetime.timedelta(days=window_days - 1), end=point)
        for point in ends
    ]


@dataclass(frozen=True)
class ChainStatus:
    chained: bool
    fluent_in_a_row: int
    needed: int


def chain_status(skill: Skill, observations: Iterable[Observation] | None = None) -> ChainStatus:
    """Chained once the whole chain was seen performed fluently in ``fluency_threshold``
    consecutive observations of the whole chain (the most recent ones)."""
    rows = sorted(
        observations if observations is not None else skill.observations.all(),
        key=lambda observation: (observation.on, observation.recorded_at, observation.pk or 0),
    )
    in_a_row = 0
    for observation in reversed(rows):
        if observation.performance != Performance.PERFORMED:
            break
        in_a_row += 1
    return ChainStatus(
        chained=in_a_row >= skill.fluency_threshold,
        fluent_in_a_row=in_a_row,
        needed=skill.fluency_threshold,
    )


@dataclass(frozen=True)
class WeekAdherence:
    week_start: datetime.date  # a Monday
    expected: int  # practice occasions due that week
    done: int
    missed: int  # logged as missed
    unlogged: int  # due, past, and not logged at all

    @property
    def percent(self) -> int | None:
        return (
            None
            if self.expected == 0
            else round(100 * min(self.done, self.expected) / self.expected)
        )


def _occasions(
    commitment: PracticeCommitment, start: datetime.date, end: datetime.date
) -> list[datetime.date]:
    """The days practice is due between ``start`` and ``end`` inclusive."""
    first = max(start, commitment.starts_on)
    last = min(end, commitment.ends_on) if commitment.ends_on else end
    if commitment.recurrence == Recurrence.ONCE:
        return [commitment.starts_on] if start <= commitment.starts_on <= last else []
    days = []
    day = first
    while day <= last:
        if (commitment.recurrence == Recurrence.DAILY and day.weekday() < 5) or (
            commitment.recurrence == Recurrence.WEEKLY
            and day.weekday() == commitment.starts_on.weekday()
        ):
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def weekly_adherence(
    commitment: PracticeCommitment,
    *,
    today: datetime.date,
    logs: Iterable[PracticeLog] | None = None,
) -> list[WeekAdherence]:
    """Practice done against practice due, week by week (Monday to Sunday) up to ``today``."""
    entries = {log.on: log for log in (logs if logs is not None else commitment.logs.all())}
    first_monday = commitment.starts_on - datetime.timedelta(days=commitment.starts_on.weekday())
    weeks = []
    monday = first_monday
    while monday <= today:
        sunday = monday + datetime.timedelta(days=6)
        due = _occasions(commitment, monday, min(sunday, today))
        done = sum(1 for day in due if day in entries and entries[day].done)
        missed = sum(1 for day in due if day in entries and not entries[day].done)
        weeks.append(
            WeekAdherence(
                week_start=monday,
                expected=len(due),
                done=done,
                missed=missed,
                unlogged=len(due) - done - missed,
            )
        )
        monday += datetime.timedelta(days=7)
    return weeks


def observer_ratio(
    observer: Person, *, today: datetime.date, days: int = DEFAULT_WINDOW_DAYS
) -> Ratio:
    """One observer's rolling ratio across every engagement they observe in (a coach's own habit)."""
    return rolling_ratio(Observation.objects.filter(observer=observer), today=today, days=days)
