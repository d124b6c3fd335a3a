"""stances: compare what countries have said about missile defence.

Run: ``make run`` (``python serve.py``: ``streamlit run app.py`` with the first page's imports and
data warmed up while the browser loads), or ``streamlit run app.py``.
"""

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).parent))  # `import ui` also when started from elsewhere
import ui
from stances.navigation import PAGES

st.set_page_config(page_title="stances", page_icon=str(ui.PAGE_ICON), layout="wide")

here = Path(__file__).parent
available = [entry for entry in PAGES if (here / entry[0]).is_file()]  # "Add a position" only if present
home_file, home_title, home_path, _ = available[0]
pages = [
    # Streamlit serves the default page at "/" only, so it gets another url path here and a hidden
    # alias keeps its own ("/overview?...", as exported indexes link to it) working too.
    st.Page(
        file,
        title=title,
        icon=icon,
        url_path=f"{url_path}-home" if file == home_file else url_path,
        default=file == home_file,
    )
    for file, title, url_path, icon in available
]
pages.append(st.Page(home_file, title=home_title, url_path=home_path, visibility="hidden"))
page = st.navigation(pages)
top = st.container()
ctx = ui.setup()
ui.watch_file()
try:
    if ctx is not None:
        page.run()
finally:  # also after a page's st.stop(): the notices are about this run's link
    with top:
        ui.show_notices()
