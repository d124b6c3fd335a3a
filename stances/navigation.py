"""The dashboard's pages, in the order of its navigation: app.py builds the menu from this list."""

# file, title, url path, icon. A file stem never equals its url path (DESIGN.md section 5); the
# shims pages/<url path>.py only serve a fresh server's first deep link (they run app.py).
PAGES: list[tuple[str, str, str, str]] = [
    ("pages/overview_page.py", "Overview", "overview", ":material/grid_on:"),
    ("pages/lineup_page.py", "One issue, everyone", "lineup", ":material/linear_scale:"),
    ("pages/compare_page.py", "Compare", "compare", ":material/compare_arrows:"),
    ("pages/timeline_page.py", "Timeline", "timeline", ":material/timeline:"),
    ("pages/changes_page.py", "What changed", "changes", ":material/swap_horiz:"),
    ("pages/map_page.py", "Map", "map", ":material/public:"),
    ("pages/agreement_page.py", "Agreement", "agreement", ":material/handshake:"),
    ("pages/quotes_page.py", "Quotes", "quotes", ":material/format_quote:"),
    ("pages/sources_page.py", "Sources & method", "sources", ":material/menu_book:"),
    ("pages/health_page.py", "Data health", "health", ":material/health_and_safety:"),
    ("pages/add_page.py", "Add a position", "add", ":material/add_circle:"),
]
HEALTH_PAGE = "pages/health_page.py"
