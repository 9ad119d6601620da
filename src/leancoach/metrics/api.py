"""The team measures API: a team's KPI board, read by anyone signed in, kept by its leader's line.

Each operation opens the team through ``access.open_team_measures`` (or
``access.get_team_measure``) with one fixed action, and declares that same rule
as ``x-access`` with ``on: team`` (the authorization matrix compares the two).
A measure id is resolved inside the team, so another team's or an engagement's
measure is a 404.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Path, Router, Status

from leancoach.core import access
from leancoach.core.access import READ, WRITE, RouteRule
from leancoach.core.api import MAX_ID
from leancoach.core.csvio import ImportRejected
from leancoach.core.schemas import ERRORS
from leancoach.cycle.schemas import BaselineIn, BaselineOut, PointsIn, PointsOut
from leancoach.engagements.api import me, measure_out, part_id
from leancoach.engagements.schemas import DataPointOut, ValueIn
from leancoach.metrics import services
from leancoach.metrics.importer import RawPoint, import_points
from leancoach.metrics.models import Baseline, DataPoint, Measure
from leancoach.metrics.schemas import TeamMeasureIn, TeamMeasureOut
from leancoach.metrics.selectors import with_recent_points

router = Router(tags=["team measures"])

T = "/teams/{team_id}"
IMPORTER_COLUMNS = {"date": "on", "value": "value"}


def team_rule(action: str = READ) -> dict[str, Any]:
    return RouteRule(capability="teams.measures", action=action, on="team").as_openapi()


def team_id_param() -> Any:
    return Path(..., ge=1, le=MAX_ID, description="the team's id")


def team_measure_out(measure: Measure, recent: list[DataPoint]) -> dict[str, Any]:
    return {**measure_out(measure, recent), "team_id": measure.team_id}


def import_listed_points(measure: Measure, payload: PointsIn) -> Any:
    """A bulk request's points, all or nothing; a refusal is a 422 naming each point by its index."""
    points = [
        RawPoint(line=position, on=point.on.isoformat(), value=point.value)
        for position, point in enumerate(payload.points, start=1)
    ]
    try:
        result = import_points(measure=measure, points=points)
    except ImportRejected as rejected:
        # The field names the point by its index in the list, as the schema's own 422s do.
        errors = [
            {
                "field": f"points.{error.line - 1}.{IMPORTER_COLUMNS.get(error.column, 'on')}",
                "location": "body",
                "message": f"Point {error.line}: {error.message.replace(' line ', ' point ')}.",
            }
            for error in rejected.errors
        ]
        fields = ", ".join(sorted({error["field"] for error in errors}))
        return Status(422, {"detail": f"Invalid input: {fields}.", "errors": errors})
    return {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}


@router.get(
    T + "/measures",
    response={200: list[TeamMeasureOut], **ERRORS},
    openapi_extra=team_rule(),
    summary="The team's measures, each with its latest value and the last 20 values",
)
def list_team_measures(
    request: HttpRequest, team_id: int = team_id_param()
) -> list[dict[str, Any]]:
    team = access.open_team_measures(request.user, team_id, READ)
    measures = with_recent_points(access.team_measures_for(request.user, team))
    return [team_measure_out(measure, recent) for measure, recent in measures]


@router.post(
    T + "/measures",
    response={201: TeamMeasureOut, **ERRORS},
    openapi_extra=team_rule(WRITE),
    summary="Add a measure to the team (its leader, the managers above them, admins)",
)
def add_team_measure(
    request: HttpRequest, payload: TeamMeasureIn, team_id: int = team_id_param()
) -> Status[dict[str, Any]]:
    team = access.open_team_measures(request.user, team_id, WRITE)
    measure = services.add_measure(
        team=team,
        by=me(request),
        name=payload.name,
        unit=payload.unit,
        better=payload.better,
        frequency=payload.frequency,
    )
    return Status(201, team_measure_out(measure, []))


@router.post(
    T + "/measures/{measure_id}/values",
    response={201: DataPointOut, **ERRORS},
    openapi_extra=team_rule(WRITE),
    summary="Record the value of a day (it replaces that day's value, if any)",
)
def record_team_value(
    request: HttpRequest,
    payload: ValueIn,
    team_id: int = team_id_param(),
    measure_id: int = part_id("measure"),
) -> Status[DataPoint]:
    measure = access.get_team_measure(request.user, team_id, measure_id, WRITE)
    return Status(201, services.record_value(measure=measure, on=payload.on, value=payload.value))


@router.post(
    T + "/measures/{measure_id}/values/bulk",
    response={200: PointsOut, **ERRORS},
    openapi_extra=team_rule(WRITE),
    summary="Record many days' values at once: all or nothing, and sending them again changes nothing",
)
def record_team_values_in_bulk(
    request: HttpRequest,
    payload: PointsIn,
    team_id: int = team_id_param(),
    measure_id: int = part_id("measure"),
) -> Any:
    measure = access.get_team_measure(request.user, team_id, measure_id, WRITE)
    return import_listed_points(measure, payload)


@router.post(
    T + "/measures/{measure_id}/baselines",
    response={201: BaselineOut, **ERRORS},
    openapi_extra=team_rule(WRITE),
    summary="Set the baseline the limits are computed from (a new one after a real change)",
)
def start_team_baseline(
    request: HttpRequest,
    payload: BaselineIn,
    team_id: int = team_id_param(),
    measure_id: int = part_id("measure"),
) -> Status[Baseline]:
    measure = access.get_team_measure(request.user, team_id, measure_id, WRITE)
    baseline = services.start_baseline(
        measure=measure, starts_on=payload.starts_on, ends_on=payload.ends_on, reason=payload.reason
    )
    return Status(201, baseline)
