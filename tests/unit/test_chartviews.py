"""What each chart page shows: the figure or its empty state, and the typed values drawn around it."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from chartdata import POSITIONS, build

from stances import analysis
from stances.chartviews import (
    AgreementView,
    ChartView,
    CompareView,
    MapView,
    OverviewView,
    Said,
    agreement_view,
    compare_view,
    map_view,
    overview_view,
    timeline_view,
)
from stances.model import Dataset, Scale

AS_OF = dt.date(2024, 1, 1)
VOICES = ("official", "expert")


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    actors = [
        {"id": "RUS", "name": "Russia"},
        {"id": "USA", "name": "United States"},
        {"id": "NATO", "name": "North Atlantic Treaty Organization", "kind": "bloc"},
    ]
    return build(POSITIONS, actors=actors)


@pytest.fixture(scope="module")
def frame(dataset: Dataset) -> pd.DataFrame:
    return analysis.positions_frame(dataset)


def test_overview_names_the_chosen_issues_and_actors_it_leaves_out(dataset: Dataset, frame: pd.DataFrame) -> None:
    view = overview_view(dataset, frame, AS_OF, VOICES, ("bmd", "inf", "nope"), ("RUS", "USA", "NATO", "CHN"))
    assert isinstance(view, OverviewView) and view.figure is not None
    assert (view.missing, view.silent) == (("nope",), ("CHN",))
    assert view.selection == ("bmd", "inf", "nope")


def test_compare_lists_the_issues_in_chart_order_and_what_each_actor_said(
    dataset: Dataset, frame: pd.DataFrame
) -> None:
    view = compare_view(dataset, frame, AS_OF, VOICES, ("RUS", "USA"), ())
    assert isinstance(view, CompareView) and view.figure is not None
    assert view.issues == ("bmd", "inf")
    assert {key: [s.quote for s in said] for key, said in view.said.items()} == {
        ("bmd", "RUS"): ["We feel no euphoria."],
        ("inf", "RUS"): ["No comment."],
        ("bmd", "USA"): ["It goes ahead."],
    }
    assert view.said[("inf", "RUS")][0].stance is None


def test_map_tables_the_blocs_it_cannot_draw_and_counts_both(dataset: Dataset, frame: pd.DataFrame) -> None:
    view = map_view(dataset, frame, AS_OF, VOICES, "bmd")
    assert isinstance(view, MapView) and view.figure is not None
    assert view.blocs.to_dict("records") == [
        {
            "bloc": "North Atlantic Treaty Organization",
            "stance": 1,
            "meaning": "supports",
            "date": "2013",
            "speaker": "Speaker",
            "members": "",
        }
    ]
    assert view.counts == "2 countries with a position on this issue, 1 bloc."


def test_agreement_tables_the_pairs_most_aligned_first(dataset: Dataset, frame: pd.DataFrame) -> None:
    view = agreement_view(dataset, frame, AS_OF, VOICES, ("RUS", "USA", "NATO"))
    assert isinstance(view, AgreementView) and view.figure is not None
    assert list(view.pairs.columns) == ["actor", "other actor", "agreement", "shared issues"]
    assert list(view.pairs.itertuples(index=False, name=None)) == [
        ("North Atlantic Treaty Organization", "United States", 0.75, 1),
        ("North Atlantic Treaty Organization", "Russia", 0.25, 1),
        ("Russia", "United States", 0.0, 1),
    ]
    assert view.some_unknown is False
    with_silent = agreement_view(dataset, frame, AS_OF, VOICES, ("RUS", "USA", "CHN"))
    assert len(with_silent.pairs) == 1 and with_silent.some_unknown is True


def test_an_empty_state_keeps_the_pages_view_type(dataset: Dataset, frame: pd.DataFrame) -> None:
    empty = {
        OverviewView: overview_view(dataset, frame, AS_OF, (), ("bmd",), ("RUS",)),
        CompareView: compare_view(dataset, frame, AS_OF, VOICES, (), ()),
        MapView: map_view(dataset, frame, AS_OF, VOICES, None),
        AgreementView: agreement_view(dataset, frame, AS_OF, VOICES, ("RUS",)),
        ChartView: timeline_view(dataset, frame, VOICES, "bmd", ()),
    }
    for kind, view in empty.items():
        assert type(view) is kind and view.figure is None and view.empty, kind
    assert empty[MapView].blocs.empty and empty[MapView].counts == ""
    assert empty[CompareView].issues == () and not empty[CompareView].said


def test_a_quote_under_compare_reads_one_item_a_line() -> None:
    said = Said(
        -1, "Nous refusons.", "fr", "We refuse.", "A. Person", "Minister", "2013-04", "official", None, "Le Monde"
    )
    assert said.text(Scale()).split("\n") == [
        "−1 opposes",
        "“Nous refusons.” [fr]",
        "Published translation: “We refuse.”",
        "A. Person, Minister · 2013-04 · official",
    ]
    assert "Published translation" not in Said(2, "Yes.", None, "", "B", "Envoy", "2020", "expert", None, "X").text(
        Scale()
    )
