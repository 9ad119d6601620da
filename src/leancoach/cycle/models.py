"""The coaching cycle: challenge, target conditions, pinpointed behaviours, skill chains,
practice at a time and place, observations with reinforcement, and the current condition.

METHOD.md "The coaching cycle": targets ladder up from the organisation's challenge
to short-term target conditions, to pinpointed behaviours, to practice; each
target is an experiment (expected vs actual, what was learned).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from leancoach.people.models import Person, Team


class Challenge(models.Model):
    """The organisation's big, strategic challenge that creates creative dissatisfaction."""

    title = models.CharField(max_length=200)
    why_it_matters = models.TextField(max_length=4000)
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="challenges_owned")
    teams = models.ManyToManyField(Team, blank=True, related_name="challenges")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title


class TargetKind(models.TextChoices):
    MEASURE = "measure", "A measure reaches a value"
    BEHAVIOUR = "behaviour", "A behaviour is performed at a rate"


class TargetStatus(models.TextChoices):
    OPEN = "open", "Open"
    MET = "met", "Met"
    NOT_MET = "not_met", "Not met"
    DROPPED = "dropped", "Dropped"


class RatePeriod(models.TextChoices):
    DAY = "day", "per day"
    WEEK = "week", "per week"
    MONTH = "month", "per month"


class TargetCondition(models.Model):
    """A short-term target, run as an experiment: what we expect, then what happened and what we learned."""

    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.CASCADE, related_name="targets"
    )
    challenge = models.ForeignKey(
        Challenge, null=True, blank=True, on_delete=models.SET_NULL, related_name="targets"
    )
    kind = models.CharField(max_length=10, choices=TargetKind.choices)
    measure = models.ForeignKey(
        "metrics.Measure", null=True, blank=True, on_delete=models.PROTECT, related_name="targets"
    )
    target_value = models.FloatField(null=True, blank=True)
    behaviour = models.ForeignKey(
        "cycle.Behaviour", null=True, blank=True, on_delete=models.PROTECT, related_name="targets"
    )
    rate = models.PositiveIntegerField(null=True, blank=True, help_text="Times per period.")
    rate_period = models.CharField(max_length=10, choices=RatePeriod.choices, blank=True)
    by_date = models.DateField()
    expected = models.TextField(max_length=2000, help_text="What we expect to happen, and why.")
    actual = models.TextField(max_length=2000, blank=True, help_text="What actually happened.")
    learned = models.TextField(max_length=2000, blank=True, help_text="What we learned.")
    status = models.CharField(
        max_length=10, choices=TargetStatus.choices, default=TargetStatus.OPEN
    )
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["by_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="measure", measure__isnull=False, target_value__isnull=False)
                    | models.Q(kind="behaviour", behaviour__isnull=False, rate__isnull=False)
                ),
                name="target_names_what_it_measures",
            )
        ]

    def __str__(self) -> str:
        return f"Target by {self.by_date}"

    @property
    def words(self) -> str:
        """What the target names, in words: a measure and a value, or a behaviour at a rate.
        Pages for a viewer who may not read measures or behaviours build it from the fields
        they may read instead (cycle/_target_words.html)."""
        if self.measure is not None:
            unit = f" {self.measure.unit}" if self.measure.unit else ""
            return f"{self.measure.name} reaches {self.value_words}{unit}"
        return f"“{self.behaviour}” {self.rate_words}"

    @property
    def value_words(self) -> str:
        return f"{self.target_value:g}" if self.target_value is not None else ""

    @property
    def rate_words(self) -> str:
        if self.rate is None:
            return ""
        return f"{self.rate} time{'s' if self.rate != 1 else ''} {self.get_rate_period_display()}"


class Behaviour(models.Model):
    """A pinpointed behaviour: something a person does or says, that can be seen and counted."""

    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.CASCADE, related_name="behaviours"
    )
    text = models.CharField(max_length=300)
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    archived = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text


class Skill(models.Model):
    """A skill is a chain of behaviours performed fluidly, in order."""

    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.CASCADE, related_name="skills"
    )
    name = models.CharField(max_length=200)
    fluency_threshold = models.PositiveSmallIntegerField(
        default=3,
        help_text="Consecutive fluent observations of the whole chain before it counts as chained.",
    )
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class SkillStep(models.Model):
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="steps")
    behaviour = models.ForeignKey(Behaviour, on_delete=models.PROTECT, related_name="steps")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["skill", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["skill", "position"], name="skill_step_position_unique")
        ]

    def __str__(self) -> str:
        return f"Step {self.position}"


class Recurrence(models.TextChoices):
    ONCE = "once", "Once"
    DAILY = "daily", "Every working day"
    WEEKLY = "weekly", "Every week"


class PracticeCommitment(models.Model):
    """The client commits to practise a component behaviour at a specific time and place."""

    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.CASCADE, related_name="practice_commitments"
    )
    behaviour = models.ForeignKey(Behaviour, on_delete=models.PROTECT, related_name="practice")
    when = models.CharField(max_length=200, help_text="e.g. “at the 8:00 huddle”.")
    where = models.CharField(max_length=200, help_text="e.g. “at the line 1 board”.")
    recurrence = models.CharField(
        max_length=10, choices=Recurrence.choices, default=Recurrence.DAILY
    )
    count_target = models.PositiveSmallIntegerField(
        default=1, help_text="How many times per occasion."
    )
    starts_on = models.DateField(default=timezone.localdate)
    ends_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_on", "id"]

    def __str__(self) -> str:
        return f"{self.behaviour} {self.when}"


class PracticeLog(models.Model):
    commitment = models.ForeignKey(
        PracticeCommitment, on_delete=models.CASCADE, related_name="logs"
    )
    on = models.DateField()
    done = models.BooleanField()
    count = models.PositiveSmallIntegerField(default=0)
    reflection = models.CharField(max_length=1000, blank=True)
    logged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["commitment", "on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["commitment", "on"], name="practice_log_once_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.on}: {'done' if self.done else 'missed'}"


class Performance(models.TextChoices):
    PERFORMED = "performed", "Performed"
    PARTLY = "partly", "Partly"
    NOT = "not", "Not performed"


class Response(models.TextChoices):
    REINFORCEMENT = "reinforcement", "Reinforcement (positive)"
    CORRECTION = "correction", "Correction (constructive)"
    NONE = "none", "No response"


class Observation(models.Model):
    """The coach saw a behaviour (or a whole skill chain) and responded to it."""

    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.CASCADE, related_name="observations"
    )
    observer = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="observations_made")
    behaviour = models.ForeignKey(
        Behaviour, null=True, blank=True, on_delete=models.PROTECT, related_name="observations"
    )
    skill = models.ForeignKey(
        Skill, null=True, blank=True, on_delete=models.PROTECT, related_name="observations"
    )
    on = models.DateField()
    performance = models.CharField(max_length=10, choices=Performance.choices)
    context = models.CharField(max_length=500, blank=True)
    response = models.CharField(max_length=15, choices=Response.choices)
    words = models.CharField(max_length=1000, blank=True, help_text="What the coach said.")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(behaviour__isnull=False, skill__isnull=True)
                    | models.Q(behaviour__isnull=True, skill__isnull=False)
                ),
                name="observation_of_one_thing",
            )
        ]
        indexes = [
            models.Index(fields=["engagement", "on"], name="observation_engagement_on"),
            models.Index(fields=["observer", "on"], name="observation_observer_on"),
        ]

    def __str__(self) -> str:
        return f"{self.on}: {self.performance}, {self.response}"


class CurrentCondition(models.Model):
    """A dated snapshot of where things stand (METHOD.md step 3, a to d, then priorities)."""

    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.CASCADE, related_name="current_conditions"
    )
    on = models.DateField(default=timezone.localdate)
    measures_state = models.JSONField(
        default=list, help_text="Each measure's latest values and signals, as recorded that day."
    )
    observed_behaviour = models.TextField(max_length=4000, blank=True)
    external_conditions = models.TextField(max_length=4000, blank=True)
    priorities = models.TextField(max_length=4000, blank=True)
    recorded_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"Current condition of {self.on}"
