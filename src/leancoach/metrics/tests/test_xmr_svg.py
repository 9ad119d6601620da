"""The XmR chart as inline SVG: well-formed, accessible, escaped, stable, and drawn right."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

import pytest

from leancoach.metrics.charts import fmt, nice_ticks, xmr_svg, xmr_table_rows
from leancoach.metrics.xmr import Chart, compute

SVG = "http://www.w3.org/2000/svg"
NS = {"svg": SVG}
ET.register_namespace("", SVG)

# The worked example of test_xmr_worked_examples: average 11.75, UNPL 17.07, LNPL 6.43,
# URL 6.536; no signals.
WORKED = [10.0, 12.0, 11.0, 14.0, 12.0, 13.0, 10.0, 12.0]
# Twenty routine values, then ten lower ones: a shift down that the rules catch.
SHIFTED = [
    *[12, 11, 13, 12, 10, 12, 14, 11, 12, 13, 11, 12, 10, 13, 12, 11, 12, 14, 12, 11],
    *[9, 8.5, 9.5, 8, 9, 8.5, 7, 9, 8.5, 9],
]


def dates(n: int) -> list[str]:
    return [f"2025-W{i + 1:02d}" for i in range(n)]


def render(chart: Chart, **kwargs: object) -> ET.Element:
    kwargs.setdefault("labels", dates(len(chart.values)))
    kwargs.setdefault("title", "Hours in meetings")
    return ET.fromstring(xmr_svg(chart, **kwargs))  # type: ignore[arg-type]


def tag(element: ET.Element) -> str:
    return element.tag.removeprefix("{" + SVG + "}")


def with_class(root: ET.Element, name: str) -> list[ET.Element]:
    return [el for el in root.iter() if name in el.get("class", "").split()]


def one(root: ET.Element, name: str) -> ET.Element:
    found = with_class(root, name)
    assert len(found) == 1, f"{len(found)} elements with class {name}"
    return found[0]


def text_of(element: ET.Element) -> str:
    return "".join(element.itertext())


def title_of(element: ET.Element) -> str:
    title = element.find("svg:title", NS)
    assert title is not None
    return title.text or ""


def line_y(root: ET.Element, name: str) -> float:
    line = one(root, name)
    assert tag(line) == "line"
    assert line.get("y1") == line.get("y2")
    return float(line.get("y1", "nan"))


def line_labels(root: ET.Element) -> list[str]:
    return [text_of(el) for el in with_class(root, "xmr-line-label")]


# --- accessibility -------------------------------------------------------------------------


def test_the_root_is_an_image_labelled_by_its_own_title_and_description() -> None:
    root = render(compute(WORKED), title="Hours in meetings", width=600, height=300)

    assert tag(root) == "svg"
    assert root.get("role") == "img"
    assert root.get("viewBox") == "0 0 600 300"
    assert (root.get("width"), root.get("height")) == ("600", "300")
    ids = (root.get("aria-labelledby") or "").split()
    assert len(ids) == 2
    title, desc = (root.find(f".//*[@id='{i}']") for i in ids)
    assert title is not None
    assert desc is not None
    assert (tag(title), tag(desc)) == ("title", "desc")
    assert title.text == "Hours in meetings"


def test_the_description_states_the_points_the_average_and_the_limits() -> None:
    root = render(compute(WORKED), unit="hours")
    desc = root.find("svg:desc", NS)
    assert desc is not None
    text = desc.text or ""

    assert "8 values in hours" in text
    assert "from 2025-W01 to 2025-W08" in text
    assert "Average 11.8" in text
    assert "Natural process limits 6.43 to 17.1" in text
    assert "No signals: the variation is routine." in text


def test_the_description_counts_the_signals_and_gives_the_most_recent_explanation() -> None:
    chart = compute(SHIFTED, baseline=(0, 20))
    assert chart.signals
    desc = render(chart).find("svg:desc", NS)
    assert desc is not None
    text = desc.text or ""

    points = len({s.index for s in chart.signals})
    assert f"{len(chart.signals)} signals at {points} points" in text
    assert chart.signals[-1].explanation in text
    assert "routine" not in text


# --- reference lines -----------------------------------------------------------------------


def test_the_upper_limit_is_above_the_average_which_is_above_the_lower_limit() -> None:
    root = render(compute(WORKED, target=9))

    # SVG's y grows downwards: higher on the chart is a smaller y.
    assert line_y(root, "xmr-unpl") < line_y(root, "xmr-average") < line_y(root, "xmr-lnpl")
    assert line_y(root, "xmr-average") < line_y(root, "xmr-target") < line_y(root, "xmr-lnpl")
    assert one(root, "xmr-unpl").get("stroke-dasharray")
    assert one(root, "xmr-average").get("stroke-dasharray") is None
    assert set(line_labels(root)) == {
        "UNPL 17.1",
        "Avg 11.8",
        "LNPL 6.43",
        "Target 9",
        "URL 6.54",
        "Avg 2",
    }


def test_the_moving_range_panel_has_its_average_below_the_upper_range_limit() -> None:
    root = render(compute(WORKED))
    panel = one(root, "xmr-mr-panel")

    assert line_y(panel, "xmr-url") < line_y(panel, "xmr-mr-average")
    # The moving ranges start at the second point: 7 of them for 8 values.
    points = one(panel, "xmr-mr-line").get("points", "").split()
    assert len(points) == 7
    # Both panels are below the X panel's lines.
    assert line_y(root, "xmr-lnpl") < line_y(panel, "xmr-url")


def test_no_target_line_is_drawn_without_a_target() -> None:
    root = render(compute(WORKED))
    assert with_class(root, "xmr-target") == []


def test_y_ticks_are_round_and_cover_the_limits_and_the_target() -> None:
    root = render(compute(WORKED, target=3))
    tick_group = with_class(one(root, "xmr-x-panel"), "xmr-y-ticks")[0]
    ticks = [float(text_of(t).replace(",", "")) for t in tick_group]

    assert 4 <= len(ticks) <= 6
    assert ticks[0] <= 3
    assert ticks[-1] >= 17.07
    assert all(t % 2.5 == 0 for t in ticks)


def test_the_baseline_is_shaded_and_labelled() -> None:
    root = render(compute(SHIFTED, baseline=(0, 20)))

    shades = with_class(root, "xmr-baseline")
    assert len(shades) == 2  # one per panel
    assert text_of(one(root, "xmr-baseline-label")) == "baseline"
    # The baseline covers two thirds of the points, so two thirds of the plotted width.
    x_panel_width = float(shades[0].get("width", "0"))
    points = one(root, "xmr-x-line").get("points", "").split()
    first_x = float(points[0].split(",")[0])
    last_x = float(points[-1].split(",")[0])
    band = (last_x - first_x) / 29
    assert x_panel_width == pytest.approx(20 * band, abs=0.2)


# --- signals -------------------------------------------------------------------------------


def test_signal_points_are_diamonds_carrying_their_explanations() -> None:
    chart = compute(SHIFTED, baseline=(0, 20))
    root = render(chart)
    x_panel = one(root, "xmr-x-panel")
    marked = with_class(x_panel, "xmr-signal")
    expected = {s.index for s in chart.signals if s.rule != "moving_range_above_limit"}

    assert {int(el.get("data-index", "-1")) for el in marked} == expected
    for element in marked:
        assert tag(element) == "path"
        assert element.get("fill") == "#D55E00"
        title = title_of(element)
        for signal in chart.signals_at(int(element.get("data-index", "-1"))):
            if signal.rule != "moving_range_above_limit":
                assert signal.explanation in title
    circles = list(x_panel.iter(f"{{{SVG}}}circle"))
    assert len(circles) == len(SHIFTED) - len(expected)
    assert all("xmr-signal" not in el.get("class", "") for el in circles)


def test_a_signal_shape_is_larger_than_a_plain_marker() -> None:
    chart = compute([*WORKED, 30.0])  # 30 is far above UNPL 17.07
    root = render(chart)
    signal = one(one(root, "xmr-x-panel"), "xmr-x-signal")
    circle = next(one(root, "xmr-x-panel").iter(f"{{{SVG}}}circle"))
    xs = [
        float(pair.split(",")[0])
        for pair in signal.get("d", "").strip("MZ").replace("L", " ").split()
    ]

    assert (max(xs) - min(xs)) / 2 > float(circle.get("r", "0"))
    assert "above the upper natural process limit" in title_of(signal)
    assert "Value 30" in title_of(signal)


def test_a_large_moving_range_is_marked_in_the_moving_range_panel_only() -> None:
    # A jump from 12 to 30 and straight back: both moving ranges are above URL 6.536.
    chart = compute([*WORKED, 30.0, 12.0], baseline=(0, 8))
    jumps = [s for s in chart.signals if s.rule == "moving_range_above_limit"]
    assert [s.index for s in jumps] == [8, 9]
    root = render(chart)
    mr_marked = with_class(one(root, "xmr-mr-panel"), "xmr-signal")
    x_marked = with_class(one(root, "xmr-x-panel"), "xmr-signal")

    assert [int(el.get("data-index", "-1")) for el in mr_marked] == [8, 9]
    assert [int(el.get("data-index", "-1")) for el in x_marked] == [8]  # outside the limits
    assert jumps[0].explanation in title_of(mr_marked[0])
    assert jumps[0].explanation not in title_of(x_marked[0])


# --- too little data ------------------------------------------------------------------------


def test_with_fewer_than_six_values_the_reason_is_shown_and_no_limits_are_drawn() -> None:
    chart = compute([3.0, 5.0, 4.0])
    assert chart.no_limits_reason
    root = render(chart)

    note = one(root, "xmr-no-limits")
    assert " ".join(t.text or "" for t in note) == chart.no_limits_reason
    for name in ("xmr-unpl", "xmr-lnpl", "xmr-url", "xmr-signal"):
        assert with_class(root, name) == []
    assert line_labels(root) == ["Avg 4", "Avg 1.5"]
    desc = root.find("svg:desc", NS)
    assert desc is not None
    assert chart.no_limits_reason in (desc.text or "")


def test_no_values_render_a_panel_saying_so() -> None:
    chart = compute([])
    root = render(chart, labels=[])

    assert text_of(one(root, "xmr-empty")) == "No values yet."
    assert root.get("role") == "img"
    desc = root.find("svg:desc", NS)
    assert desc is not None
    assert "No values yet." in (desc.text or "")


def test_one_value_renders_a_point_the_average_and_no_moving_range() -> None:
    root = render(compute([7.5]), labels=["2025-01-06"])

    assert len(list(one(root, "xmr-x-panel").iter(f"{{{SVG}}}circle"))) == 1
    assert line_labels(root) == ["Avg 7.5"]
    assert text_of(one(root, "xmr-no-ranges")) == "A moving range needs two values."
    assert with_class(root, "xmr-x-line") == []
    assert "2025-01-06" in [text_of(t) for t in one(root, "xmr-x-labels")]


def test_a_constant_series_renders_on_a_padded_axis() -> None:
    svg = xmr_svg(compute([5.0] * 8), labels=dates(8), title="Flat")
    root = ET.fromstring(svg)

    assert "nan" not in svg.lower()
    assert "inf" not in svg.lower()
    ticks = [text_of(t) for t in with_class(one(root, "xmr-x-panel"), "xmr-y-ticks")[0]]
    assert len(set(ticks)) == len(ticks) >= 4
    # The limits equal the average for a constant baseline: all three at one height.
    assert line_y(root, "xmr-unpl") == line_y(root, "xmr-average") == line_y(root, "xmr-lnpl")


def test_negative_and_tiny_values_render_with_readable_numbers() -> None:
    values = [-0.0012, -0.0011, -0.0015, -0.0009, -0.0013, -0.0012, -0.001, -0.003]
    root = render(compute(values), unit="V")

    assert line_y(root, "xmr-unpl") < line_y(root, "xmr-average") < line_y(root, "xmr-lnpl")
    assert "Avg -0.0014" in line_labels(root)
    ticks = [text_of(t) for t in with_class(one(root, "xmr-x-panel"), "xmr-y-ticks")[0]]
    assert "-0.003" in ticks
    assert all(len(t) <= 8 for t in ticks)


def test_huge_values_use_thousands_separators() -> None:
    values = [1_000_000.0 + 1_000 * (i % 3) for i in range(12)]
    root = render(compute(values))

    assert any(label.startswith("Avg 1,00") for label in line_labels(root))


# --- escaping ------------------------------------------------------------------------------


def test_markup_in_title_unit_and_labels_is_escaped_not_injected() -> None:
    evil = "<script>alert(1)</script>"
    labels = [f"R&D {i}" for i in range(7)] + ['"quoted" <b>']
    svg = xmr_svg(compute(WORKED), labels=labels, title=evil, unit="<i>h</i> & more")
    root = ET.fromstring(svg)

    assert "<script" not in svg
    assert all(tag(el) not in {"script", "b", "i"} for el in root.iter())
    title = root.find("svg:title", NS)
    assert title is not None
    assert title.text == evil
    texts = [text_of(el) for el in root.iter(f"{{{SVG}}}text")]
    assert '"quoted" <b>' in texts  # the newest label is always shown
    assert "<i>h</i> & more" in texts
    desc = root.find("svg:desc", NS)
    assert desc is not None
    assert evil in (desc.text or "")
    assert "R&D 0" in (desc.text or "")


def test_characters_xml_cannot_carry_are_dropped() -> None:
    svg = xmr_svg(compute(WORKED), labels=dates(8), title="bad\x00\x1b title")
    title = ET.fromstring(svg).find("svg:title", NS)
    assert title is not None
    assert title.text == "bad title"


# --- arguments -----------------------------------------------------------------------------


def test_labels_of_the_wrong_length_are_refused() -> None:
    chart = compute(WORKED)
    with pytest.raises(ValueError, match="7 labels for 8 values"):
        xmr_svg(chart, labels=dates(7), title="t")
    with pytest.raises(ValueError, match="9 labels for 8 values"):
        xmr_table_rows(chart, dates(9))


def test_a_chart_too_small_to_draw_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 240 x 180"):
        xmr_svg(compute(WORKED), labels=dates(8), title="t", width=100)


def test_the_same_input_gives_the_same_string_and_other_input_other_ids() -> None:
    chart = compute(SHIFTED, baseline=(0, 20), target=9)
    first = xmr_svg(chart, labels=dates(30), title="Meetings")
    second = xmr_svg(
        compute(SHIFTED, baseline=(0, 20), target=9), labels=dates(30), title="Meetings"
    )
    other = xmr_svg(chart, labels=dates(30), title="Other measure")

    assert first == second
    assert ET.fromstring(first).get("aria-labelledby") != ET.fromstring(other).get(
        "aria-labelledby"
    )


def test_an_explicit_id_prefix_names_the_title_and_desc_and_a_bad_one_is_refused() -> None:
    root = render(compute(WORKED), id_prefix="chart-7")

    assert root.get("aria-labelledby") == "chart-7-title chart-7-desc"
    assert root.find("svg:title", NS) is not None
    assert root.find(".//*[@id='chart-7-desc']") is not None
    with pytest.raises(ValueError, match="id_prefix"):
        xmr_svg(compute(WORKED), labels=dates(8), title="t", id_prefix='x" onload="alert(1)')


# --- many points ---------------------------------------------------------------------------


def test_a_thousand_points_render_every_point_and_at_most_eight_x_labels() -> None:
    values = [10.0 + (i * 7919 % 13) / 3 for i in range(1000)]
    labels = [f"d{i}" for i in range(1000)]
    root = render(compute(values), labels=labels)

    assert len(one(root, "xmr-x-line").get("points", "").split()) == 1000
    shown = [text_of(t) for t in one(root, "xmr-x-labels")]
    assert 1 <= len(shown) <= 8
    assert shown[-1] == "d999"
    # Plain markers are one path of two arcs each; signals are separate shapes.
    signals = with_class(one(root, "xmr-x-panel"), "xmr-signal")
    plain = one(one(root, "xmr-x-panel"), "xmr-x-points")
    assert tag(plain) == "path"
    assert plain.get("d", "").count("M") + len(signals) == 1000


def test_x_labels_are_thinned_so_that_they_do_not_overlap() -> None:
    root = render(compute(SHIFTED), labels=[f"2025-01-{i + 1:02d}" for i in range(30)])
    texts = list(one(root, "xmr-x-labels"))
    xs = [float(t.get("x", "0")) for t in texts]

    assert 2 <= len(texts) <= 8
    assert text_of(texts[-1]) == "2025-01-30"
    gaps = [b - a for a, b in itertools.pairwise(xs)]
    assert min(gaps) > 10 * 10 * 0.6  # wider than a 10-character label at font size 10


# --- the table -----------------------------------------------------------------------------


def test_table_rows_give_formatted_values_ranges_baseline_and_explanations() -> None:
    chart = compute([*WORKED, 30.0], baseline=(0, 8))
    rows = xmr_table_rows(chart, dates(9))

    assert len(rows) == 9
    assert rows[0] == {
        "point": "1",
        "label": "2025-W01",
        "value": "10",
        "moving_range": "",
        "in_baseline": True,
        "signals": [],
    }
    assert rows[1]["moving_range"] == "2"
    assert rows[8]["in_baseline"] is False
    assert rows[8]["value"] == "30"
    assert rows[8]["signals"] == [s.explanation for s in chart.signals_at(8)]
    assert len(rows[8]["signals"]) == 2  # outside the limits, and a jump


# --- helpers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.0, "0"),
        (-0.0, "0"),
        (17.0666, "17.07"),
        (2.50, "2.5"),
        (11.75, "11.75"),
        (123456.0, "123,500"),
        (-1234.0, "-1,234"),
        (9999.6, "10,000"),
        (0.000123456, "0.0001235"),
        (0.00001234, "1.234e-5"),
        (1.23456e16, "1.235e16"),
    ],
)
def test_fmt_gives_at_most_four_significant_digits_without_trailing_zeros(
    value: float, text: str
) -> None:
    assert fmt(value) == text


def test_fmt_can_round_to_fewer_digits() -> None:
    assert fmt(17.0666, 3) == "17.1"
    assert fmt(6.536, 3) == "6.54"
    with pytest.raises(ValueError, match="digits"):
        fmt(1.0, 0)


@pytest.mark.parametrize(
    ("low", "high", "ticks"),
    [
        (6.4, 17.1, [5.0, 7.5, 10.0, 12.5, 15.0, 17.5]),
        (0.0, 1.0, [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]),
        (0.3, 0.7, [0.3, 0.4, 0.5, 0.6, 0.7]),
        (-3.0, -1.0, [-3.0, -2.5, -2.0, -1.5, -1.0]),
        (0.0, 6.5, [0.0, 2.0, 4.0, 6.0, 8.0]),
        (5.0, 5.0, [4.5, 4.75, 5.0, 5.25, 5.5]),
        (0.0, 0.0, [-1.0, -0.5, 0.0, 0.5, 1.0]),
    ],
)
def test_nice_ticks_are_round_numbers_covering_the_range(
    low: float, high: float, ticks: list[float]
) -> None:
    assert nice_ticks(low, high) == ticks


@pytest.mark.parametrize(
    ("low", "high"),
    [(0, 1), (1, 1.01), (-7, 1234), (1e9, 1e9 + 3), (0, 1e-7), (17, 17.5), (0, 999)],
)
def test_nice_ticks_give_four_to_six_ticks(low: float, high: float) -> None:
    ticks = nice_ticks(low, high)
    assert 4 <= len(ticks) <= 6
    assert ticks[0] <= low
    assert ticks[-1] >= high
    assert ticks == sorted(set(ticks))
