"""Nothing leaves the machine: every page of the dashboard, in a real Chromium whose every request
to another host is blocked (and recorded), asks for nothing outside and still draws.

A ``:material/...:`` page icon made the browser fetch it from fonts.gstatic.com on every page load
(DESIGN.md section 5); the Map would fetch its world shapes from a CDN without the shipped copy."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from conftest import ROOT

from bench.browser import CHART, IDLE

pytestmark = pytest.mark.browser

CHART_PAGES = {"overview", "lineup", "compare", "timeline", "changes", "map", "agreement"}
EXCEPTION = '[data-testid="stException"]'
NAV_LINK = '[data-testid="stSidebarNavLink"]'
FAVICON = "() => document.querySelector(\"link[rel='shortcut icon']\")?.href ?? ''"


def dashboard_pages() -> list[tuple[str, str]]:
    """(url path, title) of every page the dashboard lists (ui.PAGES), as app.py keeps them."""
    import ui

    return [(path, title) for file, title, path, _ in ui.PAGES if (ROOT / file).is_file()]


def test_no_page_asks_another_host_for_anything(server, browser):
    local = urlsplit(server).netloc
    outside: list[str] = []
    served: list[str] = []

    def only_local(route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob") or parts.netloc == local:
            served.append(parts.path)
            route.continue_()
        else:
            outside.append(url)
            route.abort("blockedbyclient")

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.route("**/*", only_local)
    page = context.new_page()
    try:
        pages = dashboard_pages()
        assert len(pages) >= 10
        for path, title in pages:
            page.goto(f"{server}/{path}")
            page.get_by_role("heading", name=title, level=1).wait_for(timeout=60_000)
            if path in CHART_PAGES:
                page.wait_for_selector(CHART, timeout=60_000)
            if path == "map":  # the world's shapes, from this server
                page.wait_for_selector(".choroplethlocation", timeout=60_000)
            page.wait_for_function(IDLE, timeout=60_000)
            page.wait_for_timeout(500)  # the favicon is set after the page's first message
            assert page.locator(EXCEPTION).count() == 0, path
            favicon = page.evaluate(FAVICON)
            assert favicon.startswith(("data:", server)), (path, favicon)
            assert outside == [], f"/{path} asked another host: {sorted(set(outside))}"
        # and moving between pages in the app (the sidebar's icons are Streamlit's bundled font)
        links = page.locator(NAV_LINK)
        assert links.count() == len(pages)
        for n, (path, title) in enumerate(pages):
            links.nth(n).click()
            page.get_by_role("heading", name=title, level=1).wait_for(timeout=60_000)
            page.wait_for_function(IDLE, timeout=60_000)
            page.wait_for_timeout(300)
            assert page.evaluate(FAVICON).startswith(("data:", server)), path
            assert outside == [], f"/{path} (from the sidebar) asked another host: {sorted(set(outside))}"
    finally:
        context.close()
    assert any(p.endswith("/static/topojson/world_110m.json") for p in served)
