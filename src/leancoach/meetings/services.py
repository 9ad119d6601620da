"""Writes for meetings, their notes, Kata experiments and obstacles, and the action log:
keyword-only, one transaction each, clear refusals (ValidationError names the field;
Conflict when the state forbids it)."""

from __future__ import annotations

import calendar
import datetime
import secrets
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from leancoach.core.errors import Conflict
from leancoach.core.models import ReminderChoice, User, hash_token
from leancoach.core.validate import one_of as _choice
from leancoach.core.validate import text as _text
from leancoach.engagements.models import Cadence, Engagement, PrivateNote, Status
from leancoach.meetings.agenda_items import item_keys
from leancoach.meetings.models import (
    ActionChange,
    ActionItem,
    ActionOwner,
    ActionStatus,
    Experiment,
    FeedToken,
    Meeting,
    MeetingNote,
    MeetingSeries,
    MeetingStatus,
    NoteVisibility,
    Obstacle,
    ObstacleStatus,
)
from leancoach.people.models import Person

HORIZON_DAYS = 182  # a schedule is kept this far ahead (``top_up_schedules`` extends it)
# Meetings and agreed dates lie at most this far back and ahead: a schedule from year 1
# would create thousands of meetings, and a time near year 9999 overflows (or, stored with
# its offset past 9999 in UTC, can no longer be read back at all).
EARLIEST = datetime.timedelta(days=366)
LATEST = datetime.timedelta(days=5 * 366)
MIN_MINUTES, MAX_MINUTES = 5, 480
FEED_TOKEN_PREFIX = "cal_"


def organisation_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _aware(field: str, value: datetime.datetime) -> datetime.datetime:
    if timezone.is_naive(value):
        raise ValidationError({field: "Give a time with its time zone."})
    now = timezone.now()
    if not now - EARLIEST <= value <= now + LATEST:
        raise ValidationError({field: "Give a time from a year ago to five years ahead."})
    return value


def _day(field: str, value: datetime.date | None) -> datetime.date | None:
    today = timezone.localdate()
    if value is not None and not today - EARLIEST <= value <= today + LATEST:
        raise ValidationError({field: "Give a date from a year ago to five years ahead."})
    return value


def _minutes(value: int) -> int:
    if not MIN_MINUTES <= value <= MAX_MINUTES:
        raise ValidationError(
            {"duration_minutes": f"A meeting lasts {MIN_MINUTES} to {MAX_MINUTES} minutes."}
        )
    return value


def _open(engagement: Engagement) -> None:
    if engagement.status == Status.CLOSED:
        raise Conflict("This engagement is closed: no more meetings.")


# --- The schedule --------------------------------------------------------------


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def occurrence(series: MeetingSeries, sequence: int) -> datetime.datetime:
    """The start of the ``sequence``-th meeting (0 = the first), keeping the wall-clock time
    of the series' zone, so a 9:00 meeting stays at 9:00 across a daylight-saving change."""
    zone = ZoneInfo(series.time_zone)
    first = series.first_starts_at.astimezone(zone)
    if series.cadence == Cadence.MONTHLY:
        day = _add_months(first.date(), sequence)
    else:
        step = 14 if series.cadence == Cadence.FORTNIGHTLY else 7
        day = first.date() + datetime.timedelta(days=step * sequence)
    return datetime.datetime.combine(day, first.time(), tzinfo=zone)


def _top_up(series: MeetingSeries, until: datetime.datetime) -> int:
    """Create the series' missing meetings up to ``until``; safe to repeat (unique sequence)."""
    last = series.meetings.order_by("-sequence").values_list("sequence", flat=True).first()
    sequence = 0 if last is None else last + 1
    new = []
    while (starts := occurrence(series, sequence)) <= until:
        new.append(
            Meeting(
                engagement_id=series.engagement_id,
                series=series,
                sequence=sequence,
                starts_at=starts,
                planned_starts_at=starts,
                duration_minutes=series.duration_minutes,
                location=series.location,
            )
        )
        sequence += 1
    Meeting.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


@transaction.atomic
def schedule_meetings(
    *,
    engagement: Engagement,
    by: Person,
    first_starts_at: datetime.datetime,
    duration_minutes: int = 60,
    location: str = "",
    cadence: str | None = None,
) -> MeetingSeries:
    """Recurring meetings from the engagement's cadence (or ``cadence``), from the first one on.

    A new schedule replaces the old one: its meetings still to come that nobody has
    written in are removed; held, missed and annotated ones stay.
    """
    _open(engagement)
    _aware("first_starts_at", first_starts_at)
    cadence = _choice("cadence", cadence or engagement.cadence, Cadence)
    now = timezone.now()
    # The engagement row is the lock, as in apply_agreed_cadence: one running series at a time.
    Engagement.objects.select_for_update().filter(pk=engagement.pk).first()
    for old in MeetingSeries.objects.filter(engagement=engagement, ended_at__isnull=True):
        old.ended_at = now
        old.save(update_fields=["ended_at"])
        Meeting.objects.filter(
            series=old,
            status=MeetingStatus.SCHEDULED,
            starts_at__gte=min(now, first_starts_at),
            notes__isnull=True,
            private_notes__isnull=True,
            actions__isnull=True,
            experiments__isnull=True,
        ).delete()
    series = MeetingSeries.objects.create(
        engagement=engagement,
        first_starts_at=first_starts_at,
        time_zone=settings.TIME_ZONE,
        cadence=cadence,
        duration_minutes=_minutes(duration_minutes),
        location=_text("location", location, limit=200, required=False),
        created_by=by,
    )
    _top_up(series, max(now, first_starts_at) + datetime.timedelta(days=HORIZON_DAYS))
    return series


def top_up_schedules(*, now: datetime.datetime | None = None) -> int:
    """Keep every running schedule ``HORIZON_DAYS`` ahead; returns the meetings created."""
    now = now or timezone.now()
    created = 0
    running = MeetingSeries.objects.filter(ended_at__isnull=True).exclude(
        engagement__status=Status.CLOSED
    )
    for series in running.iterator():
        with transaction.atomic():
            created += _top_up(series, now + datetime.timedelta(days=HORIZON_DAYS))
    return created


def _next_sequence(series: MeetingSeries, now: datetime.datetime) -> int:
    """The first occurrence of ``series`` at or after ``now``."""
    elapsed = (now - series.first_starts_at).days
    # Start just below the answer (a month is at most 31 days) and step forward.
    step = {Cadence.WEEKLY: 7, Cadence.FORTNIGHTLY: 14}.get(Cadence(series.cadence), 31)
    sequence = max(0, elapsed // step - 1)
    while occurrence(series, sequence) < now:
        sequence += 1
    return sequence


def _with_content(meetings: list[Meeting]) -> set[int]:
    """The meetings someone has written in: notes, private notes, actions, experiments."""
    ids = [meeting.pk for meeting in meetings]
    written = Q(notes__isnull=False) | Q(private_notes__isnull=False)
    written |= Q(actions__isnull=False) | Q(experiments__isnull=False)
    return set(Meeting.objects.filter(written, pk__in=ids).values_list("pk", flat=True).distinct())


@transaction.atomic
def apply_agreed_cadence(
    *, engagement: Engagement, cadence: str, by: Person, now: datetime.datetime | None = None
) -> MeetingSeries | None:
    """Make ``cadence`` the engagement's and reschedule its running series at it, from the
    series' next meeting on (so that meeting keeps its day and time); returns the new series.

    Past, held, missed and cancelled meetings never change. A coming meeting that someone wrote
    in (notes, actions, experiments) or moved by hand stays where it is, and stands for the new
    schedule's slot at its planned time if there is one. The other coming meetings are moved
    onto the new slots in order (``revision`` grows, so calendars take the change); slots left
    over get new meetings, meetings left over are removed, as a new schedule does.
    """
    cadence = _choice("cadence", cadence, Cadence)
    now = now or timezone.now()
    # The engagement row is the lock (signing holds it already); the caller's instance is
    # updated too, so a later save of it keeps the new cadence.
    current = Engagement.objects.select_for_update().values_list("cadence", flat=True)
    if current.get(pk=engagement.pk) == cadence:
        return None
    engagement.cadence = cadence
    engagement.save(update_fields=["cadence"])
    old = (
        MeetingSeries.objects.select_for_update()
        .filter(engagement=engagement, ended_at__isnull=True)
        .order_by("-created_at", "-id")
        .first()
    )
    if old is None or engagement.status == Status.CLOSED:
        return None
    first = occurrence(old, _next_sequence(old, now))
    old.ended_at = now
    old.save(update_fields=["ended_at"])
    new = MeetingSeries.objects.create(
        engagement=engagement,
        first_starts_at=first,
        time_zone=old.time_zone,
        cadence=cadence,
        duration_minutes=old.duration_minutes,
        location=old.location,
        created_by=by,
    )
    until = max(now, first) + datetime.timedelta(days=HORIZON_DAYS)
    # Slots by their instant (a timestamp: equal instants in different zones are one key).
    slots: dict[float, tuple[datetime.datetime, int]] = {}
    while (starts := occurrence(new, len(slots))) <= until:
        slots[starts.timestamp()] = (starts, len(slots))

    coming = list(
        old.meetings.select_for_update()
        .filter(status=MeetingStatus.SCHEDULED, starts_at__gte=now)
        .order_by("starts_at", "id")
    )
    written = _with_content(coming)
    stays = [m for m in coming if m.pk in written or m.was_moved]
    movable = [m for m in coming if m.pk not in written and not m.was_moved]
    changed: list[Meeting] = []
    for meeting in stays:
        slot = slots.pop(meeting.planned_starts_at.timestamp(), None)
        if slot is not None:  # it is the new schedule's meeting for that slot
            meeting.series, meeting.sequence = new, slot[1]
            changed.append(meeting)
    free = sorted(slots.values(), key=lambda slot: slot[1])
    for meeting, (starts, sequence) in zip(movable, free, strict=False):
        if (meeting.starts_at, meeting.duration_minutes, meeting.location) != (
            starts,
            new.duration_minutes,
            new.location,
        ):
            meeting.revision += 1
        meeting.series, meeting.sequence = new, sequence
        meeting.starts_at = meeting.planned_starts_at = starts
        meeting.duration_minutes, meeting.location = new.duration_minutes, new.location
        changed.append(meeting)
    Meeting.objects.bulk_update(
        changed,
        [
            "series",
            "sequence",
            "starts_at",
            "planned_starts_at",
            "duration_minutes",
            "location",
            "revision",
        ],
    )
    Meeting.objects.filter(pk__in=[m.pk for m in movable[len(free) :]]).delete()
    Meeting.objects.bulk_create(
        Meeting(
            engagement_id=engagement.pk,
            series=new,
            sequence=sequence,
            starts_at=starts,
            planned_starts_at=starts,
            duration_minutes=new.duration_minutes,
            location=new.location,
        )
        for starts, sequence in free[len(movable) :]
    )
    return new


@transaction.atomic
def add_meeting(
    *,
    engagement: Engagement,
    by: Person,
    starts_at: datetime.datetime,
    duration_minutes: int = 60,
    location: str = "",
) -> Meeting:
    """A single meeting outside the schedule."""
    _open(engagement)
    _aware("starts_at", starts_at)
    return Meeting.objects.create(
        engagement=engagement,
        starts_at=starts_at,
        planned_starts_at=starts_at,
        duration_minutes=_minutes(duration_minutes),
        location=_text("location", location, limit=200, required=False),
    )


def _still_scheduled(meeting: Meeting) -> None:
    _open(meeting.engagement)
    if meeting.status != MeetingStatus.SCHEDULED:
        raise Conflict(f"This meeting is {meeting.get_status_display().lower()}; it cannot change.")


@transaction.atomic
def move_meeting(
    *,
    meeting: Meeting,
    by: Person,
    starts_at: datetime.datetime,
    duration_minutes: int | None = None,
    location: str | None = None,
) -> Meeting:
    _still_scheduled(meeting)
    meeting.starts_at = _aware("starts_at", starts_at)
    if duration_minutes is not None:
        meeting.duration_minutes = _minutes(duration_minutes)
    if location is not None:
        meeting.location = _text("location", location, limit=200, required=False)
    meeting.revision += 1
    meeting.save(update_fields=["starts_at", "duration_minutes", "location", "revision"])
    return meeting


@transaction.atomic
def cancel_meeting(*, meeting: Meeting, by: Person) -> Meeting:
    _still_scheduled(meeting)
    meeting.status = MeetingStatus.CANCELLED
    meeting.status_changed_by = by
    meeting.revision += 1
    meeting.save(update_fields=["status", "status_changed_by", "revision"])
    return meeting


@transaction.atomic
def close_meeting(
    *,
    meeting: Meeting,
    by: Person,
    status: str = MeetingStatus.HELD,
) -> Meeting:
    """Mark a meeting held, freezing its agenda as it stands now, or missed."""
    from leancoach.meetings.agenda import build_agenda

    if status not in (MeetingStatus.HELD, MeetingStatus.MISSED):
        raise ValidationError({"status": "A meeting is closed as held or missed."})
    _still_scheduled(meeting)
    held = status == MeetingStatus.HELD
    meeting.agenda_snapshot = (
        build_agenda(meeting, today=timezone.localdate()).snapshot() if held else None
    )
    meeting.status = status
    meeting.status_changed_by = by
    meeting.closed_at = timezone.now()
    meeting.revision += 1
    meeting.save(
        update_fields=["status", "status_changed_by", "closed_at", "agenda_snapshot", "revision"]
    )
    return meeting


# --- Notes ---------------------------------------------------------------------


def _item(meeting: Meeting, item: str) -> str:
    keys = item_keys(meeting.engagement.kind)
    if item not in keys:
        raise ValidationError(
            {"item": f"“{item}” is not an item of this agenda: {', '.join(keys)}."}
        )
    return item


def _notes_allowed(meeting: Meeting) -> None:
    _open(meeting.engagement)
    if meeting.status == MeetingStatus.CANCELLED:
        raise Conflict("This meeting was cancelled.")


@transaction.atomic
def add_meeting_note(
    *, meeting: Meeting, by: Person, item: str, visibility: str, text: str
) -> MeetingNote:
    """A note shared with the client, or written for the meeting summary."""
    _notes_allowed(meeting)
    return MeetingNote.objects.create(
        meeting=meeting,
        item=_item(meeting, item),
        visibility=_choice("visibility", visibility, NoteVisibility),
        text=_text("text", text, limit=10000),
        author=by,
    )


@transaction.atomic
def add_private_meeting_note(*, meeting: Meeting, by: Person, item: str, text: str) -> PrivateNote:
    """The coach's private note on an agenda item: a PrivateNote, which nothing can share."""
    _notes_allowed(meeting)
    return PrivateNote.objects.create(
        engagement_id=meeting.engagement_id,
        meeting=meeting,
        agenda_item=_item(meeting, item),
        text=_text("text", text, limit=10000),
        author=by,
    )


# --- Kata: obstacles and experiments --------------------------------------------


@transaction.atomic
def park_obstacle(
    *, engagement: Engagement, by: Person, text: str, work_on_now: bool = False
) -> Obstacle:
    obstacle = Obstacle.objects.create(
        engagement=engagement, text=_text("text", text, limit=500), created_by=by
    )
    if work_on_now:
        work_on_obstacle(obstacle=obstacle)
    return obstacle


@transaction.atomic
def work_on_obstacle(*, obstacle: Obstacle) -> Obstacle:
    """Make this the one obstacle being worked on now; the previous one goes back to the lot."""
    if obstacle.status == ObstacleStatus.CLEARED:
        raise Conflict("That obstacle is cleared.")
    Obstacle.objects.filter(
        engagement_id=obstacle.engagement_id, status=ObstacleStatus.CURRENT
    ).exclude(pk=obstacle.pk).update(status=ObstacleStatus.PARKED)
    obstacle.status = ObstacleStatus.CURRENT
    obstacle.save(update_fields=["status"])
    return obstacle


@transaction.atomic
def clear_obstacle(*, obstacle: Obstacle) -> Obstacle:
    obstacle.status = ObstacleStatus.CLEARED
    obstacle.cleared_at = timezone.now()
    obstacle.save(update_fields=["status", "cleared_at"])
    return obstacle


@transaction.atomic
def plan_experiment(
    *,
    engagement: Engagement,
    by: Person,
    step: str,
    expected: str,
    meeting: Meeting | None = None,
    obstacle: Obstacle | None = None,
) -> Experiment:
    for thing in (meeting, obstacle):
        if thing is not None and thing.engagement_id != engagement.pk:
            raise ValidationError({"engagement": "That belongs to another engagement."})
    return Experiment.objects.create(
        engagement=engagement,
        meeting=meeting,
        obstacle=obstacle,
        step=_text("step", step, limit=500),
        expected=_text("expected", expected, limit=1000),
        created_by=by,
    )


@transaction.atomic
def reflect_on_experiment(*, experiment: Experiment, happened: str, learned: str) -> Experiment:
    experiment.happened = _text("happened", happened, limit=1000)
    experiment.learned = _text("learned", learned, limit=1000)
    experiment.reflected_at = timezone.now()
    experiment.save(update_fields=["happened", "learned", "reflected_at"])
    return experiment


# --- The action log ------------------------------------------------------------


def _record(action: ActionItem, by: Person, field: str, old: object, new: object) -> None:
    ActionChange.objects.create(action=action, field=field, old=_shown(old), new=_shown(new), by=by)


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)[:300]


@transaction.atomic
def add_action(
    *,
    engagement: Engagement,
    by: Person,
    what: str,
    owner: str,
    due_on: datetime.date,
    check_back_on: datetime.date | None = None,
    meeting: Meeting | None = None,
) -> ActionItem:
    if engagement.status == Status.CLOSED:
        raise Conflict("This engagement is closed: no new actions.")
    if meeting is not None and meeting.engagement_id != engagement.pk:
        raise ValidationError({"meeting": "That meeting belongs to another engagement."})
    _day("due_on", due_on)
    _day("check_back_on", check_back_on)
    if check_back_on is not None and check_back_on < due_on:
        raise ValidationError(
            {"check_back_on": "Check back on or after the agreed date, not before it."}
        )
    action = ActionItem.objects.create(
        engagement=engagement,
        what=_text("what", what, limit=300),
        owner=_choice("owner", owner, ActionOwner),
        due_on=due_on,
        check_back_on=check_back_on,
        meeting=meeting,
        created_by=by,
    )
    _record(action, by, "created", None, action.what)
    return action


EDITABLE = ("what", "owner", "due_on", "check_back_on", "status")


@transaction.atomic
def change_action(*, action: ActionItem, by: Person, **changes: Any) -> ActionItem:
    """Change any of what, owner, agreed date, check-back date and status; each change is kept."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "This cannot be changed."})
    if "what" in changes:
        changes["what"] = _text("what", changes["what"], limit=300)
    if "owner" in changes:
        _choice("owner", changes["owner"], ActionOwner)
    if "status" in changes:
        _choice("status", changes["status"], ActionStatus)
    for field in ("due_on", "check_back_on"):
        if field in changes:
            _day(field, changes[field])
    due_on = changes.get("due_on", action.due_on)
    check_back_on = changes.get("check_back_on", action.check_back_on)
    if due_on is None:
        raise ValidationError({"due_on": "An action needs an agreed date."})
    if check_back_on is not None and check_back_on < due_on:
        raise ValidationError(
            {"check_back_on": "Check back on or after the agreed date, not before it."}
        )
    fields = []
    for field, value in changes.items():
        old = getattr(action, field)
        if old == value:
            continue
        _record(action, by, field, old, value)
        setattr(action, field, value)
        fields.append(field)
    if "status" in fields and action.confirmed_at is not None:
        # A confirmed action that changes status needs confirming again.
        _record(action, by, "confirmed", "yes", "")
        action.confirmed_at = None
        fields.append("confirmed_at")
    if (
        "status" in fields
        and action.status == ActionStatus.DONE
        and by.pk == action.engagement.coach_id
    ):
        # Done by the coach is done: only a client's word waits for the coach to confirm it.
        action.confirmed_at = timezone.now()
        fields.append("confirmed_at")
    if fields:
        action.save(update_fields=fields)
    return action


def set_action_status(*, action: ActionItem, by: Person, status: str) -> ActionItem:
    return change_action(action=action, by=by, status=status)


@transaction.atomic
def confirm_action(*, action: ActionItem, by: Person) -> ActionItem:
    if action.status != ActionStatus.DONE:
        raise Conflict("Only a done action can be confirmed.")
    if action.confirmed_at is not None:
        raise Conflict("This action is already confirmed.")
    action.confirmed_at = timezone.now()
    action.save(update_fields=["confirmed_at"])
    _record(action, by, "confirmed", "", "yes")
    return action


# --- Calendar feeds --------------------------------------------------------------


@transaction.atomic
def issue_feed_token(*, person: Person) -> str:
    """A new secret for the person's calendar feed; the old URL stops working at once.

    Returns the raw secret, shown once (only its hash is kept)."""
    revoke_feed_token(person=person)
    for _attempt in range(3):
        raw = FEED_TOKEN_PREFIX + secrets.token_urlsafe(32)
        try:
            with transaction.atomic():
                FeedToken.objects.create(person=person, key_hash=hash_token(raw))
        except IntegrityError:  # pragma: no cover - 256 random bits do not collide
            continue
        return raw
    raise RuntimeError("Could not issue a unique feed token.")  # pragma: no cover


@transaction.atomic
def revoke_feed_token(*, person: Person) -> int:
    return FeedToken.objects.filter(person=person, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


@transaction.atomic
def save_preferences(*, user: User, time_zone: str, reminders: str) -> User:
    import zoneinfo

    if time_zone and time_zone not in zoneinfo.available_timezones():
        raise ValidationError({"time_zone": f"“{time_zone}” is not a time zone."})
    user.time_zone = time_zone
    user.reminders = _choice("reminders", reminders, ReminderChoice)
    user.save(update_fields=["time_zone", "reminders"])
    return user
