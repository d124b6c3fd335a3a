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
