"""What changed and One issue, everyone in a real Chromium: each opens by deep link (the first as the
first request of a fresh server) and draws its chart, at 1400x900 and at 1024x768 with the sidebar
open, with no footer cut and no two labels overlapping. Screenshots go to test-output/."""

from __future__ import annotations

import pytest
from conftest import OUTPUT, distinct_colours, overlaps

from bench.browser import CHART

pytestmark = pytest.mark.browser

ASOF = "asof=2024-06-30"
LINKS = {  # url path -> (deep link, page title)
    "changes": (f"changes?{ASOF}&from=2010-01-01&to=2024-06-30&issues=us-nato-bmd-europe", "What changed"),
    "lineup": (f"lineup?{ASOF}&issue=european-sky-shield", "One issue, everyone"),
}
SIZES = [(1400, 900), (1024, 768)]
EXCEPTION = '[data-testid="stException"]'
SIDEBAR = '[data-testid="stSidebar"]'
# Boxes of the chart's outer svg, its footer and the text labels drawn in the plot (names, dates,
# axis ticks), in page pixels.
BOXES = f"""() => {{
    const chart = document.querySelector('{CHART}');
    const box = el => {{ const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }};
    const footer = Array.from(chart.querySelectorAll('.annotation-text'))
        .find(el => el.textContent.startsWith('Source:'));
    const labels = Array.from(chart.querySelectorAll('.textpoint text, .ytick text'))
        .filter(el => el.textContent.trim()).map(el => [el.textContent, box(el)]);
    return {{svg: box(chart.querySelector('.main-svg')), footer: footer ? box(footer) : null, labels}};
}}"""


def overlapping(labels: list) -> list[tuple[str, str]]:
    """Pairs of labels whose boxes overlap by more than a pixel each way."""
    return [(a, b) for i, (a, box_a) in enumerate(labels) for b, box_b in labels[i + 1 :] if overlaps(box_a, box_b)]


@pytest.mark.parametrize(("width", "height"), SIZES)
@pytest.mark.parametrize("path", list(LINKS))
def test_the_page_opens_by_deep_link_and_its_chart_fits(server, browser, path, width, height):
    link, title = LINKS[path]
    page = browser.new_page(viewport={"width": width, "height": height})
    try:
        page.goto(f"{server}/{link}")
        page.get_by_role("heading", name=title, level=1).wait_for(timeout=60_000)
        page.wait_for_selector(CHART, timeout=60_000)
        page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)
        page.wait_for_timeout(500)  # the chart's last relayout
        OUTPUT.mkdir(exist_ok=True)
        shot = OUTPUT / f"issue-pages-{path}-{width}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert distinct_colours(shot) > 50, f"{shot} looks blank"
        assert page.locator(EXCEPTION).count() == 0
        assert page.locator(SIDEBAR).is_visible()
        assert page.get_by_text("Page not found").count() == 0
        assert f"/{path}?" in page.url
        boxes = page.evaluate(BOXES)
        svg, footer = boxes["svg"], boxes["footer"]
        assert footer is not None, "the chart has no source footer"
        assert svg[0] - 1 <= footer[0] and footer[2] <= svg[2] + 1, f"footer {footer} cut by the chart {svg}"
        assert footer[3] <= svg[3] + 1
        assert len(boxes["labels"]) >= 4
        assert overlapping(boxes["labels"]) == []
    finally:
        page.close()
