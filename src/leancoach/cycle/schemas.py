"""Request and response bodies of the coaching-cycle API (cycle/api.py).

Ids named in a body are bounded like path ids; the endpoint resolves each one
inside the engagement (``access.get_part``), so another engagement's object is a 404.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema

from leancoach.core.api import MAX_ID
from leancoach.core.schemas import SOME_TEXT, TEXT, Disclosed
from leancoach.cycle.models import Performance, RatePeriod, Recurrence, Response
from leancoach.people.schemas import PersonRef

MAX_POINTS = 10_000


def optional_id(description: str) -> Any:
    return Field(None, ge=1, le=MAX_ID, description=description)


# --- Behaviours --------------------------------------------------------------


class HintOut(Schema):
    code: str
    severity: str
    message: str
    span: tuple[int, int] | None = Field(
        description="start and end character of the words the hint is about; null: the whole text"
    )


class BehaviourIn(Schema):
    text: str = Field(
        ...,
        max_length=300,
        pattern=SOME_TEXT,
        description="something a person does or says, that can be seen and counted",
    )


class BehaviourRef(Schema):
    id: int
    text: str


class BehaviourOut(Disclosed):
    subject = "behaviour"

    id: int
    text: str
    archived: bool
    created_by: PersonRef
    created_at: datetime
    hints: list[HintOut] = Field(
        description="advisory pinpoint hints (they never block saving), by position then code"
    )


# --- Practice ----------------------------------------------------------------


class CommitmentIn(Schema):
    behaviour_id: int = Field(..., ge=1, le=MAX_ID, description="the behaviour to practise")
    when: str = Field(..., max_length=200, pattern=SOME_TEXT, description="e.g. at the 8:00 huddle")
    where: str = Field(..., max_length=200, pattern=SOME_TEXT, description="e.g. at the board")
    recurrence: Recurrence = Recurrence.DAILY
    count_target: int = Field(1, ge=1, le=100, description="times per occasion")
    starts_on: date | None = Field(None, description="default today")
    ends_on: date | None = None


class WeekOut(Schema):
    week_start: date = Field(description="a Monday")
    expected: int
    done: int
    missed: int
    unlogged: int
    percent: int | None = Field(description="done of expected; null when nothing was due")


class CommitmentOut(Disclosed):
    subject = "commitment"

    id: int
    behaviour: BehaviourRef
    when: str
    where: str
    recurrence: str
    count_target: int
    starts_on: date
    ends_on: date | None
    created_at: datetime
    weeks: list[WeekOut] = Field(description="adherence of the last 12 weeks, oldest first")


class PracticeLogIn(Schema):
    on: date = Field(..., description="not in the future; logging a day again replaces it")
    done: bool
    count: int = Field(0, ge=0, le=1000)
    reflection: str = Field("", max_length=1000, pattern=TEXT)


class PracticeLogOut(Schema):
    on: date
    done: bool
    count: int
    reflection: str
    logged_at: datetime


# --- Observations ------------------------------------------------------------


class SkillRef(Schema):
    id: int
    name: str


class ObservationIn(Schema):
    on: date = Field(..., description="not in the future")
    behaviour_id: int | None = optional_id("the behaviour seen (or give skill_id)")
    skill_id: int | None = optional_id("the whole skill chain seen (or give behaviour_id)")
    performance: Performance
    response: Response
    context: str = Field("", max_length=500, pattern=TEXT)
    words: str = Field("", max_length=1000, pattern=TEXT, description="what the coach said")


class ObservationOut(Disclosed):
    subject = "observation"

    id: int
    on: date
    behaviour: BehaviourRef | None
    skill: SkillRef | None
    performance: str
    response: str
    context: str
    words: str
    observer: PersonRef
    recorded_at: datetime


class RatioOut(Schema):
    start: date
    end: date
    reinforcements: int
    corrections: int
    label: str
    meets_goal: bool = Field(description="four reinforcements (or more) for each correction")
    warning: str | None


class ObservationsOut(Disclosed):
    subject = "observations"

    ratio: RatioOut = Field(description="the rolling ratio of the last 28 days")
    observations: list[ObservationOut] = Field(description="newest first, at most 200")


# --- Targets -----------------------------------------------------------------


class TargetIn(Schema):
    by_date: date = Field(..., description="in the future")
    expected: str = Field(
        ..., max_length=2000, pattern=SOME_TEXT, description="what you expect, and why"
    )
    measure_id: int | None = optional_id("a measure that should reach target_value")
    target_value: float | None = Field(None, allow_inf_nan=False)
    behaviour_id: int | None = optional_id("a behaviour that should happen rate times per period")
    rate: int | None = Field(None, ge=1, le=10_000)
    rate_period: RatePeriod | None = None


class MeasureRef(Schema):
    id: int
    name: str


class TargetOut(Disclosed):
    subject = "target"

    id: int
    kind: str
    measure: MeasureRef | None
    target_value: float | None
    behaviour: BehaviourRef | None
    rate: int | None
    rate_period: str
    by_date: date
    expected: str
    actual: str
    learned: str
    status: str
    created_by: PersonRef
    created_at: datetime
    closed_at: datetime | None


class CloseTargetIn(Schema):
    status: Literal["met", "not_met", "dropped"]
    actual: str = Field(
        "", max_length=2000, pattern=TEXT, description="what happened (required unless dropped)"
    )
    learned: str = Field(..., max_length=2000, pattern=SOME_TEXT)


# --- Skills ------------------------------------------------------------------


class SkillIn(Schema):
    name: str = Field(..., max_length=200, pattern=SOME_TEXT)
    step_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(
        ...,
        max_length=20,
        description="the behaviours of the chain, in the order they are performed (at least two)",
    )
    fluency_threshold: int = Field(
        3, ge=1, le=20, description="consecutive fluent observations of the chain to count it"
    )


class StepOut(Schema):
    position: int
    behaviour: BehaviourRef


class ChainOut(Schema):
    chained: bool
    fluent_in_a_row: int
    needed: int


class SkillOut(Disclosed):
    subject = "skill"

    id: int
    name: str
    fluency_threshold: int
    steps: list[StepOut]
    chain: ChainOut
    created_at: datetime


# --- Data points in bulk -----------------------------------------------------


class PointIn(Schema):
    on: date = Field(..., description="not in the future; once per list")
    value: float = Field(..., allow_inf_nan=False)


class PointsIn(Schema):
    points: list[PointIn] = Field(..., min_length=1, max_length=MAX_POINTS)


class PointsOut(Schema):
    created: int
    updated: int
    unchanged: int


class ChallengeIn(Schema):
    title: str = Field(..., max_length=200, pattern=SOME_TEXT)
    why_it_matters: str = Field(..., max_length=4000, pattern=SOME_TEXT)
    owner_id: int = Field(..., ge=1, le=MAX_ID, description="the person who owns the challenge")
    team_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(
        default_factory=list, max_length=200
    )


class ChallengeOut(Schema):
    id: int
    title: str
    why_it_matters: str
    owner: PersonRef
    teams: list[str]


class CurrentConditionIn(Schema):
    on: date | None = Field(None, description="default today; not in the future")
    observed_behaviour: str = Field("", max_length=4000, pattern=TEXT)
    external_conditions: str = Field("", max_length=4000, pattern=TEXT)
    priorities: str = Field(..., max_length=4000, pattern=SOME_TEXT)


class CurrentConditionOut(Disclosed):
    subject = "current_condition"

    id: int
    on: date
    measures_state: list[dict[str, Any]]
    observed_behaviour: str
    external_conditions: str
    priorities: str
    recorded_by: PersonRef


class BaselineIn(Schema):
    starts_on: date
    ends_on: date | None = None
    reason: str = Field(..., max_length=300, pattern=SOME_TEXT)


class BaselineOut(Schema):
    id: int
    starts_on: date
    ends_on: date | None
    reason: str
