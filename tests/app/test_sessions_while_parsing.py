"""While one session's file is parsed, the other sessions' pages answer at once (issue 18: another
session waited 32-85 s while a hostile file was parsed): they draw the version on screen.

The test holds the parse on an event, so nothing is timed; ``python
tests/app/test_sessions_while_parsing.py`` measures it with real files in a fresh process each
(the numbers in docs/security.md).
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

if __name__ == "__main__":  # run as a script: make the project and the app helpers importable
    sys.path[:0] = [str(Path(__file__).parents[2]), str(Path(__file__).parent)]

from apphelpers import APP, OVERVIEW, open_page
from streamlit.testing.v1 import AppTest

import ui
from stances import livefile

DEADLINE = 60.0


def save(path: Path, text: str) -> None:
    """Write ``text`` with an mtime in the past: a new stamp that is not "still being written"."""
    path.write_text(text, encoding="utf-8")
    past = time.time_ns() - 5_000_000_000
    os.utime(path, ns=(past, past))


def test_another_session_draws_its_page_while_a_parse_is_held(
    temp_copy: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = temp_copy("orphan_issue.yaml")
    first = open_page(OVERVIEW)  # the first session: the file parsed and on screen
    title = [t.value for t in first.title]
    entered, release = threading.Event(), threading.Event()
    real = livefile.dataset_of

    def held(read, **kwargs):  # the parse of the new save, as long as the test needs
        entered.set()
        assert release.wait(DEADLINE), "the test never released the parse"
        return real(read, **kwargs)

    monkeypatch.setattr(livefile, "dataset_of", held)
    waited: list[float] = []  # the live-reload check's waits for the parse (a tick's, not a page's)
    settled = livefile.FileWatch.settled
    monkeypatch.setattr(
        livefile.FileWatch, "settled", lambda self, timeout: waited.append(timeout) or settled(self, timeout)
    )
    monkeypatch.setattr(livefile, "PARSE_WAIT_SECONDS", 0.2)  # the test suite's is longer (conftest)
    save(path, path.read_text(encoding="utf-8") + "\n# saved again\n")
    watch = ui._watch_of(str(path))
    parsing = threading.Thread(target=watch.load, daemon=True)  # a session's rerun, or the poller
    parsing.start()
    try:
        assert entered.wait(DEADLINE)
        other = AppTest.from_file(APP, default_timeout=30)
        other.run()  # before: waited for the parse (here: until the AppTest timeout)
        assert not other.exception, other.exception
        assert [t.value for t in other.title] == title
        assert other.get("plotly_chart")  # the page is drawn, from the version on screen
        assert watch.busy  # and the parse is still under way
        assert not waited, "a page's own run waited in the live-reload check for the parse"
    finally:
        release.set()
        parsing.join(DEADLINE)
    assert not watch.busy


# --- measurement: python tests/app/test_sessions_while_parsing.py -----------------------------------

MEASURE = r"""
import os, statistics, sys, threading, time
from pathlib import Path
sys.path[:0] = [os.getcwd(), os.path.join(os.getcwd(), "tests", "app")]
from apphelpers import APP
from streamlit.testing.v1 import AppTest
import ui

path = Path(os.environ["POSITIONS_FILE"])
shown = AppTest.from_file(APP, default_timeout=600)
shown.run()  # the first session: the 10,000 positions on screen
def page():
    other = AppTest.from_file(APP, default_timeout=600)
    started = time.perf_counter()
    other.run()
    assert not other.exception, other.exception
    return time.perf_counter() - started
idle = statistics.median(page() for _ in range(3))
from stances import livefile
livefile.WATCH_POLL_SECONDS = 1e9  # the poller sleeps: the parse below is the one timed
time.sleep(0.3)
big = Path(sys.argv[1]).read_bytes()
path.write_bytes(big)
past = time.time_ns() - 5_000_000_000
os.utime(path, ns=(past, past))
watch = ui._watch_of(str(path))
parse = {}
def reload():
    started = time.perf_counter()
    watch.load()
    parse["seconds"] = time.perf_counter() - started
thread = threading.Thread(target=reload)
thread.start()
time.sleep(0.3)  # the parse under way
pages = []
while thread.is_alive() and len(pages) < 3:
    pages.append(page())
thread.join()
print(f"{parse['seconds']:.1f}|{max(pages) if pages else float('nan'):.2f}|{idle:.2f}|{len(pages)}")
"""


def measure() -> None:
    """For each big file: how long its parse takes, and how long another session's Overview takes
    to draw meanwhile (the slowest of up to three drawn during the parse) and when idle; in a fresh
    process each, the 10,000-position file on screen. ``--before DIR``: another copy of the code."""
    import subprocess
    import tempfile

    sys.path.insert(0, str(Path(__file__).parents[1] / "unit"))
    import test_hostile_files as hostile

    from stances.generate import generate

    root = Path(__file__).parents[2]
    code_root = Path(sys.argv[sys.argv.index("--before") + 1]) if "--before" in sys.argv else root
    files: dict[str, Callable[[], bytes]] = {
        "a new version: 100,000 positions": hostile.real_positions(100_000),
        "100,000 positions with a tab (refused)": hostile.real_positions(100_000, "tab"),
        "1 MB invalid voice x 2,000 aliases": hostile.CASES["1 MB invalid voice x 2,000 aliases"][0],
        "249,990 one-key records in braces": lambda: hostile.braced_records(249_990),
        "1.3 million one-key records in braces": lambda: hostile.braced_records(1_300_000),
    }
    print(f"code: {code_root}")
    print("| file parsed by one session | parse | another session's page meanwhile | idle |")
    print("|---|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as folder:
        shown, big = Path(folder) / "positions.yaml", Path(folder) / "big.yaml"
        for name, content in files.items():
            shown.write_text(generate(10_000, 3), encoding="utf-8")
            big.write_bytes(content())
            env = dict(os.environ, STANCES_NO_CACHE="1", POSITIONS_FILE=str(shown))
            done = subprocess.run(
                [sys.executable, "-c", MEASURE, str(big)], capture_output=True, text=True, cwd=code_root, env=env
            )
            if done.returncode != 0:
                print(f"| {name} | failed: {done.stderr[-300:]!r} | | |")
                continue
            parse, during, idle, _ = done.stdout.strip().splitlines()[-1].split("|")
            print(f"| {name} | {parse} s | {during} s | {idle} s |")


if __name__ == "__main__":
    measure()
