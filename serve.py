"""Start the dashboard as `make run` does: ``python serve.py [streamlit run options]``.

The same as ``streamlit run app.py [options]``, with one addition: once the server listens, and
while the browser loads Streamlit's JavaScript (about a second in which the server has little to
do), a background thread imports what the first page needs (pandas, pydantic, the stances
modules) and loads the dataset with its positions frame, so that the first page's script run
finds them ready instead of doing that work while the browser waits. It waits for the server to
listen first because, started with it, it delays the server's own start-up (one interpreter lock).

Only Streamlit's public command-line entry point (streamlit.web.cli) is used; nothing here
changes what the app shows.
"""

from __future__ import annotations

import socket
import sys
import threading
import time
from pathlib import Path

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
    """Import the first page's modules and load the dataset, as the first script run would.

    Any failure is left to that run, which reports it on the page (never a traceback here).
    """
    wait_for_server()
    try:
        import ui
        from stances import caption, charts  # noqa: F401 - what the Overview imports

        ui.load()  # parses (or reads the disk cache) and builds the positions frame, once per server
    except Exception:  # the first run meets the same error and reports it
        return


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
