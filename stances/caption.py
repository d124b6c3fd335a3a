"""Self-describing figure text: title, subtitle, footer with sources, dataset and revision.

A chart that leaves the app (a PNG in a chat, an SVG in a report) must say what it shows, as of
when, from which sources and which revision of the data. Every builder in ``charts`` calls
``apply_caption``. Text from the YAML goes through ``plain`` so plotly never reads it as HTML.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from stances import palette
from stances.model import VOICES, Dataset

WIDTH, HEIGHT = 1200, 675
FOOTER_MAX_CHARS = 190  # one line of 11 px text across 1200 px
TITLE_MAX_CHARS = 110
TITLE_SPACE = 80  # px above the plot for title and subtitle
FOOTER_SPACE = 30  # px below the axes for the footer line


def plain(text: object, max_chars: int | None = None) -> str:
    """``text`` made safe for any plotly text property: ``& < >`` become entities.

    plotly renders a subset of HTML (``<b>``, ``<br>``, ``<a href>``) and TeX between ``$``
    signs; data must show as written, so these characters are escaped. ``max_chars`` shortens
    with an ellipsis first (counted on the raw text). None becomes "".
    """
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    raw = str(text)
    if max_chars is not None:
        raw = shorten(raw, max_chars)
    return raw.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("$", "&#36;")


def shorten(text: str, max_chars: int) -> str:
    """``text`` cut to at most ``max_chars`` characters, ending in an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= max_chars:
        return text
    if max_chars <= 1:
        return "…"[:max_chars]
    cut = text[: max_chars - 1]
    # Prefer a word boundary when one is near the end.
    space = cut.rfind(" ")
    if space >= max_chars * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:.") + "…"


def wrap(text: str, width: int = 60) -> str:
    """Escape and break long text into lines of about ``width`` characters joined by ``<br>``."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        lines.append(current)
    return "<br>".join(plain(line) for line in lines)


def describe_selection(as_of: dt.date | None, voices: Collection[str] | None) -> str:
    """Subtitle text: ``As of 2013-04-05 · voices: official`` (``all dates`` without a cut-off)."""
    when = f"As of {as_of.isoformat()}" if as_of is not None else "All dates"
    if voices is None:
        chosen = list(VOICES)
    else:
        chosen = [v for v in VOICES if v in voices] + sorted(v for v in voices if v not in VOICES)
    return f"{when} · voices: {', '.join(chosen) if chosen else 'none'}"


@dataclass(frozen=True)
class Caption:
    """What a chart says about itself: title, subtitle, sources, dataset title and revision."""

    title: str
    subtitle: str = ""
    sources: Sequence[str] = field(default_factory=tuple)
    dataset: str = ""
    revision: str = ""

    @classmethod
    def for_rows(cls, dataset: Dataset, rows: pd.DataFrame | None, title: str, subtitle: str = "") -> Caption:
        """A caption whose sources are those behind ``rows`` (a frame from ``analysis``)."""
        from stances.analysis import sources_used

        return cls(title, subtitle, tuple(sources_used(rows)), dataset.title, dataset.revision)

    def footer(self, max_chars: int = FOOTER_MAX_CHARS) -> str:
        """``Source: A (2013-04-05); B · <dataset> · revision <rev>``, raw text (not escaped).

        When the sources do not fit in ``max_chars``, the tail becomes ``+N more``; at least one
        source is always named.
        """
        tail = " · ".join(part for part in (self.dataset, f"revision {self.revision}" if self.revision else "") if part)
        sources = list(self.sources)
        if not sources:
            return tail
        budget = max_chars - len(tail) - len(" · ") - len("Source: ")
        shown: list[str] = []
        for i, source in enumerate(sources):
            rest = len(sources) - i - 1
            more = f"; +{rest} more" if rest else ""
            candidate = "; ".join([*shown, source]) + more
            if shown and len(candidate) > budget:
                break
            shown.append(source)
        left = len(sources) - len(shown)
        text = "Source: " + "; ".join(shown) + (f"; +{left} more" if left else "")
        return f"{text} · {tail}" if tail else text


def apply_caption(fig: go.Figure, caption: Caption, *, width: int = WIDTH, height: int = HEIGHT) -> go.Figure:
    """Put the caption on ``fig`` and fix its size and the theme-neutral styling; returns ``fig``.

    The builder's margins are the room its axes need; this adds room above for the title and
    subtitle (``layout.title``) and below for the footer, an annotation placed in pixels from the
    plot area so that it sits in that strip whatever the plot's width. Backgrounds are
    transparent and no font colour is forced except a mid grey that reads on light and dark.
    """
    margin = fig.layout.margin
    left = margin.l if margin.l is not None else 20
    bottom = margin.b if margin.b is not None else 20
    fig.update_layout(
        title={
            "text": plain(caption.title, TITLE_MAX_CHARS),
            "subtitle": {"text": plain(caption.subtitle, 160), "font": {"color": palette.MUTED, "size": 13}},
            "x": 10 / width,
            "xanchor": "left",
            "xref": "container",
            "y": 1 - 12 / height,
            "yanchor": "top",
            "yref": "container",
            "font": {"size": 18},
        },
        width=width,
        height=height,
        autosize=False,
        paper_bgcolor=palette.TRANSPARENT,
        plot_bgcolor=palette.TRANSPARENT,
        font={"size": 12},
        hoverlabel={"align": "left", "namelength": -1},
        margin={
            "t": (margin.t or 0) + TITLE_SPACE,
            "b": bottom + FOOTER_SPACE,
            "l": left,
            "r": margin.r if margin.r is not None else 20,
        },
    )
    fig.add_annotation(
        text=plain(caption.footer()),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xanchor="left",
        yanchor="top",
        xshift=-(left - 10),
        yshift=-(bottom + 8),
        showarrow=False,
        align="left",
        font={"size": 11, "color": palette.MUTED},
        name="footer",
    )
    return fig


def footer_text(fig: go.Figure) -> str:
    """The footer annotation's text of a captioned figure ("" if none): for tests and exports."""
    for annotation in fig.layout.annotations:
        if annotation.name == "footer":
            return annotation.text or ""
    return ""
