"""The reinforcement ratio over time, drawn as accessible inline SVG."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from leancoach.metrics.charts import RatioPoint, ratio_trend_svg

SVG = "{http://www.w3.org/2000/svg}"


def draw(points: list[RatioPoint], **kwargs: object) -> ET.Element:
    return ET.fromstring(ratio_trend_svg(points, title="Ratio <trend>", **kwargs))  # type: ignore[arg-type]


def marks(root: ET.Element, css: str) -> list[ET.Element]:
    return [element for element in root.iter() if element.get("class") == css]


def test_each_window_is_marked_by_shape_as_meeting_or_missing_the_goal() -> None:
    root = draw(
        [
            RatioPoint("2026-11-01", 8, 2),  # 4:1 meets
            RatioPoint("2026-11-08", 3, 1),  # below
            RatioPoint("2026-11-15", 5, 0),  # no corrections
            RatioPoint("2026-11-22", 0, 0),  # no responses: no mark
        ]
    )
    assert len(marks(root, "ratio-meets")) == 1
    assert len(marks(root, "ratio-below")) == 1
    assert len(marks(root, "ratio-no-correction")) == 1
    titles = [element.text for element in root.iter(f"{SVG}title")]
    assert "2026-11-08: 3:1 (3 to 1), below 4:1" in titles
    assert "2026-11-15: 5:0, no corrections" in titles


def test_the_chart_names_itself_and_says_in_words_what_it_shows() -> None:
    root = draw([RatioPoint("2026-11-01", 8, 2), RatioPoint("2026-11-08", 3, 1)])
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None
    assert title.text == "Ratio <trend>"
    assert desc is not None
    assert desc.text is not None
    assert "1 window below the goal of 4:1" in desc.text
    assert "Latest: 2026-11-08: 3:1 (3 to 1), below 4:1." in desc.text
    assert root.get("aria-labelledby") == "ratio-trend-title ratio-trend-desc"


def test_the_goal_line_is_drawn_and_labelled() -> None:
    root = draw([RatioPoint("2026-11-01", 1, 1)])
    assert len(marks(root, "ratio-goal")) == 1
    assert any(element.text == "Goal 4:1" for element in root.iter(f"{SVG}text"))


def test_a_window_without_responses_breaks_the_line() -> None:
    root = draw(
        [
            RatioPoint("a", 4, 1),
            RatioPoint("b", 4, 1),
            RatioPoint("c", 0, 0),
            RatioPoint("d", 4, 1),
            RatioPoint("e", 4, 1),
        ]
    )
    [line] = marks(root, "ratio-line")
    assert (line.get("d") or "").count("M") == 2


def test_no_responses_at_all_says_so() -> None:
    root = draw([RatioPoint("2026-11-01", 0, 0)])
    desc = root.find(f"{SVG}desc")
    assert desc is not None
    assert "No reinforcements or corrections" in (desc.text or "")
    assert not marks(root, "ratio-line")


def test_a_bad_size_or_id_is_refused() -> None:
    with pytest.raises(ValueError, match="at least"):
        ratio_trend_svg([], title="t", width=10)
    with pytest.raises(ValueError, match="id_prefix"):
        ratio_trend_svg([], title="t", id_prefix="1 bad")
