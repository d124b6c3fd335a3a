"""Agreement (stances.agreement): the minimum shared issues, the order that shows blocs, the table
of pairs, the hover that names each shared issue, and the one-triangle chart that fits 1024 px."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from chartdata import CAPTION, EVIL, SCALE, all_strings, build, grid

from stances import agreement, analysis, chartviews, pickers
from stances.caption import footer_text, text_width
from stances.load import load_dataset

BUNDLED = Path(__file__).resolve().parents[2] / "positions.yaml"


def latest_of(positions: list[dict], actors: list[dict] | None = None, issues: list[dict] | None = None):
    return analysis.latest_stances(analysis.positions_frame(build(positions, actors, issues)), None, None)


def blocs(west: int, east: int, issues: int = 4) -> pd.DataFrame:
    """Two blocs, interleaved in the dataset's order: W0 E0 W1 E1 ...; each bloc agrees within
    itself (+2 / -2 on every issue) and disagrees with the other."""
    positions = []
    for n in range(max(west, east)):
        for k in range(issues):
            if n < west:
                positions.append({"actor": f"W{n}", "issue": f"i{k}", "stance": 2 - (n + k) % 2})
            if n < east:
                positions.append({"actor": f"E{n}", "issue": f"i{k}", "stance": -2 + (n + k) % 2})
    return latest_of(positions)


# --- the order -----------------------------------------------------------------------------------


def test_seriate_puts_each_bloc_together() -> None:
    latest = blocs(3, 3)
    m = agreement.matrix(latest, SCALE.span)
    assert list(analysis.actors_with_positions(latest)) == ["W0", "E0", "W1", "E1", "W2", "E2"]
    sides = [a[0] for a in m.actors]
    assert sides in (["W"] * 3 + ["E"] * 3, ["E"] * 3 + ["W"] * 3), m.actors
    assert m.actors[0] == "W0"  # the first chosen actor starts the order


def test_seriate_orders_a_chain_end_to_end() -> None:
    # 0-1, 1-2, 2-3 close; the rest far: the order is the chain (or its mirror), whatever the input order
    chain = np.array([[1, 0.9, 0.5, 0.1], [0.9, 1, 0.9, 0.5], [0.5, 0.9, 1, 0.9], [0.1, 0.5, 0.9, 1]])
    for perm in itertools.permutations(range(4)):
        order = agreement.seriate(chain[np.ix_(perm, perm)])
        assert [perm[k] for k in order] in ([0, 1, 2, 3], [3, 2, 1, 0]), perm


def test_seriate_is_a_deterministic_permutation_with_loners_last() -> None:
    rng = np.random.default_rng(7)
    sim = rng.random((30, 30))
    sim = (sim + sim.T) / 2
    sim[rng.random((30, 30)) < 0.4] = np.nan
    sim = np.fmin(sim, sim.T)  # NaN where either half is unknown: symmetric
    sim[[4, 11], :] = np.nan
    sim[:, [4, 11]] = np.nan
    order = agreement.seriate(sim)
    assert sorted(order) == list(range(30)) and order == agreement.seriate(sim.copy())
    assert order[-2:] == [4, 11]  # rows with no known similarity come last, in their order
    assert agreement.seriate(np.zeros((0, 0))) == [] and agreement.seriate(np.ones((1, 1))) == [0]
    assert agreement.seriate(np.full((3, 3), np.nan)) == [0, 1, 2]


def test_seriate_docstring_example() -> None:
    assert agreement.seriate(np.array([[1, 0.1, 0.9], [0.1, 1, 0.2], [0.9, 0.2, 1]])) == [0, 2, 1]


# --- the matrix, the minimum and the table -------------------------------------------------------

SAMPLE = [
    # RUS and CHN share three issues, RUS and USA two, CHN and USA one, FRA shares one with each
    {"actor": "RUS", "issue": "a", "stance": -2},
    {"actor": "RUS", "issue": "b", "stance": -2},
    {"actor": "RUS", "issue": "c", "stance": 1},
    {"actor": "CHN", "issue": "a", "stance": -2},
    {"actor": "CHN", "issue": "b", "stance": -1},
    {"actor": "CHN", "issue": "c", "stance": 1},
    {"actor": "USA", "issue": "a", "stance": 2},
    {"actor": "USA", "issue": "d", "stance": 2},
    {"actor": "USA", "issue": "c", "stance": 2},
    {"actor": "FRA", "issue": "d", "stance": 1},
]


@pytest.fixture
def sample() -> pd.DataFrame:
    return latest_of(SAMPLE, issues=[{"id": i, "title": f"Issue {i.upper()}", "question": "Q?"} for i in "abcd"])


def test_matrix_scores_only_pairs_that_share_the_minimum(sample: pd.DataFrame) -> None:
    m = agreement.matrix(sample, SCALE.span, ["RUS", "CHN", "USA", "FRA"])
    at = {a: i for i, a in enumerate(m.actors)}
    assert sorted(m.actors) == ["CHN", "FRA", "RUS", "USA"]
    assert np.array_equal(m.score, m.score.T, equal_nan=True) and (m.shared == m.shared.T).all()
    assert m.shared[at["RUS"], at["CHN"]] == 3 and m.score[at["RUS"], at["CHN"]] == pytest.approx(1 - 1 / 4 / 3)
    scored = {frozenset((m.actors[i], m.actors[j])) for i, j in zip(*np.nonzero(m.scored), strict=True)}
    assert scored == {frozenset(("RUS", "CHN")), frozenset(("RUS", "USA")), frozenset(("CHN", "USA"))}
    assert not m.scored.diagonal().any()
    three = agreement.matrix(sample, SCALE.span, ["RUS", "CHN", "USA", "FRA"], 3)
    assert {frozenset(three.actors[k] for k in pair) for pair in zip(*np.nonzero(three.scored), strict=True)} == {
        frozenset(("RUS", "CHN"))
    }
    assert agreement.unscored(three) == (3, 2)  # RUS-USA, CHN-USA, USA-FRA too few; FRA-RUS, FRA-CHN none


def test_pairs_table_ranks_by_shared_issues_then_agreement(sample: pd.DataFrame) -> None:
    m = agreement.matrix(sample, SCALE.span, ["RUS", "CHN", "USA", "FRA"])
    table = agreement.pairs_table(m)
    assert list(table.columns) == ["actor", "other actor", "shared issues", "agreement", "issues"]
    rows = [({a, b}, n, round(v, 4), issues) for a, b, n, v, issues in table.itertuples(index=False, name=None)]
    assert rows[0] == ({"Russia", "CHN"}, 3, round(1 - 1 / 12, 4), "Issue A; Issue B; Issue C")
    tied = (2, round(1 - (4 + 1) / 4 / 2, 4), "Issue A; Issue C")  # the same count and score: by name
    assert [row[1:] for row in rows[1:]] == [tied, tied]
    assert [row[0] for row in rows[1:]] in (
        [{"Russia", "United States"}, {"CHN", "United States"}],
        [{"CHN", "United States"}, {"Russia", "United States"}],
    )
    assert list(table["actor"].iloc[1:]) == sorted(table["actor"].iloc[1:])
    assert agreement.unscored(m) == (1, 2)  # USA-FRA share one issue; FRA shares none with RUS, CHN


def test_a_pair_at_one_shared_issue_never_outranks_a_pair_with_more() -> None:
    # the bundled data's old first row: two actors at 1.00 on one shared issue
    latest = latest_of(
        [
            {"actor": "DEU", "issue": "a", "stance": -2},
            {"actor": "RUS", "issue": "a", "stance": -2},
            {"actor": "RUS", "issue": "b", "stance": -2},
            {"actor": "USA", "issue": "a", "stance": 2},
            {"actor": "USA", "issue": "b", "stance": 1},
        ]
    )
    table = agreement.pairs_table(agreement.matrix(latest, SCALE.span, min_shared=1))
    assert {table["actor"].iloc[0], table["other actor"].iloc[0]} == {"Russia", "United States"}
    assert agreement.pairs_table(agreement.matrix(latest, SCALE.span)).shape[0] == 1


def test_partnered_actors_share_the_minimum_with_someone(sample: pd.DataFrame) -> None:
    assert agreement.partnered(sample, SCALE.span) == ["RUS", "CHN", "USA"]
    assert agreement.partnered(sample, SCALE.span, 1) == ["RUS", "CHN", "USA", "FRA"]
    assert agreement.partnered(sample, SCALE.span, 4) == []


def test_the_minimum_in_a_link() -> None:
    assert [agreement.parse_min_shared(v) for v in ("3", " 1 ", "0", "51", "two", "²", "", None)] == [
        3,
        1,
        None,
        None,
        None,
        None,
        None,
        None,
    ]
    assert agreement.MIN_SHARED_DEFAULT == 2


def test_score_text_drops_the_leading_zero() -> None:
    assert [agreement.score_text(v) for v in (0.75, 0.125, 1.0, 0.0, 0.999, 0.004)] == [
        ".75",
        ".12",
        "1",
        "0",
        "1",
        "0",
    ]


# --- the hover ----------------------------------------------------------------------------------


def test_hover_names_each_shared_issue_with_both_stances(sample: pd.DataFrame) -> None:
    m = agreement.matrix(sample, SCALE.span, ["RUS", "CHN", "USA", "FRA"])
    at = {a: i for i, a in enumerate(m.actors)}
    hover = agreement.hover_texts(m)
    rus_usa = hover[at["RUS"], at["USA"]]
    assert rus_usa == hover[at["USA"], at["RUS"]]
    assert "agreement 0.38 over 2 shared issues" in rus_usa
    assert "Issue A: RUS −2, USA +2" in rus_usa or "Issue A: USA +2, RUS −2" in rus_usa
    assert "Issue C:" in rus_usa and "Issue B" not in rus_usa
    usa_fra = hover[at["USA"], at["FRA"]]
    assert "1 shared issue: too few for a score (minimum 2)" in usa_fra and "Issue D:" in usa_fra
    assert "no shared issue" in hover[at["RUS"], at["FRA"]]
    assert all(hover[i, i] == "" for i in range(4))


def test_hover_lists_are_bounded_for_a_crowd() -> None:
    positions = [
        {"actor": f"A{a:03d}", "issue": f"i{k}", "stance": (a + k) % 5 - 2} for a in range(120) for k in range(6)
    ]
    m = agreement.matrix(latest_of(positions), SCALE.span)
    hover = agreement.hover_texts(m)
    listed = sum(len("<br>".join(h.split("<br>")[2:])) for h in hover[np.tril_indices(120, -1)])
    assert listed <= agreement.HOVER_BUDGET  # the issues named, over the whole matrix
    assert "over 6 shared issues" in hover[1, 0] and "choose fewer actors" in hover[1, 0]
    few = agreement.hover_texts(agreement.matrix(latest_of(positions[: 6 * 5]), SCALE.span))
    assert few[1, 0].count("<br>") == 1 + 6  # pair, score, then all six issues, one line each


# --- the chart ----------------------------------------------------------------------------------


def drawn(fig, name: str) -> list[tuple[int, int]]:
    trace = next(t for t in fig.data if t.name == name)
    return [(r, c) for r, row in enumerate(grid(trace.z)) for c, v in enumerate(row) if v is not None]


def test_chart_draws_one_triangle_without_the_diagonal(sample: pd.DataFrame) -> None:
    m = agreement.matrix(sample, SCALE.span, ["RUS", "CHN", "USA", "FRA"])
    fig = agreement.agreement_chart(m, CAPTION)
    scored, grey = drawn(fig, "agreement"), drawn(fig, "too few shared issues")
    assert len(scored) == 3 and len(grey) == 3 and not set(scored) & set(grey)
    assert all(c <= r for r, c in scored + grey)  # the lower triangle: row r is actor r + 1
    rows, columns = fig.layout.yaxis.ticktext, fig.layout.xaxis.ticktext
    names = dict(zip(m.actors, m.names, strict=True))
    assert list(rows) == [names[a] for a in m.actors[1:]] and list(columns) == [names[a] for a in m.actors[:-1]]
    values = next(t for t in fig.data if t.name == "agreement")
    assert (values.zmin, values.zmax) == (0, 1)
    texts = [t for row in grid(values.text) for t in row if t]
    assert sorted(t.split(" ")[0].split("<br>")[0] for t in texts) == sorted(
        agreement.score_text(m.score[r + 1, c]) for r, c in scored
    )
    grey_text = next(t for t in fig.data if t.name == "too few shared issues").text
    assert [grid(grey_text)[r][c] for r, c in grey] == ["–"] * 3
    legend = next(a for a in fig.layout.annotations if a.name == "legend").text.replace("<br>", " ")
    assert "fewer than 2 shared issues" in legend and "agree sit together" in legend
    assert "same stances" in values.colorbar.title.text
    assert footer_text(fig) == "Source: Example (2013) · Data · revision r1"


@pytest.mark.parametrize("n", [2, 4, 5, 8, 16, 20])
def test_cell_numbers_fit_the_narrowest_column_at_a_readable_size(n: int) -> None:
    positions = [
        {"actor": f"A{a:02d}", "issue": f"i{k}", "stance": (a * k) % 5 - 2}
        for a in range(n)
        for k in range((a % 4) + 2)
    ]
    actors = [
        {"id": f"A{a:02d}", "name": ["Russia", "United States", "North Atlantic Treaty Organization"][a % 3]}
        for a in range(n)
    ]
    fig = agreement.agreement_chart(agreement.matrix(latest_of(positions, actors), SCALE.span), CAPTION)
    values = next(t for t in fig.data if t.name == "agreement")
    texts = [t for row in grid(values.text) for t in row if t]
    assert len(texts) == len(drawn(fig, "agreement")) > 0  # every scored cell prints its score
    size = values.textfont.size
    assert size >= 10 if n <= 16 else size >= agreement.CELL_FONT_MIN
    margin = fig.layout.margin
    k = n - 1
    cell_w = (agreement.NARROW_WIDTH - margin.l - margin.r) / k
    cell_h = (fig.layout.height - margin.t - margin.b) / k
    for text in texts:
        lines = text.split("<br>")
        assert all(text_width(line, size) <= cell_w - 6 for line in lines), (text, cell_w)
        assert size * (1 + 1.3 * (len(lines) - 1)) + 3 <= cell_h  # a glyph, then 1.3 em a line more
    colorbar = values.colorbar
    assert (colorbar.orientation == "h") == (k >= 4)  # in the empty corner from five actors on


def test_the_bundled_default_view_is_readable_at_1024_px() -> None:
    dataset = load_dataset(BUNDLED)
    frame = analysis.positions_frame(dataset)
    as_of, voices = dt.date(2026, 1, 31), ("official",)
    actors = pickers.agreement_choices(dataset, frame, as_of, voices).default_actors
    view = chartviews.agreement_view(dataset, frame, as_of, voices, actors)
    values = next(t for t in view.figure.data if t.name == "agreement")
    assert values.textfont.size >= 11
    assert "minimum 2 shared issues" in view.figure.layout.title.subtitle.text
    first = view.pairs.iloc[0]
    assert {first["actor"], first["other actor"]} == {"Russia", "United States"} and first["shared issues"] >= 5
    assert (view.pairs["shared issues"] >= 2).all()


def test_every_default_actor_can_be_scored() -> None:
    dataset = load_dataset(BUNDLED)
    frame = analysis.positions_frame(dataset)
    as_of, voices = dt.date(2026, 1, 31), ("official",)
    latest = analysis.latest_stances(frame, as_of, voices)
    for minimum in (1, 2, 3):
        actors = pickers.agreement_choices(dataset, frame, as_of, voices, minimum).default_actors
        assert actors and set(actors) <= set(agreement.partnered(latest, dataset.scale.span, minimum))
        assert len(actors) <= pickers.AGREEMENT_DEFAULT_ACTORS


def test_markup_in_names_and_titles_is_escaped() -> None:
    latest = latest_of(
        [
            {"actor": "RUS", "issue": "a", "stance": -2},
            {"actor": "RUS", "issue": "b", "stance": 1},
            {"actor": "USA", "issue": "a", "stance": 2},
            {"actor": "USA", "issue": "b", "stance": 1},
        ],
        actors=[{"id": "RUS", "name": EVIL}, {"id": "USA", "name": "United States <b>"}],
        issues=[{"id": "a", "title": EVIL, "question": "Q?"}, {"id": "b", "title": "B", "question": "Q?"}],
    )
    fig = agreement.agreement_chart(agreement.matrix(latest, SCALE.span), CAPTION)
    strings = all_strings(fig)
    assert not [s for s in strings if "<script" in s or "<b>" in s]
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;: " in s for s in strings)  # the issue, in the hover


def test_fewer_than_two_actors_draw_an_explained_empty_chart() -> None:
    m = agreement.matrix(latest_of([{"actor": "RUS", "issue": "a", "stance": 1}]), SCALE.span)
    fig = agreement.agreement_chart(m, CAPTION)
    assert len(fig.data) == 0 and any(a.name == "empty" for a in fig.layout.annotations)


def test_the_method_note_says_which_ordering_and_how() -> None:
    note = agreement.METHOD_NOTE
    assert "average linkage" in note and "Gruvaeus and Wainer" in note and "at least 2 issues" in note
