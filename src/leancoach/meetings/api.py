"""The meetings API: meetings and their agenda, notes, summaries, the action log, Kata
obstacles and experiments, and the calendar-feed secret.

Thin endpoints over core.access, the services and the selectors; each operation
opens the engagement with one fixed category and action and declares that rule as
``x-access`` (the authorization matrix compares the two).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router, Status

from leancoach.core import access
from leancoach.core.access import (
    READ,
    WRITE,
    ActionChangeKind,
    Category,
    EngagementAccess,
    RouteRule,
)
from leancoach.core.schemas import ERRORS, ErrorOut
from leancoach.engagements.api import body_names, engagement_id_param, me, part_id, ref
from leancoach.engagements.models import PrivateNote
from leancoach.meetings import services
from leancoach.meetings.models import (
    ActionChange,
    ActionItem,
    ActionStatus,
    Experiment,
    Meeting,
    MeetingNote,
    MeetingSeries,
    MeetingStatus,
    NoteVisibility,
    Obstacle,
)
from leancoach.meetings.schemas import (
    ActionChangeOut,
    ActionIn,
    ActionOut,
    ActionPatch,
    CloseIn,
    ExperimentIn,
    ExperimentOut,
    FeedOut,
    MeetingDetailOut,
    MeetingIn,
    MeetingOut,
    MovePatch,
    NoteIn,
    NoteOut,
    ObstacleIn,
    ObstacleOut,
    ReflectionIn,
    ScheduleIn,
    SeriesOut,
    SummaryOut,
)
from leancoach.meetings.selectors import meeting_for_viewer

router = Router(tags=["meetings"])

E = "/engagements/{engagement_id}"
WITH_CONFLICT = {**ERRORS, 409: ErrorOut}
LIST_LIMIT = 200


def rule(category: Category, action: str = READ, change: str | None = None) -> dict[str, Any]:
    return RouteRule(category=category, action=action, action_change=change).as_openapi()


def capability(name: str) -> dict[str, Any]:
    return RouteRule(capability=name).as_openapi()


def meeting_in(ea: EngagementAccess, meeting_id: int) -> Meeting:
    meeting: Meeting = access.get_part(ea, Meeting.objects.all(), meeting_id)
    meeting.engagement = ea.engagement
    return meeting


def meeting_out(meeting: Meeting) -> dict[str, Any]:
    return {
        "id": meeting.pk,
        "engagement_id": meeting.engagement_id,
        "starts_at": meeting.starts_at,
        "planned_starts_at": meeting.planned_starts_at,
        "duration_minutes": meeting.duration_minutes,
        "location": meeting.location,
        "status": meeting.status,
        "sequence": meeting.sequence,
    }


def note_out(note: MeetingNote | PrivateNote) -> dict[str, Any]:
    private = isinstance(note, PrivateNote)
    return {
        "id": note.pk,
        "item": note.agenda_item if isinstance(note, PrivateNote) else note.item,
        "visibility": "private" if private else note.visibility,  # type: ignore[union-attr]
        "text": note.text,
        "author": ref(note.author),
        "written_at": note.written_at,
    }


# --- Meetings ------------------------------------------------------------------------


@router.get(
    E + "/meetings",
    response={200: list[MeetingOut], **ERRORS},
    openapi_extra=rule(Category.MEETINGS),
    summary="Meetings in a period (default: from today on), by start",
)
def list_meetings(
    request: HttpRequest,
    engagement_id: int = engagement_id_param(),
    start: datetime.date | None = Query(None, description="from this day (default today)"),
    end: datetime.date | None = Query(None, description="up to this day, inclusive"),
    limit: int = Query(50, ge=1, le=LIST_LIMIT),
) -> list[dict[str, Any]]:
    ea = access.open_engagement(request, engagement_id, Category.MEETINGS, READ)
    first = start or timezone.localdate()
    rows = Meeting.objects.filter(engagement=ea.engagement, starts_at__date__gte=first)
    if end is not None:
        rows = rows.filter(starts_at__date__lte=end)
    return [meeting_out(m) for m in rows.order_by("starts_at", "id")[:limit]]


@router.post(
    E + "/meetings/schedule",
    response={201: SeriesOut, **WITH_CONFLICT},
    openapi_extra=rule(Category.MEETINGS, WRITE),
    summary="Schedule recurring meetings from a first one (replaces an earlier schedule)",
)
def schedule(
    request: HttpRequest, payload: ScheduleIn, engagement_id: int = engagement_id_param()
) -> Status[dict[str, Any]]:
    ea = access.open_engagement(request, engagement_id, Category.MEETINGS, WRITE)
    series: MeetingSeries = services.schedule_meetings(
        engagement=ea.engagement,
        by=me(request),
        first_starts_at=payload.first_starts_at,
        duration_minutes=payload.duration_minutes,
        location=payload.location,
        cadence=payload.cadence,
    )
    return Status(
        201,
        {
            "id": series.pk,
            "cadence": series.cadence,
            "first_starts_at": series.first_starts_at,
            "time_zone": series.time_zone,
            "meetings": series.meetings.count(),
        },
    )


@router.post(
    E + "/meetings",
    response={201: MeetingOut, **WITH_CONFLICT},
    openapi_extra=rule(Category.MEETINGS, WRITE),
    summary="Add a single meeting outside the schedule",
)
def add_meeting(
    request: HttpRequest, payload: MeetingIn, engagement_id: int = engagement_id_param()
) -> Status[dict[str, Any]]:
    ea = access.open_engagement(request, engagement_id, Category.MEETINGS, WRITE)
    meeting = services.add_meeting(
        engagement=ea.engagement,
        by=me(request),
        starts_at=payload.starts_at,
        duration_minutes=payload.duration_minutes,
        location=payload.location,
    )
    return Status(201, meeting_out(meeting))


@router.get(
    E + "/meetings/{meeting_id}",
    response={200: MeetingDetailOut, **ERRORS},
    openapi_extra=rule(Category.MEETINGS),
    summary="A meeting with its agenda (pre-filled from the data) and the notes you may read",
)
def meeting_detail(
    request: HttpRequest,
    engagement_id: int = engagement_id_param(),
    meeting_id: int = part_id("meeting"),
) -> dict[str, Any]:
    ea = access.open_engagement(request, engagement_id, Category.MEETINGS, READ)
    meeting = meeting_in(ea, meeting_id)
    seen = meeting_for_viewer(ea, meeting, today=timezone.localdate())
    agenda = seen.agenda
    return {
        **meeting_out(meeting),
        "frozen": agenda.frozen,
        "since": agenda.since,
        "agenda": [
            {
                "key": entry.item.key,
                "title": entry.item.title,
                "prompt": entry.item.prompt,
                "facts": [fact.as_json() for fact in seen.facts(entry)],
                "notes": [note_out(note) for note in seen.notes.get(entry.item.key, [])],
            }
            for entry in agenda.items
        ],
    }


@router.patch(
    E + "/meetings/{meeting_id}",
    response={200: MeetingOut, **WITH_CONFLICT},
    openapi_extra=rule(Category.MEETINGS, WRITE),
    summary="Move one meeting (and change its length or place)",
)
def move_meeting(
    request: HttpRequest,
    payload: MovePatch,
    engagement_id: int = engagement_id_param(),
    meeting_id: int = part_id("meeting"),
) -> dict[str, Any]:
    ea = access.open_engagement(request, engagement_id, Category.MEETINGS, WRITE)
    meeting = services.move_meeting(
        meeting=meeting_in(ea, meeting_id),
        by=me(request),
        starts_at=payload.starts_at,
        duration_minutes=payload.duration_minutes,
        location=payload.location,
    )
    return meeting_out(meeting)


@router.post(
    E + "/meetings/{meeting_id}/cancel",
    response={200: MeetingOut, **WITH_CONFLICT},
    openapi_extra=rule(Category.MEETINGS, WRITE),
    summary="Cancel one meeting",
)
def cancel_meeting(
    request: HttpRequest,
    engagement_id: int = engagement_id_param(),
    meeting_id: int = part_id("meeting"),
) -> dict[str, Any]:
    ea = access.open_engagement(request, engagement_id, Category.MEETINGS, WRITE)
    return meeting_out(services.cancel_meeting(meeting=meeting_in(ea, meeting_id), by=me(request)))


@router.post(
    E + "/meetings/{meeting_id}/close",
    response={200: MeetingOut, **WITH_CONFLICT},
    openapi_extra=rule(Category.MEETINGS, WRITE),
    summary="Close a meeting as held (its agenda is frozen as it stands) or missed",
)
def close_meeting(
    request: HttpRequest,
    payload: CloseIn,
    engagement_id: int = engagement_id_param(),
    meeting_id: int = part_id("meeting"),
) -> dict[str, Any]:
    ea = access.open_engagement(request, engagement_id, Category.MEETINGS, WRITE)
    meeting = meeting_in(ea, meeting_id)
    return meeting_out(
        services.close_meeting(meeting=meeting, by=me(request), status=payload.status)
    )


# --- Notes and summaries ---------------------------------------------------------------


def _note_endpoint(category: Category, visibility: str, summary: str) -> None:
    @router.post(
        E + f"/meetings/{{meeting_id}}/notes/{visibility}",
        response={201: NoteOut, **WITH_CONFLICT},
        openapi_extra=rule(category, WRITE),
        summary=summary,
        operation_id=f"add_{visibility}_note",
    )
    def add_note(
        request: HttpRequest,
        payload: NoteIn,
        engagement_id: int = engagement_id_param(),
        meeting_id: int = part_id("meeting"),
    ) -> Status[dict[str, Any]]:
        ea = access.open_engagement(request, engagement_id, category, WRITE)
        meeting = meeting_in(ea, meeting_id)
        note: MeetingNote | PrivateNote
        if visibility == "private":
            note = services.add_private_meeting_note(
                meeting=meeting, by=me(request), item=payload.item, text=payload.text
            )
        else:
            note = services.add_meeting_note(
                meeting=meeting,
                by=me(request),
                item=payload.item,
                visibility=visibility,
                text=payload.text,
            )
        return Status(201, note_out(note))


_note_endpoint(Category.PRIVATE_NOTES, "private", "A private note (the coach's; never shared)")
_note_endpoint(Category.MEETING_NOTES, "shared", "A note shared between coach and client")
_note_endpoint(
    Category.MEETING_SUMMARIES,
    "summary",
    "A note for the meeting summary (the sponsor may read it if the agreement shares summaries)",
)


@router.get(
    E + "/summaries",
    response={200: list[SummaryOut], **ERRORS},
    openapi_extra=rule(Category.MEETING_SUMMARIES),
    summary="The summaries of the meetings held, newest first",
)
def summaries(
    request: HttpRequest,
    engagement_id: int = engagement_id_param(),
    limit: int = Query(20, ge=1, le=100),
) -> list[dict[str, Any]]:
    ea = access.open_engagement(request, engagement_id, Category.MEETING_SUMMARIES, READ)
    held = list(
        Meeting.objects.filter(engagement=ea.engagement, status=MeetingStatus.HELD).order_by(
            "-starts_at", "-id"
        )[:limit]
    )
    notes: dict[int, list[dict[str, Any]]] = {}
    for note in (
        MeetingNote.objects.filter(meeting__in=held, visibility=NoteVisibility.SUMMARY)
        .select_related("author")
        .order_by("written_at", "id")
    ):
        notes.setdefault(note.meeting_id, []).append(note_out(note))
    return [
        {"meeting_id": m.pk, "starts_at": m.starts_at, "notes": notes.get(m.pk, [])} for m in held
    ]


# --- The action log ----------------------------------------------------------------------


def actions_of(ea: EngagementAccess) -> QuerySet[ActionItem]:
    return ActionItem.objects.filter(engagement=ea.engagement).select_related("created_by")


@router.get(
    E + "/actions",
    response={200: list[ActionOut], **ERRORS},
    openapi_extra=rule(Category.ACTION_STATUS),
    summary="The action log, by agreed date",
)
def list_actions(
    request: HttpRequest,
    engagement_id: int = engagement_id_param(),
    status: ActionStatus | None = Query(None),
    limit: int = Query(LIST_LIMIT, ge=1, le=500),
) -> list[ActionItem]:
    ea = access.open_engagement(request, engagement_id, Category.ACTION_STATUS, READ)
    rows = actions_of(ea)
    if status is not None:
        rows = rows.filter(status=status)
    return list(rows.order_by("due_on", "id")[:limit])


@router.post(
    E + "/actions",
    response={201: ActionOut, **WITH_CONFLICT},
    openapi_extra=rule(Category.ACTION_STATUS, WRITE, ActionChangeKind.ADD),
    summary="Add an action (in a meeting's contracting step, with meeting_id)",
)
def add_action(
    request: HttpRequest, payload: ActionIn, engagement_id: int = engagement_id_param()
) -> Status[ActionItem]:
    ea = access.open_engagement(request, engagement_id, Category.ACTION_STATUS, WRITE)
    access.require_action_change(ea, None, ActionChangeKind.ADD)
    meeting = meeting_in(ea, payload.meeting_id) if payload.meeting_id is not None else None
    return Status(
        201,
        services.add_action(
            engagement=ea.engagement,
            by=me(request),
            what=payload.what,
            owner=payload.owner,
            due_on=payload.due_on,
            check_back_on=payload.check_back_on,
            meeting=meeting,
        ),
    )


def action_in(ea: EngagementAccess, action_id: int) -> ActionItem:
    found: ActionItem = access.get_part(ea, actions_of(ea), action_id)
    return found


@router.patch(
    E + "/actions/{action_id}",
    response={200: ActionOut, **ERRORS},
    openapi_extra=rule(Category.ACTION_STATUS, WRITE, ActionChangeKind.EDIT),
    summary="Change an action (the coach): what, owner, dates, status; every change is kept",
)
def change_action(
    request: HttpRequest,
    payload: ActionPatch,
    engagement_id: int = engagement_id_param(),
    action_id: int = part_id("action"),
) -> ActionItem:
    ea = access.open_engagement(request, engagement_id, Category.ACTION_STATUS, WRITE)
    action = action_in(ea, action_id)
    access.require_action_change(ea, action, ActionChangeKind.EDIT)
    changes = payload.dict(exclude_unset=True)
    if changes.get("due_on", "") is None:
        changes.pop("due_on")
    for field in ("what", "owner", "status"):
        if field in changes and changes[field] is None:
            changes.pop(field)
    return services.change_action(action=action, by=me(request), **changes)


@router.post(
    E + "/actions/{action_id}/done",
    response={200: ActionOut, **ERRORS},
    openapi_extra=rule(Category.ACTION_STATUS, WRITE, ActionChangeKind.DONE),
    summary="Mark an action done (a client, their own; the coach then confirms)",
)
def mark_done(
    request: HttpRequest,
    engagement_id: int = engagement_id_param(),
    action_id: int = part_id("action"),
) -> ActionItem:
    ea = access.open_engagement(request, engagement_id, Category.ACTION_STATUS, WRITE)
    action = action_in(ea, action_id)
    access.require_action_change(ea, action, ActionChangeKind.DONE)
    return services.set_action_status(action=action, by=me(request), status=ActionStatus.DONE)


@router.post(
    E + "/actions/{action_id}/confirm",
    response={200: ActionOut, **WITH_CONFLICT},
    openapi_extra=rule(Category.ACTION_STATUS, WRITE, ActionChangeKind.CONFIRM),
    summary="Confirm a done action (the coach)",
)
def confirm(
    request: HttpRequest,
    engagement_id: int = engagement_id_param(),
    action_id: int = part_id("action"),
) -> ActionItem:
    ea = access.open_engagement(request, engagement_id, Category.ACTION_STATUS, WRITE)
    action = action_in(ea, action_id)
    access.require_action_change(ea, action, ActionChangeKind.CONFIRM)
    return services.confirm_action(action=action, by=me(request))


@router.get(
    E + "/actions/{action_id}/history",
    response={200: list[ActionChangeOut], **ERRORS},
    openapi_extra=rule(Category.ACTION_STATUS),
    summary="Every change of an action, oldest first",
)
def action_history(
    request: HttpRequest,
    engagement_id: int = engagement_id_param(),
    action_id: int = part_id("action"),
) -> list[ActionChange]:
    ea = access.open_engagement(request, engagement_id, Category.ACTION_STATUS, READ)
    action = action_in(ea, action_id)
    return list(ActionChange.objects.filter(action=action).select_related("by"))


@router.get(
    "/me/actions",
    response={200: list[ActionOut], **ERRORS},
    openapi_extra=capability("actions.mine"),
    summary="The actions you own in every engagement, by agreed date",
)
def my_actions(
    request: HttpRequest,
    status: ActionStatus | None = Query(None),
    limit: int = Query(100, ge=1, le=500),
) -> list[ActionItem]:
    rows = access.my_actions(request.user).select_related("created_by")
    # The owner holds the coach's or the client's role in each, which reads actions and meetings.
    access.read_as(request, [Category.ACTION_STATUS, Category.MEETINGS])
    if status is not None:
        rows = rows.filter(status=status)
    return list(rows.order_by("due_on", "id")[:limit])


# --- Kata: obstacles and experiments ------------------------------------------------------


@router.get(
    E + "/obstacles",
    response={200: list[ObstacleOut], **ERRORS},
    openapi_extra=rule(Category.MEETING_NOTES),
    summary="The obstacle parking lot, with the one being worked on now",
)
def list_obstacles(
    request: HttpRequest, engagement_id: int = engagement_id_param()
) -> list[Obstacle]:
    ea = access.open_engagement(request, engagement_id, Category.MEETING_NOTES, READ)
    return list(Obstacle.objects.filter(engagement=ea.engagement)[:LIST_LIMIT])


@router.post(
    E + "/obstacles",
    response={201: ObstacleOut, **WITH_CONFLICT},
    openapi_extra=rule(Category.MEETING_NOTES, WRITE),
    summary="Park an obstacle (or work on it now)",
)
def park_obstacle(
    request: HttpRequest, payload: ObstacleIn, engagement_id: int = engagement_id_param()
) -> Status[Obstacle]:
    ea = access.open_engagement(request, engagement_id, Category.MEETING_NOTES, WRITE)
    return Status(
        201,
        services.park_obstacle(
            engagement=ea.engagement,
            by=me(request),
            text=payload.text,
            work_on_now=payload.work_on_now,
        ),
    )


@router.post(
    E + "/obstacles/{obstacle_id}/work-on",
    response={200: ObstacleOut, **WITH_CONFLICT},
    openapi_extra=rule(Category.MEETING_NOTES, WRITE),
    summary="Make this the one obstacle being worked on now",
)
def work_on(
    request: HttpRequest,
    engagement_id: int = engagement_id_param(),
    obstacle_id: int = part_id("obstacle"),
) -> Obstacle:
    ea = access.open_engagement(request, engagement_id, Category.MEETING_NOTES, WRITE)
    return services.work_on_obstacle(
        obstacle=access.get_part(ea, Obstacle.objects.all(), obstacle_id)
    )


@router.post(
    E + "/obstacles/{obstacle_id}/clear",
    response={200: ObstacleOut, **ERRORS},
    openapi_extra=rule(Category.MEETING_NOTES, WRITE),
    summary="Mark an obstacle cleared",
)
def clear(
    request: HttpRequest,
    engagement_id: int = engagement_id_param(),
    obstacle_id: int = part_id("obstacle"),
) -> Obstacle:
    ea = access.open_engagement(request, engagement_id, Category.MEETING_NOTES, WRITE)
    return services.clear_obstacle(
        obstacle=access.get_part(ea, Obstacle.objects.all(), obstacle_id)
    )


@router.get(
    E + "/experiments",
    response={200: list[ExperimentOut], **ERRORS},
    openapi_extra=rule(Category.MEETING_NOTES),
    summary="The experiment record: each next step, what we expected, what happened, what we learned",
)
def list_experiments(
    request: HttpRequest, engagement_id: int = engagement_id_param()
) -> list[Experiment]:
    ea = access.open_engagement(request, engagement_id, Category.MEETING_NOTES, READ)
    return list(
        Experiment.objects.filter(engagement=ea.engagement).order_by("-created_at", "-id")[
            :LIST_LIMIT
        ]
    )


@router.post(
    E + "/experiments",
    response={201: ExperimentOut, **ERRORS},
    openapi_extra=rule(Category.MEETING_NOTES, WRITE),
    summary="Record the next step and what we expect",
)
def plan_experiment(
    request: HttpRequest, payload: ExperimentIn, engagement_id: int = engagement_id_param()
) -> Status[Experiment]:
    ea = access.open_engagement(request, engagement_id, Category.MEETING_NOTES, WRITE)
    meeting = meeting_in(ea, payload.meeting_id) if payload.meeting_id is not None else None
    obstacle = (
        access.get_part(ea, Obstacle.objects.all(), payload.obstacle_id)
        if payload.obstacle_id is not None
        else None
    )
    with body_names(engagement="meeting_id"):
        return Status(
            201,
            services.plan_experiment(
                engagement=ea.engagement,
                by=me(request),
                step=payload.step,
                expected=payload.expected,
                meeting=meeting,
                obstacle=obstacle,
            ),
        )


@router.post(
    E + "/experiments/{experiment_id}/reflection",
    response={200: ExperimentOut, **ERRORS},
    openapi_extra=rule(Category.MEETING_NOTES, WRITE),
    summary="What happened and what we learned",
)
def reflect(
    request: HttpRequest,
    payload: ReflectionIn,
    engagement_id: int = engagement_id_param(),
    experiment_id: int = part_id("experiment"),
) -> Experiment:
    ea = access.open_engagement(request, engagement_id, Category.MEETING_NOTES, WRITE)
    experiment = access.get_part(ea, Experiment.objects.all(), experiment_id)
    return services.reflect_on_experiment(
        experiment=experiment, happened=payload.happened, learned=payload.learned
    )


# --- The calendar feed -----------------------------------------------------------------------


@router.post(
    "/me/calendar-feed",
    response={201: FeedOut, **ERRORS},
    openapi_extra=capability("calendar.own_feed"),
    summary="Issue a new secret calendar-feed address (any earlier one stops working)",
)
def issue_feed(request: HttpRequest) -> Status[dict[str, str]]:
    access.require(request.user, "calendar.own_feed")
    raw = services.issue_feed_token(person=me(request))
    path = reverse("meetings:calendar_feed", kwargs={"token": raw})
    return Status(201, {"url": request.build_absolute_uri(path)})


@router.delete(
    "/me/calendar-feed",
    response={204: None, **ERRORS},
    openapi_extra=capability("calendar.own_feed"),
    summary="Revoke your calendar-feed address",
)
def revoke_feed(request: HttpRequest) -> Status[None]:
    access.require(request.user, "calendar.own_feed")
    services.revoke_feed_token(person=me(request))
    return Status(204, None)
