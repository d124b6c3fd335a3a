"""A view shared as a link: the URL parameters it writes and reads back, its address, the citation
under its chart, and screenshot mode.

Pure (no Streamlit): the dashboard reads and writes ``st.query_params`` with these. The meaning
of each parameter's value (dates, lists of ids, voices, revisions) is stances.permalink's. A URL
is user input: a reader returns what it could use plus what it dropped, and never raises.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from stances import permalink
from stances.model import Dataset
from stances.settings import TRUE_WORDS

SCREENSHOT_PARAM = "screenshot"
SHOT_KEY = "stances-shot"  # the container of a chart and its citation: class st-key-stances-shot-...
# Screenshot mode: no sidebar, header or toolbar, and nothing in the main area but the chart and
# its citation. Our own CSS only: no data text in it.
SCREENSHOT_CSS = f"""<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"] {{display: none !important;}}
.stMain [data-testid="stElementContainer"]:not([class*="st-key-{SHOT_KEY}"] *),
.stMain :is([data-testid^="stVerticalBlock"], [data-testid="stHorizontalBlock"], [data-testid="stLayoutWrapper"],
  [data-testid="stExpander"]):not(:has([class*="st-key-{SHOT_KEY}"])):not([class*="st-key-{SHOT_KEY}"]):not(
  [class*="st-key-{SHOT_KEY}"] *) {{display: none !important;}}
.stMain .block-container {{padding-top: 1rem !important;}}
</style>"""
DEFAULT_VOICES = ("official",)  # a link without voices (or with only unknown ones) compares officials


@dataclass(frozen=True)
class Picked:
    """What a link asked a picker for: the values it can use, and each reason to drop the rest."""

    chosen: list[str]
    dropped: list[tuple[list[str], str]]  # (values, why), for a notice


def screenshot_requested(value: str | None) -> bool:
    """True when ``?screenshot=`` says so: 1, true, yes or on (any case), as every flag."""
    return (value or "").strip().lower() in TRUE_WORDS


def view_params(
    as_of: dt.date, voices: Sequence[str], dataset: Dataset, params: Mapping[str, Any], *, screenshot: bool = False
) -> dict[str, list[str]]:
    """The URL parameters of a view: as-of, voices and data revision always, then the page's own.

    A date is written as YYYY-MM-DD, a list as one value per item; empty values are left out.
    ``screenshot`` keeps screenshot mode in the URL, so that a reload stays in it.
    """
    wanted: dict[str, list[str]] = {
        "asof": [as_of.isoformat()],
        "voices": [permalink.voices_param(voices)],
        "rev": [permalink.short_rev(dataset)],
    }
    for name, value in params.items():
        if isinstance(value, dt.date):
            wanted[name] = [value.isoformat()]
        elif isinstance(value, str):
            if value:
                wanted[name] = [value]
        elif value:
            wanted[name] = list(value)
    if screenshot:
        wanted[SCREENSHOT_PARAM] = ["1"]
    return wanted


def picked_from_url(
    values: Sequence[str], options: Iterable[str], *, free_text: bool = False, max_selections: int | None = None
) -> Picked:
    """The options a link's repeated parameter names, in its order, without repeats.

    Ids never hold commas, so ``RUS,CHN`` is read as two; ``free_text=True`` (speaker names, say)
    never splits. Values not among ``options``, and those beyond ``max_selections``, are dropped.
    """
    if not free_text:
        values = [piece for value in values for piece in permalink.split_ids(value)]
    known = set(options)
    values = list(dict.fromkeys(values))
    chosen, unknown = [v for v in values if v in known], [v for v in values if v not in known]
    dropped = [(unknown, "not in this dataset")] if unknown else []
    if max_selections is not None and len(chosen) > max_selections:
        dropped.append((chosen[max_selections:], f"at most {max_selections} can be chosen"))
        chosen = chosen[:max_selections]
    return Picked(chosen, dropped)


def voices_from_url(value: str | None) -> Picked:
    """The voices ``?voices=`` asks for: officials when it is missing or names no known voice,
    none for ``none``; unknown names are dropped."""
    chosen, unknown = permalink.parse_voices(value)
    if value is None or (not chosen and value.strip() != "none"):
        chosen = list(DEFAULT_VOICES)
    return Picked(chosen, [(unknown, "not a voice (official, expert, reported)")] if unknown else [])


def view_link(base: str, params: Iterable[tuple[str, str]]) -> str:
    """The address of a view: its page's URL and parameters, screenshot mode left out (it is for
    whoever takes the screenshot, not for the link)."""
    query = urlencode([(name, value) for name, value in params if name != SCREENSHOT_PARAM])
    return f"{base}?{query}" if query else base


def citation(title: str | None, dataset: Dataset, url: str, today: dt.date | None = None) -> str:
    """``“<chart title>”. <dataset title>, revision <rev>. <url> (accessed <today>).`` as plain text;
    ``title`` is the figure's, which plotly holds with HTML entities."""
    title = html.unescape(str(title or "")).strip()
    accessed = (today or dt.date.today()).isoformat()
    return f"“{title}”. {dataset.title}, revision {dataset.revision}. {url} (accessed {accessed})."
