"""Real-Chromium fixtures for the dashboard: a streamlit server on a free port over a temp copy
of a dataset, and a headless Chromium page. Skipped without chromium unless REQUIRE_BROWSER=1."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "test-output"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("streamlit did not answer /_stcore/health")


def launch_dashboard(data: Path) -> tuple[str, subprocess.Popen]:
    """Start the dashboard as `make run` does (serve.py) on a free port over ``data`` (read-only);
    returns (url, process)."""
    port = free_port()
    env = dict(os.environ, POSITIONS_FILE=str(data), STANCES_READ_ONLY="1")
    command = [sys.executable, "serve.py", "--server.port", str(port)]
    command += ["--server.headless", "true"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://localhost:{port}"
    try:
        wait_healthy(url, process)
    except RuntimeError:
        stop(process)
        raise
    return url, process


def stop(process: subprocess.Popen) -> None:
    """Stop a server, killing it if it does not exit within 15 s."""
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


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
