"""Browser benchmarks for bench/run.py: a real Chromium (Playwright) against a live dashboard.

Its server and Chromium helpers (start_server, wait_healthy, stop, CHROMIUM_ARGS, CHART, PAGES)
are also the browser tests' (tests/browser/conftest.py).

- cold start: launch -> first chart visible, for the dashboard started as `make run` starts it
  (``python serve.py``) and for bench/hello_app.py (one plotly chart) started with plain
  ``streamlit run``, measured the same way;
- save to screen: save an edited positions file -> the Overview chart's data changed;
- a big dataset: every page's first chart, the largest figure sent to the browser, and the
  server's peak memory (VmHWM from /proc).

Every server started here is stopped before returning. Nothing here is a test.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DASHBOARD = ["serve.py"]  # the dashboard as `make run` starts it (Makefile)
HELLO = ["-m", "streamlit", "run", "bench/hello_app.py"]  # the baseline, plain `streamlit run`
CHART = '[data-testid="stPlotlyChart"] .js-plotly-plot'
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
# url path, page title, has a chart
PAGES = [
    ("", "Overview", True),
    ("compare", "Compare", True),
    ("timeline", "Timeline", True),
    ("map", "Map", True),
    ("agreement", "Agreement", True),
    ("quotes", "Quotes", False),
    ("sources", "Sources & method", False),
    ("health", "Data health", False),
]
# The figure as plotly.js holds it (data and layout): what the server sent, as JSON.
FIGURE_SIZES = f"""() => Array.from(document.querySelectorAll('{CHART}'),
    el => JSON.stringify({{data: el.data, layout: el.layout}}).length)"""
# The heatmap's values and hover text: changes when a shown stance changes.
SIGNATURE = f"""() => {{
    const el = document.querySelector('{CHART}');
    return el && el.data ? JSON.stringify(el.data.map(t => [t.z, t.text])) : null;
}}"""
IDLE = "!document.querySelector('[data-testid=\"stStatusWidget\"]')"
EDIT_MARK = "# save-to-screen edit"


def available() -> str | None:
    """None when a browser benchmark can run, else why not."""
    if shutil.which("chromium") is None:
        return "chromium is not on PATH"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed"
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(start: list[str] | None = None, env: dict[str, str] | None = None) -> tuple[str, subprocess.Popen]:
    """A streamlit server started with ``python <start>`` (default: the dashboard as `make run`
    starts it) on a free port, read-only: (url, process). Stop it with :func:`stop`."""
    port = free_port()
    command = [sys.executable, *(start or DASHBOARD), "--server.port", str(port), "--server.headless", "true"]
    command += ["--browser.gatherUsageStats", "false"]
    full_env = {**os.environ, "STANCES_READ_ONLY": "1", **(env or {})}
    process = subprocess.Popen(command, cwd=ROOT, env=full_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return f"http://127.0.0.1:{port}", process


def stop(process: subprocess.Popen) -> None:
    """Stop a server, killing it if it does not exit within 20 s."""
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def server(
    start: list[str] | None = None, env: dict[str, str] | None = None
) -> Iterator[tuple[str, subprocess.Popen, float]]:
    """:func:`start_server` as a context: (url, process, launch time). Stopped on exit."""
    launched = time.perf_counter()
    url, process = start_server(start, env)
    try:
        yield url, process, launched
    finally:
        stop(process)


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = 120) -> None:
    """Wait until the server answers /_stcore/health; RuntimeError if it exits or times out."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("streamlit did not answer /_stcore/health")


def peak_memory_mb(pid: int) -> float | None:
    """The process's peak resident memory (VmHWM), in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


@contextlib.contextmanager
def chromium() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def first_chart(browser, start: list[str], env: dict[str, str] | None = None, path: str = "") -> float:
    """Seconds from launching the server to its first chart visible in a fresh browser context."""
    with server(start, env) as (url, process, launched):
        wait_healthy(url, process)
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        try:
            page = context.new_page()
            page.goto(f"{url}/{path}")
            page.wait_for_selector(CHART, state="visible", timeout=180_000)
            return time.perf_counter() - launched
        finally:
            context.close()


def compile_modules() -> None:
    """Write the bytecode cache of the project's modules, as a first start does by default.

    With PYTHONDONTWRITEBYTECODE set (as in some sandboxes and containers) no start writes it, and
    every start of the dashboard compiled its modules (~18,000 lines: 0.07-0.1 s) while the
    hello-world page's modules (streamlit, plotly) came compiled from their install. Scripts (app.py,
    pages/, bench/hello_app.py) are compiled by Streamlit on every start, on both sides.
    """
    import compileall

    compileall.compile_dir(ROOT / "stances", quiet=1)
    compileall.compile_file(ROOT / "ui.py", quiet=1)


def cold_start(browser, dashboard_env: dict[str, str], runs: int = 3) -> dict[str, list[float]]:
    """Launch -> first chart visible, the dashboard and the hello-world page alternately, each with
    its modules' bytecode cache written (:func:`compile_modules`)."""
    compile_modules()
    times: dict[str, list[float]] = {"dashboard": [], "hello": []}
    for _ in range(runs):
        times["hello"].append(first_chart(browser, HELLO))
        times["dashboard"].append(first_chart(browser, DASHBOARD, dashboard_env))
    return times


def _edit_stance(path: Path, line: int, stance: int | None, scale: list[int], mark: str = "") -> int:
    """Change the stance of the position whose first key is on ``line``; returns the new stance.

    ``mark`` goes into a comment on the file's last line, so that every save is new content.
    """
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    new = next(s for s in scale if s != stance)
    for index in range(line - 1, len(lines)):
        if lines[index].lstrip().startswith("stance:"):
            indent = lines[index][: len(lines[index]) - len(lines[index].lstrip())]
            lines[index] = f"{indent}stance: {new}"
            break
    else:
        raise RuntimeError(f"no stance line after line {line}")
    if mark:
        if lines[-1].startswith(EDIT_MARK):
            lines.pop()
        lines.append(f"{EDIT_MARK} {mark}")
    path.write_text("\n".join(lines), encoding="utf-8")
    return new


def save_to_screen(browser, data: Path, edits: int = 5) -> dict[str, object]:
    """Seconds from saving an edited file to the Overview chart showing the new data.

    Every save is content the server has never seen (the stance flips between two values, and a
    comment on the last line counts the saves), with an empty disk cache: as a real edit, it is
    parsed, and its figure is new to the browser (Streamlit resends a figure it sent before as a
    reference to the browser's copy, which would hide the browser's share of the time).
    """
    import datetime as dt
    import tempfile
    import uuid

    sys.path.insert(0, str(ROOT))
    from stances import analysis, chartviews, pickers
    from stances.load import load_dataset

    dataset = load_dataset(data, cache=False)
    frame = analysis.positions_frame(dataset)
    today, voices = dt.date.today(), ("official",)
    choices = pickers.overview_choices(dataset, frame, today, voices)
    view = chartviews.overview_view(dataset, frame, today, voices, choices.default_issues, choices.default_actors)
    row = view.rows.iloc[0]  # a cell of the Overview heatmap as a first visit shows it
    line = int(row["line"])
    stance = None if row["stance"] is None or str(row["stance"]) == "<NA>" else int(row["stance"])
    scale = sorted(dataset.scale.labels, reverse=True)
    seconds: list[float] = []
    run = uuid.uuid4().hex[:8]
    with (
        tempfile.TemporaryDirectory() as cache,
        server(DASHBOARD, {"POSITIONS_FILE": str(data), "STANCES_CACHE_DIR": cache}) as (url, process, _),
    ):
        wait_healthy(url, process)
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        page = context.new_page()
        page.goto(url)
        page.wait_for_selector(CHART, state="visible", timeout=180_000)
        page.wait_for_function(IDLE, timeout=180_000)
        for edit in range(edits):
            before = page.evaluate(SIGNATURE)
            time.sleep(1.5)  # let the file watchers settle between edits
            stance = _edit_stance(data, line, stance, scale, mark=f"{run} {edit}")
            saved = time.perf_counter()
            page.wait_for_function(
                f"(old) => ({SIGNATURE})() !== old && ({SIGNATURE})() !== null", arg=before, polling=20, timeout=60_000
            )
            seconds.append(time.perf_counter() - saved)
            page.wait_for_function(IDLE, timeout=60_000)
        context.close()
        peak = peak_memory_mb(process.pid)
    return {"seconds": seconds, "peak_mb": peak, "cell": f"{row['actor']} / {row['issue']} (line {line})"}


def big_dataset(browser, data: Path) -> dict[str, object]:
    """Every page over a big file: seconds to its first chart (or heading), the largest figure
    sent, and the server's peak memory after all pages."""
    pages: dict[str, dict[str, float | None]] = {}
    with server(DASHBOARD, {"POSITIONS_FILE": str(data)}) as (url, process, _):
        wait_healthy(url, process)
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        page = context.new_page()
        for path, title, chart in PAGES:
            started = time.perf_counter()
            page.goto(f"{url}/{path}")
            page.get_by_role("heading", name=title, level=1).wait_for(timeout=600_000)
            if chart:
                page.wait_for_selector(CHART, state="visible", timeout=600_000)
            page.wait_for_function(IDLE, timeout=600_000)
            elapsed = time.perf_counter() - started
            sizes = page.evaluate(FIGURE_SIZES) if chart else []
            pages[title] = {"seconds": elapsed, "largest_figure": max(sizes) if sizes else None}
        context.close()
        peak = peak_memory_mb(process.pid)
    return {"pages": pages, "peak_mb": peak}


def median(values: list[float]) -> float:
    return statistics.median(values)


if __name__ == "__main__":  # a quick manual run: python bench/browser.py FILE
    with chromium() as browser:
        print(json.dumps(cold_start(browser, {}, runs=1)))
        if len(sys.argv) > 1:
            print(json.dumps(big_dataset(browser, Path(sys.argv[1])), indent=1))
