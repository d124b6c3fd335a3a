"""The Map page in a real Chromium: the mouse wheel over the map scrolls the page and leaves the
map as drawn (plotly.js zooms a map on the wheel unless told not to)."""

from __future__ import annotations

import pytest

from bench.browser import CHART

pytestmark = pytest.mark.browser

# The geo subplot's projection scale as plotly.js holds it after any zoom, and the scroll offset of
# Streamlit's main area (the page scrolls inside it, not the window).
STATE = """() => {
    const plot = document.querySelector('.js-plotly-plot');
    const main = document.querySelector('[data-testid="stMain"]');
    return {scale: plot._fullLayout.geo.projection.scale, scrolled: main.scrollTop};
}"""


def test_the_wheel_over_the_map_scrolls_the_page_not_the_map(server, browser):
    page = browser.new_page(viewport={"width": 1200, "height": 675})
    try:
        page.goto(f"{server}/map?asof=2024-06-30&issue=us-nato-bmd-europe")
        page.get_by_role("heading", name="Map", level=1).wait_for(timeout=60_000)
        page.wait_for_selector(CHART, timeout=60_000)
        page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)
        page.wait_for_timeout(500)  # the chart's last relayout
        chart = page.locator(CHART).first
        chart.scroll_into_view_if_needed()  # the map fills the window: the wheel lands on it
        page.wait_for_timeout(300)
        before = page.evaluate(STATE)
        box = chart.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 3, box["y"] + box["height"] / 2)
        for _ in range(3):
            page.mouse.wheel(0, 300)
            page.wait_for_timeout(200)
        after = page.evaluate(STATE)
        assert after["scale"] == before["scale"], "the wheel zoomed the map"
        assert after["scrolled"] > before["scrolled"] + 100, "the wheel did not scroll the page"
    finally:
        page.close()
