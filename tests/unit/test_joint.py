"""Joint statements: one record, ``actors: [RUS, CHN]``, in which each signatory holds the stance.

The loader checks every signatory and refuses both keys at once; every analysis counts the
statement once per signatory; what people read (hovers, quote cards, tables) says "joint
statement with ...".
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from stances import analysis, chartparts, chartviews, tables
from stances.load import load_dataset
from stances.model import Dataset
from stances.validate import find_ties

DATA = Path(__file__).parents[1] / "data" / "joint"
TODAY = dt.date(2026, 1, 1)


@pytest.fixture(scope="module")
def joint() -> Dataset:
    return load_dataset(DATA / "valid.yaml", today=TODAY)


def test_a_joint_statement_is_one_record_naming_its_signatories(joint: Dataset) -> None:
    assert [p.problems for p in [joint]] == [[]]
    assert [p.signatories for p in joint.positions] == [("RUS", "CHN"), ("USA",), ("CHN", "USA", "RUS")]
    assert [p.joint for p in joint.positions] == [True, False, True]


def test_mistakes_in_the_actor_keys_are_located_and_the_rest_is_kept() -> None:
    dataset = load_dataset(DATA / "problems.yaml", today=TODAY)
    found = [(p.line, p.column, p.type, p.loc) for p in dataset.problems]
    assert found == [
        (16, 5, "invalid-value", "positions[0].actors"),  # both actor and actors
        (25, 5, "missing-key", "positions[1].actor"),  # neither
        (33, 13, "invalid-value", "positions[2].actors"),  # a single signatory
        (42, 13, "invalid-value", "positions[3].actors"),  # a signatory twice
        (51, 19, "unknown-reference", "positions[4].actors[1]"),  # CHM
    ]
    assert "did you mean CHN (China)?" in dataset.problems[-1].hint
    assert "joint statement" in dataset.problems[1].hint
    assert [p.speaker for p in dataset.positions] == ["Valid"]


def test_each_signatory_holds_the_stance_in_the_frame(joint: Dataset) -> None:
    frame = analysis.positions_frame(joint)
    assert frame["actor"].tolist() == ["RUS", "CHN", "USA", "CHN", "USA", "RUS"]
    assert frame["order"].tolist() == [0, 0, 1, 2, 2, 2]
    assert frame["line"].tolist()[:2] == [joint.positions[0].line] * 2
    assert frame["joint_with"].tolist() == [
        "China",
        "Russia",
        None,
        "United States, Russia",
        "China, Russia",
        "China, United States",
    ]
    assert frame["actor_name"].tolist()[:2] == ["Russia", "China"]


def test_latest_stances_and_agreement_count_every_signatory(joint: Dataset) -> None:
    frame = analysis.positions_frame(joint)
    latest = analysis.latest_stances(frame, dt.date(2026, 1, 1), ["official"])
    held = {(r.actor, r.issue): r.stance for r in latest.itertuples()}
    assert held == {("RUS", "golden-dome"): -2, ("CHN", "golden-dome"): -2, ("USA", "golden-dome"): 2}
    pairs = analysis.agreement(latest, joint.scale.span)
    row = pairs[(pairs["actor_a"] == "RUS") & (pairs["actor_b"] == "CHN")].iloc[0]
    assert row["agreement"] == 1.0
    # before the joint 2025 statement, the three-way 2024 statement is the latest for all three
    earlier = analysis.latest_stances(frame, dt.date(2024, 6, 1), ["official"])
    assert sorted(earlier["actor"]) == ["CHN", "RUS", "USA"] and set(earlier["stance"]) == {0}


def test_hovers_quote_cards_and_tables_say_joint_statement_with(joint: Dataset) -> None:
    frame = analysis.positions_frame(joint)
    russia = frame.iloc[0]
    assert "joint statement with China" in chartparts.hover_text(russia, joint.scale)
    assert "joint statement with" not in chartparts.hover_text(frame.iloc[2], joint.scale)
    column = chartparts.hover_column(frame, joint.scale)
    assert "joint statement with Russia" in column[1]
    said = chartviews._said(frame)
    assert "Joint statement with China" in said[("golden-dome", "RUS")][0].text(joint.scale)
    table = tables.quotes_table(frame)
    assert "joint statement with" in table.columns
    assert set(table["joint statement with"].dropna()) == {
        "China",
        "Russia",
        "United States, Russia",
        "China, Russia",
        "China, United States",
    }


def test_a_joint_statement_ties_with_a_signatorys_own_statement_of_that_day(joint: Dataset) -> None:
    own = joint.positions[1].model_copy(update={"stance": 1, "date": "2025-05-08"}).at(99, 5)
    joint_one = joint.positions[0].model_copy(update={"actors": ["RUS", "USA"]}).at(20, 5)
    problems = find_ties([joint_one, own], "t.yaml")
    assert [(p.type, p.line) for p in problems] == [("tie", 99)]
    assert "USA has 2 official positions" in problems[0].message


def test_a_broken_actor_value_is_reported_once_not_also_as_missing(tmp_path: Path) -> None:
    text = (DATA / "valid.yaml").read_text(encoding="utf-8").replace("  - actor: USA", "  - actor: !foo USA")
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    dataset = load_dataset(path, today=TODAY)
    assert [(p.type, p.loc) for p in dataset.problems] == [("unsupported-tag", "positions[1].actor")]
