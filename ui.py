"""The Streamlit helpers the pages share: the live dataset, the sidebar, URL state and notices.

With app.py, pages/ and the launcher serve.py the only code that imports streamlit. Text that
comes from the YAML goes out through st.text, st.code or dataframes, never through Markdown; our
own messages that echo user input (a URL parameter, a file name) escape it first.

The dataset is parsed once per file content and shared by every session (treat it as read-only),
with its positions frame. Live reload: each watched file's poller thread stats it every
``WATCH_POLL_SECONDS`` and parses a change at once (and builds its frame), while each session's
fragment stats it every ``RELOAD_SECONDS`` and reruns the app when it changed; that rerun waits
for the parse already under way instead of starting its own. A save that breaks the
file keeps the last valid version on screen, with a banner saying so and the problems of the
file as saved. Once the sessions have redrawn, a new parse goes to the disk cache and what is
alive is frozen out of the garbage collector's passes (:func:`freeze_long_lived`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import hashlib
import html
import os
import threading
import time
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from stances import analysis, export, fastload, incontext, tables, views
from stances import cache as disk_cache
from stances.load import MAX_FILE_BYTES, DatasetFileError, load_dataset, parse_dataset
from stances.model import VOICES, Dataset
from stances.pageviews import ChartView

# file, title, url path, icon. A file stem never equals its url path (DESIGN.md section 5); the
# shims pages/<url path>.py only serve a fresh server's first deep link (they run app.py).
PAGES: list[tuple[str, str, str, str]] = [
    ("pages/overview_page.py", "Overview", "overview", ":material/grid_on:"),
    ("pages/compare_page.py", "Compare", "compare", ":material/compare_arrows:"),
    ("pages/timeline_page.py", "Timeline", "timeline", ":material/timeline:"),
    ("pages/map_page.py", "Map", "map", ":material/public:"),
    ("pages/agreement_page.py", "Agreement", "agreement", ":material/handshake:"),
    ("pages/quotes_page.py", "Quotes", "quotes", ":material/format_quote:"),
    ("pages/sources_page.py", "Sources & method", "sources", ":material/menu_book:"),
    ("pages/health_page.py", "Data health", "health", ":material/health_and_safety:"),
    ("pages/add_page.py", "Add a position", "add", ":material/add_circle:"),
]
HEALTH_PAGE = "pages/health_page.py"
T = TypeVar("T")
RELOAD_SECONDS = 0.5  # each session's fragment: a stat, and a rerun only on a change
WATCH_POLL_SECONDS = 0.1  # the server's watcher thread: a stat per watched file
WATCH_IDLE_SECONDS = 30.0  # the watcher leaves a file alone when no session asked for it this long
CACHE_WRITE_DELAY = 5.0  # the disk-cache write and the freeze wait until the sessions have redrawn
WRITE_SETTLE_SECONDS = 0.05  # a file changed this recently may be half written: read it a little later
MAX_BANNER_PROBLEMS = 12


def dataset_path() -> str:
    """The positions file: $POSITIONS_FILE, else positions.yaml (as the CLI)."""
    return os.environ.get("POSITIONS_FILE") or "positions.yaml"


def file_stamp(path: str) -> tuple[int, int] | None:
    """(mtime in ns, size): the cheap test for "the file changed"; None if it cannot be read."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size)


def settling(stamp: tuple[int, int] | None) -> float:
    """Seconds until a file with this stamp is WRITE_SETTLE_SECONDS old (0 when it is, or its
    mtime is in the future): an editor may still be writing a file that changed just now."""
    if stamp is None:
        return 0.0
    age = (time.time_ns() - stamp[0]) / 1e9
    return WRITE_SETTLE_SECONDS - age if 0 <= age < WRITE_SETTLE_SECONDS else 0.0


# --- the live dataset ---------------------------------------------------------------------------


def _records(dataset: Dataset | None) -> int:
    if dataset is None:
        return 0
    return len(dataset.actors) + len(dataset.issues) + len(dataset.sources) + len(dataset.positions)


@dataclass
class Loaded:
    """What the pages show, and how it relates to the file as saved now."""

    dataset: Dataset | None  # the version on screen
    current: Dataset | None  # the file as saved now (None: unreadable)
    stale: bool  # the version on screen is the last valid one, not the file as saved
    saved_at: dt.datetime | None  # when the version on screen was saved
    error: str  # why the file cannot be read at all ("" when it can)
    stamp: tuple[int, int] | None  # file stamp this result was made from


@dataclass
class _Watch:
    """The file's last parse and last valid version, with their positions frames; one per path,
    shared by every session and the watcher thread (hold ``lock``)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    stamp: tuple[int, int] | None = None
    sha: str = ""
    checked: bool = False
    current: Dataset | None = None
    current_saved: dt.datetime | None = None
    error: str = ""
    good: Dataset | None = None
    good_saved: dt.datetime | None = None
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)  # content hash -> frame
    chunks: fastload.ChunkMemo = field(default_factory=fastload.ChunkMemo)  # the last parse's reads
    wanted: float = 0.0  # time.monotonic() of the last session's interest
    poller: threading.Thread | None = None  # runs while sessions want the file (see want)
    poller_lock: threading.Lock = field(default_factory=threading.Lock)  # one poller, whichever session starts it
    freeze_due: bool = False  # a freeze_long_lived is scheduled

    def refresh(self, path: str, stamp: tuple[int, int] | None) -> None:
        """Re-read the file if its stamp changed; parse only if its content (sha256) changed;
        then build the positions frame of the version to show."""
        self.checked, self.stamp = True, stamp
        saved = dt.datetime.fromtimestamp(stamp[0] / 1e9) if stamp else None
        try:
            if stamp is not None and stamp[1] > MAX_FILE_BYTES:
                data, dataset = b"", load_dataset(path)  # reports the size without reading it
            else:
                data, dataset = Path(path).read_bytes(), None
        except (OSError, DatasetFileError) as exc:
            self.current, self.sha = None, ""
            self.error = str(exc) if isinstance(exc, DatasetFileError) else f"{path}: cannot read the file"
            if isinstance(exc, FileNotFoundError):
                self.error = f"{path}: no such file"
            return
        self.error = ""
        sha = dataset.content_hash if dataset is not None else hashlib.sha256(data).hexdigest()
        if sha == self.sha and self.current is not None:
            return  # touched, not changed
        self.sha = sha
        box = [data]  # the parse's only reference: freed once decoded
        del data
        self.current = dataset if dataset is not None else _parse(box, path, sha, self.chunks)
        self.current_saved = saved
        if not _broken(self.current, self.good):
            self.good, self.good_saved = self.current, saved
        self._frames()
        self._freeze_later()

    def _frames(self) -> None:
        """Keep the frames of the versions that can be shown: the one on screen now is built here,
        once for every session (a failure is left to positions_frame, in the page that needs it)."""
        keep = {d.content_hash for d in (self.current, self.good) if d is not None}
        self.frames = {sha: frame for sha, frame in self.frames.items() if sha in keep}
        shown = self.result().dataset
        if shown is not None and shown.content_hash not in self.frames:
            with contextlib.suppress(Exception):  # positions_frame() in the page reports it
                self.frames[shown.content_hash] = analysis.positions_frame(shown)

    def want(self, path: str) -> None:
        """Mark the file as shown by a session now; start its poller if none runs."""
        self.wanted = time.monotonic()
        with self.poller_lock:
            if self.poller is None or not self.poller.is_alive():
                self.poller = threading.Thread(
                    target=_poll, args=(weakref.ref(self), path), name="stances-file-watcher", daemon=True
                )
                self.poller.start()

    def poll(self, path: str) -> bool:
        """One look at the file: parse it at once if it changed, so that the sessions' reruns find
        it parsed (or wait for the parse under way). False once no session wanted it for a while."""
        if self.wanted < time.monotonic() - WATCH_IDLE_SECONDS:
            return False
        stamp = file_stamp(path)
        if not self.checked or stamp == self.stamp or settling(stamp):
            return True  # failed before (a session's load reports it), unchanged, or maybe half written
        with self.lock:
            if stamp != self.stamp:
                try:
                    self.refresh(path, stamp)
                except Exception:  # a session's own load() tries again and reports it
                    self.checked = False
        return True

    def _freeze_later(self) -> None:
        """:func:`freeze_long_lived` in CACHE_WRITE_DELAY seconds, unless it is already due (one
        collection for a burst of saves)."""
        if self.freeze_due:
            return
        self.freeze_due = True
        freezer = threading.Timer(CACHE_WRITE_DELAY, self._freeze)
        freezer.daemon = True
        freezer.start()

    def _freeze(self) -> None:
        self.freeze_due = False
        freeze_long_lived()

    def result(self) -> Loaded:
        """The version to show: the file as saved, or the last valid one if the save broke it."""
        current = None if self.error else self.current
        stale = self.good is not None and (current is None or _broken(current, self.good))
        shown = self.good if stale else current
        saved = self.good_saved if stale else self.current_saved
        return Loaded(shown, current, stale, saved, self.error, self.stamp)


def _broken(current: Dataset, good: Dataset | None) -> bool:
    """A save that lost everything: no valid record, where an error says why or the last good
    version had some (a YAML syntax error, an emptied file)."""
    if _records(current) > 0:
        return False
    return bool(current.errors) or _records(good) > 0


def _parse(box: list[bytes], path: str, sha: str, chunks: fastload.ChunkMemo) -> Dataset:
    """The file's bytes (``box``, a one-item list the parse empties, so that nothing keeps the
    52 MB of a 100,000-position file beside its decoded text) through the disk cache and the fast
    path, as load_dataset, except that a new cache entry is written ``CACHE_WRITE_DELAY`` later,
    so the write does not compete with the sessions' redraw for the interpreter (yaml-rs once
    crashed a live reload here with SIGSEGV: stances.fastload now makes every yaml-rs call on one
    worker thread). ``chunks``: the reads of the file's previous parse, so that a save reads again
    only the positions it changed."""
    return disk_cache.load_or_parse(
        box,
        label=path,
        today=None,
        parse=lambda: parse_dataset(box.pop(), label=path, chunks=chunks, content_hash=sha),
        background=True,
        write_delay=CACHE_WRITE_DELAY,
        content_hash=sha,
    )


def freeze_long_lived() -> None:
    """Collect, then move every object alive (modules, the datasets and frames on screen) out of
    the cyclic garbage collector's reach (gc.freeze).

    Streamlit runs a full collection after every script run (runner.postScriptGC), each
    session's file-watching fragment included: with a 10,000-position dataset in memory that
    cost about 90 ms per tick, 19 % of a core per idle tab at RELOAD_SECONDS = 0.5 (1.2 % after
    the freeze), and the collector's own full passes scan the whole dataset too. Frozen objects
    are still freed when their last reference goes; cyclic garbage among them waits for the next
    call (after the next reload), which unfreezes and collects first.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _poll(watch_ref: weakref.ref[_Watch], path: str) -> None:
    """A watch's poller thread: stat the file every ``WATCH_POLL_SECONDS`` (_Watch.poll). It ends
    when no session wanted the file for ``WATCH_IDLE_SECONDS`` (the next one starts it again),
    or when the watch itself is gone (its cache cleared)."""
    while True:
        time.sleep(WATCH_POLL_SECONDS)
        watch = watch_ref()
        if watch is None or not watch.poll(path):
            return
        del watch  # the cache alone keeps it alive between looks


@st.cache_resource(show_spinner=False)
def _watch_of(path: str) -> _Watch:
    """The watch of ``path``: one per file for the server's lifetime, shared by every session."""
    return _Watch()


def _watch(path: str) -> _Watch:
    """The watch of ``path``, marked as wanted now (its poller runs)."""
    watch = _watch_of(path)
    watch.want(path)
    return watch


def load(path: str | None = None) -> Loaded:
    """The dataset to show for ``path`` (default: :func:`dataset_path`), re-read if the file changed."""
    path = path or dataset_path()
    watch = _watch(path)
    stamp = file_stamp(path)
    with watch.lock:
        if not watch.checked or stamp != watch.stamp:
            watch.refresh(path, stamp)
        return watch.result()


def positions_frame(dataset: Dataset) -> pd.DataFrame:
    """The dataset's positions frame, built once per content by its watch (shared: do not modify
    it). Built here only when that failed (this raises the error for the page to report) or when
    a newer save replaced the version this run started with."""
    frame = _watch_of(dataset.path).frames.get(dataset.content_hash)
    return frame if frame is not None else analysis.positions_frame(dataset)


@st.cache_resource(show_spinner=False, max_entries=64)
def _memo(path: str, content_hash: str, name: str, args: tuple, _compute: Callable[[], Any]) -> Any:
    return _compute()


def memo(ctx: Context, function: Callable[..., T], *args: Any) -> T:
    """``function(dataset, frame, *args)``, computed once per file content and arguments.

    For the pure builders of stances.pageviews: a rerun that does not change the view (another
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
    _watch(path)  # keeps the watcher on this file while a session shows it
    stamp = file_stamp(path)
    if stamp != st.session_state.get("_drawn_stamp"):
        time.sleep(settling(stamp))  # at most WRITE_SETTLE_SECONDS: let the editor finish writing
        st.rerun(scope="app")


# --- page context -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """The sidebar's choices, shared by every page."""

    as_of: dt.date
    voices: tuple[str, ...]


@dataclass
class Context:
    """Everything a page needs: the dataset on screen, its positions frame and the sidebar filters."""

    loaded: Loaded
    dataset: Dataset
    frame: pd.DataFrame
    filters: Filters


def context() -> Context:
    """The context app.py prepared for this run (built here if a page runs on its own)."""
    ctx = st.session_state.get("_context")
    if ctx is None:
        ctx = setup()
    return ctx


def setup() -> Context | None:
    """Load the dataset, draw the sidebar and the data banners; None if nothing can be shown."""
    loaded = load()
    st.session_state["_drawn_stamp"] = loaded.stamp
    st.session_state.pop("_context", None)
    _remember_link_rev()
    if loaded.dataset is None:
        st.error(f"Cannot read the positions file: {views.escape_markdown(loaded.error or 'unknown error')}")
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
    name = views.escape_markdown(Path(loaded.dataset.path).name if loaded.dataset else dataset_path())
    if loaded.stale:
        when = loaded.saved_at.strftime("%H:%M") if loaded.saved_at else "earlier"
        st.warning(f"Showing the last valid version of {name} (saved {when}).", icon=":material/history:")
        if loaded.error:
            st.code(loaded.error, language=None)
        elif loaded.current is not None:
            _problem_lines(loaded.current)
        return
    errors = loaded.dataset.errors if loaded.dataset else []
    if errors:
        count = f"{len(errors)} problem{'s' if len(errors) != 1 else ''}"
        st.warning(f"{name} has {count}: the records with errors are left out.", icon=":material/report:")
        if _records(loaded.dataset) == 0:
            _problem_lines(loaded.dataset)
        st.page_link(HEALTH_PAGE, label=f"See Data health ({count})", icon=":material/arrow_forward:")
    if st.session_state.get("_link_rev") not in (None, views.short_rev(loaded.dataset)):
        st.info(
            f"This link was made with an older revision of the data ({st.session_state['_link_rev']}); "
            f"the page shows the current revision ({views.short_rev(loaded.dataset)}), so values may differ.",
            icon=":material/update:",
        )


def _problem_lines(dataset: Dataset) -> None:
    lines = [p.format() for p in dataset.problems[:MAX_BANNER_PROBLEMS]]
    more = len(dataset.problems) - MAX_BANNER_PROBLEMS
    if more > 0:
        lines.append(f"... and {more} more (see Data health)")
    st.code("\n".join(lines), language=None, wrap_lines=True)


def _remember_link_rev() -> None:
    """On a session's first run, keep the data revision the link was made with."""
    if "_link_rev_read" not in st.session_state:
        st.session_state["_link_rev_read"] = True
        raw = st.query_params.get("rev")
        if raw is not None:
            st.session_state["_link_rev"] = views.link_rev(raw) or "unknown"


def notice(param: str, values: Sequence[str], why: str) -> None:
    """Tell the user that part of the link was ignored (shown once, at the top of the page)."""
    shown = ", ".join(views.clip(v) for v in values[:5]) + (" ..." if len(values) > 5 else "")
    st.session_state.setdefault("_notices", []).append(f"{param}={shown}: {why}")


def show_notices() -> None:
    """Draw and forget the notices collected in this run."""
    notices = st.session_state.pop("_notices", [])
    if notices:
        text = "; ".join(views.escape_markdown(n) for n in notices)
        st.warning(f"Part of this link was ignored: {text}.", icon=":material/link_off:")


# --- the sidebar --------------------------------------------------------------------------------


def sidebar(dataset: Dataset, loaded: Loaded) -> Filters:
    """As-of date, voices and the dataset's identity; their values start from the URL."""
    today = dt.date.today()
    if "as_of" not in st.session_state:
        raw = st.query_params.get("asof")
        day = views.parse_date(raw, latest=today)
        if raw is not None and day is None:
            notice("asof", [raw], "not a date up to today, so today is used")
        st.session_state["as_of"] = day or today
    if not all(f"voice_{v}" in st.session_state for v in VOICES):
        raw = st.query_params.get("voices")
        chosen, unknown = views.parse_voices(raw)
        if unknown:
            notice("voices", unknown, "not a voice (official, expert, reported)")
        if raw is None or (not chosen and raw.strip() != "none"):
            chosen = ["official"]
        for voice in VOICES:
            st.session_state[f"voice_{voice}"] = voice in chosen
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
            v for v in VOICES if st.checkbox(views.VOICE_LABELS[v], key=f"voice_{v}", help=views.VOICE_HELP[v])
        )
        st.divider()
        st.caption("Dataset")
        counts = " · ".join(
            views.plural(n, word)
            for n, word in (
                (len(dataset.positions), "position"),
                (len(dataset.actors), "actor"),
                (len(dataset.issues), "issue"),
                (len(dataset.sources), "source"),
            )
        )
        st.text(f"{dataset.title}\nRevision {dataset.revision}\n{counts}")
    return Filters(as_of or today, voices)


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
    help: str | None = None,
    placeholder: str = "Choose",
) -> list[str]:
    """A multiselect over ``options`` (id -> label), starting from ``?param=`` on first show.

    Lists travel as repeated parameters (``actors=RUS&actors=CHN``); for ids a comma-separated
    value is read too. ``free_text=True`` (speaker names, say) never splits on commas. A picker
    still at its default follows the default when the data or the sidebar change it (an actor
    added to the file appears); one the user changed keeps their choice.
    """
    default = [d for d in default if d in options][:max_selections]
    remembered = f"_default_{key}"  # not a widget key: it survives page switches
    if key in st.session_state and st.session_state[key] == st.session_state.get(remembered):
        st.session_state[key] = default
    elif key not in st.session_state:
        present = param in st.query_params
        values = st.query_params.get_all(param)
        if not free_text:  # ids never hold commas: accept hand-written RUS,CHN too
            values = [piece for value in values for piece in views.split_ids(value)]
        values = list(dict.fromkeys(values))
        chosen, unknown = [v for v in values if v in options], [v for v in values if v not in options]
        if unknown:
            notice(param, unknown, "not in this dataset")
        if max_selections is not None and len(chosen) > max_selections:
            notice(param, chosen[max_selections:], f"at most {max_selections} can be chosen")
            chosen = chosen[:max_selections]
        st.session_state[key] = chosen if present else default
    else:  # after a live reload an id may be gone
        st.session_state[key] = [v for v in st.session_state[key] if v in options]
    st.session_state[remembered] = default
    return st.multiselect(
        label,
        options=list(options),
        format_func=lambda k: options.get(k, k),
        key=key,
        max_selections=max_selections,
        help=help,
        placeholder=placeholder,
    )


def pick_one(
    label: str, key: str, options: Mapping[str, str], default: str | None, *, param: str, help: str | None = None
) -> str | None:
    """A selectbox over ``options`` (id -> label), starting from ``?param=`` on first show."""
    if not options:
        return None
    if key not in st.session_state or st.session_state[key] not in options:
        raw = st.query_params.get(param) if key not in st.session_state else None
        if raw is not None and raw not in options:
            notice(param, [raw], "not in this dataset")
        choice = raw if raw in options else default
        st.session_state[key] = choice if choice in options else next(iter(options))
    return st.selectbox(label, options=list(options), format_func=lambda k: options.get(k, k), key=key, help=help)


def text_from_url(label: str, key: str, *, param: str, **kwargs: Any) -> str:
    """A text input starting from ``?param=``."""
    if key not in st.session_state:
        st.session_state[key] = (st.query_params.get(param) or "")[:200]
    return st.text_input(label, key=key, **kwargs)


def date_from_url(label: str, key: str, *, param: str, default: dt.date | None, **kwargs: Any) -> dt.date | None:
    """A date input starting from ``?param=`` (a bad date is dropped with a notice)."""
    if key not in st.session_state:
        raw = st.query_params.get(param)
        day = views.parse_date(raw, latest=dt.date.today())
        if raw is not None and day is None:
            notice(param, [raw], "not a date up to today")
        st.session_state[key] = day or default
    return st.date_input(label, key=key, min_value=dt.date(1900, 1, 1), max_value=dt.date.today(), **kwargs)


def write_url(ctx: Context, **params: Any) -> None:
    """Put the view's state into the URL: as-of, voices and data revision always, then the page's.

    A date is written as YYYY-MM-DD, a list as one parameter per item; empty values are left out.
    """
    wanted: dict[str, list[str]] = {
        "asof": [ctx.filters.as_of.isoformat()],
        "voices": [views.voices_param(ctx.filters.voices)],
        "rev": [views.short_rev(ctx.dataset)],
    }
    for name, value in params.items():
        if isinstance(value, dt.date):
            wanted[name] = [value.isoformat()]
        elif isinstance(value, str):
            if value:
                wanted[name] = [value]
        elif value:
            wanted[name] = list(value)
    if screenshot_mode():  # read before the URL is rewritten; kept so a reload stays in the mode
        wanted[SCREENSHOT_PARAM] = ["1"]
    if {k: st.query_params.get_all(k) for k in st.query_params} != wanted:
        st.query_params.from_dict(wanted)


# --- rendering ------------------------------------------------------------------------------------


def chart(view: ChartView, filename: str, *, key: str | None = None) -> None:
    """A view's figure at full width (``view.shown``: its footer fits the column) with a named PNG
    download and the offline world map, then its citation, link, image downloads of the 1200x675
    figure and screenshot mode (:func:`share_chart`)."""
    with st.container(key=f"{SHOT_KEY}-{key or 'chart'}"):
        st.plotly_chart(view.shown, config=views.chart_config(filename), theme="streamlit", key=key)
        share_chart(view.figure, filename, key=key or "chart")


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
        st.text(f"Archived text of {views.clip(shown.heading, 140)}")  # data text: never Markdown
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


def screenshot_mode() -> bool:
    """True in screenshot mode: from ``?screenshot=1`` on a session's first run, then the toggle."""
    if "_screenshot" not in st.session_state:  # not a widget key: it survives page switches
        raw = (st.query_params.get(SCREENSHOT_PARAM) or "").strip().lower()
        st.session_state["_screenshot"] = raw in ("1", "true", "yes", "on")
    return bool(st.session_state["_screenshot"])


def _screenshot_toggled(widget_key: str) -> None:
    st.session_state["_screenshot"] = bool(st.session_state[widget_key])


def view_url() -> str:
    """The address of this view: the page's URL (as the browser reported it) and its parameters."""
    pairs = [(k, v) for k in st.query_params if k != SCREENSHOT_PARAM for v in st.query_params.get_all(k)]
    query = urlencode(pairs)  # screenshot mode is for whoever takes the screenshot, not for the link
    base = st.context.url or ""
    return f"{base}?{query}" if query else base


def citation(fig: Any, dataset: Dataset, url: str, today: dt.date | None = None) -> str:
    """``“<chart title>”. <dataset title>, revision <rev>. <url> (accessed <today>).`` as plain text."""
    title = html.unescape(str(fig.layout.title.text or "")).strip()
    accessed = (today or dt.date.today()).isoformat()
    return f"“{title}”. {dataset.title}, revision {dataset.revision}. {url} (accessed {accessed})."


def share_chart(fig: Any, filename: str, *, key: str = "chart") -> None:
    """Under a chart: "Cite this chart", the screenshot-mode toggle, then (outside screenshot
    mode) the link to this view and PNG/SVG downloads.

    Images are rendered on the server only when a download button is clicked, and cached per
    figure (stances.export). Data text goes out through st.text and st.code only.
    """
    url = view_url()
    st.text("Cite this chart: " + citation(fig, context().dataset, url))
    shooting = screenshot_mode()
    if shooting:
        st.html(SCREENSHOT_CSS)
    toggle_key = f"screenshot-{key}"
    st.session_state[toggle_key] = shooting  # the same on every page, whichever toggle set it
    st.toggle(
        "Screenshot mode",
        key=toggle_key,
        on_change=_screenshot_toggled,
        args=(toggle_key,),
        help="Hide the sidebar and everything but the chart and its citation, for a clean browser "
        "screenshot. A link with ?screenshot=1 opens this way.",
    )
    if shooting:
        return
    available = export.chromium_available()
    labels = {"png": "PNG image", "svg": "SVG image"}
    with st.container(horizontal=True):  # buttons sized to their labels, side by side
        with st.popover("Link to this view", icon=":material/link:"):
            # in a popover, drawn when opened: a code block on the first page cost about a second of
            # cold start (Streamlit's syntax-highlighting bundle); the Cite line holds the address too
            st.caption("Copy link to this view")
            st.code(url, language=None, wrap_lines=True)
        for fmt in ("png", "svg"):
            st.download_button(
                labels[fmt],
                data=functools.partial(export.render, fig, fmt),  # called on click, in its own thread
                file_name=f"{filename}.{fmt}",
                mime=export.MEDIA_TYPES[fmt],
                on_click="ignore",
                icon=":material/download:",
                disabled=not available,
                help=("2400x1350 px image" if fmt == "png" else "vector image, for print and slides")
                if available
                else "Needs Chromium on the server",
                key=f"download-{fmt}-{key}",
            )
    if not available:
        st.caption(
            "Image downloads need Chromium on the server (install chromium or set BROWSER_PATH). The camera "
            "icon in the chart's toolbar still saves a PNG from your browser."
        )
