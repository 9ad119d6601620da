"""A measure's own page: its chart, its values, its baselines and a CSV upload."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from leancoach.core import access
from leancoach.core.access import WRITE, Category, EngagementAccess
from leancoach.core.csvio import ImportRejected
from leancoach.cycle.models import TargetCondition
from leancoach.engagements.views import act, engagement_view
from leancoach.metrics import forms as f
from leancoach.metrics import services
from leancoach.metrics.importer import import_points_csv
from leancoach.metrics.models import Measure
from leancoach.metrics.selectors import measure_charts

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def _page(ea: EngagementAccess, measure_id: int) -> str:
    return reverse("metrics:measure", kwargs={"pk": ea.engagement.pk, "measure_id": measure_id})


@engagement_view(Category.MEASURES)
@require_GET
def measure_page(request: HttpRequest, ea: EngagementAccess, measure_id: int) -> HttpResponse:
    measure: Measure = access.get_part(ea, Measure.objects.all(), measure_id)
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
    [item] = measure_charts(Measure.objects.filter(pk=measure.pk), targets=targets)
    return render(
        request,
        "metrics/measure.html",
        {
            "ea": ea,
            "engagement": ea.engagement,
            "item": item,
            "baselines": list(item.measure.baselines.all()),
            "can_write": ea.can(Category.MEASURES, WRITE),
            "baseline_form": f.BaselineForm(),
            "upload_form": f.PointsUploadForm(),
        },
    )


@engagement_view(Category.MEASURES, WRITE)
@require_POST
def start_baseline(request: HttpRequest, ea: EngagementAccess, measure_id: int) -> HttpResponse:
    measure: Measure = access.get_part(ea, Measure.objects.all(), measure_id)
    form = f.BaselineForm(request.POST)
    return act(
        request,
        ea,
        form,
        lambda: services.start_baseline(measure=measure, **form.cleaned_data),
        "Baseline set: the limits are now computed from it.",
        to=_page(ea, measure.pk),
    )


@engagement_view(Category.MEASURES, WRITE)
@require_POST
def upload_points(request: HttpRequest, ea: EngagementAccess, measure_id: int) -> HttpResponse:
    measure: Measure = access.get_part(ea, Measure.objects.all(), measure_id)
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
    return redirect(_page(ea, measure.pk))
