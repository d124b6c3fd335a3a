"""Start the dashboard as `make run` does: ``python serve.py [streamlit run options]``.

The same as ``streamlit run app.py [options]``, with one addition: once the server listens, and
while the browser loads Streamlit's JavaScript (about a second in which the server has little to
do), a background thread does the first page's work that does not depend on the browser, so that
the first script run finds it done instead of doing it while the browser waits: it imports what
the first page needs (pandas, pydantic, the stances modules), loads the dataset with its positions
frame, computes the Overview as a first visit opens it into the view memo, and moves what is
then alive out of the garbage collector's reach (Streamlit collects after every script run, the
first one and each live-reload tick included). It waits for the server to listen first because,
started with it, it delays the server's own start-up (one interpreter lock).

Only Streamlit's public command-line entry point (streamlit.web.cli) is used; nothing here
changes what the app shows.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import inspect
import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from stances import livefile

HERE = Path(__file__).resolve().parent
APP = HERE / "app.py"
LISTEN_TIMEOUT = 30.0  # seconds to wait for the server to listen before warming up anyway


def wait_for_server(timeout: float = LISTEN_TIMEOUT) -> bool:
    """Wait until the server accepts connections on its port; False after ``timeout`` seconds."""
    import streamlit as st

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        # read each time: the command line's --server.port is applied after this thread starts
        host = st.get_option("server.address") or "localhost"
        try:
            with socket.create_connection((host, int(st.get_option("server.port"))), timeout=1):
                return True
        except OSError:
            time.sleep(0.02)
    return False


def warm_up() -> None:
    """Do the first page's work ahead of the first script run (see the module's docstring).

    Any failure is left to that run, which reports it on the page (never a traceback here).
    """
    wait_for_server()
    try:
        # The collector off throughout: importing pandas and plotly ran it for ~70 ms, and turning
        # it on again after so many new objects ran a full pass (~30 ms); gc.freeze() below leaves
        # it nothing to do.
        with collector_paused():
            import PIL.Image  # noqa: F401 - st.set_page_config's icon goes through Streamlit's image code

            import ui
            from stances import caption, charts, chartviews, filenames, pickers  # noqa: F401 - the Overview's

            first_view(ui.load())  # ui.load: parses (or reads the disk cache) and builds the frame, once
            # Streamlit's first element of a process calls inspect.stack() (its "not run with
            # `streamlit run`" check), which maps every loaded module to its file: ~30 ms here
            inspect.stack()
            # What is alive now (modules, the dataset and its frame) lives as long as the server: out
            # of the collector's reach, Streamlit's collection after the first run and after each
            # live-reload tick skips it. No collection first (~50 ms): the load's own
            # livefile.freeze_long_lived, CACHE_WRITE_DELAY later, collects what the imports left.
            gc.freeze()
    except Exception:  # the first run meets the same error and reports it
        return


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off inside (as it was, after)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def first_view(loaded: livefile.Loaded) -> None:
    """The Overview as a first visit opens it (``/`` with no parameters: today, officials, the
    pickers at their defaults), computed into ui.memo as pages/overview_page.py asks for it, its
    figure fitted and encoded as ui.chart sends it: the first run finds them there. It also pays
    plotly's first-figure costs (validators built on first use). A page that changes its defaults
    only makes this a miss, never a different chart."""
    import ui
    from stances import chartviews, pickers, sharing
    from stances.model import VOICES

    if loaded.dataset is None:
        return
    chosen = sharing.voices_from_url(None).chosen
    filters = ui.Filters(dt.date.today(), tuple(v for v in VOICES if v in chosen))
    ctx = ui.Context(loaded, loaded.dataset, ui.positions_frame(loaded.dataset), filters)
    choices = ui.memo(ctx, pickers.overview_choices, filters.as_of, filters.voices)
    issues = tuple(i for i in choices.default_issues if i in choices.issues)
    actors = tuple(a for a in choices.default_actors if a in choices.actors)
    view = ui.memo(ctx, chartviews.overview_view, filters.as_of, filters.voices, issues, actors, filters.fade_years)
    view.encoded  # noqa: B018 - the figure fitted and encoded as the page hands it on (once per view)


def main(argv: list[str] | None = None) -> None:
    """``streamlit run app.py`` with ``argv`` (default: this command's own arguments)."""
    # Streamlit first, fully imported: importing it runs plotly code that checks for pandas, and
    # must never find the pandas that the warm-up thread is importing half done.
    from streamlit.web import cli

    sys.path.insert(0, str(HERE))
    threading.Thread(target=warm_up, name="stances-warm-up", daemon=True).start()
    args = sys.argv[1:] if argv is None else argv
    cli.main(["run", str(APP), *args], prog_name="streamlit")


if __name__ == "__main__":
    main()
