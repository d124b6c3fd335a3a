"""Map under AppTest: a choropleth of countries' latest stances drawn from the offline world map."""

from __future__ import annotations

import datetime as dt

from apphelpers import AS_OF, chart_configs, charts, messages, open_page, same_view

from stances import analysis
from stances.load import load_dataset

PAGE = "pages/map_page.py"


def latest_on(path, issue):
    frame = analysis.positions_frame(load_dataset(path))
    latest = analysis.latest_stances(frame, dt.date.fromisoformat(AS_OF), ["official"])
    return latest[latest["issue"] == issue]


def test_countries_with_a_stance_are_the_map_locations(bundled):
    at = open_page(PAGE, {"asof": AS_OF, "issue": "us-nato-bmd-europe"})
    rows = latest_on(bundled, "us-nato-bmd-europe")
    countries = rows[rows["actor_kind"] == "country"]["actor"].tolist()
    [spec] = charts(at)
    [trace] = spec["data"]
    assert trace["type"] == "choropleth"
    assert spec["layout"]["meta"]["region"] == "europe"
    # the US is outside Europe's view: named under the map, with its stance, not drawn
    assert sorted(trace["locations"]) == sorted(c for c in countries if c != "USA")
    [outside] = [a for a in spec["layout"]["annotations"] if a.get("name") == "outside"]
    assert "United States +2 strongly supports" in outside["text"]
    assert len(countries) > 1


def test_map_is_drawn_from_the_bundled_topojson(bundled):
    at = open_page(PAGE, {"asof": AS_OF, "issue": "us-nato-bmd-europe"})
    [config] = chart_configs(at)
    assert config["topojsonURL"] == "app/static/topojson/"
    assert config["toImageButtonOptions"]["filename"] == f"map-us-nato-bmd-europe-{AS_OF}"


def test_blocs_are_listed_beside_the_map(use_dataset):
    path = use_dataset("many_actors.yaml")
    at = open_page(PAGE, {"asof": AS_OF, "issue": "bmd-europe"})
    rows = latest_on(path, "bmd-europe")
    blocs = rows[rows["actor_kind"] == "bloc"]
    assert len(blocs) >= 1
    [table] = at.dataframe
    assert table.value["bloc"].tolist() == blocs["actor_name"].tolist()
    assert "USA" in table.value["members"].iloc[0] or "RUS" in table.value["members"].iloc[0]


def test_an_issue_nobody_spoke_about_is_explained(use_dataset):
    use_dataset("orphan_issue.yaml")
    at = open_page(PAGE, {"asof": AS_OF, "issue": "orphan"})
    assert charts(at) == []
    assert any("Nobody has a position on this issue" in m for m in messages(at, "info"))


def test_link_round_trip(bundled):
    first = open_page(PAGE, {"asof": AS_OF})
    first.selectbox(key="map_issue").set_value("thaad-korea")
    first.run()
    second = same_view(first, PAGE)
    assert second.selectbox(key="map_issue").value == "thaad-korea"
    assert charts(second)[0]["data"] == charts(first)[0]["data"]


def test_the_map_fits_the_issues_region_and_names_it_in_the_link(bundled):
    at = open_page(PAGE, {"asof": AS_OF, "issue": "thaad-korea"})
    picker = at.selectbox(key="map_region")
    assert picker.value == "east-asia"
    assert picker.format_func("east-asia") == "East Asia (automatic)"
    [spec] = charts(at)
    assert spec["layout"]["meta"]["region"] == "east-asia"
    assert at.query_params["region"] == "east-asia"  # the data's choice: the link keeps it if records move it


def test_a_chosen_region_goes_into_the_link_and_comes_back_from_it(bundled):
    first = open_page(PAGE, {"asof": AS_OF, "issue": "us-nato-bmd-europe"})
    assert first.selectbox(key="map_region").value == "europe"
    first.selectbox(key="map_region").set_value("world")
    first.run()
    assert first.query_params["region"] == "world"
    assert charts(first)[0]["layout"]["meta"]["region"] == "world"
    second = same_view(first, PAGE)
    assert second.selectbox(key="map_region").value == "world"
    assert charts(second)[0]["data"] == charts(first)[0]["data"]
    second.selectbox(key="map_issue").set_value("thaad-korea")  # another issue: its own region
    second.run()
    assert second.selectbox(key="map_region").value == "east-asia"
    assert second.query_params["region"] == "east-asia"
