"""The dashboard in a real Chromium: every page draws without an exception, a deep link works
as the first request of a fresh server, and a saved edit shows without a click."""

from __future__ import annotations

import time

import pytest
from conftest import OUTPUT, ROOT, distinct_colours

from bench.browser import CHART, PAGES  # url path, title, has a chart
from stances.load import load_dataset

pytestmark = pytest.mark.browser

EXCEPTION = '[data-testid="stException"]'
SIDEBAR = '[data-testid="stSidebar"]'
TEXT = '[data-testid="stText"]'
ASOF = "asof=2024-06-30"


def wait_for_page(page, title: str, chart: bool) -> None:
    page.get_by_role("heading", name=title, level=1).wait_for(timeout=30_000)
    if chart:
        page.wait_for_selector(CHART, timeout=30_000)
    page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)


def test_every_page_draws_without_an_exception(start_dashboard, browser_page):
    dashboard = start_dashboard(ROOT / "positions.yaml")
    OUTPUT.mkdir(exist_ok=True)
    for path, title, chart in PAGES:
        browser_page.goto(f"{dashboard.url}/{path}?{ASOF}")
        wait_for_page(browser_page, title, chart)
        if path == "map":  # the offline world map draws country shapes
            browser_page.wait_for_selector(".choroplethlocation", timeout=30_000)
            longest = browser_page.evaluate(
                "() => Math.max(...Array.from(document.querySelectorAll('.geo path'),"
                " p => (p.getAttribute('d') || '').length))"
            )
            assert longest > 50_000  # the land and borders of the whole world, not just the coloured countries
        assert browser_page.locator(EXCEPTION).count() == 0
        assert browser_page.locator(SIDEBAR).count() == 1
        shot = OUTPUT / f"dashboard-{path or 'overview'}.png"
        browser_page.screenshot(path=str(shot))
        assert distinct_colours(shot) > 50, f"{shot} looks blank"


def test_a_deep_link_as_the_first_request_of_a_fresh_server(start_dashboard, browser_page):
    dashboard = start_dashboard(ROOT / "positions.yaml")
    browser_page.goto(f"{dashboard.url}/compare?{ASOF}&actors=RUS&actors=USA")
    wait_for_page(browser_page, "Compare", chart=True)
    assert browser_page.title() == "stances"
    sidebar = browser_page.locator(SIDEBAR)
    assert sidebar.get_by_text("As of").count() == 1
    assert sidebar.get_by_text("Official statements").count() == 1
    assert "/compare?" in browser_page.url and "actors=RUS&actors=USA" in browser_page.url
    assert browser_page.locator(EXCEPTION).count() == 0
    OUTPUT.mkdir(exist_ok=True)
    browser_page.screenshot(path=str(OUTPUT / "dashboard-deep-link.png"))


def text_elements(page, text: str):
    """st.text elements holding ``text`` (not the chart's own labels)."""
    return page.locator(TEXT, has_text=text)


def wait_for_text(page, text: str, selector: str = "body", timeout: float = 15.0) -> float:
    """Seconds until ``text`` shows in ``selector`` (no click, no reload)."""
    start = time.monotonic()
    page.locator(selector, has_text=text).first.wait_for(timeout=timeout * 1000)
    return time.monotonic() - start


def test_a_saved_edit_shows_without_a_click_and_a_broken_save_keeps_the_last_version(start_dashboard, browser_page):
    dashboard = start_dashboard(ROOT / "tests" / "data" / "datasets" / "orphan_issue.yaml")
    # not Compare's default pair (RUS, CHN), so that the link keeps the actors through the reload
    browser_page.goto(f"{dashboard.url}/compare?{ASOF}&actors=CHN&actors=RUS")
    wait_for_page(browser_page, "Compare", chart=True)
    assert text_elements(browser_page, "−1 opposes").count() == 1

    text = dashboard.data.read_text(encoding="utf-8")
    dashboard.data.write_text(text.replace("stance: -1", "stance: 1"), encoding="utf-8")
    seconds = wait_for_text(browser_page, "+1 supports", TEXT)
    print(f"live reload: change visible after {seconds:.1f} s")
    assert "actors=CHN&actors=RUS" in browser_page.url  # the view's state survived the reload
    revision = load_dataset(dashboard.data).revision
    assert browser_page.locator(SIDEBAR).get_by_text(revision, exact=False).count() == 1

    dashboard.data.write_text("actors: [\n  - id: RUS\n", encoding="utf-8")
    seconds = wait_for_text(browser_page, "Showing the last valid version of", '[data-testid="stAlert"]')
    print(f"broken save: banner visible after {seconds:.1f} s")
    text_elements(browser_page, "+1 supports").first.wait_for(timeout=15_000)  # still the last valid data
    browser_page.get_by_text("error[yaml-syntax]", exact=False).first.wait_for(timeout=15_000)
    assert browser_page.locator(EXCEPTION).count() == 0
    OUTPUT.mkdir(exist_ok=True)
    browser_page.screenshot(path=str(OUTPUT / "dashboard-last-valid.png"))


@pytest.mark.parametrize(("path", "title"), [("compare", "Compare"), ("overview", "Overview")])
def test_no_page_not_found_dialog_on_a_fresh_servers_first_deep_link(start_dashboard, browser_page, path, title):
    dashboard = start_dashboard(ROOT / "positions.yaml")
    browser_page.goto(f"{dashboard.url}/{path}?{ASOF}")
    wait_for_page(browser_page, title, chart=True)
    browser_page.wait_for_timeout(500)  # the dialog, if any, arrives with the first script run
    assert browser_page.get_by_text("Page not found").count() == 0
