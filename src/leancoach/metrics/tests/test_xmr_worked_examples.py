"""XmR charts checked against examples worked by hand (see the comments for the arithmetic)."""

from __future__ import annotations

import math

import pytest

from leancoach.metrics.xmr import Chart, Signal, compute

# The worked example used throughout:
#   values       10  12  11  14  12  13  10  12
#   moving range  -   2   1   3   2   1   3   2
# x-bar  = (10+12+11+14+12+13+10+12) / 8 = 94 / 8 = 11.75
# mR-bar = (2+1+3+2+1+3+2) / 7 = 14 / 7 = 2
# UNPL   = 11.75 + 2.66 * 2 = 17.07
# LNPL   = 11.75 - 2.66 * 2 = 6.43
# URL    = 3.268 * 2 = 6.536
# midpoints (for three-of-four) = 11.75 +/- 2.66 * 2 / 2 = 14.41 and 9.09
WORKED = [10.0, 12.0, 11.0, 14.0, 12.0, 13.0, 10.0, 12.0]
WORKED_BASELINE = (0, 8)


def rules(chart: Chart, rule: str) -> list[Signal]:
    return [signal for signal in chart.signals if signal.rule == rule]


def test_a_worked_example_gives_the_hand_computed_average_range_and_limits() -> None:
    chart = compute(WORKED)

    assert chart.moving_ranges == (None, 2.0, 1.0, 3.0, 2.0, 1.0, 3.0, 2.0)
    assert chart.baseline == (0, 8)
    assert chart.average == pytest.approx(11.75)
    assert chart.average_moving_range == pytest.approx(2.0)
    assert chart.upper_limit == pytest.approx(17.07)
    assert chart.lower_limit == pytest.approx(6.43)
    assert chart.upper_range_limit == pytest.approx(6.536)
    assert chart.upper_midpoint == pytest.approx(14.41)
    assert chart.lower_midpoint == pytest.approx(9.09)
    assert chart.no_limits_reason is None
    assert chart.signals == ()


def test_the_default_baseline_is_the_first_twenty_values() -> None:
    # 20 values alternating 10, 12 (x-bar 11, mR-bar 2), then 10 values of 100.
    values = [10.0, 12.0] * 10 + [100.0] * 10
    chart = compute(values)

    assert chart.baseline == (0, 20)
    assert chart.average == pytest.approx(11.0)
    assert chart.average_moving_range == pytest.approx(2.0)
    assert [signal.index for signal in rules(chart, "outside_limits")] == list(range(20, 30))


def test_a_series_with_fewer_than_six_values_has_no_limits_and_says_why_in_plain_words() -> None:
    # x-bar = (3+5+4+6)/4 = 4.5; mR-bar = (2+1+2)/3 = 5/3.
    chart = compute([3.0, 5.0, 4.0, 6.0])

    assert chart.upper_limit is None
    assert chart.lower_limit is None
    assert chart.upper_range_limit is None
    assert not chart.has_limits
    assert chart.no_limits_reason == (
        "Natural process limits need at least 6 values in the baseline; there are 4 so far."
    )
    assert chart.average == pytest.approx(4.5)
    assert chart.average_moving_range == pytest.approx(5 / 3)
    assert chart.signals == ()


def test_a_single_value_has_an_average_but_no_moving_range() -> None:
    chart = compute([7.5])

    assert chart.average == 7.5
    assert chart.average_moving_range is None
    assert chart.moving_ranges == (None,)
    assert chart.no_limits_reason == (
        "Natural process limits need at least 6 values in the baseline; there is 1 so far."
    )


def test_no_values_at_all_give_an_empty_chart_without_an_average() -> None:
    chart = compute([])

    assert chart.values == ()
    assert chart.moving_ranges == ()
    assert chart.average is None
    assert chart.baseline == (0, 0)
    assert chart.no_limits_reason == (
        "Natural process limits need at least 6 values in the baseline; there are 0 so far."
    )
    assert chart.points() == []


def test_a_short_explicit_baseline_has_no_limits_and_names_the_chosen_baseline() -> None:
    chart = compute(WORKED, baseline=(2, 6))

    assert not chart.has_limits
    assert chart.average == pytest.approx((11 + 14 + 12 + 13) / 4)
    assert chart.no_limits_reason == (
        "Natural process limits need at least 6 values in the baseline; the chosen baseline has 4."
    )


def test_a_constant_series_has_limits_equal_to_the_average_and_no_signals() -> None:
    chart = compute([7.0] * 10)

    assert chart.average == 7.0
    assert chart.average_moving_range == 0.0
    assert chart.upper_limit == 7.0
    assert chart.lower_limit == 7.0
    assert chart.upper_range_limit == 0.0
    assert chart.signals == ()


def test_after_a_constant_baseline_any_different_value_is_outside_the_limits() -> None:
    chart = compute([7.0] * 10 + [7.0, 8.0], baseline=(0, 10))

    assert chart.signals_at(10) == []
    outside = chart.signals_at(11)
    assert [signal.rule for signal in outside] == ["outside_limits", "moving_range_above_limit"]
    assert outside[0].explanation == (
        "Value 8 on point 12 is above the upper natural process limit (7): a signal, not noise. "
        "Every baseline value was the same, so any different value is a signal."
    )


def test_a_value_above_the_upper_limit_is_explained_as_a_signal_not_noise() -> None:
    # Limits from the worked example: UNPL 17.07. 18 is above it; the jump 12 -> 18
    # is 6, below URL 6.536, so it is the only signal.
    chart = compute([*WORKED, 18.0], baseline=WORKED_BASELINE)

    assert chart.signals == (
        Signal(
            rule="outside_limits",
            index=8,
            explanation=(
                "Value 18 on point 9 is above the upper natural process limit (17.1): "
                "a signal, not noise."
            ),
            run_start=8,
            side="above",
        ),
    )


def test_a_value_below_the_lower_limit_says_whether_that_is_better_or_worse() -> None:
    # LNPL 6.43: 6 is below it; the jump 12 -> 6 is 6, below URL.
    up = compute([*WORKED, 6.0], baseline=WORKED_BASELINE, better="up")
    down = compute([*WORKED, 6.0], baseline=WORKED_BASELINE, better="down")

    [worse] = up.signals
    assert worse.side == "below"
    assert worse.favourable is False
    assert worse.explanation == (
        "Value 6 on point 9 is below the lower natural process limit (6.43): a signal, not noise. "
        "This is in the worse direction."
    )
    [better] = down.signals
    assert better.favourable is True
    assert better.explanation.endswith("This is in the better direction.")


def test_a_value_exactly_on_a_limit_is_not_outside_it() -> None:
    chart = compute([7.0] * 10 + [7.0], baseline=(0, 10))

    assert chart.signals == ()


def test_a_shift_of_eight_values_above_the_average_is_reported_at_the_eighth_and_after() -> None:
    # Baseline: 10 values around 10.
    #   values 10 9 11 10 10 9 11 10 11 9 -> sum 100, x-bar = 10
    #   moving ranges 1 2 1 0 1 2 1 1 2 -> sum 11, mR-bar = 11/9 = 1.2222
    #   UNPL = 10 + 2.66 * 11/9 = 13.251; URL = 3.268 * 11/9 = 3.994
    # Then 10 values around 12 (indexes 10..19), all above 10 and below UNPL.
    baseline = [10.0, 9.0, 11.0, 10.0, 10.0, 9.0, 11.0, 10.0, 11.0, 9.0]
    shifted = [12.0, 11.5, 12.5, 12.0, 12.0, 11.5, 12.5, 12.0, 12.5, 12.0]
    chart = compute(baseline + shifted, baseline=(0, 10))

    assert chart.average == pytest.approx(10.0)
    assert chart.average_moving_range == pytest.approx(11 / 9)
    assert chart.upper_limit == pytest.approx(10 + 2.66 * 11 / 9)
    assert rules(chart, "outside_limits") == []
    assert rules(chart, "moving_range_above_limit") == []

    runs = rules(chart, "eight_on_one_side")
    # The 8th value of the run is index 17; indexes 18 and 19 are reported as part of it.
    assert [(signal.index, signal.run_start) for signal in runs] == [(17, 10), (18, 10), (19, 10)]
    assert {signal.side for signal in runs} == {"above"}
    assert runs[0].explanation == (
        "Eight values in a row, points 11 to 18, are above the average (10): "
        "the process has probably shifted."
    )
    assert runs[1].explanation == (
        "Point 19 continues the run above the average (10) that began on point 11: "
        "9 values in a row."
    )
    assert list(runs[0].span) == list(range(10, 18))


def test_a_value_exactly_on_the_average_breaks_a_run() -> None:
    # Baseline 12, 8 repeated: x-bar 10, mR-bar 4, limits 10 +/- 10.64. It ends below the
    # average, so the 7 values of 11 that follow, 10, then 7 more of 11 are two runs of 7.
    values = [12.0, 8.0] * 5 + [11.0] * 7 + [10.0] + [11.0] * 7
    chart = compute(values, baseline=(0, 10))

    assert chart.average == 10.0
    assert rules(chart, "eight_on_one_side") == []


def test_three_of_four_values_near_a_limit_are_reported_once_per_new_value_beyond_the_midpoint() -> (
    None
):
    # Worked example limits: upper midpoint 14.41, UNPL 17.07.
    # New values (indexes 8..13): 15 12 15 15 12 15.
    #   index 11: window 8..11 = 15 12 15 15 -> three beyond 14.41: reported.
    #   index 12: 12 is not beyond; the window 9..12 only slides over the same cluster:
    #             not reported again.
    #   index 13: 15 extends the cluster (window 10..13 = 15 15 12 15): reported, with the
    #             cluster still starting at index 8.
    chart = compute([*WORKED, 15.0, 12.0, 15.0, 15.0, 12.0, 15.0], baseline=WORKED_BASELINE)

    found = rules(chart, "three_of_four")
    assert [(signal.index, signal.run_start) for signal in found] == [(11, 8), (13, 8)]
    assert found[0].explanation == (
        "Three of the four values on points 9 to 12 are closer to the upper natural process "
        "limit (17.1) than to the average (11.8): a moderate but sustained shift up, a signal."
    )
    assert found[1].explanation.endswith("The cluster began on point 9.")
    assert rules(chart, "outside_limits") == []


def test_three_values_in_a_row_beyond_the_midpoint_at_the_start_complete_the_pattern() -> None:
    # Baseline 8, 12 repeated: x-bar 10, mR-bar 4, lower midpoint 10 - 5.32 = 4.68.
    # The series itself starts with 4, 4, 4: three beyond the midpoint among the first
    # three points, so any fourth value completes "three of four" - reported at index 2.
    chart = compute([4.0, 4.0, 4.0] + [8.0, 12.0] * 5, baseline=(3, 13))

    found = rules(chart, "three_of_four")
    assert [(signal.index, signal.run_start, signal.side) for signal in found] == [(2, 0, "below")]
    assert found[0].explanation.startswith("Three values in a row on points 1 to 3 are closer")


def test_a_moving_range_above_the_upper_range_limit_is_reported_at_the_later_point() -> None:
    # Worked example: URL 6.536. New values 16 (jump 4) then 9 (jump 7 > 6.536);
    # both values are inside the limits 6.43 .. 17.07.
    chart = compute([*WORKED, 16.0, 9.0], baseline=WORKED_BASELINE)

    assert chart.signals == (
        Signal(
            rule="moving_range_above_limit",
            index=9,
            explanation=(
                "The moving range between points 9 and 10 (7) is above the upper range "
                "limit (6.54): an unusually large jump from one value to the next."
            ),
            run_start=8,
        ),
    )


def test_an_explicit_later_baseline_takes_its_limits_from_that_window_only() -> None:
    # After a real change the process runs 10 higher: indexes 8..15 are the worked
    # example + 10. Baseline (8, 16): x-bar = 21.75, mR-bar = 2 (the jump 12 -> 20 from
    # index 7 to 8 has one point outside the window, so it does not count).
    # UNPL = 27.07, LNPL = 16.43: every earlier value is below the new lower limit, and
    # the run below the average (21.75) reaches 8 at index 7; index 8 (20) extends it.
    later = [value + 10 for value in WORKED]
    chart = compute(WORKED + later, baseline=(8, 16))

    assert chart.baseline == (8, 16)
    assert chart.average == pytest.approx(21.75)
    assert chart.average_moving_range == pytest.approx(2.0)
    assert chart.upper_limit == pytest.approx(27.07)
    assert chart.lower_limit == pytest.approx(16.43)
    assert [signal.index for signal in rules(chart, "outside_limits")] == list(range(8))
    assert [signal.index for signal in rules(chart, "eight_on_one_side")] == [7, 8]

    rows = chart.points()
    assert [row.in_baseline for row in rows] == [False] * 8 + [True] * 8
    assert rows[8].moving_range == 8.0
    assert [signal.rule for signal in rows[8].signals] == [
        "eight_on_one_side",
        "moving_range_above_limit",
    ]


def test_points_give_one_row_per_value_with_the_signals_reported_there() -> None:
    chart = compute([*WORKED, 18.0], baseline=WORKED_BASELINE)

    rows = chart.points()
    assert [(row.index, row.value, row.moving_range) for row in rows[:3]] == [
        (0, 10.0, None),
        (1, 12.0, 2.0),
        (2, 11.0, 1.0),
    ]
    assert [row.signals for row in rows[:8]] == [()] * 8
    assert rows[8].signals == tuple(chart.signals_at(8))
    assert chart.signals_at(3) == []


def test_target_and_direction_are_carried_but_never_move_the_limits() -> None:
    plain = compute(WORKED)
    aimed = compute(WORKED, target=20.0, better="up")

    assert aimed.target == 20.0
    assert aimed.better == "up"
    assert (aimed.average, aimed.upper_limit, aimed.lower_limit) == (
        plain.average,
        plain.upper_limit,
        plain.lower_limit,
    )


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ([1.0, 2.0, math.nan, 4.0], "index 2 is not a finite number"),
        ([1.0, math.inf], "index 1 is not a finite number"),
        ([-math.inf], "index 0 is not a finite number"),
        ([1.0, "2"], "index 1 is not a number"),
        ([1.0, True], "index 1 is not a number"),
        ([1e308, -1e308], "too large to chart"),
    ],
)
def test_a_value_that_is_not_a_finite_number_is_refused_naming_its_index(
    values: list[float], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        compute(values)


@pytest.mark.parametrize(
    ("baseline", "message"),
    [
        ((5, 5), r"The baseline \(5, 5\) is empty"),
        ((6, 2), r"The baseline \(6, 2\) is empty"),
        ((0, 9), r"out of range: with 8 values it must satisfy 0 <= start < end <= 8"),
        ((-1, 4), r"The baseline \(-1, 4\) is out of range"),
        ((0,), "must be a pair of indexes"),
        ((0.0, 4.0), "must be whole numbers"),
    ],
)
def test_an_empty_or_out_of_range_baseline_is_refused_clearly(
    baseline: tuple[int, int], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        compute(WORKED, baseline=baseline)


def test_an_explicit_baseline_on_no_values_is_refused() -> None:
    with pytest.raises(ValueError, match="out of range"):
        compute([], baseline=(0, 1))


def test_an_unknown_direction_or_an_infinite_target_is_refused() -> None:
    with pytest.raises(ValueError, match='better must be "up", "down" or None'):
        compute(WORKED, better="sideways")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="target must be a finite number"):
        compute(WORKED, target=math.nan)
