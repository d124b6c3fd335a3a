"""Figure -> PNG or SVG bytes, rendered by kaleido in the system Chromium. Pure: no Streamlit.

One headless Chromium is started on first use and kept for the process (a batch export, or a
dashboard server), since starting one costs seconds and a render then takes a fraction of one
(DESIGN.md section 5). It runs in a thread of its own with its own event loop, so callers from
any thread (Streamlit sessions) simply block on the result, one render at a time, with a
timeout; a browser that cannot start or hangs is reported as ``ExportUnavailable``/``ExportError``
instead of blocking a page forever. Rendered images are cached in memory by figure content.

The world map needs its shapes: plotly.js would fetch them from a CDN, which fails offline
("Error 525"), so kaleido is pointed at the copy shipped in ``static/topojson``.
"""

from __future__ import annotations

import asyncio
import atexit
import hashlib
import json
import logging
import os
import shutil
import struct
import threading
from collections import OrderedDict
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio

from stances.caption import HEIGHT, WIDTH

FORMATS: tuple[str, ...] = ("png", "svg")
SCALES: dict[str, int] = {"png": 2, "svg": 1}  # PNG at 2x: 2400x1350 px for a 1200x675 figure
MEDIA_TYPES: dict[str, str] = {"png": "image/png", "svg": "image/svg+xml"}
BACKGROUND = "#ffffff"  # exported images are opaque (see _figure_json)
TOPOJSON_DIR = Path(__file__).resolve().parent.parent / "static" / "topojson"
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
START_TIMEOUT = 60.0  # seconds for Chromium to start
RENDER_TIMEOUT = 120.0  # seconds for one image (kaleido's own limit is 90)
CACHE_BYTES = 64 * 1024 * 1024  # rendered images kept in memory, least recently used dropped first
NO_BROWSER_HINT = (
    "Image export needs Chromium (or Chrome): install it (Debian/Ubuntu: apt-get install chromium) "
    "or set BROWSER_PATH to its executable."
)


class ExportError(RuntimeError):
    """An image could not be rendered (the message says why, in one line)."""


class ExportUnavailable(ExportError):
    """No usable Chromium: no image can be rendered on this machine."""


# --- the browser ----------------------------------------------------------------------------------


def chromium_path() -> str | None:
    """The browser kaleido will use: ``$BROWSER_PATH`` if set (must be executable), else one on PATH."""
    override = os.environ.get("BROWSER_PATH")
    if override is not None:
        return override if os.path.isfile(override) and os.access(override, os.X_OK) else None
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium_available() -> bool:
    """True when a Chromium executable is there to render images."""
    return chromium_path() is not None


def topojson_url() -> str:
    """``file:///.../static/topojson/``: where kaleido finds the world map without a network."""
    return TOPOJSON_DIR.as_uri() + "/"


class _Renderer:
    """One kaleido (one headless Chromium tab) on a private event loop in a daemon thread."""

    def __init__(self, browser: str) -> None:
        import kaleido  # imported here: the dashboard and the CLI start without it until needed

        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="stances-kaleido", daemon=True)
        self._thread.start()
        self._kaleido = kaleido.Kaleido(n=1, mathjax=False, path=browser)
        try:
            self._call(self._kaleido.open(), START_TIMEOUT)
        except Exception as exc:
            self.close()
            raise ExportUnavailable(
                f"Chromium at {browser} did not start ({_reason(exc)}). {NO_BROWSER_HINT}"
            ) from None

    def _call(self, coroutine: Any, timeout: float) -> Any:
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        try:
            return future.result(timeout)
        except FutureTimeout:
            future.cancel()
            raise ExportError(f"rendering took longer than {timeout:.0f} s") from None

    def render(self, figure: dict, fmt: str, topojson: str) -> bytes:
        opts = {"format": fmt, "width": figure["layout"]["width"], "height": figure["layout"]["height"]}
        opts["scale"] = SCALES[fmt]
        return self._call(self._kaleido.calc_fig(figure, opts=opts, topojson=topojson), RENDER_TIMEOUT)

    def alive(self) -> bool:
        return self._thread.is_alive()

    def close(self) -> None:
        if self._thread.is_alive():
            try:
                self._call(self._kaleido.close(), 15)
            except Exception:  # closing a browser that already died: nothing left to do
                logging.getLogger(__name__).debug("kaleido close failed", exc_info=True)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(5)


_lock = threading.Lock()  # one render at a time: one tab, and the cache below
_renderer: _Renderer | None = None
_cache: OrderedDict[str, bytes] = OrderedDict()
_cache_size = 0
_stats = {"renders": 0, "hits": 0}


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:199] + "…"


def start() -> None:
    """Start the browser now (it otherwise starts on the first render); raises ``ExportUnavailable``."""
    with _lock:
        _start_locked()


def _start_locked() -> _Renderer:
    global _renderer
    if _renderer is not None and _renderer.alive():
        return _renderer
    browser = chromium_path()
    if browser is None:
        if os.environ.get("BROWSER_PATH") is not None:
            raise ExportUnavailable(
                f"BROWSER_PATH={os.environ['BROWSER_PATH']} is not an executable. {NO_BROWSER_HINT}"
            )
        raise ExportUnavailable(f"No Chromium found on PATH. {NO_BROWSER_HINT}")
    _renderer = _Renderer(browser)
    return _renderer


def stop() -> None:
    """Close the browser (a later render starts a new one). Safe to call when none is running."""
    global _renderer
    with _lock:
        if _renderer is not None:
            _renderer.close()
            _renderer = None


atexit.register(stop)


# --- images ---------------------------------------------------------------------------------------


def _figure_json(fig: go.Figure | dict) -> str:
    """The figure as plotly JSON, sized (1200x675 unless it says otherwise) on an opaque background."""
    figure = fig.to_plotly_json() if isinstance(fig, go.Figure) else dict(fig)
    layout = dict(figure.get("layout") or {})
    layout.setdefault("width", WIDTH)
    layout.setdefault("height", HEIGHT)
    # The app draws on a transparent background to suit its light and dark themes; an image
    # pasted into a dark chat or slide would then show dark text on dark. Images are opaque.
    if layout.get("paper_bgcolor") in (None, "", "transparent", "rgba(0,0,0,0)"):
        layout["paper_bgcolor"] = BACKGROUND
    return pio.to_json({"data": figure.get("data") or [], "layout": layout}, validate=False)


def _key(text: str, fmt: str) -> str:
    # plotly orders a figure's keys by how it was built: sort them so equal figures share a key.
    canonical = json.dumps(json.loads(text), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{fmt}@{SCALES[fmt]}\n{canonical}".encode()).hexdigest()


def figure_key(fig: go.Figure | dict, fmt: str) -> str:
    """The cache key of an image: a hash of the figure's JSON and the format (and its scale)."""
    return _key(_figure_json(fig), fmt)


def render(fig: go.Figure | dict, fmt: str = "png") -> bytes:
    """``fig`` as PNG (2x its layout size) or SVG bytes; cached by figure content.

    The figure keeps its own width and height (the caption sets 1200x675). Raises
    ``ExportUnavailable`` without a Chromium and ``ExportError`` when rendering fails.
    """
    global _cache_size
    if fmt not in FORMATS:
        raise ValueError(f"unknown image format {fmt!r}; choose one of {', '.join(FORMATS)}")
    text = _figure_json(fig)
    key = _key(text, fmt)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            _stats["hits"] += 1
            return _cache[key]
        renderer = _start_locked()
        try:
            image = renderer.render(json.loads(text), fmt, topojson_url())
        except ExportError:
            raise
        except Exception as exc:  # kaleido's own errors (a plotly.js error, a crashed tab)
            raise ExportError(f"could not render the chart as {fmt.upper()}: {_reason(exc)}") from None
        if isinstance(image, str):
            image = image.encode()
        _stats["renders"] += 1
        _cache[key] = image
        _cache_size += len(image)
        while _cache_size > CACHE_BYTES and len(_cache) > 1:
            _, dropped = _cache.popitem(last=False)
            _cache_size -= len(dropped)
        return image


def cached(fig: go.Figure | dict, fmt: str) -> bool:
    """True when ``render(fig, fmt)`` would answer from the cache without rendering."""
    return figure_key(fig, fmt) in _cache


def stats() -> dict[str, int]:
    """Renders done and cache hits since start (for tests and the batch export's report)."""
    return dict(_stats, cached=len(_cache))


def clear_cache() -> None:
    """Forget every rendered image."""
    global _cache_size
    with _lock:
        _cache.clear()
        _cache_size = 0


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) in pixels from a PNG's header; raises ``ValueError`` if it is no PNG."""
    if len(data) < 24 or data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError("not a PNG image")
    width, height = struct.unpack(">II", data[16:24])
    return width, height
