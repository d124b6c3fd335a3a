"""The pieces every chart shares: stance words, hover labels and their budget."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from chartdata import CAPTION, SCALE, grid

from stances import analysis, chartparts, charts
from stances.load import load_dataset, parse_dataset
from stances.model import Actor, Dataset, Issue, Position, Source


def test_hover_text_is_bounded_for_many_points() -> None:
    long_quote = "word " * 400
    actors, issues = [f"A{n:03d}" for n in range(120)], [f"i{i}" for i in range(30)]
    dataset = Dataset(
        "big.yaml",
        "Big",
        SCALE,
        [Actor(id=a, name=a) for a in actors],
        [Issue(id=i, title=i, question=i) for i in issues],
        [Source(id="src", publisher="P")],
        [
            Position(
                actor=a,
                issue=i,
                stance=1,
                date="2013",
                speaker="S",
                role="R",
                voice="official",
                quote=long_quote,
                source="src",
            )
            for a in actors
            for i in issues
        ],
        [],
    )
    frame = analysis.positions_frame(dataset)
    fig = charts.stance_heatmap(analysis.latest_stances(frame, None, None), SCALE, CAPTION)
    hovers = [h for row in grid(fig.data[0].hovertext) for h in row]
    assert len(hovers) == 3600
    budget = chartparts.quote_budget(3600)
    assert 0 < budget < chartparts.QUOTE_MAX
    assert max(h.count("word") for h in hovers) <= budget // 5 + 1
    assert sum(len(h) for h in hovers) < chartparts.HOVER_BUDGET + 3600 * 200


def test_hover_quotes_are_shortened_to_about_200_characters(latest: pd.DataFrame) -> None:
    row = latest.iloc[0].to_dict() | {"quote": "x" * 1000}
    text = chartparts.hover_text(row, SCALE)
    assert text.count("x") <= chartparts.QUOTE_MAX and "…" in text
    assert "“" not in chartparts.hover_text(row, SCALE, quote_chars=0)


@pytest.mark.parametrize(
    ("stance", "expected"), [(-2, "−2 strongly opposes"), (0, "0 ambiguous or conditional"), (1, "+1 supports")]
)
def test_stance_text(stance: int, expected: str) -> None:
    assert chartparts.stance_text(stance, SCALE) == expected
    assert chartparts.stance_text(None, SCALE) == "declined to state"


@pytest.mark.parametrize("chars", [None, 0, 40, chartparts.QUOTE_MAX])
def test_the_hover_column_is_hover_text_of_every_row(chars: int | None) -> None:
    from stances.generate import generate

    generated = parse_dataset(generate(400, 3))  # several voices, scripts, declined stances, no source dates
    rows = analysis.positions_frame(generated)
    bundled = analysis.positions_frame(load_dataset(Path(__file__).parents[2] / "positions.yaml"))
    for frame in (rows, bundled, rows.iloc[:0]):
        budget = chartparts.quote_budget(len(frame)) if chars is None else chars
        expected = [chartparts.hover_text(row, generated.scale, budget) for row in frame.to_dict("records")]
        assert chartparts.hover_column(frame, generated.scale, chars) == expected
    assert rows["voice"].nunique() > 1 and rows["stance"].isna().any()


@pytest.fixture
def json_engine():
    """plotly's JSON engine, put back after a test that changes it."""
    import plotly.io

    engine = plotly.io.json.config.default_engine
    yield plotly.io.json.config
    plotly.io.json.config.default_engine = engine


@pytest.mark.parametrize("engine", ["orjson", "json"])
def test_an_encoded_figure_gives_the_json_of_its_figure(latest: pd.DataFrame, json_engine, engine: str) -> None:
    import plotly.io

    json_engine.default_engine = engine
    # object arrays of text and hover labels, NaN cells, markup to escape (<br>), non-Latin text
    fig = charts.stance_heatmap(latest, SCALE, CAPTION)
    fig.update_layout(title_text="Позиции <b>2013</b> – “quoted” / \u2028")
    encoded = chartparts.EncodedFigure(fig)
    # what st.plotly_chart sends: plotly.io.to_json of the figure's to_dict()
    expected = plotly.io.to_json(fig.to_dict(), validate=False)
    assert plotly.io.to_json(encoded.to_dict(), validate=False) == expected
    assert plotly.io.to_json(encoded.to_dict(), validate=False) == expected  # the dict is reused intact
    assert encoded.to_dict() is encoded.to_dict()  # made once
    assert plotly.io.to_json(encoded, validate=False) == expected
    # the figure itself holds the same content, for whoever reads it
    assert encoded.layout.title.text == fig.layout.title.text and len(encoded.data) == len(fig.data)
    # from a figure's dict (as a copy is made): the same figure, its keys perhaps in another order
    again = chartparts.EncodedFigure(fig.to_dict())
    assert json.loads(plotly.io.to_json(again.to_dict(), validate=False)) == json.loads(expected)


def test_an_encoded_figure_survives_a_copy(latest: pd.DataFrame) -> None:
    import copy
    import pickle

    import plotly.io

    encoded = chartparts.EncodedFigure(charts.stance_heatmap(latest, SCALE, CAPTION))
    expected = json.loads(plotly.io.to_json(encoded.to_dict(), validate=False))
    for twin in (copy.deepcopy(encoded), pickle.loads(pickle.dumps(encoded))):
        assert isinstance(twin, chartparts.EncodedFigure)
        assert json.loads(plotly.io.to_json(twin.to_dict(), validate=False)) == expected
