"""stances.export: figure -> PNG/SVG bytes through kaleido and the system Chromium."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from pathlib import Path

import plotly.graph_objects as go
import pytest
from PIL import Image

from stances import analysis, charts, export, worldmap
from stances.caption import Caption, describe_selection
from stances.load import load_dataset

DATA = Path(__file__).parent.parent / "data"
AS_OF = dt.date(2020, 1, 1)


def needs_chromium() -> None:
    """Skip (or fail under REQUIRE_BROWSER=1) when no Chromium can render images."""
    if export.chromium_available():
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail("REQUIRE_BROWSER=1 but no Chromium was found (set BROWSER_PATH or install chromium)")
    pytest.skip("no Chromium on PATH: image export cannot run here")


@pytest.fixture(scope="module")
def renderer():
    """One browser for the module's renders, closed at the end."""
    needs_chromium()
    export.start()
    yield
    export.stop()


@pytest.fixture(scope="module")
def heatmap() -> go.Figure:
    dataset = load_dataset(DATA / "valid.yaml")
    latest = analysis.latest_stances(analysis.positions_frame(dataset), AS_OF, ["official"])
    caption = Caption.for_rows(
        dataset, latest, "Positions on <b>missile</b> defence", describe_selection(AS_OF, ["official"])
    )
    return charts.stance_heatmap(latest, dataset.scale, caption)


@pytest.fixture(scope="module")
def world_map() -> go.Figure:
    dataset = load_dataset(DATA / "valid.yaml")
    latest = analysis.latest_stances(analysis.positions_frame(dataset), AS_OF, ["official"])
    caption = Caption.for_rows(dataset, latest, "Missile defence in Europe: where countries stand")
    return worldmap.stance_map(latest, dataset.scale, caption)


def svg_text(svg: bytes) -> str:
    """The text content of an SVG's <text> elements, entities decoded, joined by newlines."""
    import html

    pieces = re.findall(r"<text[^>]*>(.*?)</text>", svg.decode("utf-8"), flags=re.S)
    return "\n".join(html.unescape(re.sub(r"<[^>]+>", "", p)) for p in pieces)


# --- with a browser -------------------------------------------------------------------------------


@pytest.mark.browser
def test_png_is_2400_by_1350_and_opaque(renderer, heatmap):
    data = export.render(heatmap, "png")
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    assert image.size == (2400, 1350)
    assert export.png_size(data) == (2400, 1350)
    # A transparent image pasted into a dark chat would show dark text on dark: it is white.
    assert image.convert("RGBA").getpixel((2, 2)) == (255, 255, 255, 255)


@pytest.mark.browser
def test_svg_names_title_selection_sources_dataset_and_revision(renderer, heatmap):
    text = svg_text(export.render(heatmap, "svg"))
    # The title keeps "<b>" as written: data text is never read as markup.
    assert "Positions on <b>missile</b> defence" in text
    assert "As of 2020-01-01 · voices: official" in text
    footer = next(line for line in text.splitlines() if line.startswith("Source: "))
    assert "Example Publisher (2013-04-05)" in footer
    assert "Fixture: a small valid dataset" in footer
    dataset = load_dataset(DATA / "valid.yaml")
    assert f"revision {dataset.revision}" in footer


@pytest.mark.browser
def test_second_render_of_the_same_figure_comes_from_the_cache(renderer, heatmap):
    first = export.render(heatmap, "png")
    before = export.stats()
    again = export.render(go.Figure(heatmap), "png")  # an equal copy hits too
    after = export.stats()
    assert again == first
    assert after["renders"] == before["renders"]
    assert after["hits"] == before["hits"] + 1
    assert export.cached(heatmap, "png")


@pytest.mark.browser
def test_changed_figure_is_rendered_again(renderer, heatmap):
    export.render(heatmap, "svg")
    changed = go.Figure(heatmap).update_layout(title_text="Another title")
    assert not export.cached(changed, "svg")
    before = export.stats()["renders"]
    assert "Another title" in svg_text(export.render(changed, "svg"))
    assert export.stats()["renders"] == before + 1


@pytest.mark.browser
def test_map_draws_country_shapes_without_network(renderer, world_map):
    # plotly.js would fetch the world map from a CDN; the shipped copy is used instead.
    svg = export.render(world_map, "svg").decode("utf-8")
    shapes = re.findall(r'class="choroplethlocation"[^>]* d="([^"]*)"', svg)
    assert len(shapes) == 2  # Russia and China, the two countries of the fixture
    assert all(len(d) > 1000 for d in shapes)  # real outlines, not empty paths
    assert '<g class="layer land">' in svg


# --- without a browser ---------------------------------------------------------------------------


def test_missing_chromium_is_a_clear_error(monkeypatch, tmp_path, heatmap):
    export.stop()
    export.clear_cache()
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-such-chromium"))
    assert not export.chromium_available()
    with pytest.raises(export.ExportUnavailable) as caught:
        export.render(heatmap, "png")
    message = str(caught.value)
    assert "BROWSER_PATH" in message and "no-such-chromium" in message
    assert "Chromium" in message and "apt-get install chromium" in message
    with pytest.raises(export.ExportUnavailable):
        export.start()


def test_browser_found_on_path(monkeypatch, tmp_path):
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert export.chromium_path() == str(fake)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert export.chromium_path() is None


def test_unknown_format_is_refused(heatmap):
    with pytest.raises(ValueError, match="unknown image format 'jpg'"):
        export.render(heatmap, "jpg")


def test_cache_key_depends_on_figure_and_format(heatmap):
    assert export.figure_key(heatmap, "png") == export.figure_key(go.Figure(heatmap), "png")
    assert export.figure_key(heatmap, "png") != export.figure_key(heatmap, "svg")
    other = go.Figure(heatmap).update_layout(title_text="x")
    assert export.figure_key(other, "png") != export.figure_key(heatmap, "png")


def test_topojson_points_at_the_shipped_world_map():
    url = export.topojson_url()
    assert url.startswith("file:///") and url.endswith("/")
    assert (export.TOPOJSON_DIR / "world_110m.json").is_file()


def test_png_size_reads_the_header_and_refuses_other_data():
    header = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + (2400).to_bytes(4, "big") + (1350).to_bytes(4, "big")
    assert export.png_size(header + b"\x08\x06\x00\x00\x00") == (2400, 1350)
    with pytest.raises(ValueError, match="not a PNG"):
        export.png_size(b"<svg></svg>")
