"""The world map is data: countries by their ISO codes, the blocs it cannot draw listed under it."""

from __future__ import annotations

import json

import pandas as pd
from chartdata import CAPTION, EVIL, SCALE, build, code

from stances import analysis, palette, worldmap


def test_map_shows_countries_only_with_the_stance_palette(latest: pd.DataFrame) -> None:
    fig = worldmap.stance_map(latest[latest["issue"] == "bmd"], SCALE, CAPTION)
    (choropleth,) = fig.data
    assert list(choropleth.locations) == ["RUS", "USA"]  # NATO is a bloc
    assert choropleth.locationmode == "ISO-3"
    assert list(choropleth.z) == [code(-2), code(2)]
    assert list(choropleth.text) == ["−2 strongly opposes", "+2 strongly supports"]
    assert [c for _, c in choropleth.colorscale][::2][1] == palette.stance_colour(-2, SCALE)


def test_map_with_only_blocs_says_so(latest: pd.DataFrame) -> None:
    fig = worldmap.stance_map(latest[latest["actor"] == "NATO"], SCALE, CAPTION)
    assert list(fig.data[0].locations) == []
    assert any(a.name == "empty" for a in fig.layout.annotations)


def test_offline_world_map_ships_with_its_licence() -> None:
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "static" / "topojson"
    world = json.loads((folder / "world_110m.json").read_text(encoding="utf-8"))
    assert world["type"] == "Topology" and "countries" in world["objects"]
    assert len(world["objects"]["countries"]["geometries"]) > 100
    assert "MIT" in (folder / "LICENSE").read_text(encoding="utf-8")


def test_map_image_lists_the_blocs_with_their_stances(latest: pd.DataFrame) -> None:
    fig = worldmap.stance_map(latest[latest["issue"] == "bmd"], SCALE, CAPTION)
    assert list(fig.data[0].locations) == ["RUS", "USA"]
    (blocs,) = [a for a in fig.layout.annotations if a.name == "blocs"]
    assert blocs.text.startswith("Blocs (not on the map): ")
    assert "North Atlantic Treaty Organization +1 supports (expert)" in blocs.text
    assert f"color:{palette.stance_colour(1, SCALE)}" in blocs.text  # a swatch of the stance's colour
    # Under the map, above the footer: the map's bottom margin makes room for it.
    footer = next(a for a in fig.layout.annotations if a.name == "footer")
    assert blocs.yshift > footer.yshift and fig.layout.margin.b >= 10 + 12 + 30
    without = worldmap.stance_map(latest[(latest["issue"] == "bmd") & (latest["actor"] != "NATO")], SCALE, CAPTION)
    assert not [a for a in without.layout.annotations if a.name == "blocs"]


def test_map_bloc_list_escapes_names_and_counts_what_does_not_fit() -> None:
    positions = [{"actor": f"B{n:02d}", "issue": "bmd", "stance": n % 5 - 2} for n in range(40)]
    actors = [{"id": f"B{n:02d}", "name": f"{EVIL} bloc number {n}", "kind": "bloc"} for n in range(40)]
    latest = analysis.latest_stances(analysis.positions_frame(build(positions, actors=actors)), None, None)
    fig = worldmap.stance_map(latest, SCALE, CAPTION)
    (blocs,) = [a for a in fig.layout.annotations if a.name == "blocs"]
    assert "<script" not in blocs.text and "&lt;script&gt;" in blocs.text
    assert blocs.text.count("<br>") <= 2 and blocs.text.endswith("more")
    named = blocs.text.count("bloc number")
    assert 1 <= named < 40 and f"+{40 - named} more" in blocs.text
    assert any(a.name == "empty" for a in fig.layout.annotations)  # no country to draw


# --- regions and small countries ----------------------------------------------------------------


def stances_of(codes: dict[str, int]) -> pd.DataFrame:
    """Latest stances on one issue for the given countries (ISO alpha-3 -> stance)."""
    positions = [{"actor": c, "issue": "bmd", "stance": s} for c, s in codes.items()]
    return analysis.latest_stances(analysis.positions_frame(build(positions)), None, None)


def test_country_centres_and_extents_come_from_the_shipped_map() -> None:
    shapes = worldmap.world_shapes()
    assert len(shapes) > 170 and "KOR" in shapes and "SGP" not in shapes  # 1:110m has no Singapore
    assert shapes["KOR"].centre == (127.82, 36.43)  # the file's own "ct", where plotly puts markers
    lon0, lat0, lon1, lat1 = max(shapes["FRA"].parts, key=lambda p: (p[2] - p[0]) * (p[3] - p[1]))
    assert -5 < lon0 < 0 < 7 < lon1 < 9 and 42 < lat0 < 43 < 51 < lat1 < 52  # mainland France


def test_the_region_that_holds_the_countries_is_chosen() -> None:
    regions = worldmap.REGIONS
    assert worldmap.fitting_region(["FRA", "DEU", "POL", "RUS"]) == "europe"  # Russia is in Europe's view
    assert worldmap.fitting_region(["KOR", "PRK", "CHN", "RUS"]) == "east-asia"  # ...and East Asia's
    assert worldmap.fitting_region(["IND", "PAK"]) == "south-asia"
    assert worldmap.fitting_region(["ISR", "IRN", "SAU", "IRQ", "USA", "RUS"]) == "middle-east"  # 4 of 6
    # seven of nine in Europe: the US and Iran's corner cannot pull the map out to the world
    europe = ["CZE", "FRA", "GBR", "POL", "ROU", "RUS", "TUR", "IRN", "USA"]
    assert worldmap.fitting_region(europe) == "europe"
    assert worldmap.fitting_region(["RUS", "USA"]) == worldmap.fitting_region(["IND", "ISR", "PAK", "USA"]) == "world"
    assert worldmap.fitting_region([]) == worldmap.fitting_region(["SGP"]) == "world"
    assert not worldmap.in_view(worldmap.world_shapes()["CAN"], regions["europe"])
    assert not worldmap.in_view(worldmap.world_shapes()["USA"], regions["east-asia"])  # the Aleutians are not enough


def test_a_regional_map_lists_the_countries_it_leaves_out_and_fits_the_view() -> None:
    latest = stances_of({"FRA": 1, "POL": 2, "DEU": 1, "RUS": -2, "USA": 2})
    fig = worldmap.stance_map(latest, SCALE, CAPTION)
    assert fig.layout.meta["region"] == "europe"
    europe = worldmap.REGIONS["europe"]
    assert list(fig.layout.geo.lonaxis.range) == list(europe.lon)
    assert list(fig.layout.geo.lataxis.range) == list(europe.lat)
    assert sorted(fig.data[0].locations) == ["DEU", "FRA", "POL", "RUS"]  # the US would be an empty path
    (outside,) = [a for a in fig.layout.annotations if a.name == "outside"]
    assert outside.text.startswith("Outside this view: ") and "United States +2 strongly supports" in outside.text
    assert "France" not in outside.text
    assert "view: Europe" in fig.data[0].colorbar.title.text  # the image says which part of the world
    world = worldmap.stance_map(latest, SCALE, CAPTION, region="world")
    assert world.layout.meta["region"] == "world" and not [a for a in world.layout.annotations if a.name == "outside"]
    assert worldmap.stance_map(latest, SCALE, CAPTION, region="atlantis").layout.meta["region"] == "europe"


def test_countries_too_small_to_see_get_a_dot_of_their_stance_colour() -> None:
    latest = stances_of({"ISR": 2, "LBN": -1, "USA": 1, "RUS": -2, "SGP": 1})
    fig = worldmap.stance_map(latest, SCALE, CAPTION)
    assert fig.layout.meta["region"] == "world"
    (dots,) = [t for t in fig.data if t.name == "small countries"]
    assert dots.type == "scattergeo" and dots.mode == "markers"
    shapes = worldmap.world_shapes()
    assert list(zip(dots.lon, dots.lat, strict=True)) == [shapes["ISR"].centre, shapes["LBN"].centre]
    assert list(dots.marker.color) == [palette.stance_colour(2, SCALE), palette.stance_colour(-1, SCALE)]
    assert all(h.startswith("<b>") for h in dots.hovertext)  # the quote, as the shapes'
    (outside,) = [a for a in fig.layout.annotations if a.name == "outside"]
    assert outside.text.startswith("Not on this map: ")
    assert "SGP +1 supports" in outside.text  # no shape at 1:110m: named, never placed by guess
    assert "SGP" not in fig.data[0].locations
    europe = worldmap.stance_map(stances_of({"FRA": 1, "DEU": 1, "LUX": 2}), SCALE, CAPTION)
    assert [list(t.lon) for t in europe.data if t.name == "small countries"] == [[shapes["LUX"].centre[0]]]
    big = worldmap.stance_map(stances_of({"FRA": 1, "DEU": 1}), SCALE, CAPTION)
    assert [t.name for t in big.data] == ["stances"]


def test_blocs_and_countries_left_out_are_listed_one_under_the_other() -> None:
    positions = [{"actor": c, "issue": "bmd", "stance": 1} for c in ("FRA", "DEU", "POL", "USA", "NATO")]
    actors = [{"id": c, "name": c} for c in ("FRA", "DEU", "POL", "USA")] + [
        {"id": "NATO", "name": "NATO", "kind": "bloc"}
    ]
    latest = analysis.latest_stances(analysis.positions_frame(build(positions, actors=actors)), None, None)
    fig = worldmap.stance_map(latest, SCALE, CAPTION)
    blocs, outside = (next(a for a in fig.layout.annotations if a.name == n) for n in ("blocs", "outside"))
    footer = next(a for a in fig.layout.annotations if a.name == "footer")
    assert blocs.yshift > outside.yshift > footer.yshift
    assert fig.layout.margin.b >= 10 + 2 * 12 + 30


def test_a_country_whose_stance_is_older_than_the_limit_is_pale_and_says_so(latest: pd.DataFrame) -> None:
    import datetime as dt

    rows = latest[latest["issue"] == "bmd"]  # Russia's stance is from 2013, the United States' from 2013-05
    fig = worldmap.stance_map(rows, SCALE, CAPTION, old_before=dt.date(2013, 3, 1))
    choropleth = fig.data[0]
    assert list(choropleth.locations) == ["RUS", "USA"]
    assert list(choropleth.selectedpoints) == [1] and choropleth.unselected.marker.opacity == worldmap.OLD_OPACITY
    assert "pale: stated before 2013-03-01" in choropleth.hovertext[0]
    assert "pale" not in choropleth.hovertext[1] and "2013-05" in choropleth.hovertext[1]  # each hover has its date
    assert "pale: stated before<br>2013-03-01" in choropleth.colorbar.title.text
    fresh = worldmap.stance_map(rows, SCALE, CAPTION, old_before=dt.date(2012, 1, 1)).data[0]
    assert fresh.selectedpoints is None and "pale" not in fresh.colorbar.title.text
