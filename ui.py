"""The Streamlit helpers the pages share: the live dataset, the sidebar, URL state and notices.

With app.py, pages/ and the launcher serve.py the only code that imports streamlit. Text that
comes from the YAML goes out through st.text, st.code or dataframes, never through Markdown; our
own messages that echo user input (a URL parameter, a file name) escape it first.

The dataset is parsed once per file content and shared by every session (treat it as read-only),
with its positions frame: one stances.livefile.FileWatch per file, whose poller thread parses a
save at once, while each session's fragment stats the file every ``RELOAD_SECONDS`` and reruns
the app when it changed. A save that breaks the file keeps the last valid version on screen,
with a banner saying so and the problems of the file as saved.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from stances import analysis, charts, export, incontext, notices, permalink, settings, sharing, tables, wording
from stances.chartviews import ChartView
from stances.livefile import RELOAD_SECONDS, RELOAD_WAIT_SECONDS, FileWatch, Loaded, file_stamp, record_count, settling
from stances.model import VOICES, Dataset
from stances.navigation import HEALTH_PAGE, PAGES  # noqa: F401 (PAGES: the pages' tests read ui.PAGES)

# The browser tab's icon, sent inline as a data: URL: a ":material/...:" icon there makes the
# browser fetch it from fonts.gstatic.com on every page load (tests/browser/test_offline.py).
PAGE_ICON = Path(__file__).resolve().parent / "static" / "icon.svg"
T = TypeVar("T")


def dataset_path() -> str:
    """The positions file: $POSITIONS_FILE, else positions.yaml (stances.settings, as the CLI)."""
    return settings.positions_file()


@st.cache_resource(show_spinner=False)
def _watch_of(path: str) -> FileWatch:
    """The watch of ``path``: one per file for the server's lifetime, shared by every session."""
    return FileWatch(path)


def _watch(path: str) -> FileWatch:
    """The watch of ``path``, marked as wanted now (its poller runs). The path is written as the
    loader labels the dataset (``./a.yaml`` -> ``a.yaml``): positions_frame finds it by that."""
    watch = _watch_of(str(Path(path)))
    watch.want()
    return watch


def load(path: str | None = None) -> Loaded:
    """The dataset to show for ``path`` (default: :func:`dataset_path`), re-read if the file changed."""
    return _watch(path or dataset_path()).load()


def positions_frame(dataset: Dataset) -> pd.DataFrame:
    """The dataset's positions frame, built once per content by its watch (shared: do not modify
    it). Built here only when that failed (this raises the error for the page to report) or when
    a newer save replaced the version this run started with."""
    frame = _watch_of(dataset.path).frame(dataset)
    return frame if frame is not None else analysis.positions_frame(dataset)


@st.cache_resource(show_spinner=False, max_entries=64)
def _memo(path: str, content_hash: str, name: str, args: tuple, _compute: Callable[[], Any]) -> Any:
    return _compute()


def memo(ctx: Context, function: Callable[..., T], *args: Any) -> T:
    """``function(dataset, frame, *args)``, computed once per file content and arguments.

    For the pure builders of stances.pickers, chartviews and tableviews: a rerun that does not change the view (another
    session's click, a widget that does not touch the chart, a live-reload check) costs a lookup,
    not an analysis. The result is shared by every session: do not modify it. ``args`` must be
    hashable values (tuples, not lists).
    """
    dataset = ctx.dataset
    name = f"{function.__module__}.{function.__qualname__}"
    return _memo(dataset.path, dataset.content_hash, name, args, lambda: function(dataset, ctx.frame, *args))


@st.fragment(run_every=RELOAD_SECONDS)
def watch_file() -> None:
    """Every ``RELOAD_SECONDS``: rerun the whole app if the positions file changed since this
    session drew it (the watcher thread has usually started parsing it already)."""
    path = dataset_path()
    watch = _watch(path)  # keeps the watcher on this file while a session shows it
    if st.session_state.pop("_page_run", False):
        return  # a run of the whole page draws what load() gave it now: the next check looks again
    stamp = file_stamp(path)
    # while a parse runs, a rerun would only draw the version on screen again: wait a little for its
    # end (leaving it to the next check cost a save at 10,000 positions ~0.2 s on average)
    if stamp != st.session_state.get("_drawn_stamp") and watch.settled(RELOAD_WAIT_SECONDS):
        time.sleep(settling(stamp))  # at most WRITE_SETTLE_SECONDS: let the editor finish writing
        st.rerun(scope="app")


# --- page context -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """The sidebar's choices, shared by every page."""

    as_of: dt.date
    voices: tuple[str, ...]
    fade_years: int = permalink.DEFAULT_FADE_YEARS  # stances older than this at as_of are drawn faded


@dataclass
class Context:
    """Everything a page needs: the dataset on screen, its positions frame and the sidebar filters."""

    loaded: Loaded
    dataset: Dataset
    frame: pd.DataFrame
    filters: Filters


def context() -> Context:
    """The context app.py prepared for this run (built here if a page runs on its own)."""
    return st.session_state.get("_context") or setup()


def setup() -> Context | None:
    """Load the dataset, draw the sidebar and the data banners; None if nothing can be shown."""
    loaded = load()
    st.session_state["_drawn_stamp"] = loaded.stamp
    # watch_file (next) lets this run draw now, not after a parse under way (a first page waited 0.25 s)
    st.session_state["_page_run"] = True
    st.session_state.pop("_context", None)
    st.session_state["_url_defaults"] = {}  # each picker's default in this run (write_url leaves them out)
    st.session_state["_url_data_defaults"] = set()  # ...unless the data chose it (sharing.view_params)
    _start("_link_rev", "rev", None, lambda raw: permalink.link_rev(raw) or "unknown")  # the link's data revision
    if loaded.dataset is None:
        st.error(f"Cannot read the positions file: {wording.escape_markdown(loaded.error or 'unknown error')}")
        st.info("Set POSITIONS_FILE to a positions YAML file, or run the app from the project folder.")
        return None
    dataset = loaded.dataset
    filters = sidebar(dataset, loaded)
    banners(loaded)
    ctx = Context(loaded, dataset, positions_frame(dataset), filters)
    st.session_state["_context"] = ctx
    return ctx


# --- banners and notices ------------------------------------------------------------------------


def banners(loaded: Loaded) -> None:
    """Say when the screen shows the last valid version, or leaves out broken records."""
    dataset = loaded.dataset
    name = Path(dataset.path).name if dataset else dataset_path()
    if loaded.stale:
        st.warning(notices.stale_banner(name, loaded.saved_at), icon=":material/history:")
        if loaded.error:
            st.code(loaded.error, language=None)
        elif loaded.current is not None:
            st.code(notices.problem_lines(loaded.current), language=None, wrap_lines=True)
        return
    if dataset is not None and dataset.errors:
        st.warning(notices.problems_banner(name, len(dataset.errors)), icon=":material/report:")
        if record_count(dataset) == 0:
            st.code(notices.problem_lines(dataset), language=None, wrap_lines=True)
        count = notices.error_count(len(dataset.errors))
        st.page_link(HEALTH_PAGE, label=f"See Data health ({count})", icon=":material/arrow_forward:")
    link_rev = st.session_state.get("_link_rev")
    if link_rev not in (None, permalink.short_rev(dataset)):
        st.info(notices.older_link(link_rev, permalink.short_rev(dataset)), icon=":material/update:")


def notice(param: str, values: Sequence[str], why: str) -> None:
    """Tell the user that part of the link was ignored (shown once, at the top of the page)."""
    st.session_state.setdefault("_notices", []).append(notices.ignored(param, values, why))


def show_notices() -> None:
    """Draw and forget the notices collected in this run."""
    parts = st.session_state.pop("_notices", [])
    if parts:
        st.warning(notices.ignored_banner(parts), icon=":material/link_off:")


# --- the sidebar --------------------------------------------------------------------------------


def sidebar(dataset: Dataset, loaded: Loaded) -> Filters:
    """As-of date, voices, fading and the dataset's identity; their values start from the URL."""
    today = dt.date.today()
    _start("as_of", "asof", today, lambda raw: permalink.parse_date(raw, latest=today), sharing.ASOF_DROPPED)
    _start("fade_years", permalink.FADE_PARAM, permalink.DEFAULT_FADE_YEARS, permalink.parse_fade, sharing.FADE_DROPPED)
    if not all(f"voice_{v}" in st.session_state for v in VOICES):
        picked = sharing.voices_from_url(st.query_params.get("voices"))
        for values, why in picked.dropped:
            notice("voices", values, why)
        st.session_state.update({f"voice_{v}": v in picked.chosen for v in VOICES})
    with st.sidebar:
        as_of = st.date_input(
            "As of",
            key="as_of",
            min_value=dt.date(1900, 1, 1),
            max_value=today,
            format="YYYY-MM-DD",
            help="Each actor's latest stance on or before this day. Links keep this date, so they do not drift.",
        )
        st.caption("Voices")
        voices = tuple(
            v for v in VOICES if st.checkbox(wording.VOICE_LABELS[v], key=f"voice_{v}", help=wording.VOICE_HELP[v])
        )
        fade = st.number_input(key="fade_years", **sharing.FADE_INPUT)
        st.divider()
        st.caption("Dataset")
        st.text(notices.dataset_lines(dataset))
        if not settings.public_url():
            st.caption(sharing.LOCAL_LINKS_NOTE)
    return Filters(as_of or today, voices, int(fade))


# --- page widgets bound to the URL ----------------------------------------------------------------


def pick_many(
    label: str,
    key: str,
    options: Mapping[str, str],
    default: Sequence[str],
    *,
    param: str,
    free_text: bool = False,
    max_selections: int | None = None,
    **kwargs: Any,
) -> list[str]:
    """A multiselect over ``options`` (id -> label), starting from ``?param=`` on first show;
    ``kwargs`` (help, placeholder: "Choose" unless given) go to ``st.multiselect``.

    Lists travel as repeated parameters (``actors=RUS&actors=CHN``); for ids a comma-separated
    value is read too. ``free_text=True`` (speaker names, say) never splits on commas. A picker
    still at its default follows the default when the data or the sidebar change it (an actor
    added to the file appears); one the user changed keeps their choice.
    """
    default = [d for d in default if d in options][:max_selections]
    st.session_state["_url_defaults"][param] = default
    st.session_state["_url_data_defaults"].add(param)
    remembered = f"_default_{key}"  # not a widget key: it survives page switches
    if key in st.session_state and st.session_state[key] == st.session_state.get(remembered):
        st.session_state[key] = default
    elif key not in st.session_state:
        picked = sharing.picked_from_url(
            st.query_params.get_all(param), options, free_text=free_text, max_selections=max_selections
        )
        for values, why in picked.dropped:
            notice(param, values, why)
        st.session_state[key] = picked.chosen if param in st.query_params else default
    else:  # after a live reload an id may be gone
        st.session_state[key] = [v for v in st.session_state[key] if v in options]
    st.session_state[remembered] = default
    kwargs.setdefault("placeholder", "Choose")
    labels = {"format_func": lambda k: options.get(k, k), "max_selections": max_selections, **kwargs}
    return st.multiselect(label, options=list(options), key=key, **labels)


def pick_one(
    label: str, key: str, options: Mapping[str, str], default: str | None, *, param: str, help: str | None = None
) -> str | None:
    """A selectbox over ``options`` (id -> label), starting from ``?param=`` on first show."""
    if not options:
        return None
    default = default if default in options else next(iter(options))
    _start(key, param, default, lambda raw: raw if raw in options else None, "not in this dataset")
    st.session_state["_url_data_defaults"].add(param)
    if st.session_state[key] not in options:  # after a live reload the choice may be gone
        st.session_state[key] = default
    return st.selectbox(label, options=list(options), format_func=lambda k: options.get(k, k), key=key, help=help)


def _start(key: str, param: str, default: Any, parse: Callable[[str], Any], why: str = "") -> None:
    """On a widget's first show, its value from ``?param=`` read by ``parse`` (None: unusable, dropped
    with a notice saying ``why``), else ``default``; write_url leaves ``param`` out while it is ``default``."""
    st.session_state["_url_defaults"][param] = default
    if key not in st.session_state:
        raw = st.query_params.get(param)
        value = None if raw is None else parse(raw)
        if raw is not None and value is None:
            notice(param, [raw], why)
        st.session_state[key] = default if value is None else value


def text_from_url(label: str, key: str, *, param: str, **kwargs: Any) -> str:
    """A text input starting from ``?param=``."""
    _start(key, param, "", lambda raw: raw[:200])
    return st.text_input(label, key=key, **kwargs)


def date_from_url(label: str, key: str, *, param: str, default: dt.date | None, **kwargs: Any) -> dt.date | None:
    """A date input starting from ``?param=`` (a bad date is dropped with a notice)."""
    _start(key, param, default, lambda raw: permalink.parse_date(raw, latest=dt.date.today()), "not a date up to today")
    st.session_state["_url_data_defaults"].add(param)
    return st.date_input(label, key=key, min_value=dt.date(1900, 1, 1), max_value=dt.date.today(), **kwargs)


def count_from_url(
    label: str,
    key: str,
    *,
    param: str,
    default: int,
    low: int,
    high: int,
    parse: Callable[[str | None], int | None],
    **kwargs: Any,
) -> int:
    """A whole-number input from ``low`` to ``high`` starting from ``?param=``, read by ``parse``
    (None for a value it cannot use: dropped with a notice, and ``default`` used)."""
    _start(key, param, default, parse, f"not a whole number from {low} to {high}, so {default} is used")
    return int(st.number_input(label, key=key, min_value=low, max_value=high, step=1, **kwargs))


def write_url(ctx: Context, **params: Any) -> None:
    """Put the view's state into the URL: as-of, voices and data revision always, then what differs
    from the defaults of the pickers drawn in this run, and the short defaults that the data chose
    (the issue, the pair, the dates a page opens on: stances.sharing.view_params)."""
    f, state = ctx.filters, st.session_state
    # screenshot_mode() reads the URL before it is rewritten; the mode stays in it for a reload
    options = {"defaults": state.get("_url_defaults", {}), "data_defaults": state.get("_url_data_defaults", ())}
    options |= {"fade_years": f.fade_years, "screenshot": screenshot_mode()}
    wanted = sharing.view_params(f.as_of, f.voices, ctx.dataset, params, **options)
    if {k: st.query_params.get_all(k) for k in st.query_params} != wanted:
        st.query_params.from_dict(wanted)


# --- rendering ------------------------------------------------------------------------------------


def chart(view: ChartView, filename: str, *, key: str | None = None) -> None:
    """A view's figure at full width (``view.shown``: its footer fits the column) with a named PNG
    download and the offline world map, then its citation, link, image downloads of the 1200x675
    figure and screenshot mode (:func:`share_chart`). ``view.encoded`` is ``view.shown`` encoded once
    per view, not on every rerun."""
    with st.container(key=f"{sharing.SHOT_KEY}-{key or 'chart'}"):
        st.plotly_chart(view.encoded, config=charts.chart_config(filename), theme="streamlit", key=key)
        share_chart(view, filename, key=key or "chart")


def quote_context(ctx: Context, rows: pd.DataFrame | None, *, key: str) -> None:
    """Under a chart: pick one of the quotes it draws and read the archived paragraph around it.

    Off until switched on, so a page of a big dataset does not send a long list on every rerun.
    """
    if screenshot_mode() or not st.toggle("Read a quote in its source's context", key=f"{key}_context_on"):
        return
    options = incontext.choices(rows)
    if not options:
        st.text("This chart draws no quote.")
        return
    by_label = {label: index for index, label in options.items()}  # labels are unique (incontext.choices)
    label = st.selectbox("Quote", list(by_label), index=None, key=f"{key}_context")
    if label not in by_label:
        return
    shown = incontext.in_context(ctx.dataset, by_label[label])
    with st.container(border=True):
        st.text(f"Archived text of {wording.clip(shown.heading, 140)}")  # data text: never Markdown
        if shown.missing:
            st.text(shown.missing)
        else:
            # all literal text: the quote in a shaded block of its own, never Markdown
            if shown.before:
                st.text(shown.before)
            st.code(shown.quote, language=None, wrap_lines=True)
            if shown.after:
                st.text(shown.after)
            st.caption("The shaded passage is the quote, as the archived text has it.")
        if link := tables.http_link(shown.url):
            st.link_button("Open the source", link)


def empty(message: str) -> None:
    """An empty state in our own words (never data text: st.info reads Markdown)."""
    st.info(message, icon=":material/info:")


# --- sharing: citation, link to the view, image downloads, screenshot mode ---------------------------


def screenshot_mode() -> bool:
    """True in screenshot mode: from ``?screenshot=1`` on a session's first run, then the toggle."""
    if "_screenshot" not in st.session_state:  # not a widget key: it survives page switches
        st.session_state["_screenshot"] = sharing.screenshot_requested(st.query_params.get(sharing.SCREENSHOT_PARAM))
    return bool(st.session_state["_screenshot"])


def _screenshot_toggled(widget_key: str) -> None:
    st.session_state["_screenshot"] = bool(st.session_state[widget_key])


def view_url() -> str:
    """The address of this view: the page's URL at $STANCES_PUBLIC_URL (else as the browser reported
    it) and its parameters."""
    pairs = [(k, v) for k in st.query_params for v in st.query_params.get_all(k)]
    base = sharing.public_address(st.context.url or "", settings.public_url(), st.get_option("server.baseUrlPath"))
    return sharing.view_link(base, pairs)


def share_chart(view: ChartView, filename: str, *, key: str = "chart") -> None:
    """Under a chart: "Cite this chart", the screenshot-mode toggle, then (outside screenshot mode)
    the link to this view and PNG/SVG downloads, rendered on the server only when clicked (cached
    per figure by stances.export). Data text goes out through st.text and st.code only."""
    url, fig = view_url(), view.figure
    st.text("Cite this chart: " + sharing.citation(fig.layout.title.text, context().dataset, url))
    shooting = screenshot_mode()
    if shooting:
        st.html(sharing.SCREENSHOT_CSS)
    toggle_key = f"screenshot-{key}"
    st.session_state[toggle_key] = shooting  # the same on every page, whichever toggle set it
    st.toggle(
        "Screenshot mode",
        key=toggle_key,
        on_change=_screenshot_toggled,
        args=(toggle_key,),
        help=sharing.SCREENSHOT_HELP,
    )
    if shooting:
        return
    available = export.chromium_available()
    link = url if settings.public_url() else ""  # a footer with this machine's address would be a dead link
    with st.container(horizontal=True):  # buttons sized to their labels, side by side
        with st.popover("Link to this view", icon=":material/link:"):
            # in a popover, drawn when opened: a code block on the first page cost about a second of
            # cold start (Streamlit's syntax-highlighting bundle); the Cite line holds the address too
            st.caption("Copy link to this view")
            st.code(url, language=None, wrap_lines=True)
        for fmt in ("png", "svg"):
            st.download_button(
                sharing.IMAGE_LABELS[fmt],
                data=lambda fmt=fmt: export.render(view.linked(link), fmt),  # called on click, in its own thread
                file_name=f"{filename}.{fmt}",
                mime=export.MEDIA_TYPES[fmt],
                on_click="ignore",
                icon=":material/download:",
                disabled=not available,
                help=sharing.IMAGE_HELP[fmt] if available else "Needs Chromium on the server",
                key=f"download-{fmt}-{key}",
            )
    if not available:
        st.caption(sharing.NO_CHROMIUM_NOTE)
