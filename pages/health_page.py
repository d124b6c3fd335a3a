"""Data health: every problem in the positions file as saved, and how many records are valid."""

import streamlit as st

import ui
from stances import tableviews
from stances.problems import summary

ctx = ui.context()
ui.write_url(ctx)
st.title("Data health")
dataset = ctx.loaded.current
if dataset is None:
    st.error("The positions file cannot be read right now; the pages show its last valid version.")
    st.code(ctx.loaded.error, language=None)
    st.stop()

st.caption("The file as saved now. Records with an error are left out of every page; warnings leave nothing out.")
counts = {
    "actors": len(dataset.actors),
    "issues": len(dataset.issues),
    "sources": len(dataset.sources),
    "positions": len(dataset.positions),
}
for column, (section, n) in zip(
    st.columns(len(counts) + 1), [*counts.items(), ("problems", len(dataset.problems))], strict=True
):
    column.metric(f"Valid {section}" if section != "problems" else "Problems", n)
st.text(summary(dataset.problems, dataset.path))

if not dataset.problems:
    st.success("No problems: every record in the file is valid.", icon=":material/check_circle:")
    st.stop()

table = tableviews.problems_table(dataset.problems)
st.subheader("Problems")
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    # the message and what to write instead, wrapped whole: cut to one line, the hint was out of view
    row_height=tableviews.wrapped_row_height(table, ("problem",), tableviews.PROBLEM_TEXT_WIDTH_PX),
    column_config={
        "where": st.column_config.TextColumn("where", width=tableviews.WHERE_WIDTH_PX),
        "problem": st.column_config.TextColumn("problem", width=tableviews.PROBLEM_TEXT_WIDTH_PX),
    },
)

ties = table[table["type"] == "tie"]
st.subheader("Ties")
if ties.empty:
    st.caption("No ties: no actor has two differing positions on one issue on the same day.")
else:
    st.caption(
        "Two positions of one actor on one issue share a date and voice but differ; the later one in the file wins."
    )
    st.dataframe(
        ties[["where", "problem"]],
        hide_index=True,
        width="stretch",
        row_height=tableviews.wrapped_row_height(ties, ("problem",), tableviews.PROBLEM_TEXT_WIDTH_PX),
        column_config={
            "where": st.column_config.TextColumn("where", width=tableviews.WHERE_WIDTH_PX),
            "problem": st.column_config.TextColumn("problem", width=tableviews.PROBLEM_TEXT_WIDTH_PX),
        },
    )
st.download_button(
    "Download the problem list (text)",
    "\n".join(p.format() for p in dataset.problems) + "\n" + summary(dataset.problems, dataset.path) + "\n",
    file_name="problems.txt",
    mime="text/plain",
)
