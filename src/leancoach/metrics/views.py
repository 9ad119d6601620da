"""Measure pages: an engagement's or a team's measure with its chart, values, baselines and CSV upload.

Both owners share one body (``_measure_page``, ``_start_baseline``, ``_upload_points``);
they differ only in how ``core.access`` hands over the measure and where the forms post.
A team's measures also have a page of their own, the team's KPI board.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from leancoach.core import access
from leancoach.core.access import READ, WRITE, Category, EngagementAccess
from leancoach.core.csvio import ImportRejected
from leancoach.cycle.models import TargetCondition
from leancoach.engagements.forms import ValueForm
from leancoach.engagements.views import engagement_view, me, run_posted
from leancoach.metrics import forms as f
from leancoach.metrics import services
from leancoach.metrics.importer import import_points_csv
from leancoach.metrics.models import Measure
from leancoach.metrics.selectors import measure_charts
from leancoach.people.models import Team

MAX_UPLOAD_BYTES = 5 * 1024 * 1024

View = Callable[..., HttpResponse]


@dataclass(frozen=True)
class MeasureRoutes:
    """The URL names of one owner's measure pages; each takes the owner's ``pk`` and ``measure_id``."""

    page: str
    baseline: str
    upload: str

    def url(self, name: str, owner_pk: int, measure_pk: int) -> str:
        return reverse(name, kwargs={"pk": owner_pk, "measure_id": measure_pk})


ENGAGEMENT_ROUTES = MeasureRoutes(
    "metrics:measure", "metrics:baseline_add", "metrics:points_upload"
)
TEAM_ROUTES = MeasureRoutes(
    "metrics:team_measure", "metrics:team_baseline_add", "metrics:team_points_upload"
)


# --- The shared body ---------------------------------------------------------


def _measure_page(
    request: HttpRequest,
    measure: Measure,
    *,
    template: str,
    owner_pk: int,
    routes: MeasureRoutes,
    can_write: bool,
    targets: dict[int, float | None] | None = None,
    **context: Any,
) -> HttpResponse:
    [item] = measure_charts(Measure.objects.filter(pk=measure.pk), targets=targets)
    return render(
        request,
        template,
        {
            "item": item,
            "baselines": list(item.measure.baselines.all()),
            "can_write": can_write,
            "baseline_form": f.BaselineForm(),
            "upload_form": f.PointsUploadForm(),
            "baseline_url": routes.url(routes.baseline, owner_pk, measure.pk),
            "upload_url": routes.url(routes.upload, owner_pk, measure.pk),
            **context,
        },
    )


def _start_baseline(request: HttpRequest, measure: Measure, to: str) -> HttpResponse:
    form = f.BaselineForm(request.POST)
    run_posted(
        request,
        form,
        lambda: services.start_baseline(measure=measure, **form.cleaned_data),
        "Baseline set: the limits are now computed from it.",
    )
    return redirect(to)


def _upload_points(request: HttpRequest, measure: Measure, to: str) -> HttpResponse:
    form = f.PointsUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Choose a CSV file to upload.")
    elif form.cleaned_data["file"].size > MAX_UPLOAD_BYTES:
        messages.error(request, "The file is larger than 5 MB; use `leancoach import-datapoints`.")
    else:
        try:
            result = import_points_csv(measure=measure, data=form.cleaned_data["file"].read())
        except ImportRejected as rejected:
            messages.error(request, f"Nothing was imported: {len(rejected.errors)} problem(s).")
            for problem in rejected.errors[:50]:
                messages.error(request, str(problem))
        else:
            messages.success(
                request,
                f"{result.rows} rows: {result.created} added, {result.updated} updated, {result.unchanged} unchanged.",
            )
    return redirect(to)


# --- An engagement's measure -------------------------------------------------


def _engagement_measure(ea: EngagementAccess, measure_id: int) -> Measure:
    measure: Measure = access.get_part(ea, Measure.objects.all(), measure_id)
    return measure


def _page(ea: EngagementAccess, measure_id: int) -> str:
    return ENGAGEMENT_ROUTES.url(ENGAGEMENT_ROUTES.page, ea.engagement.pk, measure_id)


@engagement_view(Category.MEASURES)
@require_GET
def measure_page(request: HttpRequest, ea: EngagementAccess, measure_id: int) -> HttpResponse:
    measure = _engagement_measure(ea, measure_id)
    shown = ea.reveal([Category.TARGETS])
    targets = (
        dict(
            TargetCondition.objects.filter(measure=measure, status="open")
            .order_by("by_date")
            .values_list("measure_id", "target_value")
        )
        if Category.TARGETS in shown
        else {}
    )
    return _measure_page(
        request,
        measure,
        template="metrics/measure.html",
        owner_pk=ea.engagement.pk,
        routes=ENGAGEMENT_ROUTES,
        can_write=ea.can(Category.MEASURES, WRITE),
        targets=targets,
        ea=ea,
        engagement=ea.engagement,
    )


@engagement_view(Category.MEASURES, WRITE)
@require_POST
def start_baseline(request: HttpRequest, ea: EngagementAccess, measure_id: int) -> HttpResponse:
    measure = _engagement_measure(ea, measure_id)
    return _start_baseline(request, measure, _page(ea, measure.pk))


@engagement_view(Category.MEASURES, WRITE)
@require_POST
def upload_points(request: HttpRequest, ea: EngagementAccess, measure_id: int) -> HttpResponse:
    measure = _engagement_measure(ea, measure_id)
    return _upload_points(request, measure, _page(ea, measure.pk))


# --- A team's measures: its KPI board -----------------------------------------


def team_measures_view(action: str = READ) -> Callable[[View], View]:
    """Open the team in the URL for reading or keeping its measures, or answer 404/403.

    The wrapped view receives the team instead of its id; the rule is recorded on
    the view for the authorization-matrix test.
    """

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, pk: int, **kwargs: Any) -> HttpResponse:
            team = access.open_team_measures(request.user, pk, action)
            return view(request, team, **kwargs)

        return access.route_rule(capability="teams.measures", action=action, on="team")(wrapper)

    return decorate


def _board(team: Team, anchor: str = "") -> str:
    return reverse("metrics:team_measures", kwargs={"pk": team.pk}) + anchor


def _team_page(team: Team, measure_id: int) -> str:
    return TEAM_ROUTES.url(TEAM_ROUTES.page, team.pk, measure_id)


@team_measures_view()
@require_GET
def team_measures(request: HttpRequest, team: Team) -> HttpResponse:
    return render(
        request,
        "metrics/team_measures.html",
        {
            "team": team,
            "measures": measure_charts(access.team_measures_for(request.user, team)),
            "can_write": access.may_keep_team_measures(request.user, team),
            "measure_form": f.MeasureForm(),
        },
    )


@team_measures_view(WRITE)
@require_POST
def add_team_measure(request: HttpRequest, team: Team) -> HttpResponse:
    form = f.MeasureForm(request.POST)
    run_posted(
        request,
        form,
        lambda: services.add_measure(team=team, by=me(request), **form.cleaned_data),
        "Measure added.",
    )
    return redirect(_board(team))


@team_measures_view(WRITE)
@require_POST
def record_team_value(request: HttpRequest, team: Team, measure_id: int) -> HttpResponse:
    measure = access.team_measure_of(request.user, team, measure_id)
    form = ValueForm(request.POST)
    run_posted(
        request,
        form,
        lambda: services.record_value(measure=measure, **form.cleaned_data),
        "Value recorded.",
    )
    return redirect(_board(team, f"#measure-{measure.pk}"))


@team_measures_view()
@require_GET
def team_measure_page(request: HttpRequest, team: Team, measure_id: int) -> HttpResponse:
    measure = access.team_measure_of(request.user, team, measure_id)
    return _measure_page(
        request,
        measure,
        template="metrics/team_measure.html",
        owner_pk=team.pk,
        routes=TEAM_ROUTES,
        can_write=access.may_keep_team_measures(request.user, team),
        team=team,
    )


@team_measures_view(WRITE)
@require_POST
def start_team_baseline(request: HttpRequest, team: Team, measure_id: int) -> HttpResponse:
    measure = access.team_measure_of(request.user, team, measure_id)
    return _start_baseline(request, measure, _team_page(team, measure.pk))


@team_measures_view(WRITE)
@require_POST
def upload_team_points(request: HttpRequest, team: Team, measure_id: int) -> HttpResponse:
    measure = access.team_measure_of(request.user, team, measure_id)
    return _upload_points(request, measure, _team_page(team, measure.pk))
