"""Helpers for the dashboard's AppTest files: open a page as a link would, read charts and texts."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

REPO = Path(__file__).parents[2]
APP = str(REPO / "app.py")
DATASETS = REPO / "tests" / "data" / "datasets"
BUNDLED = REPO / "positions.yaml"
OVERVIEW = "pages/overview_page.py"
AS_OF = "2024-06-30"  # links in tests pin their date, as the app's links do


def open_page(page: str, params: Mapping[str, Any] | None = None) -> AppTest:
    """Run the app as a link to ``page`` with ``params`` would: app.py first (st.navigation needs
    one run before switching), then the page with the link's parameters."""
    params = dict(params or {})
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(params)
    at.run()
    if page != OVERVIEW:
        at.switch_page(page)
        at.query_params.clear()
        at.query_params.update(params)
        at.run()
    assert not at.exception, at.exception
    return at


def rerun(at: AppTest) -> AppTest:
    """Run again after changing a widget; fail on any exception."""
    at.run()
    assert not at.exception, at.exception
    return at


def charts(at: AppTest) -> list[dict]:
    """The figure JSON of every plotly chart on the page."""
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def chart_configs(at: AppTest) -> list[dict]:
    """The plotly.js config of every chart on the page."""
    return [json.loads(chart.proto.config) for chart in at.get("plotly_chart")]


def texts(at: AppTest) -> list[str]:
    """Every st.text on the page (main area and sidebar)."""
    return [str(t.value) for t in at.text]


def messages(at: AppTest, kind: str) -> list[str]:
    """Bodies of st.info / st.warning / st.error / st.success elements."""
    return [str(m.value) for m in getattr(at, kind)]


def same_view(first: AppTest, page: str) -> AppTest:
    """Open the URL ``first`` wrote as a fresh session; return the new session."""
    link = dict(first.query_params)
    second = open_page(page, link)
    assert dict(second.query_params) == link
    return second


def array(value: Any) -> list:
    """A plotly JSON array as a list: plain lists as they are, typed arrays ({dtype, bdata, shape})
    decoded (plotly 6+ ships numeric arrays base64-encoded)."""
    if isinstance(value, dict) and "bdata" in value:
        import base64

        import numpy as np

        data = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        if "shape" in value:
            data = data.reshape([int(n) for n in str(value["shape"]).split(",")])
        return data.tolist()
    return list(value)


def shown(markdown: str) -> str:
    """What escaped Markdown reads as on screen (our messages backslash-escape echoed input)."""
    return markdown.replace("\\", "")
