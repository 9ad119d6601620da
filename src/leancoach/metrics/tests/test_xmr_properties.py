"""Properties every XmR chart must have, whatever the values (hypothesis)."""

from __future__ import annotations

from fractions import Fraction
from itertools import pairwise
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from leancoach.metrics.xmr import (
    DEFAULT_BASELINE_SIZE,
    MIN_BASELINE_FOR_LIMITS,
    NATURAL_LIMIT_FACTOR,
    RANGE_LIMIT_FACTOR,
    Chart,
    compute,
)

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
any_values = st.lists(finite, max_size=200)
# Integer-valued floats keep every sum exact, so shifting or scaling cannot move a value
# across a threshold by rounding alone (see exactly_on_a_threshold for the rest).
whole = st.integers(min_value=-1000, max_value=1000).map(float)
whole_values = st.lists(whole, max_size=200)
# Factors that multiply small whole numbers exactly.
exact_factors = st.sampled_from([0.25, 0.5, 2.0, 3.0, 7.0, 10.0, 1000.0])


def close_to(expected: float) -> Any:
    """Equal up to rounding: relative 1e-9, or 1e-6 absolute for differences of big values."""
    return pytest.approx(expected, rel=1e-9, abs=1e-6)


def default_baseline(values: list[float]) -> tuple[int, int]:
    return (0, min(len(values), DEFAULT_BASELINE_SIZE))


def pattern(chart: Chart) -> list[tuple[str, int, int, str | None]]:
    """The signals without their wording, which quotes numbers that shift and scale."""
    return [(s.rule, s.index, s.run_start, s.side) for s in chart.signals]


def exactly_on_a_threshold(values: list[float], baseline: tuple[int, int]) -> bool:
    """Whether, in exact arithmetic, a value sits on a limit or midpoint, or a moving range on URL.

    Only then can floating-point rounding decide a comparison, and a shifted or scaled
    copy may round the other way. The average is not checked: with whole values it is
    computed exactly whenever a value can equal it, and so are its shifted and scaled
    copies. A constant baseline (mR-bar 0) puts every line on the average, so likewise.
    """
    start, end = baseline
    base = [Fraction(v) for v in values[start:end]]
    if len(base) < MIN_BASELINE_FOR_LIMITS:
        return False
    average = sum(base, Fraction(0)) / len(base)
    mr_bar = sum((abs(b - a) for a, b in pairwise(base)), Fraction(0)) / (len(base) - 1)
    if mr_bar == 0:
        return False
    width = Fraction(266, 100) * mr_bar
    lines = {average + width, average - width, average + width / 2, average - width / 2}
    url = Fraction(3268, 1000) * mr_bar
    exact = [Fraction(v) for v in values]
    return any(v in lines for v in exact) or any(abs(b - a) == url for a, b in pairwise(exact))


@given(any_values)
def test_moving_ranges_are_one_per_value_none_first_and_never_negative(values: list[float]) -> None:
    chart = compute(values)

    assert len(chart.moving_ranges) == len(values)
    if values:
        assert chart.moving_ranges[0] is None
    for i in range(1, len(values)):
        mr = chart.moving_ranges[i]
        assert mr is not None
        assert mr >= 0
        assert mr == abs(values[i] - values[i - 1])


@given(any_values)
def test_limits_exist_exactly_when_the_baseline_has_at_least_six_values(
    values: list[float],
) -> None:
    chart = compute(values)

    if len(values) >= MIN_BASELINE_FOR_LIMITS:
        assert chart.has_limits
        assert chart.lower_limit is not None
        assert chart.upper_range_limit is not None
        assert chart.no_limits_reason is None
    else:
        assert not chart.has_limits
        assert chart.lower_limit is None
        assert chart.upper_range_limit is None
        assert chart.signals == ()
        assert chart.no_limits_reason is not None
        assert f"there {'is' if len(values) == 1 else 'are'} {len(values)} so far" in (
            chart.no_limits_reason
        )


@given(any_values)
def test_limits_are_symmetric_around_the_average(values: list[float]) -> None:
    chart = compute(values)
    assume(chart.has_limits)
    assert chart.average is not None
    assert chart.upper_limit is not None
    assert chart.lower_limit is not None

    assert chart.lower_limit <= chart.average <= chart.upper_limit
    assert chart.upper_limit - chart.average == close_to(chart.average - chart.lower_limit)


@given(any_values)
def test_the_range_limit_is_the_natural_half_width_times_3_268_over_2_66(
    values: list[float],
) -> None:
    chart = compute(values)
    assume(chart.has_limits)
    assert chart.average is not None
    assert chart.upper_limit is not None
    assert chart.upper_range_limit is not None

    expected = RANGE_LIMIT_FACTOR / NATURAL_LIMIT_FACTOR * (chart.upper_limit - chart.average)
    assert chart.upper_range_limit == close_to(expected)


@given(any_values)
def test_each_signal_is_found_exactly_where_a_rule_holds(values: list[float]) -> None:
    # A direct, slower restatement of the four rules, checked point by point.
    chart = compute(values)
    assume(chart.has_limits)
    average, upper, lower = chart.average, chart.upper_limit, chart.lower_limit
    high, low, url = chart.upper_midpoint, chart.lower_midpoint, chart.upper_range_limit
    assert average is not None
    assert upper is not None
    assert lower is not None
    assert high is not None
    assert low is not None
    assert url is not None

    expected = set()
    for i, x in enumerate(values):
        if x > upper or x < lower:
            expected.add(("outside_limits", i))
        recent = values[max(0, i - 3) : i + 1]
        if (x > high and sum(v > high for v in recent) >= 3) or (
            x < low and sum(v < low for v in recent) >= 3
        ):
            expected.add(("three_of_four", i))
        last8 = values[i - 7 : i + 1] if i >= 7 else []
        if last8 and (all(v > average for v in last8) or all(v < average for v in last8)):
            expected.add(("eight_on_one_side", i))
        if i >= 1 and abs(x - values[i - 1]) > url:
            expected.add(("moving_range_above_limit", i))

    found = [(signal.rule, signal.index) for signal in chart.signals]
    assert len(found) == len(set(found)), "a rule is reported at most once per point"
    assert set(found) == expected


@given(any_values)
def test_every_outside_limits_signal_really_is_outside_on_the_side_it_names(
    values: list[float],
) -> None:
    chart = compute(values, better="up")
    for signal in chart.signals:
        assert 0 <= signal.run_start <= signal.index < len(values)
        if signal.rule != "outside_limits":
            continue
        value = values[signal.index]
        assert chart.upper_limit is not None
        assert chart.lower_limit is not None
        if signal.side == "above":
            assert value > chart.upper_limit
            assert signal.favourable is True
        else:
            assert value < chart.lower_limit
            assert signal.favourable is False
        assert signal.explanation.startswith("Value ")


@given(any_values)
def test_every_run_signal_covers_a_run_of_at_least_eight_values_on_one_side(
    values: list[float],
) -> None:
    chart = compute(values)
    for signal in chart.signals:
        if signal.rule != "eight_on_one_side":
            continue
        assert chart.average is not None
        run = [values[i] for i in signal.span]
        assert len(run) >= 8
        if signal.side == "above":
            assert all(v > chart.average for v in run)
        else:
            assert all(v < chart.average for v in run)
        if signal.run_start > 0:
            before = values[signal.run_start - 1]
            assert (
                (before <= chart.average) if signal.side == "above" else (before >= chart.average)
            )


@given(any_values)
def test_points_and_signals_at_agree_with_the_list_of_signals(values: list[float]) -> None:
    chart = compute(values)
    rows = chart.points()

    assert [row.index for row in rows] == list(range(len(values)))
    assert [row.value for row in rows] == values
    assert [signal for row in rows for signal in row.signals] == list(chart.signals)
    for row in rows:
        assert list(row.signals) == chart.signals_at(row.index)


@given(whole_values, st.integers(min_value=-10_000, max_value=10_000))
def test_adding_a_constant_shifts_average_and_limits_and_keeps_the_signals(
    values: list[float], constant: int
) -> None:
    assume(not exactly_on_a_threshold(values, default_baseline(values)))
    chart = compute(values)
    shifted = compute([v + constant for v in values])

    if chart.average is None:
        assert shifted.average is None
        return
    assert shifted.average == close_to(chart.average + constant)
    assert shifted.average_moving_range == chart.average_moving_range
    if chart.upper_limit is not None and chart.lower_limit is not None:
        assert shifted.upper_limit == close_to(chart.upper_limit + constant)
        assert shifted.lower_limit == close_to(chart.lower_limit + constant)
    assert pattern(shifted) == pattern(chart)


@given(whole_values, exact_factors)
def test_scaling_by_a_positive_factor_scales_the_limits_and_keeps_the_signals(
    values: list[float], factor: float
) -> None:
    assume(not exactly_on_a_threshold(values, default_baseline(values)))
    chart = compute(values)
    scaled = compute([v * factor for v in values])

    if chart.average is None:
        assert scaled.average is None
        return
    assert scaled.average == close_to(chart.average * factor)
    if chart.upper_limit is not None and chart.lower_limit is not None:
        assert scaled.upper_limit == close_to(chart.upper_limit * factor)
        assert scaled.lower_limit == close_to(chart.lower_limit * factor)
        assert scaled.upper_range_limit == close_to((chart.upper_range_limit or 0.0) * factor)
    assert pattern(scaled) == pattern(chart)


@st.composite
def values_and_baseline(draw: st.DrawFn) -> tuple[list[float], tuple[int, int]]:
    values = draw(st.lists(finite, min_size=1, max_size=200))
    start = draw(st.integers(min_value=0, max_value=len(values) - 1))
    end = draw(st.integers(min_value=start + 1, max_value=len(values)))
    return values, (start, end)


@settings(max_examples=200)
@given(values_and_baseline())
def test_an_explicit_baseline_takes_its_limits_from_that_window_alone(
    case: tuple[list[float], tuple[int, int]],
) -> None:
    values, (start, end) = case
    chart = compute(values, baseline=(start, end))
    window_only = compute(values[start:end], baseline=(0, end - start))

    assert chart.baseline == (start, end)
    assert chart.average == window_only.average
    assert chart.average_moving_range == window_only.average_moving_range
    assert chart.upper_limit == window_only.upper_limit
    assert chart.lower_limit == window_only.lower_limit
    assert chart.upper_range_limit == window_only.upper_range_limit
    assert chart.has_limits == (end - start >= MIN_BASELINE_FOR_LIMITS)
    rows = chart.points()
    assert [row.index for row in rows if row.in_baseline] == list(range(start, end))


@given(st.lists(whole, min_size=MIN_BASELINE_FOR_LIMITS, max_size=60), whole)
def test_a_constant_baseline_flags_exactly_the_later_values_that_differ(
    tail: list[float], constant: float
) -> None:
    baseline = [constant] * MIN_BASELINE_FOR_LIMITS
    chart = compute(baseline + tail, baseline=(0, MIN_BASELINE_FOR_LIMITS))

    assert chart.upper_limit == chart.lower_limit == chart.average == constant
    assert chart.upper_range_limit == 0.0
    outside = [s.index for s in chart.signals if s.rule == "outside_limits"]
    differing = [i + MIN_BASELINE_FOR_LIMITS for i, value in enumerate(tail) if value != constant]
    assert outside == differing
