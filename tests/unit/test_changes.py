"""What changed between two dates: moves, first statements, lapses, joint statements, ties, windows."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from issuedata import frame_of, position

from stances import changes

OFFICIAL = ("official",)
START, END = dt.date(2015, 1, 1), dt.date(2020, 1, 1)


def found(positions, start=START, end=END, voices=OFFICIAL, issues=None) -> changes.Changes:
    return changes.stance_changes(frame_of(positions), start, end, voices, issues)


def flat(result: changes.Changes) -> list[tuple]:
    """(actor, issue, change, before, after) per change, stances as ints or None."""
    table = result.table
    return [
        (r["actor"], r["issue"], r["change"], None if pd.isna(r["before_stance"]) else int(r["before_stance"]),
         None if pd.isna(r["after_stance"]) else int(r["after_stance"]))
        for r in table.to_dict("records")
    ]  # fmt: skip


def test_a_stance_that_moved_is_listed_with_its_shift_and_both_quotes():
    result = found([position("RUS", "bmd", 1, "2010", quote="We may agree."), position("RUS", "bmd", -2, "2018-03")])
    assert flat(result) == [("RUS", "bmd", "moved", 1, -2)]
    row = result.table.iloc[0]
    assert row["shift"] == -3
    assert (row["before_quote"], row["after_quote"]) == ("We may agree.", "Said on 2018-03.")
    assert (row["before_date"], row["after_date"]) == ("2010", "2018-03")
    assert result.counts == {"moved": 1, "appeared": 0, "lapsed": 0}


def test_a_first_statement_in_the_window_appears_and_one_before_it_does_not():
    result = found([position("USA", "bmd", 2, "2012"), position("RUS", "bmd", -1, "2016-05-09")])
    assert flat(result) == [("RUS", "bmd", "appeared", None, -1)]
    assert pd.isna(result.table.iloc[0]["before_order"])  # no position at all before: not a declined one


def test_a_stance_stated_after_declining_appears_with_the_declining_quote_before():
    result = found([position("CHN", "bmd", None, "2013", quote="No comment."), position("CHN", "bmd", -1, "2016")])
    assert flat(result) == [("CHN", "bmd", "appeared", None, -1)]
    assert result.table.iloc[0]["before_quote"] == "No comment."


def test_a_stance_superseded_by_declining_lapses():
    result = found([position("POL", "bmd", 2, "2010"), position("POL", "bmd", None, "2019-12-31")])
    assert flat(result) == [("POL", "bmd", "lapsed", 2, None)]
    assert result.counts["lapsed"] == 1
    assert pd.isna(result.table.iloc[0]["shift"])


def test_declining_again_or_restating_the_same_stance_is_no_change():
    result = found(
        [
            position("CHN", "bmd", None, "2010"),
            position("CHN", "bmd", None, "2016"),
            position("USA", "bmd", 2, "2010"),
            position("USA", "bmd", 2, "2017"),
        ]
    )
    assert flat(result) == []
    assert result.restated == 1  # the US said +2 again; a second refusal is not a stance


def test_only_the_two_dates_count_a_move_and_back_is_no_change():
    result = found(
        [position("RUS", "bmd", 1, "2010"), position("RUS", "bmd", -2, "2016"), position("RUS", "bmd", 1, "2018")]
    )
    assert flat(result) == []


def test_a_statement_after_the_second_date_or_on_the_first_does_not_count():
    result = found([position("RUS", "bmd", 1, "2015-01-01"), position("RUS", "bmd", -2, "2020-01-02")])
    assert flat(result) == []  # as of 2015-01-01 the stance is +1 already; the move comes after 2020-01-01


def test_partial_dates_count_from_their_first_day():
    # "2020" starts on 2020-01-01, the second date: it counts; "2015" is before the window already
    result = found([position("RUS", "bmd", 1, "2015"), position("RUS", "bmd", 2, "2020")])
    assert flat(result) == [("RUS", "bmd", "moved", 1, 2)]


def test_a_joint_statement_changes_each_signatory_and_says_with_whom():
    result = found(
        [
            position("RUS", "coop", 1, "2010"),
            position(["RUS", "CHN"], "coop", -2, "2018", quote="Together we oppose."),
        ]
    )
    assert flat(result) == [("RUS", "coop", "moved", 1, -2), ("CHN", "coop", "appeared", None, -2)]
    joint = dict(zip(result.table["actor"], result.table["after_joint_with"], strict=True))
    assert joint == {"RUS": "China", "CHN": "Russia"}
    assert list(result.rows["quote"]).count("Together we oppose.") == 2  # one row per signatory


def test_on_a_tie_the_record_later_in_the_file_wins():
    result = found(
        [position("USA", "bmd", 1, "2010"), position("USA", "bmd", -1, "2018-05"), position("USA", "bmd", 2, "2018-05")]
    )
    assert flat(result) == [("USA", "bmd", "moved", 1, 2)]
    result = found(
        [position("USA", "bmd", 1, "2010"), position("USA", "bmd", 2, "2018-05"), position("USA", "bmd", -1, "2018-05")]
    )
    assert flat(result) == [("USA", "bmd", "moved", 1, -1)]


def test_a_tie_between_a_joint_and_an_own_statement_goes_to_the_later_record():
    result = found([position(["RUS", "CHN"], "bmd", -2, "2018-05"), position("CHN", "bmd", 0, "2018-05")])
    assert flat(result) == [("RUS", "bmd", "appeared", None, -2), ("CHN", "bmd", "appeared", None, 0)]


def test_rows_come_by_issue_then_kind_then_actor_in_the_datasets_order():
    result = found(
        [
            position("POL", "coop", 1, "2017"),
            position("USA", "coop", 1, "2010"),
            position("USA", "coop", 2, "2017"),
            position("RUS", "bmd", 1, "2016"),
            position("CHN", "bmd", 2, "2010"),
            position("CHN", "bmd", None, "2016"),
            position("USA", "bmd", -1, "2016"),
        ]
    )
    assert [(a, i, k) for a, i, k, _, _ in flat(result)] == [
        ("RUS", "bmd", "appeared"),  # the dataset lists Russia, the United States, China, Poland
        ("USA", "bmd", "appeared"),
        ("CHN", "bmd", "lapsed"),
        ("USA", "coop", "moved"),
        ("POL", "coop", "appeared"),
    ]


def test_voices_and_issues_filter_and_dates_in_either_order():
    positions = [
        position("RUS", "bmd", 1, "2010"),
        position("RUS", "bmd", -2, "2018", voice="expert"),
        position("USA", "coop", 2, "2018"),
    ]
    assert flat(found(positions)) == [("USA", "coop", "appeared", None, 2)]
    assert flat(found(positions, voices=("official", "expert"), issues=["bmd"])) == [("RUS", "bmd", "moved", 1, -2)]
    assert flat(found(positions, start=END, end=START)) == flat(found(positions))


def test_the_positions_behind_are_those_quoted():
    result = found(
        [position("RUS", "bmd", 1, "2010"), position("RUS", "bmd", -2, "2018"), position("USA", "bmd", 2, "2010")]
    )
    assert sorted(result.rows["date"]) == ["2010", "2018"]
    assert set(result.rows["actor"]) == {"RUS"}


def test_the_default_window_is_the_year_up_to_the_newest_statement():
    frame = frame_of(
        [
            position("RUS", "bmd", 1, "2010"),
            position("USA", "bmd", 2, "2016-02-29"),
            position("CHN", "bmd", 1, "2019", voice="expert"),
        ]
    )
    assert changes.default_window(frame, OFFICIAL, None) == (dt.date(2015, 2, 28), dt.date(2016, 2, 29))
    assert changes.default_window(frame, ("official", "expert"), None) == (dt.date(2018, 1, 1), dt.date(2019, 1, 1))
    assert changes.default_window(frame, OFFICIAL, dt.date(2012, 6, 1)) == (dt.date(2009, 1, 1), dt.date(2010, 1, 1))
    assert changes.default_window(frame, OFFICIAL, dt.date(2009, 6, 1)) is None
    assert changes.default_window(frame, (), None) is None


def test_the_table_has_readable_headings_and_no_none_text():
    result = found([position("RUS", "bmd", -1, "2016")])
    table = changes.changes_table(result)
    assert list(table.columns) == list(changes.TABLE_COLUMNS.values())
    row = table.iloc[0]
    assert (row["change"], row["stance after"], row["quote after"]) == ("appeared", -1, "Said on 2016.")
    assert pd.isna(row["stance before"]) and pd.isna(row["quote before"])
    assert "None" not in table.astype(str).replace({"<NA>": "", "nan": ""}).to_string()


def test_side_rows_read_as_frame_rows():
    result = found([position("RUS", "bmd", 1, "2010"), position("RUS", "bmd", -2, "2018")])
    after = changes.side_rows(result.table, "after")
    assert after.iloc[0][["actor", "issue_title", "stance", "date"]].tolist() == [
        "RUS",
        "Missile defence in Europe",
        -2,
        "2018",
    ]


def test_summary_names_only_the_kinds_present():
    assert changes.summary({"moved": 2, "appeared": 0, "lapsed": 1}) == "2 moved, 1 lapsed"
    assert changes.summary({}) == "no change"


def test_the_csv_keeps_both_quotes_and_cannot_start_a_formula():
    from stances.tables import csv_bytes

    result = found([position("RUS", "bmd", 1, "2010", quote="=HYPERLINK(1)"), position("RUS", "bmd", -2, "2018")])
    text = csv_bytes(changes.changes_table(result)).decode("utf-8-sig")
    header, row = text.splitlines()[:2]
    assert header.startswith("issue,actor,change,stance before,stance after,shift,date before,quote before")
    assert "'=HYPERLINK(1)" in row and "Said on 2018." in row
