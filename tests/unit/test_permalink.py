"""A view's URL parameters, parsed without raising: what could be used, and what had to be dropped."""

from __future__ import annotations

import datetime as dt

import pytest

from stances.permalink import MAX_FADE_YEARS, link_rev, parse_date, parse_fade, parse_ids, parse_voices, voices_param

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


def test_link_rev_accepts_only_hex():
    assert link_rev("abcdef0123") == "abcdef0"
    assert link_rev("not-a-rev") is None
    assert link_rev(None) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("10", 10),
        (" 5 ", 5),
        ("0", 0),  # never fade
        (str(MAX_FADE_YEARS), MAX_FADE_YEARS),
        (str(MAX_FADE_YEARS + 1), None),
        ("-1", None),
        ("2.5", None),
        ("ten", None),
        ("٣", None),  # a digit of another script is no year count in a link
        ("", None),
        (None, None),
    ],
)
def test_parse_fade_reads_whole_years_up_to_the_limit(raw, expected):
    assert parse_fade(raw) == expected
