"""The coaching-cycle API: behaviours, practice, observations, targets, skills, bulk data points.

Thin endpoints in the style of engagements/api.py: each operation opens the
engagement through ``access.open_engagement`` with one fixed category and
action, and declares that same rule as ``x-access``. Every id in a path or a
body is resolved inside the engagement (``access.get_part``), so another
engagement's object is a 404.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from leancoach.core import access
from leancoach.core.access import READ, WRITE, Category, EngagementAccess, RouteRule
from leancoach.core.schemas import ERRORS
from leancoach.cycle import pinpoint, selectors, services
from leancoach.cycle.models import (
    Behaviour,
    Challenge,
    CurrentCondition,
    Observation,
    PracticeCommitment,
    PracticeLog,
    Skill,
    SkillStep,
    TargetCondition,
)
from leancoach.cycle.schemas import (
    BaselineIn,
    BaselineOut,
    BehaviourIn,
    BehaviourOut,
    ChallengeIn,
    ChallengeOut,
    CloseTargetIn,
    CommitmentIn,
    CommitmentOut,
    CurrentConditionIn,
    CurrentConditionOut,
    ObservationIn,
    ObservationOut,
    ObservationsOut,
    PointsIn,
    PointsOut,
    PracticeLogIn,
    PracticeLogOut,
    SkillIn,
    SkillOut,
    TargetIn,
    TargetOut,
)
from leancoach.engagements.api import (
    WITH_CONFLICT,
    E,
    body_names,
    engagement_id_param,
    me,
    part_id,
    rule,
)
from leancoach.metrics import services as measure_services
from leancoach.metrics.api import import_listed_points
from leancoach.metrics.models import Baseline, Measure

router = Router(tags=["coaching cycle"])

OBSERVATIONS_SHOWN = 200
WEEKS_SHOWN = 12


def part(ea: EngagementAccess, queryset: QuerySet[Any], pk: int | None) -> Any:
    return None if pk is None else access.get_part(ea, queryset, pk)


# --- Behaviours --------------------------------------------------------------


def behaviour_out(behaviour: Behaviour) -> dict[str, Any]:
    return {
        "id": behaviour.pk,
        "text": behaviour.text,
        "archived": behaviour.archived,
        "created_by": behaviour.created_by,
        "created_at": behaviour.created_at,
        "hints": [
            {
                "code": hint.code,
                "severity": hint.severity,
                "message": hint.message,
                "span": hint.span,
            }
            for hint in pinpoint.check(behaviour.text).hints
        ],
    }


@router.get(
    E + "/behaviours",
    response={200: list[BehaviourOut], **ERRORS},
    openapi_extra=rule(Category.PRACTICE),
    summary="The pinpointed behaviours, each with its pinpoint hints",
)
def list_behaviours(
    request: HttpRequest, engagement_id: int = engagement_id_param()
) -> list[dict[str, Any]]:
    ea = access.open_engagement(request, engagement_id, Category.PRACTICE, READ)
    rows = Behaviour.objects.filter(engagement=ea.engagement).select_related("created_by")
    return [behaviour_out(behaviour) for behaviour in rows]


@router.post(
    E + "/behaviours",
    response={201: BehaviourOut, **ERRORS},
    openapi_extra=rule(Category.PRACTICE, WRITE),
    summary="Add a behaviour; the answer carries its pinpoint hints (advice, never a refusal)",
)
def add_behaviour(
    request: HttpRequest, payload: BehaviourIn, engagement_id: int = engagement_id_param()
) -> Status[dict[str, Any]]:
    ea = access.open_engagement(request, engagement_id, Category.PRACTICE, WRITE)
    behaviour = services.add_behaviour(engagement=ea.engagement, by=me(request), text=payload.text)
    return Status(201, behaviour_out(behaviour))


@router.patch(
    E + "/behaviours/{behaviour_id}",
    response={200: BehaviourOut, **WITH_CONFLICT},
    openapi_extra=rule(Category.PRACTICE, WRITE),
    summary="Reword a behaviour (after a pinpoint hint), while nothing refers to it yet",
)
def rewrite_behaviour(
    request: HttpRequest,
    payload: BehaviourIn,
    engagement_id: int = engagement_id_param(),
    behaviour_id: int = part_id("behaviour"),
) -> dict[str, Any]:
    ea = access.open_engagement(request, engagement_id, Category.PRACTICE, WRITE)
    behaviour = access.get_part(ea, Behaviour.objects.select_related("created_by"), behaviour_id)
    return behaviour_out(services.rewrite_behaviour(behaviour=behaviour, text=payload.text))


# --- Practice ----------------------------------------------------------------


def commitment_out(
    commitment: PracticeCommitment, logs: list[PracticeLog], today: datetime.date
) -> dict[str, Any]:
    weeks = selectors.weekly_adherence(commitment, today=today, logs=logs)[-WEEKS_SHOWN:]
    return {
        "id": commitment.pk,
        "behaviour": commitment.behaviour,
        "when": commitment.when,
        "where": commitment.where,
        "recurrence": commitment.recurrence,
        "count_target": commitment.count_target,
        "starts_on": commitment.starts_on,
        "ends_on": commitment.ends_on,
        "created_at": commitment.created_at,
        "weeks": [
            {
                "week_start": week.week_start,
                "expected": week.expected,
                "done": week.done,
                "missed": week.missed,
                "unlogged": week.unlogged,
                "percent": week.percent,
            }
            for week in weeks
        ],
    }


@router.get(
    E + "/practice",
    response={200: list[CommitmentOut], **ERRORS},
    openapi_extra=rule(Category.PRACTICE),
    summary="The practice commitments, each with its weekly adherence",
)
def list_practice(
    request: HttpRequest, engagement_id: int = engagement_id_param()
) -> list[dict[str, Any]]:
    ea = access.open_engagement(request, engagement_id, Category.PRACTICE, READ)
    today = timezone.localdate()
    rows = (
        PracticeCommitment.objects.filter(engagement=ea.engagement)
        .select_related("behaviour")
        .prefetch_related(Prefetch("logs", to_attr="all_logs"))
    )
    return [commitment_out(row, row.all_logs, today) for row in rows]


@router.post(
    E + "/practice",
    response={201: CommitmentOut, **ERRORS},
    openapi_extra=rule(Category.PRACTICE, WRITE),
    summary="Commit to practise a behaviour at a specific time and place",
)
def commit_to_practice(
    request: HttpRequest, payload: CommitmentIn, engagement_id: int = engagement_id_param()
) -> Status[dict[str, Any]]:
    ea = access.open_engagement(request, engagement_id, Category.PRACTICE, WRITE)
    behaviour = access.get_part(ea, Behaviour.objects.all(), payload.behaviour_id)
    commitment = services.commit_to_practice(
        engagement=ea.engagement,
        by=me(request),
        behaviour=behaviour,
        when=payload.when,
        where=payload.where,
        recurrence=payload.recurrence,
        count_target=payload.count_target,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
    )
    return Status(201, commitment_out(commitment, [], timezone.localdate()))


@router.post(
    E + "/practice/{commitment_id}/logs",
    response={201: PracticeLogOut, **ERRORS},
    openapi_extra=rule(Category.PRACTICE, WRITE),
    summary="Log a day's practice (logging the same day again replaces it)",
)
def log_practice(
    request: HttpRequest,
    payload: PracticeLogIn,
    engagement_id: int = engagement_id_param(),
    commitment_id: int = part_id("practice commitment"),
) -> Status[PracticeLog]:
    ea = access.open_engagement(request, engagement_id, Category.PRACTICE, WRITE)
    commitment = access.get_part(ea, PracticeCommitment.objects.all(), commitment_id)
    log = services.log_practice(
        commitment=commitment,
        on=payload.on,
        done=payload.done,
        count=payload.count,
        reflection=payload.reflection,
    )
    return Status(201, log)


# --- Observations ------------------------------------------------------------


@router.get(
    E + "/observations",
    response={200: ObservationsOut, **ERRORS},
    openapi_extra=rule(Category.OBSERVATIONS),
    summary="Observations, newest first, with the rolling reinforcement ratio (goal 4:1)",
)
def list_observations(
    request: HttpRequest, engagement_id: int = engagement_id_param()
) -> dict[str, Any]:
    ea = access.open_engagement(request, engagement_id, Category.OBSERVATIONS, READ)
    everything = Observation.objects.filter(engagement=ea.engagement)
    ratio = selectors.rolling_ratio(everything, today=timezone.localdate())
    newest = everything.select_related("behaviour", "skill", "observer").order_by("-on", "-id")
    return {
        "ratio": {
            "start": ratio.start,
            "end": ratio.end,
            "reinforcements": ratio.reinforcements,
            "corrections": ratio.corrections,
            "label": ratio.label,
            "meets_goal": ratio.meets_goal,
            "warning": ratio.warning,
        },
        "observations": list(newest[:OBSERVATIONS_SHOWN]),
    }


@router.post(
    E + "/observations",
    response={201: ObservationOut, **ERRORS},
    openapi_extra=rule(Category.OBSERVATIONS, WRITE),
    summary="Record what you saw (one behaviour or one whole skill chain) and how you responded",
)
def record_observation(
    request: HttpRequest, payload: ObservationIn, engagement_id: int = engagement_id_param()
) -> Status[Observation]:
    ea = access.open_engagement(request, engagement_id, Category.OBSERVATIONS, WRITE)
    behaviour = part(ea, Behaviour.objects.all(), payload.behaviour_id)
    skill = part(ea, Skill.objects.all(), payload.skill_id)
    with body_names(behaviour="behaviour_id", skill="skill_id"):
        observation = services.record_observation(
            engagement=ea.engagement,
            observer=me(request),
            on=payload.on,
            performance=payload.performance,
            response=payload.response,
            behaviour=behaviour,
            skill=skill,
            context=payload.context,
            words=payload.words,
        )
    return Status(201, observation)


# --- Targets -----------------------------------------------------------------


def targets_of(ea: EngagementAccess) -> QuerySet[TargetCondition]:
    return TargetCondition.objects.filter(engagement=ea.engagement).select_related(
        "measure", "behaviour", "created_by"
    )


@router.get(
    E + "/targets",
    response={200: list[TargetOut], **ERRORS},
    openapi_extra=rule(Category.TARGETS),
    summary="The target conditions, by date: what was expected, what happened, what was learned",
)
def list_targets(
    request: HttpRequest, engagement_id: int = engagement_id_param()
) -> list[TargetCondition]:
    ea = access.open_engagement(request, engagement_id, Category.TARGETS, READ)
    return list(targets_of(ea))


@router.post(
    E + "/targets",
    response={201: TargetOut, **ERRORS},
    openapi_extra=rule(Category.TARGETS, WRITE),
    summary="Set a target: a measure and a value, or a behaviour and a rate, by a date",
)
def set_target(
    request: HttpRequest, payload: TargetIn, engagement_id: int = engagement_id_param()
) -> Status[TargetCondition]:
    ea = access.open_engagement(request, engagement_id, Category.TARGETS, WRITE)
    measure = part(ea, Measure.objects.all(), payload.measure_id)
    behaviour = part(ea, Behaviour.objects.all(), payload.behaviour_id)
    with body_names(measure="measure_id", behaviour="behaviour_id"):
        target = services.set_target(
            engagement=ea.engagement,
            by=me(request),
            by_date=payload.by_date,
            expected=payload.expected,
            measure=measure,
            target_value=payload.target_value,
            behaviour=behaviour,
            rate=payload.rate,
            rate_period=payload.rate_period or "",
        )
    return Status(201, targets_of(ea).get(pk=target.pk))


@router.post(
    E + "/targets/{target_id}/close",
    response={200: TargetOut, **WITH_CONFLICT},
    openapi_extra=rule(Category.TARGETS, WRITE),
    summary="Close a target as met, not met or dropped, with what happened and what was learned",
)
def close_target(
    request: HttpRequest,
    payload: CloseTargetIn,
    engagement_id: int = engagement_id_param(),
    target_id: int = part_id("target"),
) -> TargetCondition:
    ea = access.open_engagement(request, engagement_id, Category.TARGETS, WRITE)
    target = access.get_part(ea, TargetCondition.objects.all(), target_id)
    services.close_target(
        target=target, status=payload.status, actual=payload.actual, learned=payload.learned
    )
    closed: TargetCondition = targets_of(ea).get(pk=target.pk)
    return closed


# --- Skills ------------------------------------------------------------------


def skills_of(ea: EngagementAccess) -> QuerySet[Skill]:
    steps = SkillStep.objects.select_related("behaviour").order_by("position", "id")
    return Skill.objects.filter(engagement=ea.engagement).prefetch_related(
        Prefetch("steps", queryset=steps, to_attr="ordered_steps"),
        Prefetch("observations", to_attr="all_observations"),
    )


def skill_out(skill: Skill) -> dict[str, Any]:
    chain = selectors.chain_status(skill, skill.all_observations)  # type: ignore[attr-defined]
    return {
        "id": skill.pk,
        "name": skill.name,
        "fluency_threshold": skill.fluency_threshold,
        "steps": [
            {"position": step.position, "behaviour": step.behaviour}
            for step in skill.ordered_steps  # type: ignore[attr-defined]
        ],
        "chain": {
            "chained": chain.chained,
            "fluent_in_a_row": chain.fluent_in_a_row,
            "needed": chain.needed,
        },
        "created_at": skill.created_at,
    }


@router.get(
    E + "/skills",
    response={200: list[SkillOut], **ERRORS},
    openapi_extra=rule(Category.PRACTICE),
    summary="The skills: chains of behaviours in order, each with whether it is chained yet",
)
def list_skills(
    request: HttpRequest, engagement_id: int = engagement_id_param()
) -> list[dict[str, Any]]:
    ea = access.open_engagement(request, engagement_id, Category.PRACTICE, READ)
    return [skill_out(skill) for skill in skills_of(ea)]


@router.post(
    E + "/skills",
    response={201: SkillOut, **ERRORS},
    openapi_extra=rule(Category.PRACTICE, WRITE),
    summary="Define a skill: at least two behaviours, in the order they are performed",
)
def define_skill(
    request: HttpRequest, payload: SkillIn, engagement_id: int = engagement_id_param()
) -> Status[dict[str, Any]]:
    ea = access.open_engagement(request, engagement_id, Category.PRACTICE, WRITE)
    steps = [access.get_part(ea, Behaviour.objects.all(), pk) for pk in payload.step_ids]
    with body_names(steps="step_ids"):
        skill = services.define_skill(
            engagement=ea.engagement,
            by=me(request),
            name=payload.name,
            steps=steps,
            fluency_threshold=payload.fluency_threshold,
        )
    return Status(201, skill_out(skills_of(ea).get(pk=skill.pk)))


# --- Data points in bulk -----------------------------------------------------


@router.post(
    E + "/measures/{measure_id}/values/bulk",
    response={200: PointsOut, **ERRORS},
    openapi_extra=rule(Category.MEASURES, WRITE),
    summary="Record many days' values at once: all or nothing, and sending them again changes nothing",
)
def record_values_in_bulk(
    request: HttpRequest,
    payload: PointsIn,
    engagement_id: int = engagement_id_param(),
    measure_id: int = part_id("measure"),
) -> Any:
    ea = access.open_engagement(request, engagement_id, Category.MEASURES, WRITE)
    measure = access.get_part(ea, Measure.objects.all(), measure_id)
    return import_listed_points(measure, payload)


# --- Challenges, current conditions, baselines -------------------------------


def challenge_out(challenge: Challenge) -> dict[str, Any]:
    return {
        "id": challenge.pk,
        "title": challenge.title,
        "why_it_matters": challenge.why_it_matters,
        "owner": challenge.owner,
        "teams": [team.name for team in challenge.teams.all()],
    }


@router.get(
    "/challenges",
    response={200: list[ChallengeOut], **ERRORS},
    openapi_extra=RouteRule(capability="challenges.browse").as_openapi(),
    summary="The organisation's challenges",
)
def list_challenges(request: HttpRequest) -> list[dict[str, Any]]:
    access.require(request.user, "challenges.browse")
    rows = (
        Challenge.objects.select_related("owner")
        .prefetch_related("teams")
        .order_by("title", "id")[:200]
    )
    return [challenge_out(challenge) for challenge in rows]


@router.post(
    "/challenges",
    response={201: ChallengeOut, **ERRORS},
    openapi_extra=RouteRule(capability="challenges.manage").as_openapi(),
    summary="Write a challenge (programme admins)",
)
def create_challenge(request: HttpRequest, payload: ChallengeIn) -> Status[dict[str, Any]]:
    access.require(request.user, "challenges.manage")
    owner = access.get_person(request.user, payload.owner_id)
    teams = [access.get_team(request.user, pk) for pk in dict.fromkeys(payload.team_ids)]
    challenge = services.create_challenge(
        owner=owner, title=payload.title, why_it_matters=payload.why_it_matters, teams=teams
    )
    return Status(201, challenge_out(challenge))


@router.get(
    E + "/current-conditions",
    response={200: list[CurrentConditionOut], **ERRORS},
    openapi_extra=rule(Category.CURRENT_CONDITION),
    summary="Dated snapshots of the current condition, newest first",
)
def list_current_conditions(
    request: HttpRequest, engagement_id: int = engagement_id_param()
) -> list[CurrentCondition]:
    ea = access.open_engagement(request, engagement_id, Category.CURRENT_CONDITION, READ)
    return list(
        CurrentCondition.objects.filter(engagement=ea.engagement).select_related("recorded_by")[:50]
    )


@router.post(
    E + "/current-conditions",
    response={201: CurrentConditionOut, **ERRORS},
    openapi_extra=rule(Category.CURRENT_CONDITION, WRITE),
    summary="Record the current condition; the measures' state is taken as it stands now",
)
def record_current_condition(
    request: HttpRequest, payload: CurrentConditionIn, engagement_id: int = engagement_id_param()
) -> Status[CurrentCondition]:
    ea = access.open_engagement(request, engagement_id, Category.CURRENT_CONDITION, WRITE)
    snapshot = services.record_current_condition(
        engagement=ea.engagement,
        by=me(request),
        on=payload.on,
        observed_behaviour=payload.observed_behaviour,
        external_conditions=payload.external_conditions,
        priorities=payload.priorities,
    )
    return Status(201, snapshot)


@router.post(
    E + "/measures/{measure_id}/baselines",
    response={201: BaselineOut, **ERRORS},
    openapi_extra=rule(Category.MEASURES, WRITE),
    summary="Set the baseline the limits are computed from (a new one after a real change)",
)
def start_baseline(
    request: HttpRequest,
    payload: BaselineIn,
    engagement_id: int = engagement_id_param(),
    measure_id: int = part_id("measure"),
) -> Status[Baseline]:
    ea = access.open_engagement(request, engagement_id, Category.MEASURES, WRITE)
    measure = access.get_part(ea, Measure.objects.all(), measure_id)
    baseline = measure_services.start_baseline(
        measure=measure, starts_on=payload.starts_on, ends_on=payload.ends_on, reason=payload.reason
    )
    return Status(201, baseline)
