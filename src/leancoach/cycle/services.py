"""Writes for the coaching cycle: keyword-only, one transaction each, clear refusals."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from leancoach.core.errors import Conflict
from leancoach.core.validate import text as _text
from leancoach.cycle.models import (
    Behaviour,
    Challenge,
    CurrentCondition,
    Observation,
    Performance,
    PracticeCommitment,
    PracticeLog,
    Recurrence,
    Response,
    Skill,
    SkillStep,
    TargetCondition,
    TargetKind,
    TargetStatus,
)
from leancoach.engagements.models import Engagement
from leancoach.metrics.models import Measure
from leancoach.people.models import Person, Team


def _same_engagement(engagement: Engagement, *things: object) -> None:
    for thing in things:
        if thing is not None and getattr(thing, "engagement_id", engagement.pk) != engagement.pk:
            raise ValidationError({"engagement": "That belongs to another engagement."})


@transaction.atomic
def add_behaviour(*, engagement: Engagement, by: Person, text: str) -> Behaviour:
    """Save a behaviour; the pinpoint check only advises (see cycle/pinpoint.py), it never blocks."""
    return Behaviour.objects.create(
        engagement=engagement, text=_text("text", text, limit=300), created_by=by
    )


def in_use_annotations() -> dict[str, Exists]:
    """For each behaviour row: is it observed, practised, in a chain, named by a target?"""
    return {
        f"used_by_{name}": Exists(model.objects.filter(behaviour=OuterRef("pk")))
        for name, model in (
            ("observation", Observation),
            ("commitment", PracticeCommitment),
            ("skill_step", SkillStep),
            ("target", TargetCondition),
        )
    }


def behaviour_in_use(behaviour: Behaviour) -> bool:
    """Once referred to, a behaviour's wording is part of what was seen or agreed."""
    uses = in_use_annotations()
    row = Behaviour.objects.filter(pk=behaviour.pk).annotate(**uses).values(*uses).get()
    return any(row.values())


@transaction.atomic
def rewrite_behaviour(*, behaviour: Behaviour, text: str) -> Behaviour:
    """Reword a behaviour, typically after a pinpoint hint; the check still only advises.

    Only while nothing refers to it yet: once it is observed, practised, chained or
    targeted, a new wording would change what those records say was seen or agreed,
    so the new wording becomes a new behaviour instead.
    """
    behaviour = Behaviour.objects.select_for_update().get(pk=behaviour.pk)
    text = _text("text", text, limit=300)
    if behaviour.archived:
        raise Conflict("This behaviour is archived; add the new wording as a new behaviour.")
    if behaviour_in_use(behaviour):
        raise Conflict(
            "This behaviour is already observed, practised, in a skill chain or in a target, "
            "so its wording stays as recorded; add the new wording as a new behaviour."
        )
    if text != behaviour.text:
        behaviour.text = text
        behaviour.save(update_fields=["text"])
    return behaviour


@transaction.atomic
def define_skill(
    *,
    engagement: Engagement,
    by: Person,
    name: str,
    steps: Sequence[Behaviour],
    fluency_threshold: int = 3,
) -> Skill:
    if len(steps) < 2:
        raise ValidationError(
            {"steps": "A chain has at least two behaviours, in the order they are performed."}
        )
    if len({step.pk for step in steps}) != len(steps):
        raise ValidationError({"steps": "A behaviour appears twice in the chain."})
    if not 1 <= fluency_threshold <= 20:
        raise ValidationError({"fluency_threshold": "Choose between 1 and 20 observations."})
    _same_engagement(engagement, *steps)
    skill = Skill.objects.create(
        engagement=engagement,
        name=_text("name", name, limit=200),
        fluency_threshold=fluency_threshold,
        created_by=by,
    )
    SkillStep.objects.bulk_create(
        SkillStep(skill=skill, behaviour=behaviour, position=position)
        for position, behaviour in enumerate(steps, start=1)
    )
    return skill


@transaction.atomic
def commit_to_practice(
    *,
    engagement: Engagement,
    by: Person,
    behaviour: Behaviour,
    when: str,
    where: str,
    recurrence: str = Recurrence.DAILY,
    count_target: int = 1,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> PracticeCommitment:
    """METHOD.md step 5: you practise behaviour, not results, at a specific time and place."""
    _same_engagement(engagement, behaviour)
    if recurrence not in Recurrence.values:
        raise ValidationError(
            {"recurrence": f"“{recurrence}” is not one of: {', '.join(Recurrence.values)}."}
        )
    if not 1 <= count_target <= 100:
        raise ValidationError({"count_target": "Choose a count from 1 to 100."})
    starts_on = starts_on or timezone.localdate()
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": "The practice cannot end before it starts."})
    return PracticeCommitment.objects.create(
        engagement=engagement,
        behaviour=behaviour,
        when=_text("when", when, limit=200),
        where=_text("where", where, limit=200),
        recurrence=recurrence,
        count_target=count_target,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=by,
    )


@transaction.atomic
def log_practice(
    *,
    commitment: PracticeCommitment,
    on: datetime.date,
    done: bool,
    count: int = 0,
    reflection: str = "",
) -> PracticeLog:
    """One log per day: logging the same day again replaces that day's entry."""
    if on > timezone.localdate():
        raise ValidationError({"on": "Practice can only be logged once it has happened."})
    if on < commitment.starts_on or (commitment.ends_on and on > commitment.ends_on):
        raise ValidationError({"on": "That day is outside the practice commitment."})
    if count < 0 or count > 1000:
        raise ValidationError({"count": "Give a count from 0 to 1,000."})
    log, _ = PracticeLog.objects.update_or_create(
        commitment=commitment,
        on=on,
        defaults={
            "done": done,
            "count": count if done else 0,
            "reflection": _text("reflection", reflection, limit=1000, required=False),
            "logged_at": timezone.now(),
        },
    )
    return log


@transaction.atomic
def record_observation(
    *,
    engagement: Engagement,
    observer: Person,
    on: datetime.date,
    performance: str,
    response: str,
    behaviour: Behaviour | None = None,
    skill: Skill | None = None,
    context: str = "",
    words: str = "",
) -> Observation:
    if (behaviour is None) == (skill is None):
        raise ValidationError(
            {"behaviour": "Observe either one behaviour or one whole skill chain."}
        )
    _same_engagement(engagement, behaviour, skill)
    if performance not in Performance.values:
        raise ValidationError(
            {"performance": f"“{performance}” is not one of: {', '.join(Performance.values)}."}
        )
    if response not in Response.values:
        raise ValidationError(
            {"response": f"“{response}” is not one of: {', '.join(Response.values)}."}
        )
    if on > timezone.localdate():
        raise ValidationError({"on": "An observation cannot be dated in the future."})
    return Observation.objects.create(
        engagement=engagement,
        observer=observer,
        behaviour=behaviour,
        skill=skill,
        on=on,
        performance=performance,
        response=response,
        context=_text("context", context, limit=500, required=False),
        words=_text("words", words, limit=1000, required=False),
    )


@transaction.atomic
def set_target(
    *,
    engagement: Engagement,
    by: Person,
    by_date: datetime.date,
    expected: str,
    measure: Measure | None = None,
    target_value: float | None = None,
    behaviour: Behaviour | None = None,
    rate: int | None = None,
    rate_period: str = "",
) -> TargetCondition:
    """A target condition is an experiment: write down what you expect before you start."""
    _same_engagement(engagement, measure, behaviour)
    if measure is not None and behaviour is None:
        if target_value is None:
            raise ValidationError({"target_value": "Give the value the measure should reach."})
        kind = TargetKind.MEASURE
    elif behaviour is not None and measure is None:
        if not rate or rate_period not in ("day", "week", "month"):
            raise ValidationError(
                {
                    "rate": "Give how often the behaviour should happen: times per day, week or month."
                }
            )
        kind = TargetKind.BEHAVIOUR
    else:
        raise ValidationError(
            {"kind": "A target names either a measure and a value, or a behaviour and a rate."}
        )
    if by_date <= timezone.localdate():
        raise ValidationError({"by_date": "A target's date is in the future."})
    return TargetCondition.objects.create(
        engagement=engagement,
        kind=kind,
        measure=measure,
        target_value=target_value if kind == TargetKind.MEASURE else None,
        behaviour=behaviour,
        rate=rate if kind == TargetKind.BEHAVIOUR else None,
        rate_period=rate_period if kind == TargetKind.BEHAVIOUR else "",
        by_date=by_date,
        expected=_text("expected", expected, limit=2000),
        created_by=by,
    )


@transaction.atomic
def close_target(
    *, target: TargetCondition, status: str, actual: str, learned: str
) -> TargetCondition:
    """End the experiment: what actually happened and what was learned are part of the result."""
    target = TargetCondition.objects.select_for_update().get(pk=target.pk)
    if target.status != TargetStatus.OPEN:
        raise Conflict(f"This target is already closed as {target.get_status_display().lower()}.")
    if status not in (TargetStatus.MET, TargetStatus.NOT_MET, TargetStatus.DROPPED):
        raise ValidationError({"status": "Close a target as met, not met or dropped."})
    target.actual = _text("actual", actual, limit=2000, required=status != TargetStatus.DROPPED)
    target.learned = _text("learned", learned, limit=2000)
    target.status = status
    target.closed_at = timezone.now()
    target.save(update_fields=["actual", "learned", "status", "closed_at"])
    return target


# --- The organisation's challenge and the current condition ----------------


@transaction.atomic
def create_challenge(
    *, owner: Person, title: str, why_it_matters: str, teams: Sequence[Team] = ()
) -> Challenge:
    """METHOD.md: the challenge is big and strategic, and creates creative dissatisfaction."""
    challenge = Challenge.objects.create(
        owner=owner,
        title=_text("title", title, limit=200),
        why_it_matters=_text("why_it_matters", why_it_matters, limit=4000),
    )
    challenge.teams.set(teams)
    return challenge


@transaction.atomic
def link_challenge(*, engagement: Engagement, challenge: Challenge | None) -> Engagement:
    engagement.challenge = challenge
    engagement.save(update_fields=["challenge"])
    return engagement


def measures_state(engagement: Engagement) -> list[dict[str, object]]:
    """Each measure's latest values and its signals, as they stand today (for a snapshot)."""
    from leancoach.metrics.models import Measure
    from leancoach.metrics.selectors import measure_charts

    state: list[dict[str, object]] = []
    for item in measure_charts(Measure.objects.filter(engagement=engagement)):
        chart = item.chart
        points = list(item.measure.points.all())
        state.append(
            {
                "measure": item.measure.name,
                "unit": item.measure.unit,
                "latest": [
                    {"on": point.on.isoformat(), "value": point.value} for point in points[-5:]
                ],
                "average": chart.average,
                "limits": [chart.lower_limit, chart.upper_limit],
                "signals": [
                    signal.explanation
                    for signal in chart.signals
                    if signal.index >= len(points) - 5
                ],
                "no_limits_reason": chart.no_limits_reason,
            }
        )
    return state


@transaction.atomic
def record_current_condition(
    *,
    engagement: Engagement,
    by: Person,
    observed_behaviour: str,
    external_conditions: str,
    priorities: str,
    on: datetime.date | None = None,
) -> CurrentCondition:
    """METHOD.md step 3: (a, b) the measures, (c) observed behaviour, (d) the landscape; then priorities."""
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"on": "A current condition describes today or the past."})
    return CurrentCondition.objects.create(
        engagement=engagement,
        on=on,
        measures_state=measures_state(engagement),
        observed_behaviour=_text(
            "observed_behaviour", observed_behaviour, limit=4000, required=False
        ),
        external_conditions=_text(
            "external_conditions", external_conditions, limit=4000, required=False
        ),
        priorities=_text("priorities", priorities, limit=4000),
        recorded_by=by,
    )
