"""Reads for meetings, the action log, the home pages and stalled engagements."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from leancoach.core import access
from leancoach.core.access import Category, EngagementAccess
from leancoach.cycle.models import PracticeCommitment, PracticeLog
from leancoach.cycle.selectors import occasions
from leancoach.engagements.models import CADENCE_DAYS, Cadence, Engagement, Status
from leancoach.meetings.agenda import Agenda, build_agenda
from leancoach.meetings.models import (
    ActionItem,
    ActionStatus,
    FeedToken,
    Meeting,
    MeetingNote,
    MeetingStatus,
    NoteVisibility,
)
from leancoach.people.models import Person

OVERDUE_PILE = 3  # this many overdue actions, and an engagement is stalled


def local_day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The start of ``day`` and of the next day, in the current time zone."""
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)
    return start, datetime.datetime.combine(
        day + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )


# --- Stalled engagements --------------------------------------------------------


def with_stall_facts(
    engagements: QuerySet[Engagement], *, today: datetime.date
) -> QuerySet[Engagement]:
    """Annotate ``last_held`` (the newest held meeting's start) and ``overdue`` (open actions
    past their agreed date), each one correlated subquery on an index."""
    last_held = (
        Meeting.objects.filter(engagement=OuterRef("pk"), status=MeetingStatus.HELD)
        .order_by("-starts_at")
        .values("starts_at")[:1]
    )
    overdue = (
        ActionItem.objects.filter(
            engagement=OuterRef("pk"), status=ActionStatus.OPEN, due_on__lt=today
        )
        .order_by()
        .values("engagement")
        .annotate(n=Count("id"))
        .values("n")
    )
    return engagements.annotate(
        last_held=Subquery(last_held),
        overdue=Coalesce(Subquery(overdue, output_field=IntegerField()), Value(0)),
    )


def stalled(engagements: QuerySet[Engagement], *, now: datetime.datetime) -> QuerySet[Engagement]:
    """Active engagements with no meeting held for more than twice their cadence (counted from
    the last held meeting, or from when the engagement became active), or with overdue
    actions piling up (``OVERDUE_PILE`` or more)."""
    today = timezone.localdate(now)
    rows = with_stall_facts(engagements.filter(status=Status.ACTIVE), today=today).annotate(
        quiet_since=Coalesce("last_held", "status_changed_at")
    )
    too_quiet = Q()
    for cadence in Cadence:
        limit = now - datetime.timedelta(days=2 * CADENCE_DAYS[cadence])
        too_quiet |= Q(cadence=cadence, quiet_since__lt=limit)
    return rows.filter(too_quiet | Q(overdue__gte=OVERDUE_PILE))


def stall_reason(engagement: Any, *, now: datetime.datetime) -> str:
    """Why an engagement from ``stalled`` is stalled, in words."""
    reasons = []
    quiet_since = engagement.quiet_since
    days = (now - quiet_since).days
    if days > 2 * CADENCE_DAYS[engagement.cadence]:
        if engagement.last_held is None:
            reasons.append(f"no meeting held since it started {days} days ago")
        else:
            reasons.append(f"no meeting held for {days} days")
    if engagement.overdue >= OVERDUE_PILE:
        reasons.append(f"{engagement.overdue} overdue actions")
    return "; ".join(reasons)


# --- Home pages -------------------------------------------------------------------


HOME_ROWS = 15  # a home page lists the most urgent; the action logs hold the rest


def first_of(actions: QuerySet[ActionItem]) -> tuple[list[ActionItem], int]:
    """The first ``HOME_ROWS`` actions by agreed date, and how many there are, in one query."""
    rows: list[Any] = list(
        actions.annotate(total=Window(expression=Count("id"))).order_by("due_on", "id")[:HOME_ROWS]
    )
    return rows, (int(rows[0].total) if rows else 0)


@dataclass
class CoachDay:
    today: list[Meeting]
    this_week: list[Meeting]
    actions: list[ActionItem]  # open, due by the end of the week or overdue: the first ones
    actions_total: int
    practice_due: list[dict[str, Any]]  # the clients' practice due today, logged or not
    stalled: list[Any]
    awaiting_confirmation: list[ActionItem]
    awaiting_total: int


@dataclass
class ClientDay:
    next_meeting: Meeting | None
    actions: list[ActionItem]
    actions_total: int
    practice: list[dict[str, Any]]


def _week_end(today: datetime.date) -> datetime.date:
    return today + datetime.timedelta(days=6 - today.weekday())


def coach_day(coaching: QuerySet[Engagement], *, now: datetime.datetime) -> CoachDay:
    """The coach's day across ``coaching`` (the engagements they coach)."""
    today = timezone.localdate(now)
    start, tomorrow = local_day_bounds(today)
    _, after_week = local_day_bounds(_week_end(today))
    coached = coaching.exclude(status=Status.CLOSED)
    meetings = list(
        Meeting.objects.filter(
            engagement__in=coached,
            status=MeetingStatus.SCHEDULED,
            starts_at__gte=start,
            starts_at__lt=after_week,
        )
        .select_related("engagement__client")
        .order_by("starts_at", "id")[:100]
    )
    actions, actions_total = first_of(
        ActionItem.objects.filter(
            engagement__in=coached, status=ActionStatus.OPEN, due_on__lte=_week_end(today)
        ).select_related("engagement__client")
    )
    awaiting, awaiting_total = first_of(
        ActionItem.objects.filter(
            engagement__in=coached,
            owner="client",
            status=ActionStatus.DONE,
            confirmed_at__isnull=True,
        ).select_related("engagement__client")
    )
    return CoachDay(
        today=[m for m in meetings if m.starts_at < tomorrow],
        this_week=[m for m in meetings if m.starts_at >= tomorrow],
        actions=actions,
        actions_total=actions_total,
        practice_due=[
            row
            for row in practice_today(
                PracticeCommitment.objects.filter(engagement__in=coached), today
            )
            if row["due"]
        ],
        stalled=list(stalled(coaching, now=now).select_related("client").order_by("id")[:50]),
        awaiting_confirmation=awaiting,
        awaiting_total=awaiting_total,
    )


def practice_today(
    commitments: QuerySet[PracticeCommitment], day: datetime.date
) -> list[dict[str, Any]]:
    """Current commitments, each with whether practice is due on ``day`` and logged (two queries)."""
    rows = list(
        commitments.exclude(ends_on__lt=day)
        .select_related("behaviour", "engagement__client")
        .order_by("starts_on", "id")[:200]
    )
    logged = set(
        PracticeLog.objects.filter(commitment__in=[c.pk for c in rows], on=day).values_list(
            "commitment_id", flat=True
        )
    )
    return [
        {"commitment": c, "due": bool(occasions(c, day, day)), "logged": c.pk in logged}
        for c in rows
    ]


def client_day(coached_in: QuerySet[Engagement], *, now: datetime.datetime) -> ClientDay:
    """The client's day across ``coached_in`` (the engagements they are coached in)."""
    today = timezone.localdate(now)
    mine = coached_in.exclude(status=Status.CLOSED)
    next_meeting = (
        Meeting.objects.filter(
            engagement__in=mine, status=MeetingStatus.SCHEDULED, starts_at__gte=now
        )
        .select_related("engagement__coach")
        .order_by("starts_at", "id")
        .first()
    )
    actions, actions_total = first_of(
        ActionItem.objects.filter(
            engagement__in=mine, owner="client", status=ActionStatus.OPEN
        ).select_related("engagement__coach")
    )
    return ClientDay(
        next_meeting=next_meeting,
        actions=actions,
        actions_total=actions_total,
        practice=practice_today(PracticeCommitment.objects.filter(engagement__in=mine), today),
    )


def has_active_feed(person: Person) -> bool:
    return FeedToken.objects.filter(person=person, revoked_at__isnull=True).exists()


# --- One meeting, as one viewer may see it -------------------------------------------

NOTE_CATEGORIES = (Category.MEETING_NOTES, Category.MEETING_SUMMARIES, Category.PRIVATE_NOTES)
VISIBILITY_CATEGORY = {
    NoteVisibility.SHARED: Category.MEETING_NOTES,
    NoteVisibility.SUMMARY: Category.MEETING_SUMMARIES,
}


@dataclass
class MeetingForViewer:
    agenda: Agenda
    readable: set[str]  # the categories of agenda facts this viewer may read
    notes: dict[str, list[Any]]  # by agenda item, oldest first; each has a ``visibility``
    notes_shown: set[Category]

    def facts(self, entry: Any) -> list[Any]:
        return list(entry.visible(self.readable))


def meeting_for_viewer(
    ea: EngagementAccess, meeting: Meeting, *, today: datetime.date
) -> MeetingForViewer:
    """The agenda facts and the notes of ``meeting`` that ``ea`` may read (pages and the API
    both show a meeting through here); ``ea.reveal`` records a sponsor's or admin's read."""
    agenda = build_agenda(meeting, today=today)
    categories = {Category(fact.category) for entry in agenda.items for fact in entry.facts}
    readable = {category.value for category in ea.reveal(categories)}
    shown = ea.reveal(NOTE_CATEGORIES)
    visibilities = [v for v, category in VISIBILITY_CATEGORY.items() if category in shown]
    rows: list[Any] = list(
        MeetingNote.objects.filter(meeting=meeting, visibility__in=visibilities).select_related(
            "author"
        )
    )
    if Category.PRIVATE_NOTES in shown:
        for private in access.private_notes_in(ea).filter(meeting=meeting).select_related("author"):
            private.visibility = "private"
            private.item = private.agenda_item
            rows.append(private)
    rows.sort(key=lambda note: (note.written_at, note.pk))
    notes: dict[str, list[Any]] = {}
    for note in rows:
        notes.setdefault(note.item, []).append(note)
    return MeetingForViewer(agenda=agenda, readable=readable, notes=notes, notes_shown=shown)
