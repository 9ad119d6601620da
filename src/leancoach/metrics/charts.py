"""XmR charts drawn as accessible, dependency-free inline SVG.

Why SVG, drawn here
-------------------
The same chart has to appear on a web page and in a PDF report made by
WeasyPrint. Inline SVG is the one format both render: no JavaScript, no CDN, no
image files to store. The markup is built server-side from a
:class:`~leancoach.metrics.xmr.Chart` and is a pure function of its inputs, so the
same chart always gives the same string (handy for caching and for tests).

What is drawn
-------------
Two stacked panels sharing one time axis:

* the individuals (X) chart: the values as a line with a marker per point, the
  average (solid), the natural process limits (dashed), the target if there is one
  (dash-dot), each labelled at its right end, and the baseline period shaded and
  bracketed;
* the moving-range (mR) chart: the point-to-point ranges (the first point has
  none), their average and the upper range limit.

A point where a detection rule fired is drawn as a larger diamond, not only in
another colour, so the chart reads in greyscale and for colour-blind readers; its
SVG ``<title>`` holds the explanation (a tooltip in browsers, read by screen
readers). Colours are from the Okabe-Ito palette. Styling uses presentation
attributes (``stroke``, ``fill``, ...) rather than CSS so browsers and WeasyPrint
draw it the same way; ``class`` attributes are added so tests and CSS can find the
parts (``xmr-signal``, ``xmr-average``, ``xmr-unpl``, ``xmr-lnpl``, ``xmr-target``,
``xmr-url``, ...).

Accessibility: the root has ``role="img"`` and ``aria-labelledby`` pointing at its
``<title>`` and a ``<desc>`` that says in words what the chart shows (points,
average, limits, signals and the most recent one). :func:`xmr_table_rows` gives
the rows for a data table to put next to the chart, the full alternative.

Every piece of text (title, unit, labels, explanations) is XML-escaped, and
characters XML cannot carry are dropped, so the output is always well-formed and
a measure named ``<script>`` stays text.

Element ids come from ``id_prefix``; by default it is a hash of the inputs, so it
is stable. Two identical charts on one page would share ids: pass distinct
``id_prefix`` values then.
"""

from __future__ import annotations

import hashlib
import html
import math
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypedDict

from leancoach.metrics.xmr import Chart, Signal

__all__ = [
    "RatioPoint",
    "XmrTableRow",
    "fmt",
    "nice_ticks",
    "ratio_trend_svg",
    "xmr_svg",
    "xmr_table_rows",
]

# Okabe-Ito colours (safe for the common colour-vision deficiencies) and greys.
VALUE_COLOUR = "#0072B2"  # blue
SIGNAL_COLOUR = "#D55E00"  # vermillion
AVERAGE_COLOUR = "#000000"
LIMIT_COLOUR = "#555555"
TARGET_COLOUR = "#009E73"  # bluish green (lines)
TARGET_TEXT_COLOUR = "#00775A"  # a darker shade of it, legible as small text
TEXT_COLOUR = "#222222"
AXIS_COLOUR = "#888888"
GRID_COLOUR = "#E6E6E6"
BASELINE_FILL = "#EFEFEF"

LIMIT_DASH = "6 4"
TARGET_DASH = "9 3 2 3"

FONT = 11  # line labels, axis titles, notes
SMALL_FONT = 10  # tick labels, legend
CHAR_WIDTH = 0.6  # average glyph advance of a sans-serif font, in em: for layout estimates

MIN_WIDTH = 240
MIN_HEIGHT = 180
MAX_X_LABELS = 8
MANY_POINTS = 500  # above this, plain markers are drawn as one path

_ID_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")
# Characters XML 1.0 cannot carry at all (not even escaped).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_NICE_STEPS = (1, 2, 2.5, 5)


# --- numbers ------------------------------------------------------------------------------


def fmt(x: float, digits: int = 4) -> str:
    """``x`` with at most ``digits`` significant digits, trailing zeros trimmed.

    Thousands are separated with commas; magnitudes from 1e15 up or below 1e-4 use
    an exponent (``1.235e15``). ``fmt(17.0666)`` is ``"17.07"``, ``fmt(123456)`` is
    ``"123,500"``, ``fmt(2.50)`` is ``"2.5"``, ``fmt(-0.0)`` is ``"0"``.
    """
    if digits < 1:
        raise ValueError(f"digits must be at least 1, not {digits!r}.")
    if not math.isfinite(x):
        return str(x)
    if x == 0:
        return "0"
    magnitude = abs(x)
    if magnitude >= 1e15 or magnitude < 1e-4:
        mantissa, _, exponent = f"{x:.{digits - 1}e}".partition("e")
        if "." in mantissa:
            mantissa = mantissa.rstrip("0").rstrip(".")
        return f"{mantissa}e{int(exponent)}"
    decimals = digits - 1 - math.floor(math.log10(magnitude))
    if decimals >= 0:
        text = f"{x:,.{decimals}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    else:
        factor = 10**-decimals
        text = f"{round(x / factor) * factor:,d}"
    return "0" if text == "-0" else text


@dataclass(frozen=True, slots=True)
class _Scale:
    """Nice ticks covering a range; the axis runs from the first tick to the last."""

    ticks: tuple[float, ...]
    step: float
    label_digits: int

    @property
    def low(self) -> float:
        return self.ticks[0]

    @property
    def high(self) -> float:
        return self.ticks[-1]

    def label(self, value: float) -> str:
        return fmt(value, self.label_digits)


def _nice_scale(low: float, high: float, *, max_count: int = 6) -> _Scale:
    """Round ticks (1, 2, 2.5 or 5 times a power of ten apart) covering low..high.

    The smallest such step giving at most ``max_count`` ticks is used; as the
    candidate steps are at most twice apart, that gives at least 4 ticks for
    ``max_count`` 6. A zero (or vanishingly small) range is padded first.
    """
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError(f"Cannot scale a non-finite range: {low!r} to {high!r}.")
    if low > high:
        low, high = high, low
    scale = max(abs(low), abs(high))
    if high - low <= scale * 1e-9:
        pad = scale * 0.1 if scale else 1.0
        low, high = low - pad, high + pad
    span = high - low
    exponent = math.floor(math.log10(span / (max_count - 1)))
    for shift in range(3):
        power = exponent + shift
        for mantissa in _NICE_STEPS:
            step = mantissa * 10.0**power
            first = math.floor(low / step + 1e-9)
            last = math.ceil(high / step - 1e-9)
            if last - first + 1 <= max_count:
                ticks = tuple(_multiple(k, mantissa, power) for k in range(first, last + 1))
                return _Scale(ticks, step, _tick_digits(ticks, step, mantissa))
    raise AssertionError("unreachable: a step of 10 * span always fits")  # pragma: no cover


def _multiple(k: int, mantissa: float, power: int) -> float:
    # Dividing by an exact power of ten keeps 0.1 * 3 from printing as 0.30000000000000004.
    if power < 0:
        return float(k * mantissa / 10**-power)
    return float(k * mantissa * 10**power)


def _tick_digits(ticks: Sequence[float], step: float, mantissa: float) -> int:
    largest = max(abs(t) for t in ticks)
    if largest == 0:
        return 1
    digits = math.floor(math.log10(largest)) - math.floor(math.log10(step)) + 1
    if mantissa == 2.5:
        digits += 1
    return max(digits, 1)


def nice_ticks(low: float, high: float, *, max_count: int = 6) -> list[float]:
    """Between 4 and ``max_count`` round tick values whose span covers ``low``..``high``.

    ``nice_ticks(6.4, 17.1)`` is ``[5.0, 7.5, 10.0, 12.5, 15.0, 17.5]``. An empty range is
    padded (by 10% of the value, or 1 around zero) so an axis never has zero height.
    """
    if max_count < 6:
        raise ValueError("max_count must be at least 6 for the 4-tick guarantee.")
    return list(_nice_scale(low, high, max_count=max_count).ticks)


# --- text ---------------------------------------------------------------------------------


def _esc(text: object) -> str:
    return html.escape(_XML_INVALID.sub("", str(text)), quote=True)


def _n(value: float) -> str:
    """A coordinate: one decimal is finer than any screen or printer resolves."""
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def _label_number(value: float) -> str:
    return fmt(value, 3)


def _text_width(text: str, size: float) -> float:
    return len(text) * size * CHAR_WIDTH


def _tick_count(panel_height: float) -> int:
    """At most 6 ticks, fewer on a short panel so that tick labels keep apart."""
    return 6 if panel_height >= 6 * (SMALL_FONT + 2) else 4


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


# --- table --------------------------------------------------------------------------------


class XmrTableRow(TypedDict):
    """One row of the data table next to a chart; strings are ready to print."""

    point: str  # 1-based, as the explanations count
    label: str
    value: str
    moving_range: str  # "" for the first point, which has none
    in_baseline: bool
    signals: list[str]  # the explanations of the signals reported at this point


def xmr_table_rows(chart: Chart, labels: Sequence[str]) -> list[XmrTableRow]:
    """The chart's points as table rows (the accessible alternative to the picture).

    Raises ValueError when ``labels`` and the values differ in length.
    """
    _check_labels(chart, labels)
    return [
        XmrTableRow(
            point=str(point.index + 1),
            label=str(labels[point.index]),
            value=fmt(point.value),
            moving_range="" if point.moving_range is None else fmt(point.moving_range),
            in_baseline=point.in_baseline,
            signals=[signal.explanation for signal in point.signals],
        )
        for point in chart.points()
    ]


def _check_labels(chart: Chart, labels: Sequence[str]) -> None:
    if isinstance(labels, str):
        raise ValueError("labels must be a sequence of strings, one per value, not a string.")
    if len(labels) != len(chart.values):
        raise ValueError(
            f"There are {len(labels)} labels for {len(chart.values)} values; "
            "give one label per value."
        )


# --- the SVG --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Panel:
    """A plotting rectangle and the value range mapped onto its height."""

    left: float
    right: float
    top: float  # the top of the data area (below any note)
    bottom: float
    low: float
    high: float

    def y(self, value: float) -> float:
        return self.bottom - (value - self.low) / (self.high - self.low) * (self.bottom - self.top)


@dataclass(frozen=True, slots=True)
class _RefLine:
    css: str
    value: float
    text: str
    colour: str
    text_colour: str
    dash: str | None
    width: float


def xmr_svg(
    chart: Chart,
    *,
    labels: Sequence[str],
    title: str,
    unit: str = "",
    width: int = 640,
    height: int = 360,
    id_prefix: str | None = None,
) -> str:
    """The chart as one ``<svg>`` element (no XML declaration), for HTML or WeasyPrint.

    ``labels`` name the points on the time axis (ISO dates, say), one per value.
    ``title`` becomes the SVG's accessible name; ``unit`` is shown on the y axis.
    ``width`` and ``height`` are in CSS pixels and set the ``viewBox`` too, so CSS
    may scale the chart (``width: 100%; height: auto``). ``id_prefix`` (letters,
    digits, ``_.-``, not starting with a digit) names the title and description
    elements; by default it is derived from a hash of the inputs.

    Raises ValueError for labels not matching the values, a bad ``id_prefix`` or a
    size below 240 x 180.
    """
    _check_labels(chart, labels)
    if width < MIN_WIDTH or height < MIN_HEIGHT:
        raise ValueError(
            f"The chart must be at least {MIN_WIDTH} x {MIN_HEIGHT} pixels, not {width} x {height}."
        )
    label_texts = [str(label) for label in labels]
    if id_prefix is None:
        id_prefix = _derived_id(chart, label_texts, title, unit, width, height)
    elif not _ID_RE.match(id_prefix):
        raise ValueError(
            f"id_prefix must be letters, digits, '_', '.' or '-', starting with a letter "
            f"or '_', not {id_prefix!r}."
        )
    return _Renderer(chart, label_texts, title, unit, width, height, id_prefix).render()


def _derived_id(
    chart: Chart, labels: list[str], title: str, unit: str, width: int, height: int
) -> str:
    key = repr(
        (
            title,
            unit,
            width,
            height,
            chart.values,
            chart.baseline,
            chart.target,
            chart.better,
            labels,
        )
    )
    return "xmr-" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:12]


class _Renderer:
    """Lays out and writes one chart; a class only to share the layout between panels."""

    def __init__(
        self,
        chart: Chart,
        labels: list[str],
        title: str,
        unit: str,
        width: int,
        height: int,
        id_prefix: str,
    ) -> None:
        self.chart = chart
        self.labels = labels
        self.title = title
        self.unit = unit
        self.width = width
        self.height = height
        self.id = id_prefix
        self.n = len(chart.values)
        self.out: list[str] = []

    # -- frame -------------------------------------------------------------------------

    def render(self) -> str:
        w, h = self.width, self.height
        self.out.append(
            f'<svg xmlns="http://www.w3.org/2000/svg" class="xmr-chart" role="img" '
            f'aria-labelledby="{self.id}-title {self.id}-desc" viewBox="0 0 {w} {h}" '
            f'width="{w}" height="{h}" font-family="sans-serif" font-size="{FONT}" '
            f'fill="{TEXT_COLOUR}">'
        )
        self.out.append(f'<title id="{self.id}-title">{_esc(self.title)}</title>')
        self.out.append(f'<desc id="{self.id}-desc">{_esc(self._description())}</desc>')
        self.out.append(f'<rect width="{w}" height="{h}" fill="#FFFFFF" stroke="none"/>')
        if self.n == 0:
            self._empty()
        else:
            self._charts()
        self.out.append("</svg>")
        return "".join(self.out)

    def _empty(self) -> None:
        w, h = self.width, self.height
        self.out.append(
            f'<rect class="xmr-frame" x="8" y="8" width="{w - 16}" height="{h - 16}" '
            f'fill="none" stroke="{AXIS_COLOUR}" stroke-dasharray="4 4"/>'
        )
        self.out.append(
            f'<text class="xmr-empty" x="{_n(w / 2)}" y="{_n(h / 2 + FONT * 0.35)}" '
            f'text-anchor="middle" font-size="{FONT + 2}">No values yet.</text>'
        )

    # -- description -----------------------------------------------------------------------

    def _description(self) -> str:
        chart, n = self.chart, self.n
        if n == 0:
            return f"{self.title}. No values yet."
        unit = f" in {self.unit}" if self.unit else ""
        span = (
            f", from {self.labels[0]} to {self.labels[-1]}" if n > 1 else f", on {self.labels[0]}"
        )
        parts = [f"{self.title}. Process behaviour chart of {_plural(n, 'value')}{unit}{span}."]
        start, end = chart.baseline
        if chart.average is not None:
            parts.append(f"Average {_label_number(chart.average)}.")
        if chart.upper_limit is not None and chart.lower_limit is not None:
            parts.append(
                f"Natural process limits {_label_number(chart.lower_limit)} to "
                f"{_label_number(chart.upper_limit)}, from the baseline of points "
                f"{start + 1} to {end}."
            )
        if chart.upper_range_limit is not None:
            parts.append(f"Upper range limit {_label_number(chart.upper_range_limit)}.")
        if chart.target is not None:
            parts.append(f"Target {_label_number(chart.target)}.")
        if not chart.has_limits:
            parts.append(f"No limits yet: {chart.no_limits_reason or ''}")
            parts.append("Without limits no signals are detected.")
        elif chart.signals:
            points = len({signal.index for signal in chart.signals})
            last = chart.signals[-1]
            parts.append(
                f"{_plural(len(chart.signals), 'signal')} at {_plural(points, 'point')}. "
                f"The most recent, at point {last.index + 1} ({self.labels[last.index]}): "
                f"{last.explanation}"
            )
        else:
            parts.append("No signals: the variation is routine.")
        return " ".join(parts)

    # -- layout ------------------------------------------------------------------------------

    def _charts(self) -> None:
        chart = self.chart
        x_lines = self._x_lines()
        mr_lines = self._mr_lines()
        note_lines: list[str] = []

        top = 26.0
        legend_height = 18.0
        x_label_height = 18.0
        gap = 22.0
        bottom = self.height - legend_height - x_label_height - 4
        available = bottom - top - gap
        x_bottom = top + round(available * 0.68)
        mr_top = x_bottom + gap

        x_values = list(chart.values) + [line.value for line in x_lines]
        x_scale = _nice_scale(min(x_values), max(x_values), max_count=_tick_count(x_bottom - top))
        ranges = [mr for mr in chart.moving_ranges if mr is not None]
        mr_values = [0.0, *ranges, *(line.value for line in mr_lines)]
        mr_scale = _nice_scale(0.0, max(mr_values), max_count=_tick_count(bottom - mr_top))

        tick_texts = [x_scale.label(t) for t in x_scale.ticks]
        tick_texts += [mr_scale.label(t) for t in mr_scale.ticks]
        left = 8 + FONT + 6 + max(_text_width(t, SMALL_FONT) for t in tick_texts) + 6
        line_texts = [line.text for line in (*x_lines, *mr_lines)]
        right = self.width - 6 - max([0.0, *(_text_width(t, FONT) for t in line_texts)]) - 6
        self.left, self.right = left, right
        self.band = (right - left) / self.n

        data_top = top
        if not chart.has_limits and chart.no_limits_reason:
            chars = max(20, int((right - left - 12) / (FONT * 0.56)))
            note_lines = textwrap.wrap(chart.no_limits_reason, chars)
            data_top = top + len(note_lines) * (FONT + 3) + 8

        x_panel = _Panel(left, right, data_top, x_bottom, x_scale.low, x_scale.high)
        mr_panel = _Panel(left, right, mr_top, bottom, mr_scale.low, mr_scale.high)

        self._baseline(top, x_bottom, mr_top, bottom)
        self.out.append('<g class="xmr-x-panel">')
        self._axes(x_panel, top, x_scale, self.unit or "Value")
        if note_lines:
            self._note(note_lines, top)
        self._ref_lines(x_panel, x_lines)
        self._x_series(x_panel)
        self.out.append("</g>")
        self.out.append('<g class="xmr-mr-panel">')
        mr_title = "Moving range"
        if _text_width(mr_title, FONT) > bottom - mr_top:
            mr_title = "mR"
        self._axes(mr_panel, mr_top, mr_scale, mr_title)
        self._ref_lines(mr_panel, mr_lines)
        self._mr_series(mr_panel)
        self.out.append("</g>")
        self._x_labels(bottom)
        self._legend(self.height - 6)

    def _x(self, index: int) -> float:
        return self.left + (index + 0.5) * self.band

    def _x_lines(self) -> list[_RefLine]:
        chart = self.chart
        lines: list[_RefLine] = []
        if chart.upper_limit is not None:
            lines.append(
                _RefLine(
                    "xmr-unpl",
                    chart.upper_limit,
                    f"UNPL {_label_number(chart.upper_limit)}",
                    LIMIT_COLOUR,
                    LIMIT_COLOUR,
                    LIMIT_DASH,
                    1.2,
                )
            )
        if chart.average is not None:
            lines.append(
                _RefLine(
                    "xmr-average",
                    chart.average,
                    f"Avg {_label_number(chart.average)}",
                    AVERAGE_COLOUR,
                    AVERAGE_COLOUR,
                    None,
                    1.2,
                )
            )
        if chart.lower_limit is not None:
            lines.append(
                _RefLine(
                    "xmr-lnpl",
                    chart.lower_limit,
                    f"LNPL {_label_number(chart.lower_limit)}",
                    LIMIT_COLOUR,
                    LIMIT_COLOUR,
                    LIMIT_DASH,
                    1.2,
                )
            )
        if chart.target is not None:
            lines.append(
                _RefLine(
                    "xmr-target",
                    chart.target,
                    f"Target {_label_number(chart.target)}",
                    TARGET_COLOUR,
                    TARGET_TEXT_COLOUR,
                    TARGET_DASH,
                    1.4,
                )
            )
        return lines

    def _mr_lines(self) -> list[_RefLine]:
        chart = self.chart
        lines: list[_RefLine] = []
        if chart.upper_range_limit is not None:
            lines.append(
                _RefLine(
                    "xmr-url",
                    chart.upper_range_limit,
                    f"URL {_label_number(chart.upper_range_limit)}",
                    LIMIT_COLOUR,
                    LIMIT_COLOUR,
                    LIMIT_DASH,
                    1.2,
                )
            )
        if chart.average_moving_range is not None:
            lines.append(
                _RefLine(
                    "xmr-mr-average",
                    chart.average_moving_range,
                    f"Avg {_label_number(chart.average_moving_range)}",
                    AVERAGE_COLOUR,
                    AVERAGE_COLOUR,
                    None,
                    1.2,
                )
            )
        return lines

    # -- drawing -------------------------------------------------------------------------------

    def _baseline(self, top: float, x_bottom: float, mr_top: float, bottom: float) -> None:
        start, end = self.chart.baseline
        x0 = self.left + start * self.band
        x1 = self.left + end * self.band
        for y0, y1 in ((top, x_bottom), (mr_top, bottom)):
            self.out.append(
                f'<rect class="xmr-baseline" x="{_n(x0)}" y="{_n(y0)}" width="{_n(x1 - x0)}" '
                f'height="{_n(y1 - y0)}" fill="{BASELINE_FILL}" stroke="none"/>'
            )
        inset = min(2.0, (x1 - x0) / 4)
        bracket_y = top - 4
        self.out.append(
            f'<path class="xmr-baseline-bracket" d="M{_n(x0 + inset)},{_n(bracket_y + 4)}'
            f"V{_n(bracket_y)}H{_n(x1 - inset)}V{_n(bracket_y + 4)}"
            f'" fill="none" stroke="{LIMIT_COLOUR}" stroke-width="1"/>'
        )
        text = "baseline"
        half = _text_width(text, SMALL_FONT) / 2
        centre = min(max((x0 + x1) / 2, half + 2), self.width - half - 2)
        self.out.append(
            f'<text class="xmr-baseline-label" x="{_n(centre)}" y="{_n(bracket_y - 4)}" '
            f'text-anchor="middle" font-size="{SMALL_FONT}" fill="{LIMIT_COLOUR}">{text}</text>'
        )

    def _axes(self, panel: _Panel, top: float, scale: _Scale, title: str) -> None:
        out = self.out
        left, right = panel.left, panel.right
        grid = []
        labels = []
        for tick in scale.ticks:
            y = _n(panel.y(tick))
            grid.append(f"M{_n(left)},{y}H{_n(right)}")
            labels.append(
                f'<text x="{_n(left - 5)}" y="{_n(panel.y(tick) + SMALL_FONT * 0.35)}" '
                f'text-anchor="end">{_esc(scale.label(tick))}</text>'
            )
        out.append(
            f'<path class="xmr-grid" d="{"".join(grid)}" fill="none" stroke="{GRID_COLOUR}" '
            'stroke-width="1"/>'
        )
        out.append(
            f'<g class="xmr-y-ticks" font-size="{SMALL_FONT}" fill="{TEXT_COLOUR}">'
            f"{''.join(labels)}</g>"
        )
        out.append(
            f'<path class="xmr-axis" d="M{_n(left)},{_n(top)}V{_n(panel.bottom)}H{_n(right)}" '
            f'fill="none" stroke="{AXIS_COLOUR}" stroke-width="1"/>'
        )
        middle = (top + panel.bottom) / 2
        x = 8 + FONT * 0.8
        fits = max(3, int((panel.bottom - top) / (FONT * CHAR_WIDTH)))
        if len(title) > fits:  # the full unit is in the description
            title = title[: fits - 3].rstrip() + "..."
        out.append(
            f'<text class="xmr-axis-title" x="{_n(x)}" y="{_n(middle)}" text-anchor="middle" '
            f'transform="rotate(-90 {_n(x)} {_n(middle)})">{_esc(title)}</text>'
        )

    def _note(self, lines: list[str], top: float) -> None:
        x = _n(self.left + 8)
        spans = "".join(
            f'<tspan x="{x}" y="{_n(top + (i + 1) * (FONT + 3))}">{_esc(line)}</tspan>'
            for i, line in enumerate(lines)
        )
        self.out.append(
            f'<text class="xmr-no-limits" font-style="italic" fill="{TEXT_COLOUR}">{spans}</text>'
        )

    def _ref_lines(self, panel: _Panel, lines: list[_RefLine]) -> None:
        """Horizontal reference lines, labelled at their right ends without overlapping."""
        out = self.out
        for line in lines:
            at = _n(panel.y(line.value))
            dash = f' stroke-dasharray="{line.dash}"' if line.dash else ""
            out.append(
                f'<line class="{line.css}" x1="{_n(panel.left)}" y1="{at}" x2="{_n(panel.right)}" '
                f'y2="{at}" stroke="{line.colour}" stroke-width="{line.width}"{dash}/>'
            )
        # Push labels apart (top to bottom, then back up from the panel's bottom edge, so
        # that they stay clear of the next panel's labels).
        gap = FONT + 1
        placed = sorted(((panel.y(line.value), line) for line in lines), key=lambda p: p[0])
        ys = [y for y, _ in placed]
        for i in range(1, len(ys)):
            ys[i] = max(ys[i], ys[i - 1] + gap)
        limit = panel.bottom
        if ys and ys[-1] > limit:
            ys[-1] = limit
            for i in range(len(ys) - 2, -1, -1):
                ys[i] = min(ys[i], ys[i + 1] - gap)
        for y, (_, line) in zip(ys, placed, strict=True):
            out.append(
                f'<text class="xmr-line-label {line.css}-label" x="{_n(panel.right + 4)}" '
                f'y="{_n(y + FONT * 0.35)}" fill="{line.text_colour}">{_esc(line.text)}</text>'
            )

    def _marker_size(self) -> float:
        return min(3.5, max(1.2, self.band * 0.3))

    def _series(
        self,
        panel: _Panel,
        points: list[tuple[int, float]],
        signals: dict[int, list[Signal]],
        css: str,
    ) -> None:
        out = self.out
        if not points:
            return
        coords = [(self._x(i), panel.y(v)) for i, v in points]
        if len(coords) > 1:
            out.append(
                f'<polyline class="{css}-line" points="'
                + " ".join(f"{_n(x)},{_n(y)}" for x, y in coords)
                + f'" fill="none" stroke="{VALUE_COLOUR}" stroke-width="1.5" '
                'stroke-linejoin="round"/>'
            )
        r = self._marker_size()
        plain = [(i, v, xy) for (i, v), xy in zip(points, coords, strict=True) if i not in signals]
        if len(points) > MANY_POINTS:
            d = "".join(
                f"M{_n(x - r)},{_n(y)}a{_n(r)},{_n(r)} 0 1,0 {_n(2 * r)},0"
                f"a{_n(r)},{_n(r)} 0 1,0 {_n(-2 * r)},0"
                for _, _, (x, y) in plain
            )
            if d:
                out.append(f'<path class="{css}-points" d="{d}" fill="{VALUE_COLOUR}"/>')
        else:
            out.append(f'<g class="{css}-points" fill="{VALUE_COLOUR}">')
            for i, v, (x, y) in plain:
                out.append(
                    f'<circle class="xmr-point" cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}">'
                    f"<title>{self._point_text(i, v)}</title></circle>"
                )
            out.append("</g>")
        s = max(5.0, r * 1.9)
        for (i, v), (x, y) in zip(points, coords, strict=True):
            found = signals.get(i)
            if not found:
                continue
            explanation = " ".join(signal.explanation for signal in found)
            out.append(
                f'<path class="xmr-signal {css}-signal" data-index="{i}" '
                f'd="M{_n(x)},{_n(y - s)}L{_n(x + s)},{_n(y)}L{_n(x)},{_n(y + s)}L{_n(x - s)},{_n(y)}Z" '
                f'fill="{SIGNAL_COLOUR}" stroke="#000000" stroke-width="0.8">'
                f"<title>{self._point_text(i, v)} {_esc(explanation)}</title></path>"
            )

    def _point_text(self, index: int, value: float) -> str:
        return _esc(f"Point {index + 1} ({self.labels[index]}): {fmt(value)}.")

    def _x_series(self, panel: _Panel) -> None:
        signals: dict[int, list[Signal]] = {}
        for signal in self.chart.signals:
            if signal.rule != "moving_range_above_limit":
                signals.setdefault(signal.index, []).append(signal)
        self._series(panel, list(enumerate(self.chart.values)), signals, "xmr-x")

    def _mr_series(self, panel: _Panel) -> None:
        signals: dict[int, list[Signal]] = {}
        for signal in self.chart.signals:
            if signal.rule == "moving_range_above_limit":
                signals.setdefault(signal.index, []).append(signal)
        points = [(i, mr) for i, mr in enumerate(self.chart.moving_ranges) if mr is not None]
        if not points:
            self.out.append(
                f'<text class="xmr-no-ranges" x="{_n((panel.left + panel.right) / 2)}" '
                f'y="{_n((panel.top + panel.bottom) / 2)}" text-anchor="middle" '
                f'font-style="italic">A moving range needs two values.</text>'
            )
            return
        self._series(panel, points, signals, "xmr-mr")

    def _x_labels(self, bottom: float) -> None:
        n = self.n
        widest = max(_text_width(label, SMALL_FONT) for label in self.labels) + 10
        every = max(1, math.ceil(n / MAX_X_LABELS), math.ceil(widest / self.band))
        # Count back from the newest point, so the most recent one is always labelled.
        shown = list(range(n - 1, -1, -every))[::-1]
        ticks = []
        texts = []
        y = bottom + 3 + SMALL_FONT
        for i in shown:
            x = self._x(i)
            ticks.append(f"M{_n(x)},{_n(bottom)}v4")
            half = _text_width(self.labels[i], SMALL_FONT) / 2
            centre = min(max(x, half + 2), self.width - half - 2)
            texts.append(
                f'<text x="{_n(centre)}" y="{_n(y)}" text-anchor="middle">'
                f"{_esc(self.labels[i])}</text>"
            )
        self.out.append(
            f'<path class="xmr-x-ticks" d="{"".join(ticks)}" stroke="{AXIS_COLOUR}" '
            'stroke-width="1"/>'
        )
        self.out.append(f'<g class="xmr-x-labels" font-size="{SMALL_FONT}">{"".join(texts)}</g>')

    def _legend(self, baseline_y: float) -> None:
        """A key to the marks, essentials first; what does not fit the width is left out."""
        y = baseline_y - SMALL_FONT * 0.35  # the middle of the text
        signal_text = "Signal (not routine)"
        items: list[tuple[str, str, str, str | None]] = [
            ("point", "Value", VALUE_COLOUR, None),
            ("signal", signal_text, SIGNAL_COLOUR, None),
            ("line", "Average", AVERAGE_COLOUR, None),
        ]
        if self.chart.has_limits:
            items.append(("line", "Limits", LIMIT_COLOUR, LIMIT_DASH))
        if self.chart.target is not None:
            items.append(("line", "Target", TARGET_COLOUR, TARGET_DASH))
        items.append(("box", "Baseline", BASELINE_FILL, None))
        key_width = {"point": 11.0, "signal": 14.0, "line": 26.0, "box": 18.0}

        def total(chosen: list[tuple[str, str, str, str | None]]) -> float:
            return sum(key_width[k] + _text_width(t, SMALL_FONT) + 14 for k, t, _, _ in chosen)

        room = self.width - self.left - 6
        if total(items) > room:
            items[1] = ("signal", "Signal", SIGNAL_COLOUR, None)
        while len(items) > 2 and total(items) > room:
            items.pop()

        out = self.out
        out.append(f'<g class="xmr-legend" font-size="{SMALL_FONT}">')
        x = self.left
        for kind, text, colour, dash in items:
            if kind == "point":
                out.append(f'<circle cx="{_n(x + 4)}" cy="{_n(y)}" r="3" fill="{colour}"/>')
            elif kind == "signal":
                out.append(
                    f'<path d="M{_n(x + 5)},{_n(y - 5)}l5,5l-5,5l-5,-5Z" fill="{colour}" '
                    'stroke="#000000" stroke-width="0.8"/>'
                )
            elif kind == "line":
                dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
                out.append(
                    f'<line x1="{_n(x)}" y1="{_n(y)}" x2="{_n(x + 22)}" y2="{_n(y)}" '
                    f'stroke="{colour}" stroke-width="1.4"{dash_attr}/>'
                )
            else:
                out.append(
                    f'<rect x="{_n(x)}" y="{_n(y - 5)}" width="14" height="10" fill="{colour}" '
                    f'stroke="{LIMIT_COLOUR}" stroke-width="0.5"/>'
                )
            x += key_width[kind]
            out.append(f'<text x="{_n(x)}" y="{_n(baseline_y)}">{text}</text>')
            x += _text_width(text, SMALL_FONT) + 14
        out.append("</g>")


# --- the reinforcement ratio over time ---------------------------------------------------------

RATIO_CAP = 8.0  # the axis top: a ratio above it (or with no correction) is drawn at the cap


@dataclass(frozen=True, slots=True)
class RatioPoint:
    """One point of a ratio trend: the positive and corrective responses of a window."""

    label: str  # the window's end, e.g. an ISO date
    reinforcements: int
    corrections: int


def _ratio_words(point: RatioPoint, goal: float) -> str:
    r, c = point.reinforcements, point.corrections
    if r + c == 0:
        return f"{point.label}: no responses"
    if c == 0:
        return f"{point.label}: {r}:0, no corrections"
    verdict = "meets" if r >= goal * c else "below"
    return f"{point.label}: {fmt(r / c, 2)}:1 ({r} to {c}), {verdict} {fmt(goal)}:1"


def ratio_trend_svg(
    points: Sequence[RatioPoint],
    *,
    title: str,
    goal: float = 4.0,
    width: int = 640,
    height: int = 220,
    id_prefix: str = "ratio-trend",
) -> str:
    """The reinforcement-to-correction ratio at the end of each window, oldest first, as SVG.

    The goal is a dashed line. A window that meets it is a filled circle; one below
    it is a hollow diamond (shape, not only colour, tells them apart); a window with
    reinforcements but no correction is a triangle at the top of the axis; a window
    with no responses at all has no mark. Ratios above ``RATIO_CAP`` are drawn at the
    cap. Each mark's ``<title>`` says its value in words.
    """
    if width < MIN_WIDTH or height < MIN_HEIGHT:
        raise ValueError(
            f"The chart must be at least {MIN_WIDTH} x {MIN_HEIGHT} pixels, not {width} x {height}."
        )
    if not _ID_RE.match(id_prefix):
        raise ValueError(f"id_prefix must be letters, digits, '_', '.' or '-', not {id_prefix!r}.")
    counted = [p for p in points if p.reinforcements + p.corrections]
    below = [p for p in counted if p.corrections and p.reinforcements < goal * p.corrections]
    if not counted:
        description = f"{title}. No reinforcements or corrections recorded in these windows."
    else:
        description = (
            f"{title}. {_plural(len(points), 'window')} from {points[0].label} to "
            f"{points[-1].label}; {_plural(len(below), 'window')} below the goal of "
            f"{fmt(goal)}:1. Latest: {_ratio_words(counted[-1], goal)}."
        )
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ratio-chart" role="img" '
        f'aria-labelledby="{id_prefix}-title {id_prefix}-desc" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" font-family="sans-serif" font-size="{FONT}" '
        f'fill="{TEXT_COLOUR}">',
        f'<title id="{id_prefix}-title">{_esc(title)}</title>',
        f'<desc id="{id_prefix}-desc">{_esc(description)}</desc>',
        f'<rect width="{width}" height="{height}" fill="#FFFFFF" stroke="none"/>',
    ]
    top, bottom = 14.0, height - 44.0
    left = 8 + FONT + 6 + _text_width("8:1", SMALL_FONT) + 6
    goal_text = f"Goal {fmt(goal)}:1"
    right = width - 8 - _text_width(goal_text, FONT) - 6
    panel = _Panel(left, right, top, bottom, 0.0, RATIO_CAP)
    band = (right - left) / max(len(points), 1)
    # Axes, ticks and the goal line.
    ticks = "".join(
        f'<text x="{_n(left - 5)}" y="{_n(panel.y(t) + SMALL_FONT * 0.35)}" '
        f'text-anchor="end">{fmt(t)}:1</text>'
        for t in (0.0, 2.0, 4.0, 6.0, 8.0)
    )
    grid = "".join(
        f"M{_n(left)},{_n(panel.y(t))}H{_n(right)}" for t in (2.0, 4.0, 6.0, 8.0) if t != goal
    )
    out.append(f'<path d="{grid}" stroke="{GRID_COLOUR}" stroke-width="1"/>')
    out.append(f'<g font-size="{SMALL_FONT}">{ticks}</g>')
    out.append(
        f'<path d="M{_n(left)},{_n(top)}V{_n(bottom)}H{_n(right)}" fill="none" '
        f'stroke="{AXIS_COLOUR}" stroke-width="1"/>'
    )
    axis_y = (top + bottom) / 2
    out.append(
        f'<text x="{_n(8 + FONT * 0.8)}" y="{_n(axis_y)}" text-anchor="middle" '
        f'transform="rotate(-90 {_n(8 + FONT * 0.8)} {_n(axis_y)})">Ratio</text>'
    )
    goal_y = panel.y(min(goal, RATIO_CAP))
    out.append(
        f'<line class="ratio-goal" x1="{_n(left)}" y1="{_n(goal_y)}" x2="{_n(right)}" '
        f'y2="{_n(goal_y)}" stroke="{TARGET_COLOUR}" stroke-width="1.4" '
        f'stroke-dasharray="{LIMIT_DASH}"/>'
    )
    out.append(
        f'<text x="{_n(right + 6)}" y="{_n(goal_y + FONT * 0.35)}" '
        f'fill="{TARGET_TEXT_COLOUR}">{_esc(goal_text)}</text>'
    )
    # The line joins neighbouring windows that have a ratio; a window without responses breaks it.
    runs: list[list[str]] = [[]]
    marks: list[str] = []
    for index, point in enumerate(points):
        x = left + (index + 0.5) * band
        r, c = point.reinforcements, point.corrections
        words = _esc(_ratio_words(point, goal))
        if r + c == 0:
            runs.append([])
            continue
        value = RATIO_CAP if c == 0 else min(r / c, RATIO_CAP)
        y = panel.y(value)
        runs[-1].append(f"{_n(x)},{_n(y)}")
        if c == 0:
            marks.append(
                f'<path class="ratio-no-correction" d="M{_n(x)},{_n(y - 5)}l5,8h-10Z" '
                f'fill="{VALUE_COLOUR}"><title>{words}</title></path>'
            )
        elif r >= goal * c:
            marks.append(
                f'<circle class="ratio-meets" cx="{_n(x)}" cy="{_n(y)}" r="4" '
                f'fill="{VALUE_COLOUR}"><title>{words}</title></circle>'
            )
        else:
            marks.append(
                f'<path class="ratio-below" d="M{_n(x)},{_n(y - 6)}l6,6l-6,6l-6,-6Z" '
                f'fill="#FFFFFF" stroke="{SIGNAL_COLOUR}" stroke-width="2">'
                f"<title>{words}</title></path>"
            )
    line = " ".join("M" + "L".join(run) for run in runs if len(run) > 1)
    if line:
        out.append(
            f'<path class="ratio-line" d="{line}" fill="none" stroke="{VALUE_COLOUR}" '
            'stroke-width="1.5"/>'
        )
    out.extend(marks)
    # Time labels: first, last and a few between.
    step = max(1, math.ceil(len(points) / MAX_X_LABELS))
    labels = "".join(
        f'<text x="{_n(left + (i + 0.5) * band)}" y="{_n(bottom + SMALL_FONT + 4)}" '
        f'text-anchor="middle">{_esc(point.label[5:] if len(point.label) == 10 else point.label)}'
        "</text>"
        for i, point in enumerate(points)
        if i % step == 0 or i == len(points) - 1
    )
    out.append(f'<g font-size="{SMALL_FONT}">{labels}</g>')
    legend_y = height - 8
    legend = (
        f'<circle cx="{_n(left + 4)}" cy="{_n(legend_y - 3.5)}" r="4" fill="{VALUE_COLOUR}"/>'
        f'<text x="{_n(left + 12)}" y="{_n(legend_y)}">Meets the goal</text>'
        f'<path d="M{_n(left + 112)},{_n(legend_y - 9.5)}l6,6l-6,6l-6,-6Z" fill="#FFFFFF" '
        f'stroke="{SIGNAL_COLOUR}" stroke-width="2"/>'
        f'<text x="{_n(left + 122)}" y="{_n(legend_y)}">Below the goal</text>'
        f'<path d="M{_n(left + 222)},{_n(legend_y - 8.5)}l5,8h-10Z" fill="{VALUE_COLOUR}"/>'
        f'<text x="{_n(left + 231)}" y="{_n(legend_y)}">No corrections</text>'
    )
    out.append(f'<g class="ratio-legend" font-size="{SMALL_FONT}">{legend}</g>')
    out.append("</svg>")
    return "".join(out)
