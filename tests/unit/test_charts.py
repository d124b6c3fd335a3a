"""Charts are data: each builder is tested by its traces and layout (values, labels, caption, size)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import yaml
from chartdata import (
    CAPTION,
    DARK_BACKGROUND,
    EVIL,
    LIGHT_BACKGROUND,
    SCALE,
    all_strings,
    build,
    code,
    font_colours,
    grid,
)

from stances import agreement, analysis, charts, palette, worldmap
from stances.caption import HEIGHT, NARROW_WIDTH, Caption, fit_footer, footer_text, text_width
from stances.load import load_dataset, parse_dataset
from stances.model import Actor, Dataset, Issue, Position, Scale, Source

# --- heatmap -----------------------------------------------------------------------------------


def test_heatmap_cells_hold_stance_codes_labels_and_quotes(latest: pd.DataFrame) -> None:
    fig = charts.stance_heatmap(latest, SCALE, CAPTION)
    (heat,) = fig.data
    assert grid(heat.z) == [[code(-2), code(None)], [code(2), None], [code(1), None]]
    # A long name that fits the room of LABEL_MAX average characters is shown whole.
    assert fig.layout.yaxis.ticktext == ("Russia", "United States", "North Atlantic Treaty Organization")
    assert fig.layout.xaxis.ticktext == ("Issue bmd", "Issue inf")
    text = grid(heat.text)
    # Two wide columns: every stance fits in words with its year, so every cell has them (never a cut word).
    assert text[0][0] == "−2 strongly opposes · 2013"
    assert text[0][1] == "declined to state · 2014"
    assert text[1][0] == "+2 strongly supports · 2013"
    assert text[2][0] == "+1 supports* · 2013"  # an expert voice is marked
    assert text[1][1] == ""  # no position: blank
    hover = grid(heat.hovertext)
    assert "We feel no euphoria." in hover[0][0] and "Sergei Ryabkov" in hover[0][0] and "2013" in hover[0][0]
    assert "Example (2013)" in hover[0][0]
    assert "no position recorded" in hover[1][1]
    assert "expert voice" in hover[2][0]
    assert heat.hovertemplate == "%{hovertext}<extra></extra>"


def test_heatmap_colours_come_from_the_one_palette(latest: pd.DataFrame) -> None:
    (heat,) = charts.stance_heatmap(latest, SCALE, CAPTION).data
    bands = [colour for _, colour in heat.colorscale][::2]
    assert bands == [palette.DECLINED_COLOUR] + [palette.stance_colour(s, SCALE) for s in range(-2, 3)]
    assert (heat.zmin, heat.zmax) == (-0.5, 5.5)
    assert heat.colorbar.ticktext[0].replace("<br>", " ") == "declined to state"
    assert tuple(t.replace("<br>", " ") for t in heat.colorbar.ticktext[1:]) == (
        "−2 strongly opposes",
        "−1 opposes",
        "0 ambiguous or conditional",
        "+1 supports",
        "+2 strongly supports",
    )


def test_heatmap_caption_size_and_footer(latest: pd.DataFrame) -> None:
    fig = charts.stance_heatmap(latest, SCALE, CAPTION)
    assert fig.layout.title.text == "Stances on missile defence"
    assert fig.layout.title.subtitle.text == "As of 2014-01-01 · voices: official"
    assert footer_text(fig) == "Source: Example (2013) · Data · revision r1"
    assert (fig.layout.width, fig.layout.height) == (1200, 675)


def test_heatmap_with_chosen_actors_and_an_issue_without_positions(latest: pd.DataFrame) -> None:
    fig = charts.stance_heatmap(latest, SCALE, CAPTION, actors=["USA"], issues=["bmd", "nothing-here"])
    (heat,) = fig.data
    assert grid(heat.z) == [[code(2), None]]
    assert fig.layout.xaxis.ticktext == ("Issue bmd", "nothing-here")


def test_heatmap_names_a_chosen_issue_without_positions_by_its_title(latest: pd.DataFrame) -> None:
    titles = {"bmd": "Ignored: the rows name it", "legal": "Legal guarantees to Russia"}
    fig = charts.stance_heatmap(latest, SCALE, CAPTION, actors=["USA"], issues=["bmd", "legal"], issue_titles=titles)
    assert [t.replace("<br>", " ") for t in fig.layout.xaxis.ticktext] == ["Issue bmd", "Legal guarantees to Russia"]
    assert grid(fig.data[0].z) == [[code(2), None]]


def test_heatmap_of_one_actor_and_of_nothing(latest: pd.DataFrame) -> None:
    one = charts.stance_heatmap(latest[latest["actor"] == "RUS"], SCALE, CAPTION)
    assert grid(one.data[0].z) == [[code(-2), code(None)]]
    empty = charts.stance_heatmap(latest.iloc[:0], SCALE, CAPTION)
    assert len(empty.data) == 0
    assert [a.text for a in empty.layout.annotations if a.name == "empty"] == [
        "No positions to show for this selection."
    ]
    assert footer_text(empty).startswith("Source: Example (2013)")


def test_heatmap_at_30_actors_stays_readable() -> None:
    positions = [
        {"actor": f"A{n:02d}", "issue": f"issue-{i}", "stance": (n + i) % 5 - 2} for n in range(30) for i in range(8)
    ]
    actors = [{"id": f"A{n:02d}", "name": f"A very long actor name that goes on and on {n}"} for n in range(30)]
    frame = analysis.positions_frame(build(positions, actors=actors))
    fig = charts.stance_heatmap(analysis.latest_stances(frame, None, None), SCALE, CAPTION)
    ticks = fig.layout.yaxis.ticktext
    assert len(ticks) == 30 and all(len(t) <= charts.LABEL_MAX for t in ticks) and ticks[0].endswith("…")
    assert fig.layout.yaxis.tickfont.size >= 8 and fig.data[0].textfont.size >= 8
    assert all(t for row in grid(fig.data[0].text) for t in row)  # every cell still has its text
    assert fig.layout.margin.l <= 300


# --- escaping ----------------------------------------------------------------------------------


def test_markup_from_the_data_is_escaped_in_every_chart() -> None:
    dataset = build(
        [
            {"actor": "RUS", "issue": "bmd", "stance": -2, "quote": f"He said {EVIL} and %{{x}}", "speaker": EVIL},
            {"actor": "USA", "issue": "bmd", "stance": 1, "date": "2014"},
        ],
        actors=[{"id": "RUS", "name": EVIL}, {"id": "USA", "name": "United States <b>"}],
    )
    frame = analysis.positions_frame(dataset)
    latest = analysis.latest_stances(frame, None, None)
    caption = Caption(f"Title {EVIL}", f"Sub {EVIL}", [f"{EVIL} (2013)"], EVIL, "r")
    figures = [
        charts.stance_heatmap(latest, SCALE, caption),
        charts.compare_bars(latest, ["RUS", "USA"], None, SCALE, caption),
        charts.timeline_chart(analysis.timeline(frame, "bmd", None, None), SCALE, caption),
        worldmap.stance_map(latest, SCALE, caption),
        agreement.agreement_chart(agreement.matrix(latest, SCALE.span, min_shared=1), caption),
        charts.empty_figure(f"Nothing for {EVIL}", caption),
    ]
    for fig in figures:
        strings = all_strings(fig)
        assert not [s for s in strings if "<script" in s or "United States <b>" in s], fig.layout.title.text
        assert any("&lt;script&gt;" in s for s in strings)
        # Templates are ours: data goes into text arrays, never into a template.
        templates = [t.hovertemplate for t in fig.data if t.hovertemplate is not None]
        assert all(t == "%{hovertext}<extra></extra>" for t in templates)
    heat = figures[0]
    assert heat.layout.yaxis.ticktext[0] == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert "&lt;script&gt;alert(1)&lt;/script&gt; and %{x}" in grid(heat.data[0].hovertext)[0][0]


# --- compare bars ------------------------------------------------------------------------------


def test_compare_bars_one_trace_per_actor_with_stance_values_and_text(latest: pd.DataFrame) -> None:
    fig = charts.compare_bars(latest, ["RUS", "USA"], None, SCALE, CAPTION)
    assert [t.name for t in fig.data] == ["Russia", "United States"]
    rus, usa = fig.data
    assert list(rus.y) == [0, 1] and fig.layout.yaxis.ticktext == ("Issue bmd", "Issue inf")
    assert list(rus.x) == [-2, 0] and list(usa.x) == [2, 0]
    # the number in the bar (the axis gives its words); a long name as its id, spelt out under the axis
    assert rus.text == ("Russia −2", "Russia: declined")
    assert usa.text[1] == "USA: no position"
    assert fig.layout.xaxis.title.text == "USA: United States"
    assert list(rus.marker.color) == [palette.stance_colour(-2, SCALE), palette.DECLINED_COLOUR]
    assert usa.marker.color[1] == palette.TRANSPARENT
    assert "We feel no euphoria." in rus.hovertext[0] and "no position recorded" in usa.hovertext[1]
    assert fig.layout.xaxis.tickvals == (-2, -1, 0, 1, 2)
    assert fig.layout.xaxis.ticktext[0] == "−2<br>strongly<br>opposes"
    assert (fig.layout.width, fig.layout.height) == (1200, 675)


def test_compare_bars_label_other_voices_and_follow_the_chosen_issues(latest: pd.DataFrame) -> None:
    fig = charts.compare_bars(latest, ["NATO"], ["inf", "bmd"], SCALE, CAPTION)
    (nato,) = fig.data
    assert nato.text == ("NATO: no position", "NATO +1 (expert)")
    assert fig.layout.yaxis.ticktext == ("Issue inf", "Issue bmd")


def test_compare_bars_of_many_issues_keep_their_titles_apart() -> None:
    """33 issues in a 675 px image: rows of about 12 px, where two-line titles overlapped."""
    long = "Ground-based midcourse defence and its radars (phase {})"
    positions = [
        {"actor": actor, "issue": f"issue-{i}", "stance": (i % 5) - 2} for actor in ("RUS", "USA") for i in range(33)
    ]
    issues = [{"id": f"issue-{i}", "title": long.format(i), "question": "It should go ahead."} for i in range(33)]
    few = [p for p in positions if p["issue"] in ("issue-0", "issue-1", "issue-2")]
    for chosen, lines in ((positions, 1), (few, 2)):
        frame = analysis.positions_frame(build(chosen, issues=issues))
        fig = charts.compare_bars(analysis.latest_stances(frame, None, None), ["RUS", "USA"], None, SCALE, CAPTION)
        margin = fig.layout.margin
        row = (fig.layout.height - margin.t - margin.b) / len(fig.layout.yaxis.ticktext)
        font = fig.layout.yaxis.tickfont.size
        assert max(t.count("<br>") + 1 for t in fig.layout.yaxis.ticktext) == lines
        assert font * 1.2 * lines <= row, (font, lines, row)  # each title within its own row
        assert font >= 8


def test_compare_bars_empty_selection_explains_itself(latest: pd.DataFrame) -> None:
    for fig in (
        charts.compare_bars(latest, [], None, SCALE, CAPTION),
        charts.compare_bars(latest.iloc[:0], ["RUS"], None, SCALE, CAPTION),
    ):
        assert len(fig.data) == 0 and any(a.name == "empty" for a in fig.layout.annotations)


# --- timeline ----------------------------------------------------------------------------------


def test_timeline_is_a_step_line_per_actor_with_declined_markers_apart() -> None:
    frame = analysis.positions_frame(
        build(
            [
                {"actor": "RUS", "issue": "bmd", "stance": -2, "date": "2013-03"},
                {"actor": "RUS", "issue": "bmd", "stance": None, "date": "2014"},
                {"actor": "RUS", "issue": "bmd", "stance": 1, "date": "2015-06-01", "voice": "expert"},
                {"actor": "USA", "issue": "bmd", "stance": 2, "date": "2012"},
            ]
        )
    )
    fig = charts.timeline_chart(analysis.timeline(frame, "bmd", None, None), SCALE, CAPTION)
    assert [t.name for t in fig.data] == ["Russia", "Russia (declined)", "United States"]
    rus, rus_declined, usa = fig.data
    assert rus.line.shape == "hv" and rus.mode == "lines+markers" and not rus.connectgaps
    assert list(rus.x) == ["2013-03-01", "2014-01-01", "2015-06-01"]
    assert list(rus.y) == [-2, None, 1]  # the line breaks at the declined position
    assert list(rus_declined.x) == ["2014-01-01"] and list(rus_declined.y) == [-3]
    assert not rus_declined.showlegend and rus_declined.legendgroup == rus.legendgroup
    assert rus.marker.symbol[2].endswith("-open") and not rus.marker.symbol[0].endswith("-open")
    assert list(rus.marker.color) == [palette.stance_colour(s, SCALE) for s in (-2, None, 1)]
    assert list(usa.y) == [2]
    assert fig.layout.yaxis.ticktext[0] == "declined to state" and fig.layout.yaxis.tickvals[0] == -3
    assert fig.layout.xaxis.type == "date"


def test_timeline_of_nothing_is_an_empty_state(frame: pd.DataFrame) -> None:
    fig = charts.timeline_chart(analysis.timeline(frame, "no-such-issue", None, None), SCALE, CAPTION)
    assert len(fig.data) == 0 and any(a.name == "empty" for a in fig.layout.annotations)


# --- map ---------------------------------------------------------------------------------------


# --- every chart -------------------------------------------------------------------------------


def every_chart(frame: pd.DataFrame, latest: pd.DataFrame) -> list[go.Figure]:
    return [
        charts.stance_heatmap(latest, SCALE, CAPTION),
        charts.compare_bars(latest, ["RUS", "USA"], None, SCALE, CAPTION),
        charts.timeline_chart(analysis.timeline(frame, "bmd", None, None), SCALE, CAPTION),
        worldmap.stance_map(latest, SCALE, CAPTION),
        agreement.agreement_chart(agreement.matrix(latest, SCALE.span), CAPTION),
        charts.empty_figure("Nothing here.", CAPTION),
    ]


def test_figures_are_deterministic(frame: pd.DataFrame, latest: pd.DataFrame) -> None:
    first = [f.to_json() for f in every_chart(frame, latest)]
    again = [f.to_json() for f in every_chart(frame.copy(), latest.copy())]
    assert first == again


def test_every_chart_is_captioned_sized_and_readable_on_light_and_dark(
    frame: pd.DataFrame, latest: pd.DataFrame
) -> None:
    for fig in every_chart(frame, latest):
        assert fig.layout.title.text == "Stances on missile defence"
        assert footer_text(fig) == "Source: Example (2013) · Data · revision r1"
        assert (fig.layout.width, fig.layout.height) == (1200, 675)
        assert fig.layout.paper_bgcolor == fig.layout.plot_bgcolor == palette.TRANSPARENT
        assert fig.layout.font.color is None and fig.layout.title.font.color is None  # the theme decides
        for colour in font_colours(fig):
            assert palette.contrast_ratio(colour, LIGHT_BACKGROUND) >= 3, colour
            assert palette.contrast_ratio(colour, DARK_BACKGROUND) >= 3, colour


def test_palette_is_diverging_with_a_grey_middle() -> None:
    colours = palette.stance_colours(SCALE)
    assert colours[0] == "#bdbdbd"
    assert colours[-2] != colours[2] and colours[-1] != colours[1]
    assert palette.stance_colour(None, SCALE) not in colours.values()
    wide = palette.stance_colours(Scale(labels={k: str(k) for k in range(-3, 4)}))
    assert wide[-3] == colours[-2] and wide[3] == colours[2] and wide[0] == colours[0]


def test_narrow_heatmap_cells_still_show_the_stance_number() -> None:
    actors, issues = [f"A{n:02d}" for n in range(30)], [f"i{i:02d}" for i in range(40)]
    dataset = Dataset(
        "wide.yaml",
        "Wide",
        SCALE,
        [Actor(id=a, name=a) for a in actors],
        [Issue(id=i, title=f"Issue {i}", question=i) for i in issues],
        [Source(id="src", publisher="P")],
        [
            Position(
                actor=a,
                issue=i,
                stance=None if (n + k) % 6 == 5 else (n + k) % 6 - 2,
                date="2013",
                speaker="S",
                role="R",
                voice="official",
                quote="Q",
                source="src",
            )
            for n, a in enumerate(actors)
            for k, i in enumerate(issues)
        ],
        [],
    )
    latest = analysis.latest_stances(analysis.positions_frame(dataset), None, None)
    fig = charts.stance_heatmap(latest, SCALE, CAPTION)
    cells = {t for row in grid(fig.data[0].text) for t in row}
    assert cells == {"−2", "−1", "0", "+1", "+2", "–"}
    assert fig.layout.xaxis.tickangle == -90


def test_on_screen_a_narrow_heatmap_grows_taller_so_every_cell_keeps_its_year() -> None:
    # 30 actors x 13 issues in the app's 564 px column: one line has room for "+2" only, so the
    # screen's figure (two_lines) gives each row two lines, the year under the stance
    positions = [
        {"actor": f"A{n:02d}", "issue": f"issue-{i}", "stance": (n + i) % 5 - 2, "date": f"{2000 + n % 20}-05"}
        for n in range(30)
        for i in range(13)
    ]
    actors = [{"id": f"A{n:02d}", "name": f"North Atlantic Treaty Organization {n}"} for n in range(30)]
    latest = analysis.latest_stances(analysis.positions_frame(build(positions, actors=actors)), None, None)
    one_line = charts.stance_heatmap(latest, SCALE, CAPTION, fit_width=NARROW_WIDTH)
    assert not any("’" in t or "20" in t for row in grid(one_line.data[0].text) for t in row)
    screen = charts.stance_heatmap(latest, SCALE, CAPTION, fit_width=NARROW_WIDTH, two_lines=True)
    cells = [t for row in grid(screen.data[0].text) for t in row]
    years = {f"{2000 + n % 20}"[2:] for n in range(30)}
    assert all("<br>’" in t and t.rsplit("’", 1)[1] in years for t in cells)
    assert HEIGHT < screen.layout.height <= charts.SCREEN_MAX_HEIGHT
    # the names take two shorter lines, and the rows have room for both
    assert all("<br>" in t for t in screen.layout.yaxis.ticktext)
    assert screen.layout.height - screen.layout.margin.t - screen.layout.margin.b >= 30 * charts.TWO_LINE_ROW - 1


def test_slanted_issue_labels_tell_similar_titles_apart() -> None:
    # 40 columns get short slanted labels: "Aegis Ashore in Romania" and its "(phase 2)" must not
    # both read "Aegis Ashore in…" (the hover has the whole title; a screenshot does not)
    places = ["Romania", "Poland", "Japan", "Turkey", "the Gulf", "South Korea", "Germany", "Spain"]
    titles = [f"{kind} missile defence in {place}" for kind in ("Aegis Ashore", "THAAD") for place in places]
    titles += [f"{title} (phase 2)" for title in titles]
    titles += [f"Issue number {n}" for n in range(40 - len(titles))]
    issues = [{"id": f"i{n:02d}", "title": title, "question": "Q?"} for n, title in enumerate(titles)]
    dataset = build([{"actor": "A", "issue": issue["id"], "stance": 1} for issue in issues], issues=issues)
    latest = analysis.latest_stances(analysis.positions_frame(dataset), None, None)
    fig = charts.stance_heatmap(latest, SCALE, CAPTION)
    assert fig.layout.xaxis.tickangle == -90
    ticks = list(fig.layout.xaxis.ticktext)
    assert len({tick.removesuffix("…") for tick in ticks}) == 40
    assert all(len(tick) <= 22 for tick in ticks)


# --- standalone images: what a reader of a report sees --------------------------------------------

DATASETS = Path(__file__).resolve().parents[1] / "data" / "datasets"


def cell_texts(fig: go.Figure, name: str) -> list[str]:
    trace = next(t for t in fig.data if t.name == name)
    return [] if trace.text is None else [t for row in grid(trace.text) for t in row if t]


def test_footer_of_a_chart_names_20_sources_on_screen_and_the_first_few_in_an_image() -> None:
    # 20 publishers of about the bundled dataset's length (42 characters with the date, on average).
    publishers = [f"Publisher {chr(65 + n)} News (news{n}.example)" for n in range(20)]
    positions = [
        {"actor": f"A{n:02d}", "issue": f"i{n % 3}", "stance": n % 5 - 2, "source": f"s{n}", "date": "2015"}
        for n in range(20)
    ]
    doc_sources = [{"id": f"s{n}", "publisher": p, "date": f"2014-0{n % 9 + 1}-01"} for n, p in enumerate(publishers)]
    dataset = parse_dataset(
        yaml.safe_dump(
            {
                "title": "Twenty sources",
                "actors": [{"id": f"A{n:02d}", "name": f"Actor {n}"} for n in range(20)],
                "issues": [{"id": f"i{k}", "title": f"Issue {k}", "question": "Q?"} for k in range(3)],
                "sources": doc_sources,
                "positions": [
                    {"speaker": "S", "role": "R", "voice": "official", "quote": "Q.", **p} for p in positions
                ],
            },
            sort_keys=False,
        ),
        today=dt.date(2025, 1, 1),
    )
    assert dataset.errors == []
    frame = analysis.positions_frame(dataset)
    latest = analysis.latest_stances(frame, None, None)
    caption = Caption.for_rows(dataset, latest, "Twenty", "S")
    for fig in (
        charts.stance_heatmap(latest, SCALE, caption),
        agreement.agreement_chart(agreement.matrix(latest, SCALE.span), caption),
    ):
        # On a wide screen every source is named, in small type on up to five lines.
        screen = footer_text(fit_footer(fig, caption, 1200))
        assert all(p in screen for p in publishers), screen
        assert "more" not in screen and "Twenty sources · revision" in screen
        assert 2 <= screen.count("<br>") + 1 <= 5
        # In the 1200 px image, readable at half size: three lines of 18 px, the first sources
        # named and the rest counted.
        layout = caption.footer_layout()
        footer = footer_text(fig)
        assert layout.size == 18 and footer.count("<br>") + 1 == len(layout.lines) == 3
        assert all(p in footer for p in publishers[: layout.named]) and 4 <= layout.named < 20
        assert f"+{20 - layout.named} more · Twenty sources · revision" in footer
        # The plot ends above the footer: the bottom margin holds every line.
        assert fig.layout.margin.b >= 8 + layout.height


def test_timeline_of_one_actor_names_it_in_a_legend() -> None:
    frame = analysis.positions_frame(
        build(
            [
                {"actor": "JPN", "issue": "aegis", "stance": 2, "date": "2017-12-19"},
                {"actor": "JPN", "issue": "aegis", "stance": -1, "date": "2020-06-21"},
            ],
            actors=[{"id": "JPN", "name": "Japan"}],
        )
    )
    fig = charts.timeline_chart(analysis.timeline(frame, "aegis", None, None), SCALE, CAPTION)
    assert fig.layout.showlegend is True
    assert [t.name for t in fig.data if t.showlegend is not False] == ["Japan"]
    assert fig.layout.legend.title.text == "Actor"  # no hollow marker to explain


def test_timeline_legend_explains_hollow_markers_only_when_there_are_some() -> None:
    frame = analysis.positions_frame(
        build(
            [
                {"actor": "RUS", "issue": "bmd", "stance": -2, "voice": "expert"},
                {"actor": "USA", "issue": "bmd", "stance": 1},
            ]
        )
    )
    fig = charts.timeline_chart(analysis.timeline(frame, "bmd", None, None), SCALE, CAPTION)
    assert "hollow marker: expert or reported voice" in fig.layout.legend.title.text


def test_heatmap_cells_never_hold_a_cut_stance_word() -> None:
    """Seven issues, fifteen actors (the bundled dataset's Overview): numbers and years in cells, words in
    the legend; "declined" gives way to "–" where it would not fit."""
    positions = [
        {"actor": f"A{n:02d}", "issue": f"issue-{i}", "stance": None if (n + i) % 6 == 5 else (n + i) % 6 - 2}
        for n in range(15)
        for i in range(7)
    ]
    latest = analysis.latest_stances(analysis.positions_frame(build(positions)), None, None)
    fig = charts.stance_heatmap(latest, SCALE, CAPTION)
    texts = cell_texts(fig, "stances")
    assert len(texts) == 15 * 7
    assert not [t for t in texts if "…" in t]
    assert set(texts) == {f"{s} · 2013" for s in ("−2", "−1", "0", "+1", "+2", "–")}
    assert fig.data[0].colorbar.ticktext[1].replace("<br>", " ") == "−2 strongly opposes"  # the words are in the legend
    assert grid(fig.data[0].text)[0][0] == "−2 · 2013" and "−2 strongly opposes" in grid(fig.data[0].hovertext)[0][0]


def test_issue_titles_wrap_at_hyphens_without_cutting_words() -> None:
    positions = [{"actor": "RUS", "issue": f"i{k}", "stance": 1} for k in range(7)]
    dataset = build(positions)
    latest = analysis.latest_stances(analysis.positions_frame(dataset), None, None)
    latest = latest.assign(issue_title="Missile-defence cooperation with Russia")
    fig = charts.stance_heatmap(latest, SCALE, CAPTION)
    tick = fig.layout.xaxis.ticktext[0]
    assert "…" not in tick and tick.replace("<br>", " ").replace("- ", "-") == "Missile-defence cooperation with Russia"


def test_many_actors_fixture_stays_readable() -> None:
    dataset = load_dataset(DATASETS / "many_actors.yaml")
    frame = analysis.positions_frame(dataset)
    latest = analysis.latest_stances(frame, None, ["official"])
    caption = Caption.for_rows(dataset, latest, "Many", "S")
    heat = charts.stance_heatmap(latest, dataset.scale, caption)
    actors = analysis.actors_with_positions(latest)
    assert len(actors) >= 30 and len(heat.layout.yaxis.ticktext) == len(actors)
    assert heat.layout.yaxis.tickfont.size >= 8 and heat.data[0].textfont.size >= 8
    assert not [t for t in cell_texts(heat, "stances") if "…" in t]
    room = text_width("n" * charts.LABEL_MAX, heat.layout.yaxis.tickfont.size)
    assert all(text_width(t, heat.layout.yaxis.tickfont.size) <= room for t in heat.layout.yaxis.ticktext)
    top20 = analysis.default_actors(latest[latest["stance"].notna()], 20)
    matrix = agreement.agreement_chart(agreement.matrix(latest, dataset.scale.span, top20), caption)
    assert cell_texts(matrix, "agreement") and matrix.data[-1].textfont.size >= agreement.CELL_FONT_MIN
    one_issue = latest[latest["issue"] == analysis.issues_with_positions(latest)[0]]
    blocs = [a for a in worldmap.stance_map(one_issue, dataset.scale, caption).layout.annotations if a.name == "blocs"]
    assert len(blocs) == 1 and ("North Atlantic Treaty Organization" in blocs[0].text or "Collective" in blocs[0].text)


def test_non_latin_names_are_shown_whole_and_escaped() -> None:
    dataset = load_dataset(DATASETS / "nonlatin.yaml")
    frame = analysis.positions_frame(dataset)
    latest = analysis.latest_stances(frame, None, None)
    caption = Caption.for_rows(dataset, latest, "Non-Latin", "S")
    heat = charts.stance_heatmap(latest, dataset.scale, caption)
    ticks = [t.replace("<br>", " ") for t in heat.layout.yaxis.ticktext]
    for name in ("Россия", "中华人民共和国", "المملكة العربية السعودية", "भारत"):
        assert name in ticks
    assert "&lt;b&gt;bold&lt;/b&gt;" in " ".join(ticks) and "<b>bold" not in " ".join(ticks)
    assert "Противоракетная оборона в Европе" in [t.replace("<br>", " ") for t in heat.layout.xaxis.ticktext]
    assert "Синтетический источник (2019-05-01)" in footer_text(heat)


def test_issue_titles_are_drawn_in_the_font_they_were_wrapped_for() -> None:
    """Nine long titles in the app's narrow column step the font down; the axis must use that font."""
    positions = [{"actor": "RUS", "issue": f"i{k}", "stance": 1} for k in range(9)]
    latest = analysis.latest_stances(analysis.positions_frame(build(positions)), None, None)
    latest = latest.assign(issue_title="Missile-defence cooperation with Russia")
    fig = charts.stance_heatmap(latest, SCALE, CAPTION)
    assert fig.layout.xaxis.tickangle == 0  # still wrapped, not slanted
    assert fig.layout.xaxis.tickfont.size < 11
    longest = max(len(line) for tick in fig.layout.xaxis.ticktext for line in tick.split("<br>"))
    assert longest <= len("cooperation")  # wrapped word by word for that smaller font


def test_chart_config_is_offline_and_sized():
    config = charts.chart_config("x")
    assert config["topojsonURL"] == "app/static/topojson/"
    assert config["toImageButtonOptions"] == {
        "format": "png",
        "filename": "x",
        "width": 1200,
        "height": 675,
        "scale": 2,
    }
