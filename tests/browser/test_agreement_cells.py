"""The Agreement matrix in a real Chromium at 1024x768 with the sidebar open (the narrowest usual
column): every cell's number fits its cell at a readable size, no two labels overlap, and the
hover of a pair names each shared issue with both actors' stances. Screenshots go to test-output/."""

from __future__ import annotations

import pytest
from conftest import OUTPUT

from bench.browser import CHART

pytestmark = pytest.mark.browser
LINK = "agreement?asof=2026-01-31&voices=official"

# Each drawn number of the scored layer, the cells' pitch, and the axis labels, in screen pixels.
GEOMETRY = f"""() => {{
    const gd = document.querySelector('{CHART}');
    const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
    const box = el => {{ const r = el.getBoundingClientRect();
        return {{left: r.left, right: r.right, top: r.top, bottom: r.bottom, text: el.textContent}}; }};
    const [few, scored] = Array.from(gd.querySelectorAll('.heatmaplayer .hm'));
    return {{
        pitch: {{x: Math.abs(xa.l2p(1) - xa.l2p(0)), y: Math.abs(ya.l2p(1) - ya.l2p(0))}},
        numbers: Array.from(scored.querySelectorAll('text'), box),
        sizes: Array.from(scored.querySelectorAll('text'), t => parseFloat(getComputedStyle(t).fontSize)),
        xlabels: Array.from(gd.querySelectorAll('.xtick text'), box),
        ylabels: Array.from(gd.querySelectorAll('.ytick text'), box),
    }};
}}"""
# The centre of cell (row, column) in screen pixels.
CELL = f"""([row, col]) => {{
    const gd = document.querySelector('{CHART}');
    const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis, r = gd.getBoundingClientRect();
    return {{x: r.left + xa._offset + xa.l2p(col), y: r.top + ya._offset + ya.l2p(row)}};
}}"""


@pytest.fixture(scope="module")
def page(server, browser):
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    page.goto(server)  # one session runs app.py first: deep links are another test's subject
    page.wait_for_selector(CHART, timeout=60_000)
    page.goto(f"{server}/{LINK}")
    page.wait_for_selector(CHART, timeout=60_000)
    page.wait_for_timeout(500)
    yield page
    page.close()


def overlaps(a: dict, b: dict) -> bool:
    return (
        a["left"] < b["right"] - 0.5
        and b["left"] < a["right"] - 0.5
        and a["top"] < b["bottom"] - 0.5
        and b["top"] < a["bottom"] - 0.5
    )


def test_numbers_fit_their_cells_at_1024_px(page):
    geometry = page.evaluate(GEOMETRY)
    numbers, pitch = geometry["numbers"], geometry["pitch"]
    assert len(numbers) >= 20  # the bundled default: dozens of scored pairs
    assert min(geometry["sizes"]) >= 10
    for number in numbers:
        assert number["right"] - number["left"] <= pitch["x"] - 4, (number, pitch)
        assert number["bottom"] - number["top"] <= pitch["y"], (number, pitch)
    for labels in (numbers, geometry["ylabels"]):
        clashes = [(a["text"], b["text"]) for i, a in enumerate(labels) for b in labels[i + 1 :] if overlaps(a, b)]
        assert clashes == []
    # column labels are slanted 45 degrees: neighbours lie pitch * sin 45 apart across their lines
    assert pitch["x"] * 0.707 >= 12 * 1.15, pitch
    OUTPUT.mkdir(exist_ok=True)
    page.locator(CHART).screenshot(path=str(OUTPUT / "agreement-1024.png"))


def test_the_hover_names_each_shared_issue_with_both_stances(page):
    names = [t["text"] for t in page.evaluate(GEOMETRY)["ylabels"]]
    columns = [t["text"] for t in page.evaluate(GEOMETRY)["xlabels"]]
    row, col = names.index("United States"), columns.index("Russia")
    point = page.evaluate(CELL, [row, col])
    page.mouse.move(point["x"], point["y"])
    page.wait_for_selector(".hoverlayer .hovertext", timeout=5_000)
    hover = page.evaluate("() => document.querySelector('.hoverlayer .hovertext').textContent")
    assert "United States and Russia" in hover and "over 10 shared issues" in hover
    assert "US/NATO missile defence in Europe: USA +2, RUS −2" in hover
