"""Process behaviour charts (XmR charts) after Donald Wheeler.

Why this exists
---------------
A leader who records one number a week wants to know whether this week's value
means something changed or is just the ordinary week-to-week wobble. Reacting to
noise wastes effort and teaches the wrong lessons; ignoring a real change misses
one. An XmR chart separates the two with limits computed from the data itself,
with no assumption about the distribution and no target involved: the voice of
the process, not the voice of the customer.

The computation
---------------
``values`` are in time order. A *baseline* window (half-open index range
``(start, end)``) is the stretch of history taken to describe how the process
routinely behaves; by default it is the first 20 values, or all of them while
there are fewer than 20.

* Moving ranges: ``mR[i] = |x[i] - x[i-1]|`` for ``i >= 1``; the first point has
  none. The point-to-point difference measures short-term, routine variation. It
  is used instead of the overall standard deviation because a shift or trend in
  the data inflates the standard deviation (and so hides itself behind wide
  limits), while it barely moves the average moving range.
* ``x-bar`` is the mean of the baseline values; ``mR-bar`` is the mean of the
  moving ranges whose *both* points lie in the baseline (``end - start - 1`` of
  them), so a jump into or out of the baseline does not widen its limits.
* Natural process limits: ``UNPL = x-bar + 2.66 * mR-bar`` and
  ``LNPL = x-bar - 2.66 * mR-bar``. The factor is ``3 / d2`` with ``d2 = 1.128``
  for ranges of two values: three sigma, estimated from the moving ranges.
* Upper range limit: ``URL = 3.268 * mR-bar`` (``D4`` for ranges of two values).
  A moving range above it is a jump too large to be routine.

With fewer than 6 baseline values there are no limits: they would swing too much
with each new value to be trusted, so :attr:`Chart.no_limits_reason` says so in
plain words. The average (and, with 2 values, the average moving range) is still
given because it is useful to show. Limits harden as the baseline grows; 20 is
Wheeler's usual point at which they are "firm enough".

Detection rules
---------------
Every point, inside the baseline and after it, is judged against the baseline's
limits. Comparisons are strict: a value exactly on a limit is not beyond it, and
a value exactly on the average belongs to neither side.

``outside_limits``
    A value above UNPL or below LNPL. One signal per such point.
``three_of_four``
    Three out of four successive values closer to the same limit than to the
    average, i.e. beyond the midpoint ``x-bar +/- 2.66 * mR-bar / 2`` on the same
    side. A moderate but sustained shift. Reported at a point that is itself
    beyond the midpoint and makes at least three such values among the last four
    points (the pattern is complete at the third such value, whatever the fourth
    is; at the very start of a series three in a row therefore suffice). A window
    that only slides over an already reported cluster, without a new value beyond
    the midpoint, is not reported again; each new value beyond the midpoint that
    keeps the cluster going is reported, with ``run_start`` pointing to the first
    point of the cluster so the display can mark it as one pattern.
``eight_on_one_side``
    Eight successive values on the same side of the average; a value exactly on
    the average breaks the run. Reported at the 8th point of the run and again at
    every later point of the same run, each with ``run_start`` = the run's first
    point: every point of a long run is then visibly part of the signal, and the
    first one (``index - run_start == 7``) is where the pattern became a signal.
``moving_range_above_limit``
    A moving range above URL, reported at the later point of the pair
    (``run_start`` is the earlier point).

Nothing is reported when there are no limits. ``Chart.signals`` is in index
order; at one point the rules come in the order listed above.

A constant baseline (``mR-bar == 0``) is well defined: the limits and both
midpoints equal the average and URL is 0, so any later value different from the
constant is outside the limits (and beyond the midpoint), and any non-zero
moving range is above URL. No division by ``mR-bar`` happens anywhere.

After a real, known change to the process (a new way of working, not just a
signal), compute again with an explicit later baseline, e.g. ``baseline=(20, 40)``:
the limits then come from that window only and describe the new process.

Explanations count points from 1, as a person reading a chart or table does;
``Signal.index`` and ``Point.index`` count from 0, as Python does.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from numbers import Real
from typing import Literal

__all__ = [
    "DEFAULT_BASELINE_SIZE",
    "MIN_BASELINE_FOR_LIMITS",
    "NATURAL_LIMIT_FACTOR",
    "RANGE_LIMIT_FACTOR",
    "RUN_LENGTH",
    "Better",
    "Chart",
    "Point",
    "Rule",
    "Side",
    "Signal",
    "compute",
]

Rule = Literal["outside_limits", "three_of_four", "eight_on_one_side", "moving_range_above_limit"]
Side = Literal["above", "below"]
Better = Literal["up", "down"]

NATURAL_LIMIT_FACTOR = 2.66
"""3 / d2 for moving ranges of two values (d2 = 1.128): three sigma from mR-bar."""

RANGE_LIMIT_FACTOR = 3.268
"""D4 for ranges of two values: the upper limit for a single moving range."""

DEFAULT_BASELINE_SIZE = 20
"""Values in the default baseline: enough for limits that no longer move much."""

MIN_BASELINE_FOR_LIMITS = 6
"""Below this many baseline values the limits are too soft to be worth drawing."""

RUN_LENGTH = 8
"""Successive values on one side of the average that make a run a signal."""

_THREE_OF_FOUR_WINDOW = 4
_THREE_OF_FOUR_COUNT = 3


@dataclass(frozen=True, slots=True)
class Signal:
    """One detection rule firing: evidence of a change rather than routine noise.

    ``index`` is the point that completes the pattern. ``run_start`` is the first
    point of the pattern (the run's or cluster's first point, the earlier point of
    a large moving range); when omitted (or negative) it is ``index``. ``side`` is where the
    values are relative to the average (None for moving ranges, which have no
    side). ``favourable`` says whether that side is the better one when the chart
    knows which direction is better, and is None otherwise.
    """

    rule: Rule
    index: int
    explanation: str
    run_start: int = -1
    side: Side | None = None
    favourable: bool | None = None

    def __post_init__(self) -> None:
        if self.run_start < 0:
            object.__setattr__(self, "run_start", self.index)

    @property
    def span(self) -> range:
        """The indexes of every point that belongs to the pattern, for highlighting."""
        return range(self.run_start, self.index + 1)


@dataclass(frozen=True, slots=True)
class Point:
    """One row of the data-table alternative to the chart (for screen readers, print)."""

    index: int
    value: float
    moving_range: float | None
    in_baseline: bool
    signals: tuple[Signal, ...]


@dataclass(frozen=True)
class Chart:
    """An XmR chart: the values, their moving ranges, the baseline's limits, the signals.

    ``moving_ranges`` has one entry per value, None first. The limits are None when
    the baseline has fewer than 6 values, and ``no_limits_reason`` then says why;
    ``average`` is None only when the baseline is empty (no values at all), and
    ``average_moving_range`` when the baseline has fewer than 2 values. ``target``
    and ``better`` are carried for display: a target is the voice of the customer
    and never changes the limits, which are the voice of the process.
    """

    values: tuple[float, ...]
    moving_ranges: tuple[float | None, ...]
    average: float | None
    average_moving_range: float | None
    upper_limit: float | None
    lower_limit: float | None
    upper_range_limit: float | None
    baseline: tuple[int, int]
    signals: tuple[Signal, ...]
    no_limits_reason: str | None
    target: float | None = None
    better: Better | None = None

    @property
    def has_limits(self) -> bool:
        """Whether the baseline was long enough (6 values) for limits, and so for signals."""
        return self.upper_limit is not None

    @property
    def upper_midpoint(self) -> float | None:
        """Halfway between the average and UNPL: the line the three-of-four rule uses."""
        if self.average is None or self.average_moving_range is None or not self.has_limits:
            return None
        return self.average + NATURAL_LIMIT_FACTOR * self.average_moving_range / 2

    @property
    def lower_midpoint(self) -> float | None:
        """Halfway between the average and LNPL."""
        if self.average is None or self.average_moving_range is None or not self.has_limits:
            return None
        return self.average - NATURAL_LIMIT_FACTOR * self.average_moving_range / 2

    def signals_at(self, index: int) -> list[Signal]:
        """The signals reported at ``index`` (the point completing each pattern)."""
        return [signal for signal in self.signals if signal.index == index]

    def points(self) -> list[Point]:
        """Per-point rows in time order, each with the signals reported at it.

        A pattern that spans several points is listed once, at the point completing it;
        its ``span`` (from ``run_start``) names the other points, should a table want to
        mark them too.
        """
        by_index: dict[int, list[Signal]] = {}
        for signal in self.signals:
            by_index.setdefault(signal.index, []).append(signal)
        start, end = self.baseline
        return [
            Point(
                index=i,
                value=value,
                moving_range=self.moving_ranges[i],
                in_baseline=start <= i < end,
                signals=tuple(by_index.get(i, ())),
            )
            for i, value in enumerate(self.values)
        ]


def compute(
    values: Sequence[float],
    *,
    baseline: tuple[int, int] | None = None,
    target: float | None = None,
    better: Better | None = None,
) -> Chart:
    """Compute the XmR chart of ``values`` (time order) against the baseline's limits.

    ``baseline`` is a half-open index range; by default the first 20 values (all
    of them while there are fewer). Raises ValueError for a value that is not a
    finite number (naming its index), an empty or out-of-range baseline, a
    ``better`` other than "up"/"down", or a non-finite target. Runs in O(n).
    """
    xs = _validated_values(values)
    start, end = _resolved_baseline(baseline, len(xs))
    if better is not None and better not in ("up", "down"):
        raise ValueError(f'better must be "up", "down" or None, not {better!r}.')
    if target is not None and not math.isfinite(target):
        raise ValueError(f"The target must be a finite number, not {target!r}.")

    moving_ranges = _moving_ranges(xs)
    size = end - start
    average = _mean(xs[start:end]) if size else None
    baseline_ranges = [mr for mr in moving_ranges[start + 1 : end] if mr is not None]
    average_moving_range = _mean(baseline_ranges) if baseline_ranges else None

    upper_limit: float | None = None
    lower_limit: float | None = None
    upper_range_limit: float | None = None
    signals: list[Signal] = []
    no_limits_reason: str | None = None
    if size < MIN_BASELINE_FOR_LIMITS or average is None or average_moving_range is None:
        no_limits_reason = _no_limits_reason(size, explicit=baseline is not None)
    else:
        half_width = NATURAL_LIMIT_FACTOR * average_moving_range
        upper_limit = average + half_width
        lower_limit = average - half_width
        upper_range_limit = RANGE_LIMIT_FACTOR * average_moving_range
        if not (math.isfinite(upper_limit) and math.isfinite(lower_limit)):
            raise ValueError("The values are too large to chart: the limits overflow a float.")
        signals = _Detector(
            average=average,
            average_moving_range=average_moving_range,
            upper_limit=upper_limit,
            lower_limit=lower_limit,
            upper_range_limit=upper_range_limit,
            better=better,
        ).run(xs, moving_ranges)
    return Chart(
        values=tuple(xs),
        moving_ranges=tuple(moving_ranges),
        average=average,
        average_moving_range=average_moving_range,
        upper_limit=upper_limit,
        lower_limit=lower_limit,
        upper_range_limit=upper_range_limit,
        baseline=(start, end),
        signals=tuple(signals),
        no_limits_reason=no_limits_reason,
        target=target,
        better=better,
    )


# --- input --------------------------------------------------------------------------------


def _validated_values(values: Sequence[float]) -> list[float]:
    xs: list[float] = []
    for i, value in enumerate(values):
        # Real covers int, float, Fraction and numpy's scalars; Decimal is what a
        # DecimalField gives. A bool or a string is refused rather than guessed at.
        # (The exact-type test first only skips the slower abstract-class check.)
        if type(value) is not float and (
            isinstance(value, bool) or not isinstance(value, Real | Decimal)
        ):
            raise ValueError(f"The value at index {i} is not a number: {value!r}.")
        x = float(value)
        if not math.isfinite(x):
            raise ValueError(f"The value at index {i} is not a finite number: {value!r}.")
        xs.append(x)
    return xs


def _resolved_baseline(baseline: tuple[int, int] | None, n: int) -> tuple[int, int]:
    if baseline is None:
        return (0, min(n, DEFAULT_BASELINE_SIZE))
    try:
        start, end = baseline
    except (TypeError, ValueError):
        raise ValueError(
            f"The baseline must be a pair of indexes (start, end), not {baseline!r}."
        ) from None
    if not all(isinstance(i, int) and not isinstance(i, bool) for i in (start, end)):
        raise ValueError(f"The baseline indexes must be whole numbers, not {baseline!r}.")
    if start >= end:
        raise ValueError(
            f"The baseline ({start}, {end}) is empty: it is a half-open range and needs "
            "start < end."
        )
    if start < 0 or end > n:
        raise ValueError(
            f"The baseline ({start}, {end}) is out of range: with {n} values it must satisfy "
            f"0 <= start < end <= {n}."
        )
    return (start, end)


def _moving_ranges(xs: list[float]) -> list[float | None]:
    ranges: list[float | None] = [None] if xs else []
    previous = xs[0] if xs else 0.0
    for i in range(1, len(xs)):
        x = xs[i]
        mr = abs(x - previous)
        if mr == math.inf:
            raise ValueError(
                f"The values are too large to chart: the difference between index {i - 1} "
                f"and index {i} overflows a float."
            )
        ranges.append(mr)
        previous = x
    return ranges


def _mean(xs: Sequence[float]) -> float:
    # fsum: exact summation, so shifting every value by a constant shifts the mean by
    # that constant rather than by something a few rounding errors away from it.
    try:
        return math.fsum(xs) / len(xs)
    except OverflowError:
        raise ValueError(
            "The values are too large to chart: their sum overflows a float."
        ) from None


def _no_limits_reason(size: int, *, explicit: bool) -> str:
    need = f"Natural process limits need at least {MIN_BASELINE_FOR_LIMITS} values in the baseline"
    if explicit:
        return f"{need}; the chosen baseline has {size}."
    return f"{need}; there {'is' if size == 1 else 'are'} {size} so far."


# --- detection ----------------------------------------------------------------------------


def _number(value: float) -> str:
    """A value as a person would write it: about three significant figures, no exponent."""
    if value == 0:
        return "0"
    magnitude = abs(value)
    if magnitude < 1e-4 or magnitude >= 1e15:
        return f"{value:.4g}"
    if magnitude >= 10:
        decimals = 1
    elif magnitude >= 1:
        decimals = 2
    else:
        decimals = min(2 - math.floor(math.log10(magnitude)), 10)
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


# (values beyond the midpoint, points in the window) -> words; windows are short only at the start.
_HOW_MANY = {
    (3, 3): "Three values in a row",
    (3, 4): "Three of the four values",
    (4, 4): "All four values",
}


@dataclass(frozen=True, slots=True)
class _SideWords:
    """What a signal on one side of the average says; worked out once per chart."""

    side: Side
    limit: str  # e.g. "upper natural process limit (28.4)"
    shift: str  # "up" or "down"
    favourable: bool | None
    direction: str  # "" or " This is in the better direction."


class _Detector:
    """Applies the four rules in one pass over the points: O(n), constant work per point.

    The wording that does not depend on the point (limits, average, direction) is
    formatted once here, so a long run that signals on every point stays cheap.
    """

    def __init__(
        self,
        *,
        average: float,
        average_moving_range: float,
        upper_limit: float,
        lower_limit: float,
        upper_range_limit: float,
        better: Better | None,
    ) -> None:
        self.average = average
        self.upper_limit = upper_limit
        self.lower_limit = lower_limit
        self.upper_range_limit = upper_range_limit
        self.upper_midpoint = average + NATURAL_LIMIT_FACTOR * average_moving_range / 2
        self.lower_midpoint = average - NATURAL_LIMIT_FACTOR * average_moving_range / 2
        self.constant = average_moving_range == 0
        self.average_text = _number(average)
        self.range_limit_text = _number(upper_range_limit)
        self.words = {
            1: self._side_words(
                "above", f"upper natural process limit ({_number(upper_limit)})", better
            ),
            -1: self._side_words(
                "below", f"lower natural process limit ({_number(lower_limit)})", better
            ),
        }

    @staticmethod
    def _side_words(side: Side, limit: str, better: Better | None) -> _SideWords:
        favourable = None if better is None else (side == "above") == (better == "up")
        direction = (
            ""
            if favourable is None
            else f" This is in the {'better' if favourable else 'worse'} direction."
        )
        shift = "up" if side == "above" else "down"
        return _SideWords(side, limit, shift, favourable, direction)

    def run(self, xs: list[float], moving_ranges: list[float | None]) -> list[Signal]:
        signals: list[Signal] = []
        append = signals.append
        average, upper_limit, lower_limit = self.average, self.upper_limit, self.lower_limit
        upper_midpoint, lower_midpoint = self.upper_midpoint, self.lower_midpoint
        upper_range_limit = self.upper_range_limit
        zones: list[int] = []  # +1 beyond the upper midpoint, -1 beyond the lower, else 0
        cluster: dict[int, tuple[int, int]] = {}  # zone -> (index, run_start) last reported
        run_side = 0
        run_start = 0
        for i, x in enumerate(xs):
            if x > upper_limit:
                append(self._outside(i, x, 1))
            elif x < lower_limit:
                append(self._outside(i, x, -1))

            zone = 1 if x > upper_midpoint else -1 if x < lower_midpoint else 0
            zones.append(zone)
            if zone:
                first = max(0, i - _THREE_OF_FOUR_WINDOW + 1)
                window = zones[first : i + 1]
                count = window.count(zone)
                if count >= _THREE_OF_FOUR_COUNT:
                    previous = cluster.get(zone)
                    if previous is not None and previous[0] >= first:
                        start = previous[1]
                    else:
                        start = first + window.index(zone)
                    cluster[zone] = (i, start)
                    append(self._three_of_four(i, zone, first, count, start))

            side = 1 if x > average else -1 if x < average else 0
            if side != run_side:
                run_side = side
                run_start = i
            if run_side and i - run_start + 1 >= RUN_LENGTH:
                append(self._run(i, run_side, run_start))

            mr = moving_ranges[i]
            if mr is not None and mr > upper_range_limit:
                append(self._jump(i, mr))
        return signals

    def _outside(self, i: int, x: float, zone: int) -> Signal:
        words = self.words[zone]
        text = f"Value {_number(x)} on point {i + 1} is {words.side} the {words.limit}: a signal, not noise."
        if self.constant:
            text += " Every baseline value was the same, so any different value is a signal."
        return Signal(
            "outside_limits",
            i,
            text + words.direction,
            run_start=i,
            side=words.side,
            favourable=words.favourable,
        )

    def _three_of_four(self, i: int, zone: int, first: int, count: int, start: int) -> Signal:
        words = self.words[zone]
        if self.constant:
            where = f"are {words.side} the constant baseline value ({self.average_text})"
        else:
            where = f"are closer to the {words.limit} than to the average ({self.average_text})"
        text = (
            f"{_HOW_MANY[(count, i - first + 1)]} on points {first + 1} to {i + 1} {where}: "
            f"a moderate but sustained shift {words.shift}, a signal."
        )
        if start < first:
            text += f" The cluster began on point {start + 1}."
        return Signal(
            "three_of_four",
            i,
            text + words.direction,
            run_start=start,
            side=words.side,
            favourable=words.favourable,
        )

    def _run(self, i: int, zone: int, start: int) -> Signal:
        words = self.words[zone]
        length = i - start + 1
        if length == RUN_LENGTH:
            text = (
                f"Eight values in a row, points {start + 1} to {i + 1}, are {words.side} the "
                f"average ({self.average_text}): the process has probably shifted."
            )
        else:
            text = (
                f"Point {i + 1} continues the run {words.side} the average ({self.average_text}) "
                f"that began on point {start + 1}: {length} values in a row."
            )
        return Signal(
            "eight_on_one_side",
            i,
            text + words.direction,
            run_start=start,
            side=words.side,
            favourable=words.favourable,
        )

    def _jump(self, i: int, mr: float) -> Signal:
        text = (
            f"The moving range between points {i} and {i + 1} ({_number(mr)}) is above the "
            f"upper range limit ({self.range_limit_text}): an unusually large jump from one "
            "value to the next."
        )
        return Signal("moving_range_above_limit", i, text, run_start=i - 1)
