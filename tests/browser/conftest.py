"""Real-Chromium fixtures for the dashboard: a streamlit server on a free port over a temp copy
of a dataset, and a headless Chromium page. Skipped without chromium unless REQUIRE_BROWSER=1."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench.browser import CHROMIUM_ARGS, start_server, stop, wait_healthy  # one harness for bench and tests

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "test-output"
VIEWPORT = {"width": 1200, "height": 675}


def chromium_path() -> str:
    """The system Chromium, or skip (fail under REQUIRE_BROWSER=1)."""
    path = shutil.which("chromium")
    if path is None:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail("REQUIRE_BROWSER=1 but chromium is not on PATH")
        pytest.skip("chromium is not on PATH")
    return path


@dataclass
class Dashboard:
    """A running dashboard: its base URL and the positions file it reads."""

    url: str
    data: Path


def launch_dashboard(data: Path) -> tuple[str, subprocess.Popen]:
    """Start the dashboard as `make run` does (serve.py) on a free port over ``data`` (read-only);
    returns (url, process)."""
    url, process = start_server(env={"POSITIONS_FILE": str(data)})
    try:
        wait_healthy(url, process, timeout=60)
    except RuntimeError:
        stop(process)
        raise
    return url, process


@pytest.fixture
def start_dashboard(tmp_path: Path) -> Iterator[Callable[[Path], Dashboard]]:
    """Start a fresh dashboard over a temp copy of a dataset; every server started is stopped."""
    chromium_path()
    processes: list[subprocess.Popen] = []

    def start(source: Path) -> Dashboard:
        data = tmp_path / f"positions-{len(processes)}.yaml"
        shutil.copyfile(source, data)
        url, process = launch_dashboard(data)
        processes.append(process)
        return Dashboard(url, data)

    yield start
    for process in processes:
        stop(process)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """A fresh dashboard on the bundled dataset, on a free port, for one test module."""
    chromium_path()
    url, process = launch_dashboard(ROOT / "positions.yaml")
    try:
        yield url
    finally:
        stop(process)


@pytest.fixture(scope="module")
def browser() -> Iterator:
    """A headless Chromium for one test module (pages are opened by each test)."""
    path = chromium_path()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def overlaps(a: list[float], b: list[float], slack: float = 1.0) -> bool:
    """Whether two boxes (left, top, right, bottom) share more than ``slack`` px each way."""
    return min(a[2], b[2]) - max(a[0], b[0]) > slack and min(a[3], b[3]) - max(a[1], b[1]) > slack


@pytest.fixture
def browser_page() -> Iterator:
    """A headless Chromium page at 1200x675."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=VIEWPORT)
        try:
            yield page
        finally:
            browser.close()


def distinct_colours(png: Path) -> int:
    """How many distinct colours a screenshot has (a blank page has one or two)."""
    from PIL import Image

    with Image.open(png) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
    return len(colours) if colours is not None else 1 << 20
