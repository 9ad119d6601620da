from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema

from leancoach.core.schemas import SOME_TEXT, Disclosed
from leancoach.engagements.models import Cadence
from leancoach.meetings.models import ActionOwner, ActionStatus, MeetingStatus
from leancoach.people.schemas import PersonRef


class ScheduleIn(Schema):
    first_starts_at: datetime = Field(
        ..., description="with its offset, e.g. 2026-12-07T09:00:00+01:00"
    )
    cadence: Cadence | None = Field(None, description="default: the engagement's cadence")
    duration_minutes: int = Field(60, ge=5, le=480)
    location: str = Field("", max_length=200, pattern=r"^[^\x00]*$")


class MeetingIn(Schema):
    starts_at: datetime
    duration_minutes: int = Field(60, ge=5, le=480)
    location: str = Field("", max_length=200, pattern=r"^[^\x00]*$")


class MovePatch(Schema):
    starts_at: datetime
    duration_minutes: int | None = Field(None, ge=5, le=480)
    location: str | None = Field(None, max_length=200, pattern=r"^[^\x00]*$")


class CloseIn(Schema):
    status: MeetingStatus = Field(MeetingStatus.HELD, description="held or missed")


class MeetingOut(Disclosed):
    subject = "meeting"

    id: int
    engagement_id: int
    starts_at: datetime
    planned_starts_at: datetime
    duration_minutes: int
    location: str
    status: str
    sequence: int | None


class SeriesOut(Schema):
    id: int
    cadence: str
    first_starts_at: datetime
    time_zone: str
    meetings: int


class FactOut(Disclosed):
    subject = "fact"

    category: str
    text: str
    tone: str


class NoteOut(Disclosed):
    subject = "note"

    id: int
    item: str
    visibility: str = Field(description="private, shared or summary")
    text: str
    author: PersonRef
    written_at: datetime


class AgendaItemOut(Disclosed):
    subject = "agenda_item"

    key: str
    title: str
    prompt: str
    facts: list[FactOut]
    notes: list[NoteOut]


class MeetingDetailOut(MeetingOut):
    frozen: bool = Field(description="true: the agenda as it stood when the meeting was closed")
    since: datetime | None = Field(description="the start of the previous held meeting")
    agenda: list[AgendaItemOut]


class NoteIn(Schema):
    item: str = Field(..., max_length=30, description="an agenda item's key, e.g. facts")
    text: str = Field(..., max_length=10000, pattern=SOME_TEXT)


class SummaryOut(Disclosed):
    subject = "summary"

    meeting_id: int
    starts_at: datetime
    notes: list[NoteOut]


class ActionIn(Schema):
    what: str = Field(..., max_length=300, pattern=SOME_TEXT)
    owner: ActionOwner = ActionOwner.CLIENT
    due_on: date
    check_back_on: date | None = None
    meeting_id: int | None = Field(None, ge=1, le=10**18, description="agreed in this meeting")


class ActionPatch(Schema):
    what: str | None = Field(None, max_length=300, pattern=SOME_TEXT)
    owner: ActionOwner | None = None
    due_on: date | None = None
    check_back_on: date | None = None
    status: ActionStatus | None = None


class ActionOut(Disclosed):
    subject = "action"

    id: int
    engagement_id: int
    meeting_id: int | None
    what: str
    owner: str
    due_on: date
    check_back_on: date | None
    status: str
    confirmed_at: datetime | None
    created_by: PersonRef
    created_at: datetime


class ActionChangeOut(Disclosed):
    subject = "action_change"

    field: str
    old: str
    new: str
    by: PersonRef
    at: datetime


class ObstacleIn(Schema):
    text: str = Field(..., max_length=500, pattern=SOME_TEXT)
    work_on_now: bool = False


class ObstacleOut(Disclosed):
    subject = "obstacle"

    id: int
    text: str
    status: str
    created_at: datetime


class ExperimentIn(Schema):
    step: str = Field(..., max_length=500, pattern=SOME_TEXT)
    expected: str = Field(..., max_length=1000, pattern=SOME_TEXT)
    meeting_id: int | None = Field(None, ge=1, le=10**18)
    obstacle_id: int | None = Field(None, ge=1, le=10**18)


class ReflectionIn(Schema):
    happened: str = Field(..., max_length=1000, pattern=SOME_TEXT)
    learned: str = Field(..., max_length=1000, pattern=SOME_TEXT)


class ExperimentOut(Disclosed):
    subject = "experiment"

    id: int
    meeting_id: int | None
    obstacle_id: int | None
    step: str
    expected: str
    happened: str
    learned: str
    created_at: datetime
    reflected_at: datetime | None


class FeedOut(Schema):
    url: str = Field(description="the secret address of your calendar feed; shown once")
