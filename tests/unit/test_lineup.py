"""Where everyone stands on one issue: the rows, their order, the groups by stance, the statements."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from issuedata import frame_of, position

from stances import lineup
from stances.model import Scale

OFFICIAL = ("official",)


def stances(rows) -> list[int | None]:
    return [None if s is pd.NA else int(s) for s in rows["stance"]]


POSITIONS = [
    position("USA", "bmd", 2, "2012-05-01"),
    position("RUS", "bmd", 1, "2010"),
    position("RUS", "bmd", -2, "2016-05", language="ru", translation="We object."),
    position(["CHN", "POL"], "bmd", -2, "2017", note="Joint."),
    position("NATO", "bmd", None, "2014"),
    position("USA", "coop", 1, "2013"),
    position("POL", "coop", 0, "2011"),
]


def test_one_row_per_actor_by_stance_low_to_high_then_name_and_declined_last():
    rows = lineup.issue_lineup(frame_of(POSITIONS), "bmd", None, OFFICIAL)
    assert list(zip(rows["actor"], stances(rows), rows["year"], strict=True)) == [
        ("CHN", -2, "2017"),
        ("POL", -2, "2017"),
        ("RUS", -2, "2016"),
        ("USA", 2, "2012"),
        ("NATO", None, "2014"),
    ]


def test_the_as_of_date_and_voices_decide_each_actors_stance():
    frame = frame_of([*POSITIONS, position("USA", "bmd", -1, "2013", voice="expert")])
    rows = lineup.issue_lineup(frame, "bmd", dt.date(2014, 12, 31), OFFICIAL)
    assert dict(zip(rows["actor"], stances(rows), strict=True)) == {"RUS": 1, "USA": 2, "NATO": None}
    rows = lineup.issue_lineup(frame, "bmd", dt.date(2014, 12, 31), ("official", "expert"))
    assert dict(zip(rows["actor"], stances(rows), strict=True))["USA"] == -1
    assert lineup.issue_lineup(frame, "bmd", dt.date(2000, 1, 1), OFFICIAL).empty
    assert lineup.issue_lineup(frame, "nobody-spoke", None, OFFICIAL).empty


def test_groups_follow_the_scale_and_hold_only_stances_someone_holds():
    rows = lineup.issue_lineup(frame_of(POSITIONS), "bmd", None, OFFICIAL)
    groups = lineup.stance_groups(rows, Scale())
    assert [(stance, list(held["actor"])) for stance, held in groups] == [
        (-2, ["CHN", "POL", "RUS"]),
        (2, ["USA"]),
        (None, ["NATO"]),
    ]


def test_a_statement_reads_as_plain_lines_with_language_translation_joint_and_note():
    rows = lineup.issue_lineup(frame_of(POSITIONS), "bmd", None, OFFICIAL)
    by_actor = dict(zip(rows["actor"], lineup.statements(rows), strict=True))
    assert by_actor["RUS"].text() == (
        "Russia · 2016-05 · official\n“Said on 2016-05.” [ru]\nPublished translation: “We object.”\n"
        "Speaker, Role\nSource: Example (2013)"
    )
    assert by_actor["RUS"].source_url == "https://example.org/a"
    chinese = by_actor["CHN"].text()
    assert "Joint statement with Poland" in chinese and chinese.endswith("Coder's note: Joint.")
    assert "None" not in "".join(s.text() for s in by_actor.values())
