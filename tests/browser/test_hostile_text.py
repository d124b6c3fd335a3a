"""Hostile text in a real Chromium: on every page no dialog opens, nothing from the data becomes an
element (script, img, iframe, svg handler, javascript: link), and the text shows literally."""

from __future__ import annotations

import pytest
from conftest import OUTPUT, ROOT

from bench.browser import CHART, PAGES  # url path, title, has a chart

pytestmark = pytest.mark.browser

HOSTILE = ROOT / "tests" / "data" / "hostile" / "hostile_text.yaml"
PARAMS = "asof=2024-06-30&voices=official,expert,reported"
# Elements the hostile dataset would create if any of its text were rendered as HTML or Markdown.
INJECTED = """() => {
  const found = [];
  for (const el of document.querySelectorAll('img[src="x"], iframe, [onerror], [onload], svg[onload], details[open]')) {
    found.push(el.outerHTML.slice(0, 120));
  }
  for (const a of document.querySelectorAll('a[href]')) {
    const href = a.getAttribute('href').trim().toLowerCase();
    if (!/^(https?:|\\/|#|\\?|\\.|mailto:)/.test(href) && href !== '') found.push(a.outerHTML.slice(0, 120));
  }
  for (const s of document.querySelectorAll('script')) {
    if (s.textContent.includes('alert(')) found.push(s.outerHTML.slice(0, 120));
  }
  for (const el of document.querySelectorAll('strong, b, em, h1, h2, h3')) {
    if (/not bold|Heading|bold/.test(el.textContent) && !el.closest('svg')) found.push(el.outerHTML.slice(0, 120));
  }
  return found;
}"""
LITERAL = {  # page -> text that must appear as typed in the data
    "": "<script>alert('actor')</scr",  # heatmap tick label (clipped with an ellipsis)
    "compare": "<script>alert('quote')</script> **not bold** [x](javascript:alert('quote-link')) $E=mc^2$ &amp;",
    "timeline": "<b>Missile</b> defence",
}


def test_every_page_shows_hostile_text_literally(start_dashboard, browser_page):
    dashboard = start_dashboard(HOSTILE)
    dialogs: list[str] = []
    browser_page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    OUTPUT.mkdir(exist_ok=True)
    for path, title, chart in PAGES:
        browser_page.goto(f"{dashboard.url}/{path}?{PARAMS}")
        browser_page.get_by_role("heading", name=title, level=1).wait_for(timeout=30_000)
        if chart:
            browser_page.wait_for_selector(CHART, timeout=30_000)
        browser_page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)
        if chart:  # hover labels are built on hover: show one
            browser_page.locator(CHART).first.hover()
        browser_page.screenshot(path=str(OUTPUT / f"hostile-{path or 'overview'}.png"))
        assert browser_page.locator('[data-testid="stException"]').count() == 0, path
        assert browser_page.evaluate(INJECTED) == [], path
        if path in LITERAL:
            assert LITERAL[path] in browser_page.evaluate("document.body.textContent"), path
    assert dialogs == []
