"""Page view-models: URL parameters parsed without raising, chart file names, Markdown escaping."""

from __future__ import annotations

import datetime as dt

import pytest

from stances.views import (
    chart_config,
    escape_markdown,
    export_filename,
    link_rev,
    parse_date,
    parse_ids,
    parse_voices,
    voices_param,
    voices_phrase,
)

TODAY = dt.date(2024, 6, 30)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2013-04-05", dt.date(2013, 4, 5)),
        (" 2013-04-05 ", dt.date(2013, 4, 5)),
        ("2013-02-30", None),
        ("2013-04", None),
        ("2025-01-01", None),  # after "today": a link cannot be from the future
        ("1800-01-01", None),
        ("", None),
        (None, None),
        ("<script>", None),
    ],
)
def test_parse_date(raw, expected):
    assert parse_date(raw, latest=TODAY) == expected


def test_parse_ids_keeps_known_in_order_and_reports_unknown():
    assert parse_ids("CHN,XXX,RUS,CHN,,", ["RUS", "CHN"]) == (["CHN", "RUS"], ["XXX"])
    assert parse_ids(None, ["RUS"]) == ([], [])


def test_voices_round_trip_including_none():
    assert parse_voices("official,expert") == (["official", "expert"], [])
    assert parse_voices("none") == ([], [])
    assert parse_voices("official,gossip") == (["official"], ["gossip"])
    assert voices_param(["expert", "official"]) == "official,expert"
    assert voices_param([]) == "none"
    assert voices_phrase(["official", "reported"]) == "official statements and positions reported by sources"


def test_link_rev_accepts_only_hex():
    assert link_rev("abcdef0123") == "abcdef0"
    assert link_rev("not-a-rev") is None
    assert link_rev(None) is None


def test_export_filename_names_page_selection_and_date():
    assert export_filename("compare", ["RUS", "CHN"], dt.date(2013, 4, 5)) == "compare-rus-chn-2013-04-05"
    long = export_filename("overview", ["a", "b", "c", "d", "e"], None)
    assert long == "overview-a-b-c-and-2-more"
    assert export_filename("map", ["Противоракетная / ПРО"], None) == "map-chart"


def test_chart_config_is_offline_and_sized():
    config = chart_config("x")
    assert config["topojsonURL"] == "app/static/topojson/"
    assert config["toImageButtonOptions"] == {
        "format": "png",
        "filename": "x",
        "width": 1200,
        "height": 675,
        "scale": 2,
    }


@pytest.mark.parametrize("text", ["**bold**", "[a](javascript:x)", ":red[x]", "$x$", "<b>x</b>", "# h", "a_b_c"])
def test_escape_markdown_escapes_every_special_character(text):
    escaped = escape_markdown(text)
    assert escaped.replace("\\", "") == text
    for ch in "*[]():$<>#_":
        assert ch not in escaped.replace("\\" + ch, "")


def test_a_quote_under_compare_reads_one_item_a_line() -> None:
    from stances.model import Scale
    from stances.pageviews import Said

    said = Said(
        -1, "Nous refusons.", "fr", "We refuse.", "A. Person", "Minister", "2013-04", "official", None, "Le Monde"
    )
    assert said.text(Scale()).split("\n") == [
        "−1 opposes",
        "“Nous refusons.” [fr]",
        "Published translation: “We refuse.”",
        "A. Person, Minister · 2013-04 · official",
    ]
    assert "Published translation" not in Said(2, "Yes.", None, "", "B", "Envoy", "2020", "expert", None, "X").text(
        Scale()
    )
