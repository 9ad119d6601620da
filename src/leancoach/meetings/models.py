"""Coaching meetings, their agenda notes, Kata experiments and obstacles, the action log,
calendar feeds and reminder digests.

METHOD.md "The regular coaching meeting" (the eight agenda items), "Toyota Kata
coaching" (the five questions) and step 4 "Set targets and contract" (the action
log: action, agreed date, status, when the coach checks back).

The coach's private notes in a meeting are ``engagements.PrivateNote`` rows with
the meeting set: that table has no visibility field, so no setting can share
them. ``MeetingNote`` holds only what is shared with the client or written for
the summary the sponsor may read.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone

from leancoach.people.models import Person


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    MISSED = "missed", "Missed"
    CANCELLED = "cancelled", "Cancelled"


class MeetingSeries(models.Model):
    """A recurring schedule from the engagement's cadence, in the organisation's time zone.

    Its meetings are rows of their own (so each can be moved or cancelled alone);
    ``sequence`` numbers them and the series is topped up ahead of time.
    """

    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.CASCADE, related_name="meeting_series"
    )
    first_starts_at = models.DateTimeField()
    time_zone = models.CharField(max_length=64, help_text="The zone whose wall clock it keeps.")
    cadence = models.CharField(max_length=20)
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    location = models.CharField(max_length=200, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True, help_text="Replaced by a new schedule.")
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["engagement", "-created_at", "-id"]
        verbose_name_plural = "meeting series"

    def __str__(self) -> str:
        return f"{self.cadence} meetings of engagement {self.engagement_id}"


class Meeting(models.Model):
    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.CASCADE, related_name="meetings"
    )
    series = models.ForeignKey(
        MeetingSeries, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings"
    )
    sequence = models.PositiveIntegerField(null=True, blank=True)
    starts_at = models.DateTimeField()
    planned_starts_at = models.DateTimeField(help_text="When the schedule first put it.")
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    location = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    # Calendar programs take an event's change only when its SEQUENCE grows.
    revision = models.PositiveIntegerField(default=0)
    # The agenda as it stood when the meeting was closed; live data until then.
    agenda_snapshot = models.JSONField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "sequence"], name="meeting_once_per_series_sequence"
            )
        ]
        indexes = [
            models.Index(fields=["engagement", "starts_at"], name="meeting_engagement_starts"),
            models.Index(
                fields=["engagement", "status", "starts_at"], name="meeting_engagement_status"
            ),
            models.Index(fields=["starts_at"], name="meeting_starts"),
        ]

    def __str__(self) -> str:
        return f"Meeting of {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.duration_minutes)

    @property
    def was_moved(self) -> bool:
        return self.starts_at != self.planned_starts_at


class NoteVisibility(models.TextChoices):
    # Private notes are engagements.PrivateNote rows; they are never a MeetingNote.
    SHARED = "shared", "Shared with the client"
    SUMMARY = (
        "summary",
        "In the meeting summary (the sponsor may read it if the agreement shares summaries)",
    )


class MeetingNote(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="notes")
    item = models.CharField(max_length=30, help_text="The agenda item it belongs to.")
    visibility = models.CharField(max_length=10, choices=NoteVisibility.choices)
    text = models.TextField(max_length=10000)
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["written_at", "id"]
        indexes = [models.Index(fields=["meeting", "visibility"], name="meetingnote_visibility")]

    def __str__(self) -> str:
        return f"{self.get_visibility_display()} note on {self.item}"


class ObstacleStatus(models.TextChoices):
    PARKED = "parked", "In the parking lot"
    CURRENT = "current", "Being worked on now"
    CLEARED = "cleared", "Cleared"


class Obstacle(models.Model):
    """Kata: what stands between the actual and the target condition; one is worked on at a time."""

    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.CASCADE, related_name="obstacles"
    )
    text = models.CharField(max_length=500)
    status = models.CharField(
        max_length=10, choices=ObstacleStatus.choices, default=ObstacleStatus.PARKED
    )
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    cleared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["engagement"],
                condition=Q(status="current"),
                name="obstacle_one_current_per_engagement",
            )
        ]

    def __str__(self) -> str:
        return self.text


class Experiment(models.Model):
    """Kata: the next step, what we expect, then what happened and what we learned."""

    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.CASCADE, related_name="experiments"
    )
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="experiments"
    )
    obstacle = models.ForeignKey(
        Obstacle, null=True, blank=True, on_delete=models.SET_NULL, related_name="experiments"
    )
    step = models.CharField(max_length=500, help_text="The next step.")
    expected = models.CharField(max_length=1000, help_text="What we expect.")
    happened = models.CharField(max_length=1000, blank=True, help_text="What happened.")
    learned = models.CharField(max_length=1000, blank=True, help_text="What we learned.")
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    reflected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.step


class ActionOwner(models.TextChoices):
    CLIENT = "client", "Client"
    COACH = "coach", "Coach"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    SLIPPED = "slipped", "Slipped"
    DROPPED = "dropped", "Dropped"


class ActionItem(models.Model):
    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.CASCADE, related_name="actions"
    )
    meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
        help_text="The meeting whose contracting step agreed it.",
    )
    what = models.CharField(max_length=300)
    owner = models.CharField(max_length=10, choices=ActionOwner.choices, default=ActionOwner.CLIENT)
    due_on = models.DateField(help_text="The agreed date.")
    check_back_on = models.DateField(
        null=True, blank=True, help_text="When the coach checks back or observes."
    )
    status = models.CharField(
        max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    # A client marks their own action done; the coach confirms it.
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["engagement", "status", "due_on"], name="action_engagement_status")
        ]

    def __str__(self) -> str:
        return self.what

    @property
    def awaits_confirmation(self) -> bool:
        return self.status == ActionStatus.DONE and self.confirmed_at is None

    def is_overdue(self, today: datetime.date) -> bool:
        return self.status == ActionStatus.OPEN and self.due_on < today


class ActionChange(models.Model):
    """One change of an action: what changed, from what, to what, by whom, when."""

    action = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="changes")
    field = models.CharField(max_length=20)
    old = models.CharField(max_length=300, blank=True)
    new = models.CharField(max_length=300, blank=True)
    by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.field}: {self.old} → {self.new}"


class FeedToken(models.Model):
    """The secret in a person's calendar-feed URL. Stored as a hash; re-issuing revokes the old."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="feed_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Calendar feed of {self.person_id}"


class ReminderDigest(models.Model):
    """One digest per person and period; the unique row is claimed before the e-mail goes out,
    so two copies of ``send-reminders`` running at once cannot both send it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="digests")
    period = models.CharField(max_length=20, help_text="day:YYYY-MM-DD or week:YYYY-Www")
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    items = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-claimed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "period"], name="digest_once_per_period")
        ]

    def __str__(self) -> str:
        return f"Digest {self.period} for {self.person_id}"
