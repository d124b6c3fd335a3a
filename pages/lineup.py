"""Entry shim: only a fresh server's first deep link runs this file (see ui.PAGES and DESIGN.md 5).

Until some session has run app.py, Streamlit treats pages/ as an old-style multipage folder and
looks the URL up by file name. Finding this file, rather than nothing, avoids its "Page not
found" dialog; running app.py then lets st.navigation open the real page for this URL.
"""

import runpy
from pathlib import Path

runpy.run_path(str(Path(__file__).resolve().parents[1] / "app.py"), run_name="__main__")
