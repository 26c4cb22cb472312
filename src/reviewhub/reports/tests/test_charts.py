"""Charts: valid SVG and PNG, the same bytes for the same data, and a data table beside."""

import xml.etree.ElementTree as ET

import pytest

from reviewhub.reports.charts import Chart, bar_chart, line_chart, make_chart

SVG_NS = "{http://www.w3.org/2000/svg}"


def parse_svg(data: bytes):
    # The SVG is our own output, so the stdlib parser's entity risks do not apply.
    return ET.fromstring(data)  # noqa: S314


CATS = ["Death", "Serious harm", "Other"]
SERIES = {"2024-25": [12, 15, 2], "2023-24": [10, 18, 3]}


def test_svg_parses_as_xml_with_an_svg_root():
    root = parse_svg(bar_chart("Notifications", CATS, SERIES))
    assert root.tag == f"{SVG_NS}svg"


def test_png_has_the_png_signature():
    assert bar_chart("Notifications", CATS, SERIES, fmt="png").startswith(b"\x89PNG\r\n\x1a\n")


@pytest.mark.parametrize(
    ("fmt", "options"), [("svg", {}), ("png", {"stacked": True}), ("svg", {"horizontal": True})]
)
def test_same_data_gives_same_bytes(fmt, options):
    first = bar_chart("Notifications", CATS, SERIES, fmt=fmt, **options)
    second = bar_chart("Notifications", CATS, SERIES, fmt=fmt, **options)
    assert first == second


def test_different_data_gives_different_bytes():
    changed = {"2024-25": [12, 15, 3], "2023-24": [10, 18, 3]}
    assert bar_chart("N", CATS, SERIES) != bar_chart("N", CATS, changed)


def test_svg_carries_no_date_or_software_version():
    svg = bar_chart("Notifications", CATS, SERIES).decode()
    assert "<dc:date>" not in svg
    assert "Matplotlib v" not in svg


def test_line_chart_allows_gaps_and_is_deterministic():
    series = {"Completed": [3, None, 5], "In time": [2, 1, None]}
    a = line_chart("Rapid reviews", ["Apr", "May", "Jun"], series)
    assert a == line_chart("Rapid reviews", ["Apr", "May", "Jun"], series)
    parse_svg(a)


def test_make_chart_pairs_images_with_table_and_alt_text():
    chart = make_chart(
        "bar",
        "Actions by agency",
        ["Police", "Health"],
        {"Red": [2, 1], "Green": [3, 4]},
        stacked=True,
        category_label="Agency",
    )
    assert isinstance(chart, Chart)
    assert chart.columns == ("Agency", "Red", "Green", "Total")
    assert chart.rows == (("Police", 2, 3, 5), ("Health", 1, 4, 5))
    assert "Actions by agency" in chart.alt and "Police (5 in all)" in chart.alt
    assert chart.png.startswith(b"\x89PNG")
    parse_svg(chart.svg)
    assert chart.svg_data_uri().startswith("data:image/svg+xml;base64,")
    assert chart.png_data_uri().startswith("data:image/png;base64,")


def test_alt_text_names_the_highest_value_of_a_simple_chart():
    chart = make_chart("bar", "Notifications", CATS, {"2024-25": [12, 15, 2]})
    assert "Highest: Serious harm (15)" in chart.alt


def test_empty_chart_says_there_is_no_data():
    chart = make_chart("bar", "Briefings", [], {"Sent": []})
    assert chart.rows == ()
    assert "No data" in chart.alt
    parse_svg(chart.svg)


def test_series_of_wrong_length_is_refused():
    with pytest.raises(ValueError, match="2 values for 3 categories"):
        bar_chart("x", CATS, {"a": [1, 2]})


def test_unknown_format_is_refused():
    with pytest.raises(ValueError):
        bar_chart("x", CATS, {"a": [1, 2, 3]}, fmt="gif")
