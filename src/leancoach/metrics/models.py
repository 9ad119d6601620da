"""Measures (KPIs and process measures) and their data points.

Issue 4 adds process behaviour charts, baselines and CSV import on top of these.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from leancoach.people.models import Person


class Direction(models.TextChoices):
    UP = "up", "Higher is better"
    DOWN = "down", "Lower is better"


class Frequency(models.TextChoices):
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"
    MONTHLY = "monthly", "Monthly"


class Measure(models.Model):
    """A KPI or process measure, owned by an engagement or by a team."""

    team = models.ForeignKey(
        "people.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="measures"
    )
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY)
    engagement = models.ForeignKey(
        "engagements.Engagement",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="measures",
    )
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=50, blank=True)
    better = models.CharField(max_length=4, choices=Direction.choices, default=Direction.UP)
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            # Exactly one owner: whose measure it is decides who reads and keeps it.
            models.CheckConstraint(
                condition=models.Q(engagement__isnull=False, team__isnull=True)
                | models.Q(engagement__isnull=True, team__isnull=False),
                name="measure_has_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.name


class DataPoint(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="points")
    on = models.DateField()
    value = models.FloatField()

    class Meta:
        ordering = ["measure", "on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "on"], name="datapoint_one_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.on}: {self.value}"


class Baseline(models.Model):
    """Where a measure's natural process limits are computed from.

    A baseline applies from ``starts_on`` until the next baseline of the same
    measure starts (a real change in the process starts a new one). Limits come
    from the values between ``starts_on`` and ``ends_on`` (or, with no end, the
    first 20 values from ``starts_on``).
    """

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="baselines")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["measure", "starts_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "starts_on"], name="baseline_start_unique")
        ]

    def __str__(self) -> str:
        return f"Baseline from {self.starts_on}"
