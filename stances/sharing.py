"""A view shared as a link: the URL parameters it writes and reads back, its address, the citation
under its chart, and screenshot mode.

Pure (no Streamlit): the dashboard reads and writes ``st.query_params`` with these. The meaning
of each parameter's value (dates, lists of ids, voices, revisions) is stances.permalink's. A URL
is user input: a reader returns what it could use plus what it dropped, and never raises.

A link stays short: besides the as-of date, the voices and the data revision (always written, so
that it reopens the same view on the same data), it carries what differs from the page's defaults
and the short choices the data made for the page (view_params). Its address is
``$STANCES_PUBLIC_URL`` when set (stances.settings.public_url), else the one the browser used,
which works only where this machine can be reached.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

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
# A choice the data makes (the issue a page opens on, the pair Compare opens on, the year up to the
# newest statement) is written into a link when it names at most this many values, so that the
# link opens the same view after a record is added; a longer one (the Overview's 40 actors) is not.
MAX_PINNED_VALUES = 8
DEFAULT_VOICES = ("official",)  # a link without voices (or with only unknown ones) compares officials
# The dashboard's fixed texts around sharing (shown as Markdown: no data in them).
LOCAL_LINKS_NOTE = (
    "Links and citations point at this machine's address: they open only where it can be reached. "
    "Set `STANCES_PUBLIC_URL` to the dashboard's public address to share them."
)
ASOF_DROPPED = "not a date up to today, so today is used"
FADE_DROPPED = f"not a number of years from 0 to {permalink.MAX_FADE_YEARS}, so {permalink.DEFAULT_FADE_YEARS} is used"
FADE_INPUT: dict[str, Any] = {  # the sidebar's number input of years after which a stance is drawn faded
    "label": "Fade stances older than (years)",
    "min_value": 0,
    "max_value": permalink.MAX_FADE_YEARS,
    "step": 1,
    "help": "On the Overview and the Map, a stance stated more than this many years before the as-of date is "
    "drawn pale: it may no longer hold. Each cell and hover gives the year of the statement. 0: never fade.",
}
SCREENSHOT_HELP = (
    "Hide the sidebar and everything but the chart and its citation, for a clean browser screenshot. "
    "A link with ?screenshot=1 opens this way."
)
IMAGE_LABELS = {"png": "PNG image", "svg": "SVG image"}
IMAGE_HELP = {"png": "2400x1350 px image", "svg": "vector image, for print and slides"}
NO_CHROMIUM_NOTE = (
    "Image downloads need Chromium on the server (install chromium or set BROWSER_PATH). The camera "
    "icon in the chart's toolbar still saves a PNG from your browser."
)


@dataclass(frozen=True)
class Picked:
    """What a link asked a picker for: the values it can use, and each reason to drop the rest."""

    chosen: list[str]
    dropped: list[tuple[list[str], str]]  # (values, why), for a notice


def screenshot_requested(value: str | None) -> bool:
    """True when ``?screenshot=`` says so: 1, true, yes or on (any case), as every flag."""
    return (value or "").strip().lower() in TRUE_WORDS


def param_values(value: Any) -> list[str]:
    """A parameter's value as the URL writes it: a date as YYYY-MM-DD, a number or a text as one
    value, a list as one value per item; None and empty texts as none."""
    if value is None:
        return []
    if isinstance(value, dt.date):
        return [value.isoformat()]
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, int):
        return [str(value)]
    return [str(item) for item in value]


def view_params(
    as_of: dt.date,
    voices: Sequence[str],
    dataset: Dataset,
    params: Mapping[str, Any],
    *,
    defaults: Mapping[str, Any] | None = None,
    data_defaults: Iterable[str] = (),
    fade_years: int = permalink.DEFAULT_FADE_YEARS,
    screenshot: bool = False,
) -> dict[str, list[str]]:
    """The URL parameters of a view: as-of, voices and data revision always, then what differs
    from the defaults, and the defaults the data chose.

    A page's parameter equal to its value in ``defaults`` (a missing default is empty) is left out:
    the page opens at its default. Unless it is named in ``data_defaults``, a default the data
    decides (the issue a page opens on, the pair Compare opens on, What changed's year up to the
    newest statement): a record added later, even one dated before the as-of date, can move it,
    so such a default is written when it names at most MAX_PINNED_VALUES values. One that is
    emptied although its default is not is written empty (``issues=``), so that the link keeps
    the empty choice. ``fade_years`` is written only when it is not the default. ``screenshot``
    keeps screenshot mode in the URL, so that a reload stays in it.
    """
    wanted: dict[str, list[str]] = {
        "asof": [as_of.isoformat()],
        "voices": [permalink.voices_param(voices)],
        "rev": [permalink.short_rev(dataset)],
    }
    if fade_years != permalink.DEFAULT_FADE_YEARS:
        wanted[permalink.FADE_PARAM] = [str(fade_years)]
    defaults, pinned = defaults or {}, set(data_defaults)
    for name, value in params.items():
        values, default = param_values(value), param_values(defaults.get(name))
        if values != default:
            wanted[name] = values or [""]
        elif name in pinned and few_enough_to_pin(values):
            wanted[name] = values
    if screenshot:
        wanted[SCREENSHOT_PARAM] = ["1"]
    return wanted


def few_enough_to_pin(values: Sequence[str]) -> bool:
    """Whether a default the data chose (``values``, as written into a URL) goes into a link."""
    return 0 < len(values) <= MAX_PINNED_VALUES


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


def public_address(url: str, public_base: str | None, base_path: str = "") -> str:
    """``url``, the address the browser reported, moved to ``public_base`` ($STANCES_PUBLIC_URL):
    its page path and query kept, its scheme and host (and the server's own ``base_path``, behind
    which Streamlit may be served) replaced. ``url`` itself when there is no public address."""
    if not public_base:
        return url
    parts = urlsplit(url)
    path = parts.path
    prefix = "/" + base_path.strip("/") if base_path.strip("/") else ""
    if prefix and (path == prefix or path.startswith(prefix + "/")):
        path = path[len(prefix) :]
    address = f"{public_base.rstrip('/')}/{path.lstrip('/')}"
    return f"{address}?{parts.query}" if parts.query else address


def view_link(base: str, params: Iterable[tuple[str, str]]) -> str:
    """The address of a view: its page's URL and parameters, screenshot mode left out (it is for
    whoever takes the screenshot, not for the link)."""
    query = urlencode([(name, value) for name, value in params if name != SCREENSHOT_PARAM])
    parts = urlsplit(base)
    if parts.netloc and not parts.path:  # the default page: http://host:8501/?..., as a browser writes it
        base += "/"
    return f"{base}?{query}" if query else base


def citation(title: str | None, dataset: Dataset, url: str, today: dt.date | None = None) -> str:
    """``“<chart title>”. <dataset title>, revision <rev>. <url> (accessed <today>).`` as plain text;
    ``title`` is the figure's, which plotly holds with HTML entities."""
    title = html.unescape(str(title or "")).strip()
    accessed = (today or dt.date.today()).isoformat()
    return f"“{title}”. {dataset.title}, revision {dataset.revision}. {url} (accessed {accessed})."
