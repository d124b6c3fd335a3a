"""serve.py, what `make run` starts: `streamlit run app.py` plus a warm-up of the first page."""

from __future__ import annotations

import gc
import re
import shutil
import socket
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit
from apphelpers import APP, BUNDLED, DATASETS, REPO
from streamlit.testing.v1 import AppTest

import serve
import ui
from stances import chartviews


@pytest.fixture(autouse=True)
def unfrozen() -> Iterator[None]:
    """The warm-up freezes what is alive (gc.freeze): give the test process its collector back."""
    yield
    gc.unfreeze()


def test_make_run_the_browser_tests_and_the_benchmark_start_the_dashboard_the_same_way():
    recipe = re.search(r"^run:.*\n\t(.+)$", (REPO / "Makefile").read_text(encoding="utf-8"), re.MULTILINE)
    assert recipe is not None and recipe.group(1).split() == ["$(PY)", "serve.py"]
    sys.path.insert(0, str(REPO / "bench"))
    try:
        import browser
    finally:
        sys.path.remove(str(REPO / "bench"))
    assert browser.DASHBOARD == ["serve.py"]
    assert browser.HELLO[:3] == ["-m", "streamlit", "run"]  # the baseline stays plain streamlit run
    # the browser tests start their servers with the benchmark's start_server, at its default (DASHBOARD)
    conftest = (REPO / "tests" / "browser" / "conftest.py").read_text(encoding="utf-8")
    assert "from bench.browser import" in conftest and "start_server(env=" in conftest
    assert "start_server(start=" not in conftest and "Popen(" not in conftest


def test_it_runs_streamlit_run_app_py_with_its_arguments(monkeypatch: pytest.MonkeyPatch):
    calls = []
    monkeypatch.setattr("streamlit.web.cli.main", lambda args, prog_name: calls.append((args, prog_name)))
    monkeypatch.setattr(serve, "warm_up", lambda: None)
    serve.main(["--server.port", "8600"])
    assert calls == [(["run", str(REPO / "app.py"), "--server.port", "8600"], "streamlit")]


def test_the_warm_up_loads_the_dataset_and_its_frame(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    data = tmp_path / "positions.yaml"
    shutil.copyfile(DATASETS / "orphan_issue.yaml", data)
    monkeypatch.setenv("POSITIONS_FILE", str(data))
    monkeypatch.setenv("STANCES_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(serve, "wait_for_server", lambda: True)
    serve.warm_up()
    watch = ui._watch_of(str(data))
    assert watch.current is not None and len(watch.current.positions) == 2
    assert watch.current.content_hash in watch.frames  # the first run's positions_frame() finds it


def test_a_failing_warm_up_is_left_to_the_first_run(monkeypatch: pytest.MonkeyPatch):
    def broken(path=None):
        raise RuntimeError("boom")

    monkeypatch.setattr(serve, "wait_for_server", lambda: True)
    monkeypatch.setattr(ui, "load", broken)
    assert serve.warm_up() is None  # no exception: the page reports the same failure
    assert gc.isenabled()  # the collector, paused for the warm-up, is on again


def test_the_warm_up_computes_the_overview_a_first_visit_opens(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    data = tmp_path / "positions.yaml"  # content no earlier test has put in the view memo
    data.write_text(BUNDLED.read_text(encoding="utf-8") + f"# {uuid.uuid4()}\n", encoding="utf-8")
    monkeypatch.setenv("POSITIONS_FILE", str(data))
    monkeypatch.setenv("STANCES_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("STANCES_READ_ONLY", raising=False)
    monkeypatch.setattr(serve, "wait_for_server", lambda: True)
    calls: list[tuple] = []
    real = chartviews.overview_view

    def counted(dataset, frame, *args):
        calls.append(args)
        return real(dataset, frame, *args)

    monkeypatch.setattr(chartviews, "overview_view", counted)
    serve.warm_up()
    assert len(calls) == 1 and gc.isenabled()
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()  # "/" without parameters, as a first visit
    assert not at.exception, at.exception
    assert at.get("plotly_chart")
    assert len(calls) == 1  # the first run found the warm-up's view in the memo


def test_the_collector_is_paused_inside_and_as_it_was_after():
    with serve.collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with serve.collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # left off, as it was
    finally:
        gc.enable()


def test_the_warm_up_waits_for_the_server_port(monkeypatch: pytest.MonkeyPatch):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        options = {"server.address": "127.0.0.1", "server.port": port}
        monkeypatch.setattr(streamlit, "get_option", options.__getitem__)
        assert serve.wait_for_server(timeout=30)
    assert not serve.wait_for_server(timeout=0.2)  # nothing listens any more
