"""Agreement under AppTest: the matrix and the pairs table match analysis.agreement, the minimum
shared issues is a control that travels in the link, and the chart draws one triangle."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from apphelpers import AS_OF, array, charts, messages, open_page, rerun, same_view

from stances import agreement, analysis
from stances.load import load_dataset

PAGE = "pages/agreement_page.py"
FOUR = ["USA", "RUS", "CHN", "FRA"]


def expected_pairs(dataset, actors: list[str], minimum: int):
    """The pairs analysis.agreement scores with at least ``minimum`` shared issues, once each."""
    frame = analysis.positions_frame(dataset)
    latest = analysis.latest_stances(frame, dt.date.fromisoformat(AS_OF), ["official"])
    pairs = analysis.agreement(latest[latest["actor"].isin(actors)], dataset.scale.span, actors)
    return pairs[(pairs["actor_a"] < pairs["actor_b"]) & (pairs["shared"] >= minimum)]


def cells(spec: dict, name: str) -> list[float]:
    """The drawn (non-empty) cells of the heatmap trace called ``name``."""
    [trace] = [t for t in spec["data"] if t.get("name") == name]
    return [v for row in array(trace["z"]) for v in row if v is not None and not math.isnan(v)]


def test_pairs_table_matches_the_measure_and_ranks_by_shared_issues(use_dataset):
    path = use_dataset("many_actors.yaml")
    at = open_page(PAGE, {"asof": AS_OF, "actors": FOUR})
    expected = expected_pairs(load_dataset(path), FOUR, 2)
    [table] = at.dataframe
    assert len(table.value) == len(expected) > 0
    got = {
        frozenset((a, b)): (n, v)
        for a, b, n, v in zip(
            table.value["actor"],
            table.value["other actor"],
            table.value["shared issues"],
            table.value["agreement"],
            strict=True,
        )
    }
    for _, pair in expected.iterrows():
        shared, score = got[frozenset((pair["actor_a_name"], pair["actor_b_name"]))]
        assert shared == pair["shared"] and score == pytest.approx(pair["agreement"])
    ranks = list(zip(-table.value["shared issues"], -table.value["agreement"], strict=True))
    assert ranks == sorted(ranks)  # most shared issues first, then most aligned
    [spec] = charts(at)
    assert "Agreement between 4 actors" in spec["layout"]["title"]["text"]
    assert "minimum 2 shared issues" in spec["layout"]["title"]["subtitle"]["text"]


def test_the_matrix_is_one_triangle_with_too_few_cells_grey(bundled):
    at = open_page(PAGE, {"asof": AS_OF, "actors": ["RUS", "USA", "CHN", "NATO", "FRA", "DEU", "ISR"]})
    [spec] = charts(at)
    scored, grey = cells(spec, "agreement"), cells(spec, "too few shared issues")
    assert len(scored) + len(grey) == 7 * 6 // 2  # each pair once, no actor with itself
    [table] = at.dataframe
    assert len(scored) == len(table.value)


def test_the_minimum_changes_the_scores_and_travels_in_the_link(bundled):
    actors = ["RUS", "USA", "CHN", "NATO", "FRA", "DEU", "ISR"]
    first = open_page(PAGE, {"asof": AS_OF, "actors": actors})
    assert "minshared" not in first.query_params  # the default stays out of the link
    at_two = len(first.dataframe[0].value)
    first.number_input(key="ag_min_shared").set_value(1)
    rerun(first)
    assert first.query_params["minshared"] == "1"
    at_one = first.dataframe[0].value
    assert len(at_one) > at_two and (at_one["shared issues"] == 1).any()
    [spec] = charts(first)
    assert "minimum 1 shared issue" in spec["layout"]["title"]["subtitle"]["text"]
    second = same_view(first, PAGE)
    assert second.number_input(key="ag_min_shared").value == 1
    assert charts(second)[0]["data"] == spec["data"]


def test_a_minimum_no_pair_reaches_is_explained(bundled):
    at = open_page(PAGE, {"asof": AS_OF, "actors": ["RUS", "USA", "CHN"], "minshared": "40"})
    assert any("so no pair is scored" in m for m in messages(at, "info"))
    [spec] = charts(at)  # still drawn: the hover names what each pair shares
    assert cells(spec, "agreement") == [] and len(cells(spec, "too few shared issues")) == 3
    assert at.dataframe == [] or len(at.dataframe) == 0


def test_a_bad_minimum_in_the_link_is_dropped_with_a_notice(bundled):
    at = open_page(PAGE, {"asof": AS_OF, "minshared": "two"})
    assert at.number_input(key="ag_min_shared").value == 2
    assert any("minshared" in m and "two" in m for m in messages(at, "warning"))


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


def test_sources_and_method_says_how_the_matrix_is_ordered(bundled):
    at = open_page("pages/sources_page.py", {"asof": AS_OF})
    assert agreement.METHOD_NOTE in [m.value for m in at.markdown]
