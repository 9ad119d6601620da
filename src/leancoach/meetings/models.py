"""The action log (issue 5 adds meetings, agendas and the change history of actions)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from leancoach.people.models import Person


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
    what = models.CharField(max_length=300)
    owner = models.CharField(max_length=10, choices=ActionOwner.choices, default=ActionOwner.CLIENT)
    due_on = models.DateField()
    status = models.CharField(
        max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["engagement", "status", "due_on"], name="action_engagement_status")
        ]

    def __str__(self) -> str:
        return self.what
