"""Analysis: the as-of rule, agreement, timelines and quote search, against hand-computed answers."""

from __future__ import annotations

import datetime as dt
import math
import random
from typing import Any

import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from stances import analysis
from stances.load import parse_dataset
from stances.model import Actor, Dataset, Issue, Position, Scale, Source

TODAY = dt.date(2025, 1, 1)
NAMES = {"RUS": "Russia", "USA": "United States", "POL": "Poland", "CHN": "China", "NATO": "NATO"}


def build(
    positions: list[dict[str, Any]],
    *,
    actors: list[dict[str, Any]] | None = None,
    issues: list[dict[str, Any]] | None = None,
    sources: list[dict[str, Any]] | None = None,
    allow_errors: bool = False,
) -> Dataset:
    """A dataset parsed from YAML: positions get defaults, actors/issues/sources default to those used."""
    rows = [
        {
            "speaker": "Speaker",
            "role": "Role",
            "voice": "official",
            "quote": "A quote.",
            "source": "src",
            "date": "2013",
            "stance": 0,
            **p,
        }
        for p in positions
    ]
    ids = list(dict.fromkeys(r["actor"] for r in rows))
    issue_ids = list(dict.fromkeys(r["issue"] for r in rows))
    doc = {
        "title": "Built",
        "actors": actors if actors is not None else [{"id": a, "name": NAMES.get(a, a)} for a in ids],
        "issues": issues
        if issues is not None
        else [{"id": i, "title": f"Issue {i}", "question": f"{i} should go ahead."} for i in issue_ids],
        "sources": sources if sources is not None else [{"id": "src", "publisher": "Example", "date": "2013-04-05"}],
        "positions": rows,
    }
    dataset = parse_dataset(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), label="built.yaml", today=TODAY)
    if not allow_errors:
        assert dataset.errors == [], [p.format() for p in dataset.errors]
    return dataset


def frame_of(positions: list[dict[str, Any]], **kw: Any) -> pd.DataFrame:
    return analysis.positions_frame(build(positions, **kw))


def stances_of(latest: pd.DataFrame) -> dict[tuple[str, str], int | None]:
    return {
        (r.actor, r.issue): (None if pd.isna(r.stance) else int(r.stance))
        for r in latest[["actor", "issue", "stance"]].itertuples()
    }


# --- positions_frame ---------------------------------------------------------------------------


def test_positions_frame_has_one_row_per_position_in_file_order() -> None:
    frame = frame_of(
        [
            {"actor": "RUS", "issue": "bmd", "stance": -2, "date": "2013-03"},
            {"actor": "USA", "issue": "bmd", "stance": None, "date": "2012"},
            {"actor": "RUS", "issue": "inf", "stance": 1, "date": "2014-05-06"},
        ]
    )
    assert list(frame.columns[: len(analysis.COLUMNS)]) == list(analysis.COLUMNS)
    assert frame["order"].tolist() == [0, 1, 2]
    assert frame["actor_name"].tolist() == ["Russia", "United States", "Russia"]
    assert frame["issue_title"].tolist() == ["Issue bmd", "Issue bmd", "Issue inf"]
    assert str(frame["stance"].dtype) == "Int64"
    assert frame["stance"].tolist()[0] == -2 and pd.isna(frame["stance"].iloc[1])
    assert frame["stance_label"].tolist() == ["strongly opposes", "declined to state", "supports"]
    assert frame["date"].tolist() == ["2013-03", "2012", "2014-05-06"]
    assert str(frame["date_start"].dtype) == "datetime64[ns]"
    assert frame["date_start"].dt.date.tolist() == [dt.date(2013, 3, 1), dt.date(2012, 1, 1), dt.date(2014, 5, 6)]
    assert frame["precision"].tolist() == ["month", "year", "day"]
    assert frame["source_publisher"].tolist() == ["Example"] * 3
    assert frame["source_date"].tolist() == ["2013-04-05"] * 3
    assert frame["source_url"].tolist() == [None] * 3
    assert frame["translation"].tolist() == [None] * 3
    assert frame["line"].is_monotonic_increasing and frame["line"].min() > 0


def test_positions_frame_falls_back_to_ids_when_a_record_is_invalid() -> None:
    dataset = build(
        [{"actor": "XYZ", "issue": "bmd", "stance": 1}],
        actors=[{"id": "XYZ", "name": "Somewhere", "kind": "planet"}],
        issues=[{"id": "bmd", "title": "Missile defence"}],  # no question: invalid record
        allow_errors=True,
    )
    assert len(dataset.errors) == 2
    frame = analysis.positions_frame(dataset)
    assert frame["actor_name"].tolist() == ["XYZ"]
    assert frame["issue_title"].tolist() == ["bmd"]
    assert frame["actor_kind"].tolist() == [None]


def test_empty_dataset_gives_typed_empty_frames_everywhere() -> None:
    dataset = Dataset("x.yaml", "Empty", Scale(), [], [], [], [], [])
    frame = analysis.positions_frame(dataset)
    assert frame.empty and list(frame.columns) == list(analysis.COLUMNS)
    assert str(frame["stance"].dtype) == "Int64" and str(frame["date_start"].dtype) == "datetime64[ns]"
    latest = analysis.latest_stances(frame, dt.date(2020, 1, 1), ["official"])
    assert latest.empty
    assert analysis.stance_matrix(latest).shape == (0, 0)
    assert analysis.agreement(latest, 4).empty
    assert analysis.timeline(frame, "bmd", None, None).empty
    assert analysis.search_quotes(frame, "anything").empty
    assert analysis.default_actors(frame) == []
    assert analysis.sources_used(frame) == []
    assert analysis.actors_with_positions(frame) == [] and analysis.issues_with_positions(frame) == []


# --- the as-of rule ----------------------------------------------------------------------------


AS_OF_POSITIONS = [
    {"actor": "RUS", "issue": "bmd", "stance": -2, "date": "2013"},  # from 2013-01-01
    {"actor": "RUS", "issue": "bmd", "stance": 1, "date": "2013-03"},  # from 2013-03-01
    {"actor": "RUS", "issue": "bmd", "stance": -1, "date": "2012-12-31"},
]


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (dt.date(2012, 12, 30), {}),
        (dt.date(2012, 12, 31), {("RUS", "bmd"): -1}),
        (dt.date(2013, 1, 1), {("RUS", "bmd"): -2}),  # "2013" counts from its first day
        (dt.date(2013, 2, 28), {("RUS", "bmd"): -2}),
        (dt.date(2013, 3, 1), {("RUS", "bmd"): 1}),
        (None, {("RUS", "bmd"): 1}),
    ],
)
def test_latest_stance_as_of_compares_partial_dates_by_first_day(
    as_of: dt.date | None, expected: dict[tuple[str, str], int]
) -> None:
    latest = analysis.latest_stances(frame_of(AS_OF_POSITIONS), as_of, ["official"])
    assert stances_of(latest) == expected


@pytest.mark.parametrize(("first", "second"), [("2013", "2013-01-01"), ("2013-01-01", "2013-01")])
def test_on_a_tie_the_record_later_in_the_file_wins(first: str, second: str) -> None:
    frame = frame_of(
        [
            {"actor": "RUS", "issue": "bmd", "stance": 2, "date": first, "quote": "First."},
            {"actor": "RUS", "issue": "bmd", "stance": -1, "date": second, "quote": "Second."},
        ]
    )
    latest = analysis.latest_stances(frame, dt.date(2013, 1, 1), ["official"])
    assert stances_of(latest) == {("RUS", "bmd"): -1}
    assert latest["quote"].tolist() == ["Second."]


def test_latest_stance_respects_the_voice_filter() -> None:
    frame = frame_of(
        [
            {"actor": "RUS", "issue": "bmd", "stance": -2, "date": "2013", "voice": "official"},
            {"actor": "RUS", "issue": "bmd", "stance": 2, "date": "2014", "voice": "expert"},
            {"actor": "USA", "issue": "bmd", "stance": 1, "date": "2014", "voice": "reported"},
        ]
    )
    assert stances_of(analysis.latest_stances(frame, None, ["official"])) == {("RUS", "bmd"): -2}
    assert stances_of(analysis.latest_stances(frame, None, ["official", "expert"])) == {("RUS", "bmd"): 2}
    assert stances_of(analysis.latest_stances(frame, None, None)) == {("RUS", "bmd"): 2, ("USA", "bmd"): 1}
    assert analysis.latest_stances(frame, None, []).empty


def test_a_declined_position_is_a_latest_stance_too() -> None:
    frame = frame_of(
        [
            {"actor": "RUS", "issue": "bmd", "stance": -2, "date": "2013"},
            {"actor": "RUS", "issue": "bmd", "stance": None, "date": "2014"},
        ]
    )
    latest = analysis.latest_stances(frame, None, ["official"])
    assert stances_of(latest) == {("RUS", "bmd"): None}
    assert latest["stance_label"].tolist() == ["declined to state"]


def test_latest_stances_keep_the_columns_and_dataset_order() -> None:
    frame = frame_of(
        [
            {"actor": "USA", "issue": "b", "stance": 1},
            {"actor": "RUS", "issue": "a", "stance": -1},
            {"actor": "USA", "issue": "a", "stance": 2},
        ],
        actors=[{"id": "RUS", "name": "Russia"}, {"id": "USA", "name": "United States"}],
        issues=[{"id": "b", "title": "B", "question": "B."}, {"id": "a", "title": "A", "question": "A."}],
    )
    latest = analysis.latest_stances(frame, None, None)
    assert list(latest.columns) == list(frame.columns)
    assert list(zip(latest["actor"], latest["issue"], strict=True)) == [("RUS", "a"), ("USA", "b"), ("USA", "a")]
    assert analysis.actors_with_positions(frame) == ["RUS", "USA"]
    assert analysis.issues_with_positions(frame) == ["b", "a"]


def test_stance_matrix_is_actor_by_issue_with_missing_cells() -> None:
    frame = frame_of(
        [
            {"actor": "RUS", "issue": "a", "stance": -2},
            {"actor": "USA", "issue": "b", "stance": 1},
            {"actor": "USA", "issue": "a", "stance": None},
        ]
    )
    matrix = analysis.stance_matrix(analysis.latest_stances(frame, None, None))
    assert list(matrix.index) == ["RUS", "USA"] and list(matrix.columns) == ["a", "b"]
    assert matrix.loc["RUS", "a"] == -2 and matrix.loc["USA", "b"] == 1
    assert pd.isna(matrix.loc["RUS", "b"]) and pd.isna(matrix.loc["USA", "a"])
    chosen = analysis.stance_matrix(analysis.latest_stances(frame, None, None), ["USA", "CHN"], ["b", "zzz"])
    assert list(chosen.index) == ["USA", "CHN"] and list(chosen.columns) == ["b", "zzz"]
    assert chosen.loc["USA", "b"] == 1 and chosen.isna().sum().sum() == 3


# --- agreement ---------------------------------------------------------------------------------

AGREEMENT_POSITIONS = [
    {"actor": "RUS", "issue": "i1", "stance": 2},
    {"actor": "RUS", "issue": "i2", "stance": -2},
    {"actor": "RUS", "issue": "i3", "stance": 0},
    {"actor": "RUS", "issue": "i4", "stance": None},
    {"actor": "USA", "issue": "i1", "stance": 1},
    {"actor": "USA", "issue": "i2", "stance": -2},
    {"actor": "USA", "issue": "i3", "stance": 2},
    {"actor": "USA", "issue": "i4", "stance": 1},
    {"actor": "POL", "issue": "i1", "stance": None},
    {"actor": "POL", "issue": "i4", "stance": 1},
]


def agreement_table(long: pd.DataFrame) -> dict[tuple[str, str], tuple[float, int]]:
    return {(r.actor_a, r.actor_b): (r.agreement, r.shared) for r in long.itertuples()}


def test_agreement_matches_hand_computation() -> None:
    latest = analysis.latest_stances(frame_of(AGREEMENT_POSITIONS), None, ["official"])
    table = agreement_table(analysis.agreement(latest, 4))
    # RUS-USA share i1, i2, i3 (i4: RUS declined): (1 - 1/4) + (1 - 0) + (1 - 2/4) = 2.25 over 3.
    assert table[("RUS", "USA")] == (pytest.approx(0.75), 3)
    assert table[("USA", "RUS")] == (pytest.approx(0.75), 3)
    # USA-POL share only i4 (POL declined i1): same stance.
    assert table[("USA", "POL")] == (pytest.approx(1.0), 1)
    # RUS-POL: RUS declined i4, POL declined i1: nothing shared -> unknown, not 0.
    agreement, shared = table[("RUS", "POL")]
    assert math.isnan(agreement) and shared == 0
    # Diagonal: 1.0 over the actor's own non-null stances.
    assert table[("RUS", "RUS")] == (1.0, 3)
    assert table[("USA", "USA")] == (1.0, 4)
    assert table[("POL", "POL")] == (1.0, 1)
    assert len(table) == 9


def test_agreement_uses_the_scale_span_and_the_given_actors() -> None:
    latest = analysis.latest_stances(frame_of(AGREEMENT_POSITIONS), None, ["official"])
    long = analysis.agreement(latest, 8, actors=["USA", "RUS", "CHN"])
    assert long["actor_a"].tolist() == ["USA"] * 3 + ["RUS"] * 3 + ["CHN"] * 3
    table = agreement_table(long)
    # span 8: (1 - 1/8) + 1 + (1 - 2/8) = 2.625 over 3.
    assert table[("USA", "RUS")] == (pytest.approx(0.875), 3)
    assert math.isnan(table[("CHN", "CHN")][0]) and table[("CHN", "USA")][1] == 0
    assert long.loc[long["actor_a"] == "RUS", "actor_a_name"].unique().tolist() == ["Russia"]
    assert long.loc[long["actor_a"] == "CHN", "actor_a_name"].unique().tolist() == ["CHN"]


def test_agreement_follows_the_as_of_date_and_voices() -> None:
    frame = frame_of(
        [
            {"actor": "RUS", "issue": "i1", "stance": -2, "date": "2013"},
            {"actor": "USA", "issue": "i1", "stance": 2, "date": "2013"},
            {"actor": "RUS", "issue": "i1", "stance": 2, "date": "2015"},
            {"actor": "USA", "issue": "i1", "stance": -2, "date": "2016", "voice": "expert"},
        ]
    )
    early = agreement_table(analysis.agreement(analysis.latest_stances(frame, dt.date(2014, 1, 1), ["official"]), 4))
    late = agreement_table(analysis.agreement(analysis.latest_stances(frame, None, ["official"]), 4))
    with_experts = analysis.latest_stances(frame, None, ["official", "expert"])
    assert early[("RUS", "USA")] == (pytest.approx(0.0), 1)
    assert late[("RUS", "USA")] == (pytest.approx(1.0), 1)
    assert agreement_table(analysis.agreement(with_experts, 4))[("RUS", "USA")] == (pytest.approx(0.0), 1)


def _reference_latest(positions: list[Position], as_of: dt.date | None, voices: set[str]) -> dict:
    """The as-of rule written the obvious way, one position at a time."""
    from stances.model import date_start

    best: dict[tuple[str, str], tuple[dt.date, int, int | None]] = {}
    for order, p in enumerate(positions):
        start = date_start(p.date)
        if p.voice not in voices or (as_of is not None and start > as_of):
            continue
        key = (p.actor, p.issue)
        if key not in best or (start, order) >= best[key][:2]:
            best[key] = (start, order, p.stance)
    return {k: v[2] for k, v in best.items()}


def _reference_agreement(latest: dict, actors: list[str], span: int) -> dict:
    out = {}
    for a in actors:
        for b in actors:
            scores = [
                1 - abs(latest[(a, i)] - latest[(b, i)]) / span
                for (x, i) in latest
                if x == a and latest[(a, i)] is not None and latest.get((b, i)) is not None
            ]
            out[(a, b)] = (sum(scores) / len(scores) if scores else math.nan, len(scores))
    return out


@pytest.mark.parametrize("seed", range(6))
def test_vectorised_results_equal_a_position_by_position_reference(seed: int) -> None:
    rng = random.Random(seed)
    actors = [f"A{n:02d}" for n in range(rng.randint(1, 9))]
    issues = [f"i{n}" for n in range(rng.randint(1, 5))]
    scale = Scale() if seed % 2 else Scale(labels={k: f"s{k}" for k in range(-3, 4)})
    dates = ["2012", "2013", "2013-01", "2013-01-01", "2013-06", "2013-06-15", "2014"]
    positions = [
        Position(
            actor=rng.choice(actors),
            issue=rng.choice(issues),
            stance=rng.choice([None, *range(scale.low, scale.high + 1)]),
            date=rng.choice(dates),
            speaker="S",
            role="R",
            voice=rng.choice(["official", "official", "expert", "reported"]),
            quote="Q",
            source="src",
        )
        for _ in range(rng.randint(0, 80))
    ]
    dataset = Dataset(
        "r.yaml",
        "Random",
        scale,
        [Actor(id=a, name=a) for a in actors],
        [Issue(id=i, title=i, question=i) for i in issues],
        [Source(id="src", publisher="P")],
        positions,
        [],
    )
    frame = analysis.positions_frame(dataset)
    for as_of in (None, dt.date(2013, 1, 1), dt.date(2013, 6, 14)):
        for voices in ({"official"}, {"official", "expert", "reported"}):
            latest = analysis.latest_stances(frame, as_of, voices)
            expected = _reference_latest(positions, as_of, voices)
            assert stances_of(latest) == expected
            got = agreement_table(analysis.agreement(latest, scale.span, actors))
            want = _reference_agreement(expected, actors, scale.span)
            assert got.keys() == want.keys()
            for key, (value, shared) in want.items():
                assert got[key][1] == shared, key
                assert (math.isnan(got[key][0]) and math.isnan(value)) or got[key][0] == pytest.approx(value), key


# --- timeline, defaults ------------------------------------------------------------------------


def test_timeline_rows_are_sorted_by_actor_date_and_file_order() -> None:
    frame = frame_of(
        [
            {"actor": "USA", "issue": "bmd", "stance": 1, "date": "2014", "quote": "u2014"},
            {"actor": "RUS", "issue": "bmd", "stance": -2, "date": "2013-05", "quote": "r2013-05"},
            {"actor": "RUS", "issue": "bmd", "stance": 0, "date": "2013", "quote": "r2013"},
            {"actor": "RUS", "issue": "inf", "stance": 0, "date": "2013", "quote": "other issue"},
            {"actor": "RUS", "issue": "bmd", "stance": -1, "date": "2013-01-01", "quote": "r2013-01-01"},
            {"actor": "RUS", "issue": "bmd", "stance": 2, "date": "2015", "voice": "expert", "quote": "expert"},
        ]
    )
    rows = analysis.timeline(frame, "bmd", None, ["official"])
    assert rows["quote"].tolist() == ["r2013", "r2013-01-01", "r2013-05", "u2014"]
    assert analysis.timeline(frame, "bmd", ["USA"], ["official"])["quote"].tolist() == ["u2014"]
    assert analysis.timeline(frame, "bmd", ["RUS"], None)["quote"].tolist()[-1] == "expert"
    assert analysis.timeline(frame, "nosuch", None, None).empty


def test_default_actors_are_those_with_most_positions_ties_by_id() -> None:
    frame = frame_of(
        [
            {"actor": "USA", "issue": "a"},
            {"actor": "RUS", "issue": "a"},
            {"actor": "RUS", "issue": "b"},
            {"actor": "POL", "issue": "a"},
            {"actor": "CHN", "issue": "a"},
        ]
    )
    assert analysis.default_actors(frame) == ["RUS", "CHN"]
    assert analysis.default_actors(frame, 3) == ["RUS", "CHN", "POL"]
    assert analysis.default_actors(frame, 10) == ["RUS", "CHN", "POL", "USA"]
    assert analysis.default_actors(frame.iloc[:1]) == ["USA"]


# --- search ------------------------------------------------------------------------------------

SEARCH_POSITIONS = [
    {"actor": "RUS", "issue": "bmd", "speaker": "Dmitry Médvédev", "quote": "We will respond.", "date": "2011"},
    {"actor": "RUS", "issue": "bmd", "speaker": "Dmitry Medvedev", "quote": "Without guarantees, no.", "date": "2012"},
    {
        "actor": "POL",
        "issue": "bmd",
        "speaker": "Radosław Sikorski",
        "quote": "Poland will host it.",
        "date": "2013-06",
    },
    {
        "actor": "USA",
        "issue": "inf",
        "speaker": "Official",
        "quote": "Le système est défensif.",
        "language": "fr",
        "note": "Coded as support",
        "voice": "expert",
        "date": "2014-02-03",
    },
]


def speakers(rows: pd.DataFrame) -> list[str]:
    return rows["speaker"].tolist()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Medvedev", ["Dmitry Médvédev", "Dmitry Medvedev"]),
        ("médvédev", ["Dmitry Médvédev", "Dmitry Medvedev"]),
        ("MEDVEDEV", ["Dmitry Médvédev", "Dmitry Medvedev"]),
        ("Radoslaw", ["Radosław Sikorski"]),
        ("radosław sikorski", ["Radosław Sikorski"]),
        ("sikorski radoslaw", ["Radosław Sikorski"]),
        ("systeme defensif", ["Official"]),
        ("coded as", ["Official"]),  # note
        ("example", ["Dmitry Médvédev", "Dmitry Medvedev", "Radosław Sikorski", "Official"]),  # publisher
        ("Issue inf", ["Official"]),  # issue title
        ("poland", ["Radosław Sikorski"]),  # actor name and quote
        ("guarantees", ["Dmitry Medvedev"]),
        ("", ["Dmitry Médvédev", "Dmitry Medvedev", "Radosław Sikorski", "Official"]),
        ("nothing like this", []),
    ],
)
def test_search_is_case_and_accent_insensitive(query: str, expected: list[str]) -> None:
    assert speakers(analysis.search_quotes(frame_of(SEARCH_POSITIONS), query)) == expected


def test_search_filters_combine() -> None:
    frame = frame_of(SEARCH_POSITIONS)
    assert speakers(analysis.search_quotes(frame, actors=["POL", "USA"])) == ["Radosław Sikorski", "Official"]
    assert speakers(analysis.search_quotes(frame, issues=["inf"])) == ["Official"]
    assert speakers(analysis.search_quotes(frame, voices=["official"])) == [
        "Dmitry Médvédev",
        "Dmitry Medvedev",
        "Radosław Sikorski",
    ]
    assert speakers(analysis.search_quotes(frame, "dmitry", speakers=["Dmitry Medvedev"])) == ["Dmitry Medvedev"]
    assert speakers(analysis.search_quotes(frame, "dmitry", actors=[])) == []


@pytest.mark.parametrize(
    ("date_from", "date_to", "expected"),
    [
        (dt.date(2012, 6, 1), None, ["Dmitry Medvedev", "Radosław Sikorski", "Official"]),  # "2012" overlaps
        (dt.date(2013, 6, 30), None, ["Radosław Sikorski", "Official"]),  # "2013-06" overlaps
        (dt.date(2013, 7, 1), None, ["Official"]),
        (None, dt.date(2012, 1, 1), ["Dmitry Médvédev", "Dmitry Medvedev"]),
        (None, dt.date(2011, 12, 31), ["Dmitry Médvédev"]),
        (dt.date(2014, 2, 3), dt.date(2014, 2, 3), ["Official"]),
        (dt.date(2014, 2, 4), None, []),
    ],
)
def test_search_date_range_matches_partial_dates_it_overlaps(
    date_from: dt.date | None, date_to: dt.date | None, expected: list[str]
) -> None:
    frame = frame_of(SEARCH_POSITIONS)
    assert speakers(analysis.search_quotes(frame, date_from=date_from, date_to=date_to)) == expected


def test_fold_removes_accents_and_case() -> None:
    assert analysis.fold("Médvédev") == "medvedev"
    assert analysis.fold("Radosław ØRSTED Straße") == "radoslaw orsted strasse"
    assert analysis.fold("Эрдоган") == analysis.fold("эрдоган")


# --- sources -----------------------------------------------------------------------------------


def test_sources_used_are_unique_sorted_publisher_and_date() -> None:
    frame = frame_of(
        [
            {"actor": "RUS", "issue": "a", "source": "s2"},
            {"actor": "RUS", "issue": "b", "source": "s1"},
            {"actor": "USA", "issue": "a", "source": "s2"},
            {"actor": "USA", "issue": "b", "source": "s3"},
        ],
        sources=[
            {"id": "s1", "publisher": "Observer Research Foundation", "date": "2013-04-05"},
            {"id": "s2", "publisher": "arms control association"},
            {"id": "s3", "publisher": "Observer Research Foundation", "date": "2014"},
        ],
    )
    assert analysis.sources_used(frame) == [
        "arms control association",
        "Observer Research Foundation (2013-04-05)",
        "Observer Research Foundation (2014)",
    ]
    assert analysis.sources_used(frame.iloc[:1]) == ["arms control association"]


def test_sources_sort_numbers_by_value() -> None:
    frame = frame_of(
        [{"actor": "RUS", "issue": "a", "source": f"s{n}"} for n in (10, 9, 100)],
        sources=[{"id": f"s{n}", "publisher": f"Report {n}"} for n in (10, 9, 100)],
    )
    assert analysis.sources_used(frame) == ["Report 9", "Report 10", "Report 100"]


@given(st.text(st.characters(exclude_categories=("Cn", "Cs")), max_size=40))
@settings(max_examples=300, deadline=None)
def test_column_folding_equals_the_query_folding(text: str) -> None:
    # Columns are folded in Arrow; ``fold`` is the Python definition (same Unicode version assumed).
    assert analysis._fold_series(pd.Series([text, None], dtype=object)).tolist() == [analysis.fold(text), ""]


_FIELD_TEXT = st.one_of(
    st.none(),
    st.text(st.sampled_from("abc XYZ\néÉłŁßﬁ…ς"), max_size=12),
    st.text(st.characters(exclude_categories=("Cn", "Cs")), max_size=12),
)


@given(
    st.lists(st.tuples(*[_FIELD_TEXT] * len(analysis.SEARCH_FIELDS)), min_size=1, max_size=6),
    st.text(st.sampled_from("abcxyzéłßς "), max_size=8),
)
@settings(max_examples=300, deadline=None)
def test_search_matches_the_joined_folded_fields(rows: list[tuple[str | None, ...]], query: str) -> None:
    # search_quotes folds each field at search time; the answer must be that of one folded text per
    # row joining every searchable field (what the frame used to carry as a column).
    frame = pd.DataFrame(
        {
            name: pd.Series(values, dtype=object)
            for name, values in zip(analysis.SEARCH_FIELDS, zip(*rows, strict=True), strict=True)
        }
    )
    words = analysis.fold(query).split()
    haystack = analysis.search_text(frame).tolist()
    expected = [all(word in text for word in words) for text in haystack]
    assert analysis._matching(frame, words).tolist() == expected


@given(st.lists(st.text(st.characters(max_codepoint=0x7F), max_size=20), max_size=5))
@settings(max_examples=100, deadline=None)
def test_ascii_text_is_folded_by_lower_casing(texts: list[str]) -> None:
    mixed = [*texts, "Médvédev ŁÓDŹ", *texts]
    assert analysis._fold_series(pd.Series(mixed, dtype=object)).tolist() == [analysis.fold(t) for t in mixed]


def test_positions_frame_shares_the_records_text() -> None:
    # The frame must not copy the quotes: every text cell is the record's own str object.
    dataset = build([{"actor": "RUS", "issue": "bmd", "quote": "Unique words here."}, {"actor": "USA", "issue": "bmd"}])
    frame = analysis.positions_frame(dataset)
    for name in ("quote", "speaker", "actor", "date", "voice"):
        assert all(cell is getattr(p, name) for cell, p in zip(frame[name], dataset.positions, strict=True))
    assert frame["actor_name"].iloc[0] is dataset.actors[0].name


def test_search_in_slices_gives_the_same_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    frame = frame_of(SEARCH_POSITIONS)
    queries = ["medvedev", "radoslaw sikorski", "example", "poland", "coded as", "nothing like this"]
    whole = {query: speakers(analysis.search_quotes(frame, query)) for query in queries}
    monkeypatch.setattr(analysis, "_SEARCH_SLICE", 1)
    assert {query: speakers(analysis.search_quotes(frame, query)) for query in queries} == whole
    assert whole["medvedev"] and whole["poland"]
