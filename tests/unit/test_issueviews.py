"""The What changed and One issue, everyone views: empty states, titles that count what is drawn,
the cards and groups under the charts, and both pages in ``stances export``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from issuedata import dataset, position

from stances import analysis, issuecharts, issueviews, pickers
from stances.caption import footer_text
from stances.cli_export import page_charts
from stances.load import load_dataset
from stances.model import Scale

OFFICIAL = ("official",)
SCALE = Scale()
START, END = dt.date(2015, 1, 1), dt.date(2020, 1, 1)
ROOT = Path(__file__).parents[2]
POSITIONS = [
    position("RUS", "bmd", 1, "2010"),
    position("RUS", "bmd", -2, "2018-03", source="later"),
    position("USA", "bmd", 2, "2016"),
    position(["RUS", "CHN"], "coop", -1, "2019"),
    position("POL", "coop", 1, "2012"),
    position("POL", "coop", None, "2017"),
]


def view_of(positions=POSITIONS, start=START, end=END, voices=OFFICIAL, issues=()) -> issueviews.ChangesView:
    data = dataset(positions)
    return issueviews.changes_view(data, analysis.positions_frame(data), voices, start, end, issues)


def test_changes_title_counts_what_is_drawn_and_the_subtitle_what_changed():
    view = view_of()
    assert view.figure.layout.title.text == "What changed, 2015-01-01 to 2020-01-01: 5 stances"
    subtitle = view.figure.layout.title.subtitle.text
    assert "4 actors on 2 issues: 1 moved, 3 appeared, 1 lapsed · voices: official" in subtitle
    assert "Missile defence in Europe: The US should deploy" in subtitle  # the propositions of the issues drawn
    assert footer_text(view.figure).startswith("Source: Example (2013); Later Times (2020-01-02)")
    assert view.selection == ("2015-01-01", "2020-01-01")
    assert view.drawn == len(view.table) == len(issueviews.change_cards(view, SCALE)) == 5


def test_changes_cards_put_both_statements_side_by_side_in_plain_words():
    cards = {card.heading: card for card in issueviews.change_cards(view_of(), SCALE)}
    moved = cards["Russia · Missile defence in Europe: moved from +1 supports to −2 strongly opposes"]
    assert moved.before.date == "2010" and moved.after.date == "2018-03"
    first = cards["United States · Missile defence in Europe: appeared: +2 strongly supports"]
    assert first.before is None
    lapsed = cards["Poland · Cooperation with Russia: lapsed from +1 supports to declined to state"]
    assert lapsed.after.text().startswith("Poland · 2017 · official")
    joint = cards["China · Cooperation with Russia: appeared: −1 opposes"]
    assert joint.after.joint_with == "Russia"


def test_change_cards_are_made_once_per_view_limit_and_scale():
    view = view_of()
    first = issueviews.change_cards(view, SCALE, 3)
    assert issueviews.change_cards(view, SCALE, 3) is first  # a rerun of the page: a lookup
    assert first == issueviews.change_cards(view_of(), SCALE, 3)  # what a fresh view makes
    every = issueviews.change_cards(view, SCALE)
    assert len(every) == 5 and every[:3] == first
    worded = Scale(labels={**SCALE.labels, -2: "rejects outright"})
    headings = [card.heading for card in issueviews.change_cards(view, worded)]
    assert headings == [card.heading for card in issueviews.change_cards(view_of(), worded)]
    assert any("rejects outright" in h for h in headings)
    assert not any("rejects outright" in card.heading for card in issueviews.change_cards(view, SCALE))


def test_a_long_window_draws_what_fits_and_lists_everything():
    names = [("RUS", "bmd"), ("USA", "bmd"), ("CHN", "bmd"), ("POL", "bmd"), ("NATO", "bmd")]
    positions = [position(a, i, 1, f"20{10 + n}") for n, (a, i) in enumerate(names)]
    positions += [position(a, "coop", -1, "2016") for a, _ in names]
    positions += [position(a, "coop", 1, "2017") for a, _ in names]
    view = view_of(positions, start=dt.date(2009, 1, 1))
    assert len(issueviews.change_cards(view, SCALE)) == 10
    assert len(issueviews.change_cards(view, SCALE, 3)) == 3
    assert view.drawn == 10  # 2 headings + 10 rows fit
    assert view.figure.layout.title.text.endswith(": 10 stances")
    names = {f"A{n:02d}": f"Actor {n:02d}" for n in range(30)}
    crowd = dataset([position(a, "bmd", 1, "2016") for a in names], names)
    many = issueviews.changes_view(crowd, analysis.positions_frame(crowd), OFFICIAL, START, END, ())
    [after] = [t for t in many.figure.data if t.name == "after"]
    assert many.drawn == issuecharts.ARROW_ROWS_MAX - 1 == len(after.x)  # one heading row
    assert many.figure.layout.title.text.endswith(f": {many.drawn} of 30 stances")
    assert "moves drawn first, all listed on the page" in many.figure.layout.title.subtitle.text
    assert len(issueviews.change_cards(many, SCALE)) == len(many.table) == 30
    few = issueviews.changes_view(
        dataset(positions), analysis.positions_frame(dataset(positions)), OFFICIAL, dt.date(2016, 6, 1), END, ()
    )
    assert few.drawn == len(few.table) == 5  # coop moved -1 -> +1; bmd: no change after 2016-06


def test_changes_empty_states_say_what_to_do():
    assert view_of(voices=()).empty.startswith("No voice is selected")
    assert "must come before" in view_of(start=END, end=START).empty
    assert view_of(start=None).empty == "Choose two dates to compare."
    quiet = view_of([position("USA", "bmd", 2, "2010"), position("USA", "bmd", 2, "2016")])
    assert quiet.figure is None
    assert quiet.empty.startswith("No stance changed between 2015-01-01 and 2020-01-01")
    assert "(1 stance restated unchanged)" in quiet.empty


def test_lineup_view_places_everyone_and_groups_their_words():
    data = dataset(POSITIONS)
    view = issueviews.lineup_view(data, analysis.positions_frame(data), END, OFFICIAL, "coop")
    assert view.figure.layout.title.text == "Cooperation with Russia: where everyone stands"
    assert view.proposition == "NATO and Russia should cooperate."
    subtitle = view.figure.layout.title.subtitle.text
    assert subtitle.startswith("Proposition: NATO and Russia should cooperate.")
    assert subtitle.endswith("As of 2020-01-01 · latest statement 2019 · voices: official")
    assert [(g.heading, g.label, [s.actor for s in g.statements]) for g in view.groups] == [
        ("Stance −1 · 2 actors", "opposes", ["China", "Russia"]),
        ("Declined to state · 1 actor", "", ["Poland"]),
    ]
    assert view.selection == ("coop",)


def test_lineup_fades_stances_older_than_the_sidebars_years():
    data = dataset(POSITIONS)
    frame = analysis.positions_frame(data)
    faded = issueviews.lineup_view(data, frame, END, OFFICIAL, "coop", 2)  # before 2018-01-01: Poland (2017)
    [dots] = [t for t in faded.figure.data if t.name == "actors"]
    assert list(dots.marker.opacity) == [
        issuecharts.OLD_OPACITY,
        1.0,
        1.0,
    ]  # Poland (declined: leftmost), China, Russia
    never = issueviews.lineup_view(data, frame, END, OFFICIAL, "coop", 0)
    assert set(next(t for t in never.figure.data if t.name == "actors").marker.opacity) == {1.0}


def test_lineup_empty_states():
    data = dataset(POSITIONS)
    frame = analysis.positions_frame(data)
    assert issueviews.lineup_view(data, frame, dt.date(2000, 1, 1), OFFICIAL, "coop").empty.startswith("Nobody has")
    assert issueviews.lineup_view(data, frame, END, (), "coop").empty.startswith("No voice")
    assert issueviews.lineup_view(data, frame, END, OFFICIAL, None).figure is None


def test_pickers_default_to_the_year_up_to_the_newest_statement_and_the_issue_most_actors_spoke_on():
    data = dataset(POSITIONS)
    frame = analysis.positions_frame(data)
    window = pickers.changes_choices(data, frame, END, OFFICIAL)
    assert (window.default_start, window.default_end) == (dt.date(2018, 1, 1), dt.date(2019, 1, 1))
    assert set(window.issues) == {"bmd", "coop"}
    assert pickers.lineup_choices(data, frame, END, OFFICIAL).default_issues == ("coop",)  # 3 actors against 2
    assert pickers.lineup_choices(data, frame, dt.date(2011, 1, 1), OFFICIAL).default_issues == ("bmd",)


def test_both_pages_are_exported_with_links_that_name_what_the_data_chose():
    """The window (a year up to the newest statement) and the issue: a statement added later
    could move either, so the links name them, as the pages' own links do."""
    data = dataset(POSITIONS)
    charts = issueviews.default_charts(data, END, OFFICIAL)
    assert [(c.page, c.params) for c in charts] == [
        ("changes", {"from": ("2018-01-01",), "to": ("2019-01-01",)}),
        ("lineup", {"issue": ("bmd",)}),
        ("lineup", {"issue": ("coop",)}),  # the page's own default, named all the same
    ]
    assert issueviews.default_charts(data, END, ()) == []


def test_stances_export_writes_both_pages_for_the_bundled_data():
    items = list(page_charts(load_dataset(ROOT / "positions.yaml"), dt.date(2025, 1, 1), ["official"]))
    pages = [item.page for item in items]
    assert pages.count("changes") == 1
    assert pages.count("lineup") == pages.count("map") >= 5  # one per issue with a stance as of the date
    changed = next(item for item in items if item.page == "changes")
    assert changed.filename == "changes-2023-11-01-2024-11-01-2025-01-01"
    assert changed.caption.title.startswith("What changed, 2023-11-01 to 2024-11-01")
    for item in items:
        if item.page in ("changes", "lineup"):
            assert footer_text(item.figure).startswith("Source: "), item.filename
            assert (item.figure.layout.width, item.figure.layout.height) == (1200, 675)
