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


class Measure(models.Model):
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
