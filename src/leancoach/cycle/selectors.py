"""Reads that measure behaviour shaping: the 4:1 ratio, chain fluency, practice adherence."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber

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

    @property
    def words(self) -> str:
        if self.chained:
            return (
                f"Chained: performed fluently in the last {self.needed} observations "
                "of the whole chain"
            )
        return f"{self.fluent_in_a_row} of {self.needed} fluent observations in a row so far"


def newest_observations_per(field: str, ids: list[int], limit: int) -> list[Observation]:
    """The newest ``limit`` observations for each of ``ids`` (of ``field``), in one query."""
    if not ids:
        return []
    return list(
        Observation.objects.filter(**{f"{field}__in": ids})
        .annotate(
            newness=Window(
                RowNumber(),
                partition_by=[F(field)],
                order_by=[F("on").desc(), F("recorded_at").desc(), F("id").desc()],
            )
        )
        .filter(newness__lte=limit)
        .order_by(field, "-on", "-recorded_at", "-id")
    )


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


def occasions(
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
        due = occasions(commitment, monday, min(sunday, today))
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


@dataclass(frozen=True)
class ClientRatio:
    engagement_id: int
    client_name: str
    ratio: Ratio


@dataclass(frozen=True)
class Consistency:
    """How evenly a coach reinforces and corrects across their clients (no favourites)."""

    rows: list[ClientRatio]
    findings: list[str]  # plain sentences; empty when the coach is consistent

    @property
    def consistent(self) -> bool:
        return not self.findings


def _median(values: list[int]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if not ordered:
        return 0.0
    return (
        float(ordered[middle]) if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    )


def coach_consistency(
    coach: Person, *, today: datetime.date, days: int = DEFAULT_WINDOW_DAYS
) -> Consistency:
    """Per client of ``coach`` (engagements agreed and not closed), the rolling ratio, and what
    stands out.

    METHOD.md, the relationship: a coach who gives regular, open feedback to some and
    not others destroys trust. The findings name a client who got no response at
    all while others did, far fewer responses than the coach's median client (under
    half), or a ratio below 4:1 while the coach keeps 4:1 with everyone else.
    Two queries whatever the number of clients.
    """
    from django.db.models import Count

    from leancoach.engagements.models import Engagement, Status

    engagements = list(
        # A proposal nobody has accepted yet has no observations (access.allowed_on).
        Engagement.objects.filter(coach=coach, accepted_at__isnull=False)
        .exclude(status=Status.CLOSED)
        .select_related("client")
        .order_by("client__name", "id")
    )
    start = today - datetime.timedelta(days=days - 1)
    counts: dict[tuple[int, str], int] = {
        (row["engagement_id"], row["response"]): row["n"]
        for row in Observation.objects.filter(
            engagement__in=[e.pk for e in engagements],
            observer=coach,
            on__gte=start,
            on__lte=today,
        )
        .exclude(response=Response.NONE)
        .values("engagement_id", "response")
        .annotate(n=Count("id"))
        .order_by()
    }
    rows = [
        ClientRatio(
            engagement_id=e.pk,
            client_name=e.client.name,
            ratio=Ratio(
                reinforcements=counts.get((e.pk, Response.REINFORCEMENT), 0),
                corrections=counts.get((e.pk, Response.CORRECTION), 0),
                start=start,
                end=today,
            ),
        )
        for e in engagements
    ]
    findings: list[str] = []
    if len(rows) >= 2:
        responses = [row.ratio.responses for row in rows]
        median = _median(responses)
        for row in rows:
            others = [other for other in rows if other is not row]
            others_responses = sum(other.ratio.responses for other in others)
            if row.ratio.responses == 0 and others_responses:
                average = others_responses / len(others)
                findings.append(
                    f"{row.client_name} got no reinforcement or correction from you in the last "
                    f"{days} days, while your other clients got {average:.1f} on average."
                )
            elif row.ratio.responses and row.ratio.responses < median / 2:
                findings.append(
                    f"{row.client_name} got {row.ratio.responses} responses from you in the last "
                    f"{days} days, under half of your typical client's {median:g}."
                )
            if (
                not row.ratio.meets_goal
                and others
                and all(other.ratio.meets_goal for other in others)
                and others_responses
            ):
                findings.append(
                    f"With {row.client_name} your ratio is {row.ratio.label}, below 4:1, while "
                    "with every other client you keep 4:1 or better."
                )
    return Consistency(rows=rows, findings=findings)


@dataclass
class CycleLadder:
    """The cycle of one engagement on one page: challenge → targets → behaviours and chains →
    practice → observations. A part is None when the viewer may not read it."""

    targets: list[Any] | None = None
    behaviours: list[Any] | None = None
    skills: list[dict[str, Any]] | None = None
    practice: list[dict[str, Any]] | None = None
    trend: list[Ratio] | None = None

    @property
    def ratio(self) -> Ratio | None:
        """The rolling ratio up to today (the trend's last window)."""
        return self.trend[-1] if self.trend else None


LADDER_TREND_WEEKS = 12


def cycle_ladder(
    engagement: Any,
    *,
    today: datetime.date,
    targets: bool,
    practice: bool,
    observations: bool,
) -> CycleLadder:
    """The parts of the cycle the viewer may read, in a fixed number of queries (at most 7)."""
    from django.db.models import Prefetch

    from leancoach.cycle.models import Behaviour, SkillStep, TargetCondition, TargetStatus

    ladder = CycleLadder()
    if targets:
        ladder.targets = list(
            TargetCondition.objects.filter(engagement=engagement, status=TargetStatus.OPEN)
            .select_related("measure", "behaviour")
            .order_by("by_date", "id")
        )
    if practice:
        ladder.behaviours = list(Behaviour.objects.filter(engagement=engagement, archived=False))
        skills = list(
            Skill.objects.filter(engagement=engagement).prefetch_related(
                Prefetch(
                    "steps",
                    queryset=SkillStep.objects.select_related("behaviour").order_by(
                        "position", "id"
                    ),
                )
            )
        )
        recent: dict[int, list[Observation]] = {}
        for observation in newest_observations_per("skill", [s.pk for s in skills], 20):
            recent.setdefault(observation.skill_id or 0, []).append(observation)
        ladder.skills = [
            {
                "skill": skill,
                "steps": list(skill.steps.all()),
                "status": chain_status(skill, recent.get(skill.pk, [])),
            }
            for skill in skills
        ]
        monday = today - datetime.timedelta(days=today.weekday())
        commitments = list(
            PracticeCommitment.objects.filter(engagement=engagement)
            .exclude(ends_on__lt=monday)
            .select_related("behaviour")
            .prefetch_related(Prefetch("logs", queryset=PracticeLog.objects.filter(on__gte=monday)))
        )
        ladder.practice = []
        for commitment in commitments:
            weeks = weekly_adherence(commitment, today=today, logs=list(commitment.logs.all()))
            ladder.practice.append(
                {"commitment": commitment, "this_week": weeks[-1] if weeks else None}
            )
    if observations:
        start = today - datetime.timedelta(
            weeks=LADDER_TREND_WEEKS - 1, days=DEFAULT_WINDOW_DAYS - 1
        )
        ladder.trend = ratio_over_time(
            Observation.objects.filter(engagement=engagement, on__gte=start, on__lte=today).only(
                "on", "response"
            ),
            end=today,
            weeks=LADDER_TREND_WEEKS,
        )
    return ladder


def ratio_trend_chart(trend: list[Ratio], *, title: str, id_prefix: str = "ratio-trend") -> Any:
    """The trend as an accessible inline SVG (the same drawing serves pages and PDF reports)."""
    from django.utils.safestring import mark_safe

    from leancoach.metrics import charts

    points = [
        charts.RatioPoint(
            label=window.end.isoformat(),
            reinforcements=window.reinforcements,
            corrections=window.corrections,
        )
        for window in trend
    ]
    # The renderer escapes every piece of text it writes (see charts.py).
    return mark_safe(  # noqa: S308
        charts.ratio_trend_svg(points, title=title, goal=RATIO_GOAL, id_prefix=id_prefix)
    )
