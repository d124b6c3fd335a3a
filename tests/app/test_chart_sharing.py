"""Sharing under every chart (citation, link, downloads, screenshot mode), and the batch export
drawing the very charts the pages draw. Permalink round trips are in each page's own test file."""

from __future__ import annotations

import datetime as dt
import json

import plotly.io as pio
import pytest
from apphelpers import AS_OF, open_page, rerun, texts

from stances import analysis, chartviews
from stances.caption import fit_footer, footer_text
from stances.cli_export import page_charts
from stances.load import load_dataset

CHART_PAGES = {
    "overview": "pages/overview_page.py",
    "compare": "pages/compare_page.py",
    "timeline": "pages/timeline_page.py",
    "map": "pages/map_page.py",
    "agreement": "pages/agreement_page.py",
}
LINK = {"asof": AS_OF, "voices": "official"}


def downloads(at) -> dict[str, object]:
    """The download buttons by label (PNG, SVG), as their protos."""
    return {b.proto.label: b.proto for b in at.get("download_button")}


def params(at) -> dict[str, list[str]]:
    """The URL parameters the page wrote, each as a list of values."""
    return {k: [str(x) for x in (v if isinstance(v, list) else [v])] for k, v in at.query_params.items()}


@pytest.mark.parametrize("page", sorted(CHART_PAGES))
def test_export_draws_the_chart_the_page_draws(bundled, page):
    at = open_page(CHART_PAGES[page], LINK)
    [shown] = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    dataset = load_dataset(bundled)
    exported = [c for c in page_charts(dataset, dt.date.fromisoformat(AS_OF), ["official"]) if c.page == page]
    # Timeline and Map export one chart per issue; the page opens on its busiest issue.
    chart = next(c for c in exported if c.caption.title == shown["layout"]["title"]["text"])
    figure = json.loads(pio.to_json(chart.figure, validate=False))
    # The Overview's cell text is sized for the width it is drawn at: 1200 px, or a 1024 px window.
    sized = {"text", "textfont", "ygap"} if page == "overview" else set()

    def same(data: list[dict]) -> list[dict]:
        return [{key: value for key, value in trace.items() if key not in sized} for trace in data]

    assert same(figure["data"]) == same(shown["data"])
    assert figure["layout"]["title"]["text"] == shown["layout"]["title"]["text"]
    # The same footer and proposition, wrapped for the app's column rather than for the 1200 px image.
    fitted = json.loads(pio.to_json(fit_footer(chart.figure, chart.caption), validate=False))
    if page == "overview":  # on screen it grows taller, so the title's height fraction moves, not its pixels
        fitted_title, shown_title = dict(fitted["layout"]["title"]), dict(shown["layout"]["title"])
        assert (1 - fitted_title.pop("y")) * fitted["layout"]["height"] == pytest.approx(
            (1 - shown_title.pop("y")) * shown["layout"]["height"]
        )
        assert fitted_title == shown_title
    else:
        assert fitted["layout"]["title"] == shown["layout"]["title"]
    if page == "overview":  # the issue titles and names too: they set the margins the footer hangs from
        assert [(a["text"], a["font"]) for a in fitted["layout"]["annotations"]] == [
            (a["text"], a["font"]) for a in shown["layout"]["annotations"]
        ]
        assert fitted["layout"]["margin"]["b"] == shown["layout"]["margin"]["b"]
    else:
        assert fitted["layout"]["annotations"] == shown["layout"]["annotations"]
        assert fitted["layout"]["margin"] == shown["layout"]["margin"]
    # ... and links to the same view: the parameters the page wrote.
    assert params(at) == chart.params


def test_cite_line_and_link_name_the_view(bundled):
    at = open_page(CHART_PAGES["compare"], {**LINK, "actors": ["USA", "IRN"]})
    dataset = load_dataset(bundled)
    [cite] = [t for t in texts(at) if t.startswith("Cite this chart: ")]
    link = f"?asof={AS_OF}&voices=official&rev={dataset.content_hash[:7]}&actors=USA&actors=IRN"
    assert cite == (
        "Cite this chart: “United States vs Iran: stated positions”. "
        f"{dataset.title}, revision {dataset.revision}. {link} (accessed {dt.date.today().isoformat()})."
    )
    assert [code.value for code in at.code] == [link]
    assert "Copy link to this view" in [c.value for c in at.caption]


def test_png_and_svg_buttons_are_named_after_the_view(bundled, monkeypatch):
    monkeypatch.setattr("stances.export.chromium_available", lambda: True)  # nothing is rendered here
    at = open_page(CHART_PAGES["map"], {**LINK, "issue": "thaad-korea"})
    buttons = downloads(at)
    assert sorted(buttons) == ["PNG image", "SVG image"]
    assert not buttons["PNG image"].disabled and not buttons["SVG image"].disabled
    assert not any("need Chromium" in c.value for c in at.caption)


def test_without_chromium_the_buttons_say_why(bundled, monkeypatch, tmp_path):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-chromium"))
    at = open_page(CHART_PAGES["overview"], LINK)
    buttons = downloads(at)
    assert buttons["PNG image"].disabled and buttons["SVG image"].disabled
    assert buttons["PNG image"].help == "Needs Chromium on the server"
    assert any("Image downloads need Chromium on the server" in c.value for c in at.caption)
    assert len(at.get("plotly_chart")) == 1  # the chart itself is still drawn


def test_screenshot_link_opens_in_screenshot_mode_and_the_toggle_leaves_it(bundled):
    at = open_page(CHART_PAGES["compare"], {**LINK, "screenshot": "1"})
    [toggle] = [t for t in at.toggle if t.label == "Screenshot mode"]
    assert toggle.value is True
    assert downloads(at) == {} and list(at.code) == []  # only chart, citation and the switch
    assert at.query_params["screenshot"] in ("1", ["1"])  # kept, so a reload stays in the mode
    [cite] = [t for t in texts(at) if t.startswith("Cite this chart: ")]
    assert "screenshot" not in cite  # the cited link opens the normal page
    assert any("stSidebar" in str(h.proto) for h in at.get("html"))
    toggle.set_value(False)
    rerun(at)
    assert "screenshot" not in at.query_params
    assert sorted(downloads(at)) == ["PNG image", "SVG image"]
    assert not any("stSidebar" in str(h.proto) for h in at.get("html"))


# --- links that work outside this machine ---------------------------------------------------------------

PUBLIC = "https://stances.example.org"


def test_without_a_public_address_the_sidebar_says_links_point_at_this_machine(bundled, monkeypatch):
    monkeypatch.delenv("STANCES_PUBLIC_URL", raising=False)
    at = open_page(CHART_PAGES["overview"], LINK)
    assert any("point at this machine's address" in c.value for c in at.sidebar.caption)


def test_a_public_address_goes_into_the_citation_and_the_link_box(bundled, monkeypatch):
    monkeypatch.setenv("STANCES_PUBLIC_URL", PUBLIC + "/")
    at = open_page(CHART_PAGES["compare"], {**LINK, "actors": ["USA", "IRN"]})
    [cite] = [t for t in texts(at) if t.startswith("Cite this chart: ")]
    rev = load_dataset(bundled).content_hash[:7]
    link = f"{PUBLIC}/?asof={AS_OF}&voices=official&rev={rev}&actors=USA&actors=IRN"  # AppTest reports no path
    assert f". {link} (accessed " in cite
    assert [code.value for code in at.code] == [link]
    assert not any("point at this machine" in c.value for c in at.sidebar.caption)


def test_an_image_carries_the_public_link_in_its_footer(bundled, monkeypatch):
    dataset = load_dataset(bundled)
    view = chartviews.compare_view(
        dataset, analysis.positions_frame(dataset), dt.date.fromisoformat(AS_OF), ("official",), ("USA", "IRN"), ()
    )
    link = f"{PUBLIC}/compare?asof={AS_OF}&voices=official&actors=USA&actors=IRN"
    image = view.linked(link)
    assert footer_text(image).replace("<br>", " ").endswith(" " + link.replace("&", "&amp;"))  # last, whole
    assert PUBLIC not in footer_text(view.figure)  # the shared figure is untouched
    assert view.linked("") is view.figure
    # python -m stances export: each image and its index entry carry the public link too
    monkeypatch.setenv("STANCES_PUBLIC_URL", PUBLIC)
    [overview] = [c for c in page_charts(dataset, dt.date.fromisoformat(AS_OF), ["official"]) if c.page == "overview"]
    assert overview.link() == f"{PUBLIC}/overview?asof={AS_OF}&voices=official&rev={dataset.content_hash[:7]}"
    assert footer_text(overview.figure).replace("<br>", " ").endswith(overview.link().replace("&", "&amp;"))
