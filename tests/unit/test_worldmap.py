"""The world map is data: countries by their ISO codes, the blocs it cannot draw listed under it."""

from __future__ import annotations

import json

import pandas as pd
from chartdata import CAPTION, EVIL, SCALE, build, code

from stances import analysis, charts, palette, worldmap


def test_map_shows_countries_only_with_the_stance_palette(latest: pd.DataFrame) -> None:
    fig = worldmap.stance_map(latest[latest["issue"] == "bmd"], SCALE, CAPTION, topojson_url="app/static/topojson/")
    (choropleth,) = fig.data
    assert list(choropleth.locations) == ["RUS", "USA"]  # NATO is a bloc
    assert choropleth.locationmode == "ISO-3"
    assert list(choropleth.z) == [code(-2), code(2)]
    assert list(choropleth.text) == ["−2 strongly opposes", "+2 strongly supports"]
    assert [c for _, c in choropleth.colorscale][::2][1] == palette.stance_colour(-2, SCALE)
    assert charts.plot_config(fig) == {"displaylogo": False, "topojsonURL": "app/static/topojson/"}
    assert charts.plot_config(worldmap.stance_map(latest, SCALE, CAPTION)) == {"displaylogo": False}


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
    assert blocs.text.count("<br>") <= 1 and blocs.text.endswith("more")
    named = blocs.text.count("bloc number")
    assert 1 <= named < 40 and f"+{40 - named} more" in blocs.text
    assert any(a.name == "empty" for a in fig.layout.annotations)  # no country to draw
