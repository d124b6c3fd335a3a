"""The change arrows and the lineup strip as figures: traces, labels, title and footer (not pixels)."""

from __future__ import annotations

import datetime as dt
import re

import plotly.graph_objects as go
from chartdata import all_strings
from issuedata import dataset, frame_of, position

from stances import analysis, changes, issuecharts, lineup, palette
from stances.caption import Caption, footer_text
from stances.model import Scale

SCALE = Scale()
OFFICIAL = ("official",)
CAPTION = Caption(
    "Title here", "As of 2020-01-01 · voices: official", ["Example (2013)"], "Data", "r1", "Proposition: P."
)
START, END = dt.date(2015, 1, 1), dt.date(2020, 1, 1)


def trace(fig: go.Figure, name: str) -> go.Scatter:
    [found] = [t for t in fig.data if t.name == name]
    return found


# --- the lineup ------------------------------------------------------------------------------------


def strip(positions, voices=OFFICIAL, names=None) -> go.Figure:
    frame = analysis.positions_frame(dataset(positions, names))
    return issuecharts.lineup_strip(lineup.issue_lineup(frame, "bmd", None, voices), SCALE, CAPTION)


def test_each_actor_is_a_dot_in_its_stances_column_with_name_and_year():
    fig = strip(
        [position("RUS", "bmd", -2, "2016-05"), position("USA", "bmd", 2, "2012"), position("CHN", "bmd", 2, "2013")]
    )
    actors = trace(fig, "actors")
    ticks = [t.replace("<br>", " ") for t in fig.layout.xaxis.ticktext]  # wrapped to the column
    assert len(ticks) == 5  # no one declined: no "declined" column
    assert ticks[0] == "−2 strongly opposes 1 actor"
    assert ticks[4].startswith("+2 strongly") and ticks[4].endswith("2 actors")
    assert ticks[2].endswith("nobody")
    columns = [round(x) for x in actors.x]  # each dot sits inside its column
    assert columns == [0, 4, 4]
    words = [" ".join(re.sub(r"<br>|<span[^>]*>|</span>", " ", t).split()) for t in actors.text]
    assert words == ["Russia 2016", "China 2013", "United States 2012"]  # the year in a muted span
    assert all(f'<span style="color:{palette.MUTED}">' in text for text in actors.text)
    assert list(actors.marker.color) == [palette.stance_colour(-2, SCALE), *[palette.stance_colour(2, SCALE)] * 2]
    assert list(actors.y) == [0, 0, 1.5]  # stacked from the top of each column: two lines, centred


def test_a_declined_stance_gets_its_own_column_and_other_voices_are_hollow():
    fig = strip(
        [position("RUS", "bmd", None, "2016"), position("USA", "bmd", 1, "2012", voice="expert")],
        voices=("official", "expert"),
    )
    assert fig.layout.xaxis.ticktext[0].replace("<br>", " ") == "declined to state 1 actor"
    actors = trace(fig, "actors")
    assert list(actors.marker.symbol) == ["circle", "circle-open"]  # column by column: Russia declined, the US
    assert actors.marker.color[0] == palette.DECLINED_COLOUR
    [note] = [a.text for a in fig.layout.annotations if a.name == "voices"]
    assert note == "hollow dot: expert or reported voice"


def test_a_stance_older_than_the_fading_limit_is_a_pale_dot_and_says_so():
    frame = analysis.positions_frame(
        dataset([position("RUS", "bmd", -2, "2009-05"), position("USA", "bmd", 2, "2016")])
    )
    rows = lineup.issue_lineup(frame, "bmd", None, OFFICIAL)
    fig = issuecharts.lineup_strip(rows, SCALE, CAPTION, dt.date(2010, 1, 1))
    actors = trace(fig, "actors")
    assert list(actors.marker.opacity) == [issuecharts.OLD_OPACITY, 1.0]
    assert actors.hovertext[0].endswith("<i>pale: stated before 2010-01-01</i>")
    [note] = [a.text for a in fig.layout.annotations if a.name == "voices"]
    assert note == "pale dot: stated before 2010-01-01"
    plain_fig = issuecharts.lineup_strip(rows, SCALE, CAPTION)
    assert list(trace(plain_fig, "actors").marker.opacity) == [1.0, 1.0]


def test_the_title_proposition_and_footer_say_what_the_image_shows():
    fig = strip([position("RUS", "bmd", -2, "2016")])
    assert not [a for a in fig.layout.annotations if a.name == "voices"]  # officials only: nothing to explain
    assert fig.layout.title.text == "Title here"
    assert fig.layout.title.subtitle.text.startswith("Proposition: P.")
    assert "As of 2020-01-01" in fig.layout.title.subtitle.text
    assert footer_text(fig).startswith("Source: Example (2013)") and "revision r1" in footer_text(fig)
    assert (fig.layout.width, fig.layout.height) == (1200, 675)


def test_a_column_longer_than_the_chart_ends_in_a_count_of_the_rest():
    names = {f"A{n:02d}": f"Actor {n:02d}" for n in range(60)}
    fig = strip([position(a, "bmd", 2, "2016") for a in names], names=names)
    shown = len(trace(fig, "actors").x)
    assert 10 < shown < 60
    assert list(trace(fig, "notes").text) == [f"+{60 - shown} more (listed below the chart)"]
    assert fig.layout.xaxis.ticktext[-1].endswith("60 actors")  # the heading counts them all


def test_names_are_text_never_markup():
    names = {"EVL": "<b>Evil</b> & co"}
    fig = strip([position("EVL", "bmd", 1, "2016")], names=names)
    assert "&lt;b&gt;Evil&lt;/b&gt; &amp; co" in trace(fig, "actors").text[0].replace("<br>", " ")
    assert not any("<b>Evil" in s for s in all_strings(fig))


# --- what changed ----------------------------------------------------------------------------------


def arrows(positions, rows_max: int | None = None) -> tuple[go.Figure, changes.Changes]:
    found = changes.stance_changes(frame_of(positions), START, END, OFFICIAL)
    table = issuecharts.fit_changes(found.table, rows_max) if rows_max else found.table
    return issuecharts.change_arrows(table, SCALE, CAPTION, START, END), found


def test_an_arrow_runs_from_the_earlier_stance_to_the_later_one_each_end_dated():
    fig, _ = arrows([position("RUS", "bmd", 1, "2010"), position("RUS", "bmd", -2, "2018-03")])
    before, after = trace(fig, "before"), trace(fig, "after")
    assert (list(before.x), list(after.x)) == ([1], [-2])
    assert (list(before.text), list(after.text)) == (["2010"], ["2018-03"])
    assert list(after.marker.symbol) == ["triangle-left"]
    assert after.marker.color[0] == palette.stance_colour(-2, SCALE)
    moved = trace(fig, "moved")
    assert (list(moved.x), moved.line.dash) == ([1, -2, None], "solid")
    assert list(fig.layout.xaxis.tickvals) == [-2, -1, 0, 1, 2]  # nothing starts from nothing or declines


def test_first_statements_start_at_no_position_and_lapses_end_at_declined():
    fig, _ = arrows(
        [
            position("USA", "bmd", 2, "2016"),
            position("RUS", "bmd", 1, "2010"),
            position("RUS", "bmd", None, "2018"),
        ]
    )
    ticks = dict(
        zip(fig.layout.xaxis.tickvals, [t.replace("<br>", " ") for t in fig.layout.xaxis.ticktext], strict=True)
    )
    assert ticks[-4] == "no position before" and ticks[-3] == "declined to state"
    assert trace(fig, "appeared").line.dash == "dot" and list(trace(fig, "appeared").x) == [-4, 2, None]
    assert trace(fig, "lapsed").line.dash == "dash"
    assert list(trace(fig, "after").x) == [2, -3]  # the US (appeared) then Russia (lapsed): by kind
    assert trace(fig, "before").hovertext[0].endswith("no position before 2015-01-01")


def test_rows_are_actors_under_a_heading_per_issue_and_the_legend_names_both_dates():
    fig, _ = arrows(
        [position("RUS", "bmd", 1, "2016"), position("USA", "coop", 1, "2016"), position("CHN", "coop", 2, "2017")]
    )
    assert list(fig.layout.yaxis.ticktext)[:5] == ["", "Russia", "", "United States", "China"]
    headings = [a.text for a in fig.layout.annotations if a.name == "issue"]
    assert headings == ["<b>Missile defence in Europe</b>", "<b>Cooperation with Russia</b>"]
    legend = [t.name for t in fig.data if t.showlegend is not False]
    assert legend == ["appeared", "stance on 2015-01-01", "stance on 2020-01-01"]
    assert fig.layout.title.text == "Title here" and footer_text(fig).startswith("Source: Example (2013)")


def test_the_chart_draws_moves_and_lapses_before_first_statements_when_rows_run_out():
    positions = [position(a, "bmd", 1, "2016") for a in ("RUS", "USA", "CHN")]
    positions += [position("POL", "coop", 1, "2010"), position("POL", "coop", -1, "2016")]
    _, found = arrows(positions)
    drawn = issuecharts.fit_changes(found.table, 4)
    assert list(zip(drawn["actor"], drawn["change"], strict=True)) == [("RUS", "appeared"), ("POL", "moved")]
    assert len(issuecharts.fit_changes(found.table)) == len(found.table)
