"""The Quotes page's view: rows tall enough to show each quote whole, a row read in full."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from stances import analysis, tableviews
from stances.load import load_dataset
from stances.tables import quotes_table

JOINT = Path(__file__).parents[2] / "tests" / "data" / "joint" / "valid.yaml"


@pytest.mark.parametrize(
    ("quotes", "height"),
    [
        (["Short.", None], None),  # one line: Streamlit's own row height
        (["word " * 15], 2 * tableviews.LINE_PX + tableviews.ROW_PADDING_PX),  # 75 characters: 2 lines
        (["word " * 40], 4 * tableviews.LINE_PX + tableviews.ROW_PADDING_PX),  # 200: 4 lines
        (["A" * 10_000], tableviews.MAX_QUOTE_LINES * tableviews.LINE_PX + tableviews.ROW_PADDING_PX),  # capped
    ],
)
def test_rows_grow_to_the_longest_quote(quotes: list[str | None], height: int | None) -> None:
    expected = None if height is None else max(height, tableviews.WRAPPING_ROW_PX)
    assert tableviews.quote_row_height(pd.Series(quotes, dtype=object)) == expected


def test_the_bundled_quotes_are_shown_whole() -> None:
    frame = analysis.positions_frame(load_dataset(Path(__file__).parents[2] / "positions.yaml"))
    lines = max(tableviews.quote_lines(q) for q in frame["quote"])
    assert 1 < lines <= tableviews.MAX_QUOTE_LINES, "a bundled quote would be cut in the table"


def test_a_row_read_in_full_has_no_none_and_says_joint_statement() -> None:
    table = quotes_table(analysis.positions_frame(load_dataset(JOINT)))
    russia = table[(table["actor"] == "Russia") & (table["date"] == "2025-05-08")].iloc[0]
    assert tableviews.quote_in_full(russia) == [
        "Russia (joint statement with China) · 2025-05-08 · Golden Dome · -2 strongly opposes",
        "\u201cdeeply destabilizing\u201d",
        "Joint statement, Presidents of Russia and China · official · language: en",
        "Coder's note: none",
        "Source: Example",
    ]
    assert not [
        line
        for row in table.itertuples()
        for line in tableviews.quote_in_full(table.loc[row.Index])
        if "None" in line or "nan" in line
    ]


def test_a_long_cell_in_any_named_column_makes_rows_tall_enough_to_wrap() -> None:
    import pandas as pd

    from stances.tableviews import WRAPPING_ROW_PX, wrapped_row_height

    blocs = pd.DataFrame(
        {"members": ["USA, CAN, GBR, FRA, DEU, POL, ROU, CZE, DNK, NLD, ITA, ESP, GRC, TUR"], "x": [1]}
    )
    assert wrapped_row_height(blocs, ("members", "speaker")) >= WRAPPING_ROW_PX
    assert wrapped_row_height(blocs.assign(members="USA, CAN"), ("members",)) is None
    assert wrapped_row_height(blocs, ("absent",)) is None


def test_a_source_many_positions_rest_on_names_the_first_and_counts_the_rest() -> None:
    """A source that thousands rest on sent megabytes to the browser on every rerun."""
    from stances.generate import generate
    from stances.load import parse_dataset

    dataset = parse_dataset(generate(2000, seed=3))
    table = tableviews.sources_table(dataset, analysis.positions_frame(dataset))
    busiest = table.loc[table["positions"].idxmax()]
    assert busiest["positions"] > tableviews.RESTING_SHOWN
    named, _, tail = busiest["positions resting on it"].rpartition("; … and ")
    assert len(named.split("; ")) == tableviews.RESTING_SHOWN
    assert tail == f"{busiest['positions'] - tableviews.RESTING_SHOWN:,} more (the dataset download lists them all)"
    few = table[table["positions"] <= tableviews.RESTING_SHOWN]
    assert not few.empty and not few["positions resting on it"].str.contains("more").any()
    assert (few["positions resting on it"].str.count("; ") == (few["positions"] - 1).clip(lower=0)).all()
