"""Quotes: every recorded statement to read, searchable without caring about accents or
British and American spelling, with its speaker, source and the coder's note."""

import functools

import streamlit as st

import ui
from stances import filenames, pickers, quotesearch, spelling, tables, tableviews, wording

# Rows sent to the table: converting every match to Arrow on each click costs seconds at 100,000
# positions, and no one reads that many in a browser; the CSV download holds every match.
SHOWN_MAX = 1000
TABLE_HEIGHT_PX = 600  # the table scrolls within this; about a 768 px screen less the header


@st.cache_resource(show_spinner=False, max_entries=1)
def search_index(path: str, content_hash: str, _ctx: ui.Context) -> quotesearch.SearchIndex:
    """The search index of the file on screen, built once per content and shared by every
    session. One is kept (about 35 MB at 100,000 positions): an edited file's replaces it, where
    the view memo would keep up to 64 versions' indexes."""
    return quotesearch.search_index(_ctx.dataset, _ctx.frame)


ctx = ui.context()
frame = ctx.frame
st.title("Quotes")
st.caption(f"Showing {wording.voices_phrase(ctx.filters.voices)} (change voices in the sidebar).")

query = ui.text_from_url(
    "Search", "q_query", param="q", placeholder="Words from a quote, speaker, role, publisher or note"
)
with st.expander("Spellings the search finds together (defence and defense, US and U.S., ...)"):
    st.text(spelling.summary())  # our own fixed text, kept next to the rules in stances.spelling
choices = ui.memo(ctx, pickers.quotes_choices)
left, middle, right = st.columns(3)
with left:
    actors = ui.pick_many("Actors", "q_actors", choices.actors, [], param="actors", placeholder="All actors")
    issues = ui.pick_many("Issues", "q_issues", choices.issues, [], param="issues", placeholder="All issues")
with middle:
    speakers = ui.pick_many(
        "Speakers",
        "q_speakers",
        {s: s for s in ui.memo(ctx, pickers.speakers)},
        [],
        param="speaker",
        free_text=True,
        placeholder="All speakers",
    )
with right:
    date_from = ui.date_from_url("Said from", "q_from", param="from", default=None, format="YYYY-MM-DD")
    date_to = ui.date_from_url("Said until", "q_to", param="to", default=None, format="YYYY-MM-DD")
ui.write_url(
    ctx,
    q=query.strip(),
    actors=actors,
    issues=issues,
    speaker=speakers,
    **{"from": date_from, "to": date_to},
)

if frame.empty:
    ui.empty("The dataset has no positions yet: see Sources & method for how to add one.")
    st.stop()
# The search index folds every searchable text once per file content, when the page opens: a new
# search is then one scan of folded text (0.3-0.5 s -> about 50-70 ms a rerun at 100,000
# positions), with the same answer as analysis.search_quotes. Its view is memoised per content
# like every view.
index = search_index(ctx.dataset.path, ctx.dataset.content_hash, ctx)
found = ui.memo(
    ctx,
    index.quotes_view,
    query,
    tuple(actors),
    tuple(issues),
    ctx.filters.voices,
    tuple(speakers),
    date_from,
    date_to,
    SHOWN_MAX,
)
rows = found.rows
st.text(f"{len(rows)} of {len(frame)} positions match.")
if rows.empty:
    ui.empty("No quote matches these filters. Clear the search or widen the filters.")
    st.stop()
if len(rows) > SHOWN_MAX:
    st.caption(
        f"Showing the newest {SHOWN_MAX:,} of {len(rows):,} matching positions: refine the search or "
        "filters, or download the CSV for all of them."
    )
show_ids = st.toggle("Show ids and line numbers", key="q_ids", help="For editing the positions file.")
table = found.table if show_ids else found.table.drop(columns=list(tables.ID_HEADINGS))
chosen = st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    height=TABLE_HEIGHT_PX,
    row_height=found.row_height,
    placeholder="",  # an empty cell, never "None"
    on_select="rerun",
    selection_mode="single-row",
    key="q_table",
    column_config={
        "actor": st.column_config.TextColumn("actor", width=100),
        "date": st.column_config.TextColumn("date", width=84),
        "quote": st.column_config.TextColumn("quote", width=tableviews.QUOTE_WIDTH_PX),
        "speaker": st.column_config.TextColumn("speaker", width=130),
        "source": st.column_config.TextColumn("source", width=150),
        "source link": st.column_config.LinkColumn("source link", display_text="open source"),
        "stance": st.column_config.NumberColumn("stance", format="%+d"),
        "note": st.column_config.TextColumn("note", width="large", help="The coder's note: why this stance"),
    },
)
selected = chosen.selection.rows if chosen is not None else []
if selected and selected[0] < len(table):
    with st.container(border=True):
        for line in tableviews.quote_in_full(table.iloc[selected[0]]):
            st.text(line)  # data text: never Markdown
        if link := tables.http_link(table.iloc[selected[0]]["source link"]):
            st.link_button("Open the source", link)
else:
    st.caption("Select a row (the box at its left) to read its quote, translation and note in full here.")
ui.quote_context(ctx, found.rows, key="q")
st.download_button(
    "Download these quotes (CSV)",
    data=functools.partial(tableviews.quotes_csv, rows),  # built on click only, in its own thread
    file_name=f"{filenames.export_filename('quotes', [query] if query else [], ctx.filters.as_of)}.csv",
    mime="text/csv",
    on_click="ignore",
    icon=":material/download:",
)
st.caption(
    "The CSV holds every column, the coder's note included, and every match. Languages are ISO 639-1 "
    "codes; a date the source gives only to the month or the year is written 2013-03-XX or "
    "2013-XX-XX, so that spreadsheets keep it as text instead of making it the first of the month."
)
