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


def test_agreement_tables_the_scored_pairs_most_shared_first(dataset: Dataset, frame: pd.DataFrame) -> None:
    # Each pair here shares one issue: scored only when the minimum is 1 (stances.agreement).
    view = agreement_view(dataset, frame, AS_OF, VOICES, ("RUS", "USA", "NATO"), 1)
    assert isinstance(view, AgreementView) and view.figure is not None
    assert list(view.pairs.columns) == ["actor", "other actor", "shared issues", "agreement", "issues"]
    assert [({a, b}, n, v) for a, b, n, v, _ in view.pairs.itertuples(index=False, name=None)] == [
        ({"North Atlantic Treaty Organization", "United States"}, 1, 0.75),
        ({"North Atlantic Treaty Organization", "Russia"}, 1, 0.25),
        ({"Russia", "United States"}, 1, 0.0),
    ]
    assert (view.too_few, view.unshared, view.notes) == (0, 0, ())
    at_two = agreement_view(dataset, frame, AS_OF, VOICES, ("RUS", "USA", "NATO"))
    assert at_two.pairs.empty and (at_two.too_few, at_two.unshared) == (3, 0)
    assert at_two.figure is not None and "so no pair is scored" in at_two.notes[0]
    with_silent = agreement_view(dataset, frame, AS_OF, VOICES, ("RUS", "USA", "CHN"), 1)
    assert len(with_silent.pairs) == 1 and with_silent.unshared == 2


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


def test_a_view_encodes_the_figure_it_shows_once(dataset: Dataset, frame: pd.DataFrame) -> None:
    import plotly.io

    view = overview_view(dataset, frame, AS_OF, VOICES, ("bmd", "inf"), ("RUS", "USA", "NATO"))
    assert view.encoded is view.encoded  # made once per view (views are memoised)
    shown = plotly.io.to_json(view.shown.to_dict(), validate=False)
    assert plotly.io.to_json(view.encoded.to_dict(), validate=False) == shown  # what st.plotly_chart sends
    assert compare_view(dataset, frame, AS_OF, VOICES, (), ()).encoded is None  # an empty state draws no chart
