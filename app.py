"""stances: compare what countries have said about missile defence. Run: streamlit run app.py"""

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).parent))  # `import ui` also when started from elsewhere
import ui

st.set_page_config(page_title="stances", page_icon=":material/compare_arrows:", layout="wide")

here = Path(__file__).parent
pages = [
    st.Page(file, title=title, url_path=url_path, icon=icon, default=url_path == "overview")
    for file, title, url_path, icon in ui.PAGES
    if (here / file).is_file()  # "Add a position" only where that page exists
]
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
