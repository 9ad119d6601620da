"""Measures as process behaviour charts, ready for a page or a report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.safestring import SafeString, mark_safe

from leancoach.metrics import charts, xmr
from leancoach.metrics.models import Baseline, DataPoint, Measure

RECENT_POINTS = 20


@dataclass
class MeasureChart:
    measure: Measure
    chart: xmr.Chart
    svg: SafeString
    rows: list[Any]

    @property
    def latest(self) -> DataPoint | None:
        points = self.measure.points.all()
        return points[len(points) - 1] if points else None


def _baseline_window(points: list[DataPoint], baselines: list[Baseline]) -> tuple[int, int] | None:
    """The index range of the newest baseline that has started; None for the default (first 20)."""
    started = [baseline for baseline in baselines if points and baseline.starts_on <= points[-1].on]
    if not started:
        return None
    baseline = started[-1]
    indices = [
        index
        for index, point in enumerate(points)
        if point.on >= baseline.starts_on
        and (baseline.ends_on is None or point.on <= baseline.ends_on)
    ]
    if not indices:
        return None
    start = indices[0]
    end = (
        indices[-1] + 1
        if baseline.ends_on is not None
        else min(start + xmr.DEFAULT_BASELINE_SIZE, len(points))
    )
    return start, end


def measure_charts(
    measures: QuerySet[Measure], *, targets: dict[int, float | None] | None = None
) -> list[MeasureChart]:
    """One chart per measure (two queries in all). ``targets``: measure id → target line, if the viewer may see it."""
    rows = list(
        measures.prefetch_related(
            Prefetch("points", queryset=DataPoint.objects.order_by("on", "id")),
            Prefetch("baselines", queryset=Baseline.objects.order_by("starts_on", "id")),
        )
    )
    result = []
    for measure in rows:
        points = list(measure.points.all())
        chart = xmr.compute(
            [point.value for point in points],
            baseline=_baseline_window(points, list(measure.baselines.all())),
            target=(targets or {}).get(measure.pk),
            better=measure.better,  # type: ignore[arg-type]
        )
        labels = [point.on.isoformat() for point in points]
        # The renderer escapes every piece of text it writes (see charts.py).
        svg = mark_safe(  # noqa: S308
            charts.xmr_svg(
                chart,
                labels=labels,
                title=measure.name,
                unit=measure.unit,
                id_prefix=f"measure-{measure.pk}",
            )
        )
        result.append(
            MeasureChart(
                measure=measure, chart=chart, svg=svg, rows=charts.xmr_table_rows(chart, labels)
            )
        )
    return result


def with_recent_points(measures: QuerySet[Measure]) -> list[tuple[Measure, list[DataPoint]]]:
    """Each measure with its last 20 values, newest first (one query for the values of all)."""
    newest = DataPoint.objects.order_by("-on", "-id")[:RECENT_POINTS]
    rows = measures.prefetch_related(Prefetch("points", queryset=newest, to_attr="newest_points"))
    return [(measure, measure.newest_points) for measure in rows]
