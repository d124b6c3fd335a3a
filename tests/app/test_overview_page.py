"""Overview under AppTest: the heatmap shows the as-of stances of the chosen issues; links restore it."""

from __future__ import annotations

import datetime as dt

from apphelpers import AS_OF, OVERVIEW, array, chart_configs, charts, messages, open_page, rerun, same_view

from stances import analysis
from stances.load import load_dataset


def expected_latest(path, as_of=AS_OF, voices=("official",)):
    dataset = load_dataset(path)
    frame = analysis.positions_frame(dataset)
    return dataset, analysis.latest_stances(frame, dt.date.fromisoformat(as_of), voices)


def test_heatmap_rows_are_the_actors_with_a_stance_as_of_the_date(bundled):
    at = open_page(OVERVIEW, {"asof": AS_OF})
    dataset, latest = expected_latest(bundled)
    [spec] = charts(at)
    [trace] = spec["data"]
    assert trace["type"] == "heatmap"
    names = dataset.actor_names()
    actors = analysis.actors_with_positions(latest)
    assert len(spec["layout"]["yaxis"]["ticktext"]) == len(actors) > 1
    assert spec["layout"]["yaxis"]["ticktext"][0] == names[actors[0]]
    assert len(array(trace["z"])) == len(actors)
    assert f"As of {AS_OF}" in spec["layout"]["title"]["subtitle"]["text"]


def test_chart_config_names_the_png_after_page_selection_and_date(bundled):
    at = open_page(OVERVIEW, {"asof": AS_OF, "issues": ["us-nato-bmd-europe"]})
    [config] = chart_configs(at)
    assert config["toImageButtonOptions"]["filename"] == f"overview-us-nato-bmd-europe-{AS_OF}"
    assert config["toImageButtonOptions"]["width"] == 1200
    assert config["displaylogo"] is False


def test_issue_selection_narrows_the_columns_and_is_written_to_the_url(bundled):
    at = open_page(OVERVIEW, {"asof": AS_OF})
    at.multiselect(key="ov_issues").set_value(["us-nato-bmd-europe"])
    rerun(at)
    [spec] = charts(at)
    assert len(spec["layout"]["xaxis"]["tickvals"]) == 1
    assert at.query_params["issues"] == "us-nato-bmd-europe"
    assert at.query_params["asof"] == AS_OF


def test_link_round_trip_restores_widgets_and_figure(bundled):
    first = open_page(OVERVIEW, {"asof": AS_OF})
    first.multiselect(key="ov_issues").set_value(["us-nato-bmd-europe", "thaad-korea"])
    first.checkbox(key="voice_expert").check()
    rerun(first)
    second = same_view(first, OVERVIEW)
    assert second.multiselect(key="ov_issues").value == ["us-nato-bmd-europe", "thaad-korea"]
    assert second.checkbox(key="voice_expert").value is True
    assert second.date_input(key="as_of").value == dt.date.fromisoformat(AS_OF)
    assert charts(second)[0]["data"] == charts(first)[0]["data"]


def test_thirty_six_actors_all_get_a_row(use_dataset):
    path = use_dataset("many_actors.yaml")
    at = open_page(OVERVIEW, {"asof": AS_OF})
    _, latest = expected_latest(path)
    [spec] = charts(at)
    assert len(array(spec["data"][0]["z"])) == len(analysis.actors_with_positions(latest)) > 30


def test_empty_positions_explains_instead_of_drawing(use_dataset):
    use_dataset("empty_positions.yaml")
    at = open_page(OVERVIEW)
    assert charts(at) == []
    assert any("no positions yet" in m for m in messages(at, "info"))


def test_a_date_before_any_position_explains(bundled):
    at = open_page(OVERVIEW, {"asof": "1950-01-01"})
    assert charts(at) == []
    assert any("dated on or before the as-of date" in m for m in messages(at, "info"))


def test_no_issue_selected_explains(bundled):
    at = open_page(OVERVIEW, {"asof": AS_OF})
    at.multiselect(key="ov_issues").set_value([])
    rerun(at)
    assert charts(at) == []
    assert any("No issue is selected" in m for m in messages(at, "info"))
