"""Input and output shapes of the engagements API.

Inputs are strict so that bad values are a 422 naming the field: every string
has a length limit and refuses NUL (which PostgreSQL cannot store), every
choice is an enum, every id is bounded. Outputs leave a section ``null`` when
the caller may not read it (see ``EngagementAccess.reveal``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema

from leancoach.core.api import MAX_ID
from leancoach.core.schemas import SOME_TEXT, TEXT, Disclosed
from leancoach.engagements.models import Cadence, CoachingModel, Kind, Status, Zone
from leancoach.metrics.models import Direction, Frequency
from leancoach.people.schemas import PersonRef

# Need categories each list accepts (models.NEED_CATEGORIES; a test keeps them equal).
SponsorNeedCategory = Literal[
    "productivity", "quality", "financial", "customer", "team_leadership", "peer_relationships"
]
ClientNeedCategory = Literal[
    "productivity",
    "quality",
    "financial",
    "customer",
    "team_leadership",
    "peer_relationships",
    "team_performance",
    "relationships",
    "team_behaviour",
    "personal_behaviour",
]


def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def unchanged_if_absent(**kwargs: Any) -> Any:
    """A field that may be left out (then it keeps its value); ``null`` is not a value."""
    return Field(None, json_schema_extra=_no_default, **kwargs)


def person_id(description: str) -> Any:
    return Field(..., ge=1, le=MAX_ID, description=description)


# --- Engagements -------------------------------------------------------------


class EngagementIn(Schema):
    client_id: int = person_id("the person to be coached (the mentee, in mentoring)")
    coach_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="default: you; only an admin may name another coach"
    )
    sponsor_id: int | None = Field(
        None,
        ge=1,
        le=MAX_ID,
        description="left out: the client's manager (their manager, if the coach is it); "
        "null: no sponsor (not allowed for coaching)",
    )
    kind: Kind = Kind.COACHING
    coaching_model: CoachingModel = CoachingModel.LEADERSHIP
    zones: list[Zone] = Field(default_factory=lambda: [Zone.BLUE], min_length=1, max_length=3)
    cadence: Cadence = Cadence.FORTNIGHTLY
    focus: str = Field("", max_length=200, pattern=TEXT)


class MentoringRequestIn(Schema):
    mentor_id: int = person_id("the person you ask to mentor you")
    focus: str = Field(
        "", max_length=200, pattern=TEXT, description="what you would like to grow in"
    )
    cadence: Cadence = Cadence.MONTHLY


class AnswerIn(Schema):
    accept: bool
    reason: str = Field("", max_length=400, pattern=TEXT, description="kept if you decline")


class ConsentOut(Disclosed):
    subject = "consent"

    role: str
    person: PersonRef
    answer: Literal["pending", "accepted", "declined"]
    asked_at: datetime
    answered_at: datetime | None
    reason: str


class StatusIn(Schema):
    status: Status
    reason: str = Field(..., max_length=500, pattern=SOME_TEXT)
    on: date | None = Field(None, description="the day it took effect; default today")


class RoleIn(Schema):
    role: Literal["coach", "sponsor"]
    person_id: int | None = Field(
        ..., ge=1, le=MAX_ID, description="the new holder; null removes the sponsor"
    )
    reason: str = Field(..., max_length=300, pattern=SOME_TEXT)


class RoleProposalOut(Disclosed):
    """A proposed new coach or sponsor. It takes effect only when the client accepts it."""

    subject = "role_proposal"

    id: int
    engagement_id: int
    role: Literal["coach", "sponsor"]
    person: PersonRef | None = Field(description="the person proposed; null: no sponsor")
    replaces: PersonRef | None = Field(description="who held the role when it was proposed")
    proposed_by: PersonRef | None
    proposed_by_role: str
    reason: str
    proposed_at: datetime
    answer: Literal["pending", "accepted", "declined", "withdrawn"]
    answered_at: datetime | None
    answered_by: PersonRef | None
    answer_reason: str


class DetailsOut(Schema):
    coaching_model: str
    zones: list[str]
    cadence: str
    focus: str


class StatusChangeOut(Schema):
    from_status: str
    to_status: str
    on: date
    reason: str
    changed_by: PersonRef
    changed_at: datetime


class DetailsWithHistoryOut(DetailsOut):
    history: list[StatusChangeOut]


class EngagementRowOut(Schema):
    id: int
    kind: str
    status: str
    awaiting_mentor: bool
    awaiting_consent: bool = Field(
        description="a proposal: not everyone named has accepted yet; no coaching content yet"
    )
    created_at: datetime
    coach: PersonRef
    client: PersonRef
    sponsor: PersonRef | None
    my_role: str
    details: DetailsOut | None = Field(
        description="only for the coach and the client; others read it on the engagement"
    )


class SharingOut(Schema):
    in_force_version: int | None
    pending_version: int | None
    pending_missing_roles: list[str]
    sponsor_may_read: list[str] = Field(
        description="what the sponsor may read now: what the version in force shares, "
        "and, while a newer version waits for signatures, only what both share"
    )
    in_force_shares: list[str]
    pending_shares: list[str] | None


class EngagementOut(Disclosed):
    subject = "engagement"

    id: int
    kind: str
    status: str
    awaiting_mentor: bool
    awaiting_consent: bool = Field(
        description="a proposal: not everyone named has accepted yet; no coaching content yet"
    )
    created_at: datetime
    status_changed_at: datetime
    accepted_at: datetime | None = Field(description="when the last party named accepted")
    coach: PersonRef
    client: PersonRef
    sponsor: PersonRef | None
    my_role: str
    may_read: list[str]
    may_write: list[str]
    details: DetailsWithHistoryOut | None
    sharing: SharingOut | None


# --- The agreement -----------------------------------------------------------


class TermsIn(Schema):
    """The terms of the agreement; a term left out keeps its value."""

    share_measures: bool = unchanged_if_absent()
    share_targets: bool = unchanged_if_absent()
    share_action_status: bool = unchanged_if_absent()
    share_meeting_summaries: bool = unchanged_if_absent()
    share_observations: bool = unchanged_if_absent()
    share_survey_results: bool = unchanged_if_absent()
    sponsor_expects_feedback: bool = unchanged_if_absent()
    client_confidential: str = unchanged_if_absent(max_length=4000, pattern=TEXT)
    cadence: Cadence = unchanged_if_absent()
    coach_commitments: str = unchanged_if_absent(max_length=4000, pattern=TEXT)
    client_commitments: str = unchanged_if_absent(max_length=4000, pattern=TEXT)
    sponsor_commitments: str = unchanged_if_absent(max_length=4000, pattern=TEXT)


class SignatureOut(Schema):
    role: str
    person: PersonRef
    signed_at: datetime


class AgreementOut(Disclosed):
    subject = "agreement"

    version: int
    created_by: PersonRef
    created_at: datetime
    share_measures: bool
    share_targets: bool
    share_action_status: bool
    share_meeting_summaries: bool
    share_observations: bool
    share_survey_results: bool
    sponsor_expects_feedback: bool
    has_confidential_clause: bool
    client_confidential: str | None = Field(
        description="only for those who may read it (coach and client); null otherwise"
    )
    cadence: str
    coach_commitments: str
    client_commitments: str
    sponsor_commitments: str
    signatures: list[SignatureOut]
    missing_roles: list[str]


class AgreementsOut(Disclosed):
    subject = "agreements"

    required_roles: list[str]
    in_force_version: int | None
    pending_version: int | None
    sponsor_may_read: list[str]
    versions: list[AgreementOut]


class SignedOut(SignatureOut):
    version: int
    in_force_version: int | None


# --- Needs, assumptions, private notes ---------------------------------------


class NeedOut(Schema):
    id: int
    owner: str
    category: str
    description: str
    position: int
    written_by: PersonRef
    written_at: datetime


class SponsorNeedOut(NeedOut, Disclosed):
    subject = "sponsor_need"


class ClientNeedOut(NeedOut, Disclosed):
    subject = "client_need"


DESCRIPTION = "what is needed, in a sentence or two"


class SponsorNeedIn(Schema):
    category: SponsorNeedCategory
    description: str = Field(..., max_length=2000, pattern=SOME_TEXT, description=DESCRIPTION)


class ClientNeedIn(Schema):
    category: ClientNeedCategory
    description: str = Field(..., max_length=2000, pattern=SOME_TEXT, description=DESCRIPTION)


class SponsorNeedPatch(Schema):
    category: SponsorNeedCategory = unchanged_if_absent()
    description: str = unchanged_if_absent(
        max_length=2000, pattern=SOME_TEXT, description=DESCRIPTION
    )


class ClientNeedPatch(Schema):
    category: ClientNeedCategory = unchanged_if_absent()
    description: str = unchanged_if_absent(
        max_length=2000, pattern=SOME_TEXT, description=DESCRIPTION
    )


class MoveIn(Schema):
    position: int = Field(..., ge=1, le=10_000, description="1 is the top of the list")


class AssumptionsIn(Schema):
    best_outcome: str = Field(..., max_length=4000, pattern=SOME_TEXT)
    strengths: str = Field(..., max_length=4000, pattern=SOME_TEXT, description="one per line")


class AssumptionsOut(Disclosed):
    subject = "assumptions"

    id: int
    best_outcome: str
    strengths: list[str]
    written_by: PersonRef
    written_at: datetime


class PrivateNoteIn(Schema):
    text: str = Field(..., max_length=10_000, pattern=SOME_TEXT)


class PrivateNoteOut(Disclosed):
    subject = "private_note"

    id: int
    text: str
    author: PersonRef
    written_at: datetime


class MyPrivateNoteOut(PrivateNoteOut):
    engagement_id: int
    meeting_id: int | None


# --- Measures and actions ----------------------------------------------------


class MeasureIn(Schema):
    name: str = Field(..., max_length=200, pattern=SOME_TEXT)
    unit: str = Field("", max_length=50, pattern=TEXT)
    better: Direction = Direction.UP
    frequency: Frequency = Frequency.WEEKLY


class ValueIn(Schema):
    on: date = Field(..., description="not in the future")
    value: float = Field(..., allow_inf_nan=False)


class DataPointOut(Schema):
    on: date
    value: float


class MeasureFields(Schema):
    id: int
    name: str
    unit: str
    better: str
    frequency: str
    created_at: datetime
    latest: DataPointOut | None
    recent: list[DataPointOut] = Field(description="the last 20 values, oldest first")


class MeasureOut(MeasureFields, Disclosed):
    subject = "measure"


# --- The audit log -----------------------------------------------------------


class AuditEventOut(Disclosed):
    subject = "audit_event"

    at: datetime
    actor_label: str
    actor_role: str
    action: str
    what: str
    detail: str
    ip_address: str | None
