"""Agreement under AppTest: the matrix and the pairs table match analysis.agreement."""

from __future__ import annotations

import datetime as dt

import pytest
from apphelpers import AS_OF, charts, messages, open_page, rerun, same_view

from stances import analysis
from stances.load import load_dataset

PAGE = "pages/agreement_page.py"


def test_pairs_table_matches_the_measure(use_dataset):
    path = use_dataset("many_actors.yaml")
    dataset = load_dataset(path)
    at = open_page(PAGE, {"asof": AS_OF, "actors": ["USA", "RUS", "CHN", "FRA"]})
    frame = analysis.positions_frame(dataset)
    latest = analysis.latest_stances(frame, dt.date.fromisoformat(AS_OF), ["official"])
    rows = latest[latest["actor"].isin(["USA", "RUS", "CHN", "FRA"])]
    pairs = analysis.agreement(rows, dataset.scale.span, ["USA", "RUS", "CHN", "FRA"])
    expected = pairs[(pairs["actor_a"] < pairs["actor_b"]) & (pairs["shared"] > 0)]
    [table] = at.dataframe
    assert len(table.value) == len(expected) > 0
    got = {
        (a, b): v
        for a, b, v in zip(table.value["actor"], table.value["other actor"], table.value["agreement"], strict=True)
    }
    for _, pair in expected.iterrows():
        assert got[(pair["actor_a_name"], pair["actor_b_name"])] == pytest.approx(pair["agreement"])
    [spec] = charts(at)
    assert any(t["type"] == "heatmap" for t in spec["data"])
    assert "Agreement between 4 actors" in spec["layout"]["title"]["text"]


def test_the_measure_is_explained_on_the_page(bundled):
    at = open_page(PAGE, {"asof": AS_OF})
    assert any("1 − |a − b| / 4" in c.value for c in at.caption)


def test_one_actor_is_explained(use_dataset):
    use_dataset("one_actor.yaml")
    at = open_page(PAGE, {"asof": AS_OF})
    assert charts(at) == []
    assert any("only one actor" in m for m in messages(at, "info"))


def test_fewer_than_two_chosen_is_explained(bundled):
    at = open_page(PAGE, {"asof": AS_OF})
    at.multiselect(key="ag_actors").set_value(["RUS"])
    rerun(at)
    assert charts(at) == []
    assert any("at least two actors" in m for m in messages(at, "info"))


def test_link_round_trip(bundled):
    first = open_page(PAGE, {"asof": AS_OF})
    first.multiselect(key="ag_actors").set_value(["RUS", "USA", "CHN"])
    rerun(first)
    second = same_view(first, PAGE)
    assert second.multiselect(key="ag_actors").value == ["RUS", "USA", "CHN"]
    assert charts(second)[0]["data"] == charts(first)[0]["data"]
