"""Every chart page at 1024x768 with the sidebar open, in a real Chromium: the chart's footer is
inside the chart (never cut), no two of its labels overlap, and no label runs into the footer.
Bounding boxes come from the browser's own layout; screenshots go to test-output/."""

from __future__ import annotations

import pytest
from conftest import OUTPUT, overlaps

from bench.browser import CHART

pytestmark = pytest.mark.browser

ASOF = "asof=2024-06-30"
MIN_LABELS = {"map": 1}  # a map has no axes: its bloc and outside-the-view lines; other charts 4
PAGES = {  # url path -> its page title (each opened at its defaults)
    "": "Overview",
    "compare": "Compare",
    "timeline": "Timeline",
    "map": "Map",
    "agreement": "Agreement",
    "changes": "What changed",
    "lineup": "One issue, everyone",
}
# Boxes of the first chart's svg, its footer, and every text label plotly laid out in it (axis
# ticks, cell and point texts, legend entries, annotations other than the footer), in page pixels.
BOXES = rf"""() => {{
    const chart = document.querySelector('{CHART}');
    const box = el => {{ const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }};
    const notes = Array.from(chart.querySelectorAll('.annotation-text'));
    const footer = notes.find(el => el.textContent.startsWith('Source:'));
    const labels = Array.from(chart.querySelectorAll(
        '.xtick text, .ytick text, .textpoint text, .legendtext, .annotation-text'))
        .filter(el => el !== footer && el.textContent.trim() && el.getBoundingClientRect().width > 0)
        .map(el => [el.textContent.slice(0, 60), box(el),
                    /rotate\(\s*-?[1-9]/.test(el.getAttribute('transform') || '')]);
    return {{svg: box(chart.querySelector('.main-svg')), footer: footer ? box(footer) : null, labels}};
}}"""


@pytest.fixture(scope="module")
def narrow_page(browser):
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    yield page
    page.close()


def overlapping(labels: list) -> list[tuple[str, str]]:
    """Pairs of labels whose boxes overlap. Turned labels (the Agreement's column names) are left
    out: the upright box of a turned text covers its neighbours' although the letters do not."""
    upright = [(text, box) for text, box, turned in labels if not turned]
    return [
        (text_a, text_b) for i, (text_a, a) in enumerate(upright) for text_b, b in upright[i + 1 :] if overlaps(a, b)
    ]


@pytest.mark.parametrize("path", list(PAGES))
def test_at_1024_px_the_footer_fits_and_no_labels_collide(server, narrow_page, path):
    page = narrow_page
    page.goto(f"{server}/{path}?{ASOF}")
    page.get_by_role("heading", name=PAGES[path], level=1).wait_for(timeout=60_000)
    page.wait_for_selector(CHART, timeout=60_000)
    page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)
    page.wait_for_timeout(500)  # the chart's last relayout
    OUTPUT.mkdir(exist_ok=True)
    page.locator(CHART).first.screenshot(path=str(OUTPUT / f"narrow-{path or 'overview'}-1024.png"))
    assert page.locator('[data-testid="stSidebar"]').is_visible(), "the sidebar should be open"
    boxes = page.evaluate(BOXES)
    svg, footer, labels = boxes["svg"], boxes["footer"], boxes["labels"]
    assert svg[2] - svg[0] < 700, f"the chart column is {svg[2] - svg[0]:.0f} px: is the window narrow?"
    assert footer is not None, "the chart has no source footer"
    assert svg[0] - 1 <= footer[0] and footer[2] <= svg[2] + 1 and footer[3] <= svg[3] + 1, (
        f"footer {footer} cut by the chart {svg}"
    )
    assert len(labels) >= MIN_LABELS.get(path, 4), labels
    assert overlapping(labels) == []
    assert [text for text, box, _ in labels if overlaps(box, footer)] == [], "a label runs into the footer"
