"""Sharing in a real Chromium: a permalink restores the view, the PNG button downloads a real
2400x1350 image, screenshot mode hides the sidebar. Screenshots go to test-output/."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from conftest import OUTPUT

from bench.browser import CHART

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def warm(server, browser) -> str:
    """The server after one session ran app.py: a fresh server's very first deep link is the pages
    helper's test (DESIGN.md section 5); these tests are about sharing."""
    page = browser.new_page()
    _open(page, server)
    page.close()
    return server


@pytest.fixture
def page(browser, warm):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    yield page
    context.close()


def _open(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(CHART, timeout=60_000)


def test_permalink_restores_the_selection(server, page):
    link = f"{server}/compare?asof=2016-01-01&voices=official&actors=USA&actors=IRN"
    _open(page, link)
    title = page.locator(".gtitle").first.text_content()
    assert title == "United States vs Iran: stated positions"
    chosen = page.locator('[data-testid="stMultiSelect"]').first.inner_text()
    assert "United States" in chosen and "Iran" in chosen
    drawn = page.locator(CHART).text_content()
    assert re.search(r"As of 2016-01-01 · latest statement \d{4}(-\d\d)? · voices: official", drawn), drawn
    # The link under the chart (in its popover) opens the same view in a fresh page.
    page.get_by_role("button", name="Link to this view").click()
    code = page.locator('[data-testid="stCode"] code').first
    code.wait_for(state="visible", timeout=30_000)
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "sharing-link-popover.png"))
    shown = code.inner_text().strip()
    assert "actors=USA" in shown and "actors=IRN" in shown and "asof=2016-01-01" in shown
    again = page.context.new_page()
    _open(again, shown)
    assert again.locator(".gtitle").first.text_content() == title
    OUTPUT.mkdir(exist_ok=True)
    again.screenshot(path=str(OUTPUT / "sharing-permalink.png"))


def test_png_button_downloads_a_2400_by_1350_image(server, page):
    from PIL import Image

    _open(page, f"{server}/map?asof=2016-01-01&voices=official&issue=us-nato-bmd-europe")
    button = page.locator(".st-key-download-png-chart button").first
    with page.expect_download(timeout=90_000) as info:
        button.click()
    download = info.value
    assert download.suggested_filename == "map-us-nato-bmd-europe-2016-01-01.png"
    data = Path(download.path()).read_bytes()
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (2400, 1350)
    OUTPUT.mkdir(exist_ok=True)
    (OUTPUT / "sharing-download.png").write_bytes(data)


def test_screenshot_mode_shows_only_the_chart_and_its_citation(server, page):
    _open(page, f"{server}/compare?asof=2016-01-01&voices=official&actors=USA&actors=RUS&screenshot=1")
    page.wait_for_timeout(500)
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    assert not page.locator('[data-testid="stHeader"]').is_visible()
    assert not page.locator("h1").first.is_visible()  # the page title
    assert not page.locator('[data-testid="stMultiSelect"]').first.is_visible()
    assert page.locator(CHART).is_visible()
    assert page.get_by_text("Cite this chart:").is_visible()
    assert page.locator('[data-testid="stDownloadButton"]').count() == 0
    assert not page.get_by_text("What they said").is_visible()  # the quotes below the chart
    # Nothing else takes room: the chart (675 px) and two lines fit the 1000 px window.
    assert page.evaluate("document.querySelector('.stMain').scrollHeight") <= 1000
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "sharing-screenshot-mode.png"))
    # Turning the toggle off brings the page back.
    page.get_by_text("Screenshot mode").click()
    page.wait_for_selector('[data-testid="stSidebar"]', state="visible", timeout=30_000)
    assert "screenshot" not in page.url


# The footer's text, and the chart's own drawing area, in screen pixels.
FOOTER_BOX = f"""() => {{
    const chart = document.querySelector('{CHART} .main-svg');
    const footer = Array.from(document.querySelectorAll('{CHART} .annotation-text'))
        .find(t => t.textContent.startsWith('Source:'));
    const a = chart.getBoundingClientRect(), b = footer.getBoundingClientRect();
    return {{chartLeft: a.left, chartRight: a.right, left: b.left, right: b.right}};
}}"""


@pytest.mark.parametrize("path", ["", "compare", "agreement"])
def test_the_footer_fits_the_chart_in_the_smallest_window(browser, warm, path):
    # A 1200x675 window with the sidebar open leaves the chart about 740 px: a footer wrapped for
    # the 1200 px image was cut off there (Compare's default view on the bundled data).
    context = browser.new_context(viewport={"width": 1200, "height": 675})
    try:
        page = context.new_page()
        _open(page, f"{warm}/{path}?asof=2024-06-30&voices=official")
        page.wait_for_timeout(300)
        box = page.evaluate(FOOTER_BOX)
        assert box["chartRight"] - box["chartLeft"] < 800  # the narrow column, sidebar open
        assert box["chartLeft"] <= box["left"] and box["right"] <= box["chartRight"], box
        OUTPUT.mkdir(exist_ok=True)
        page.locator(CHART).screenshot(path=str(OUTPUT / f"sharing-footer-{path or 'overview'}.png"))
    finally:
        context.close()
