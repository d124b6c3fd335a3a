"""A quote in its source's context: the archived paragraph around it, as plain text for a page.

Under a chart, a reader picks one of the positions it draws and reads the paragraph of the
evidence archive (stances.evidence) that holds the quote, with the quote marked. Everything here
is text for ``st.text`` (never Markdown or HTML): a quote or an archive may hold anything.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from stances.evidence import ArchiveError, archive_dir, archive_path, quote_in_context, read_archive
from stances.model import Dataset

LABEL_QUOTE_CHARS = 70
CHOICES_MAX = 1000  # a select of more is unreadable; the Quotes page shows the newest 1,000 too


@dataclass(frozen=True)
class InContext:
    """What the page shows for one position: where the text comes from and the paragraph around the
    quote, split in three (``before``, the ``quote`` as the archive has it, ``after``), so the page
    can set the quote apart without marking up the text; or, in ``missing``, why there is none."""

    heading: str
    before: str = ""
    quote: str = ""
    after: str = ""
    missing: str = ""
    url: str | None = None


def choices(rows: pd.DataFrame | None, limit: int = CHOICES_MAX) -> dict[int, str]:
    """The positions a chart draws (its rows' ``order``), each once, newest first, at most ``limit``,
    labelled ``actor · issue · date: “quote…”`` (a joint statement with all its signatories)."""
    if rows is None or rows.empty or "order" not in rows.columns or "quote" not in rows.columns:
        return {}
    columns = ["order", "actor_name", "joint_with", "issue_title", "date", "quote"]
    ordered = rows.sort_values(["date_start", "order"], ascending=False, kind="stable")
    ordered = ordered.drop_duplicates("order").head(limit)
    labels: dict[int, str] = {}
    seen: set[str] = set()
    for order, actor, joint_with, issue, date, quote in ordered.loc[:, columns].itertuples(index=False):
        order = int(order)
        if isinstance(joint_with, str) and joint_with:
            actor = f"{actor}, {joint_with} (joint statement)"
        short = quote if len(quote) <= LABEL_QUOTE_CHARS else quote[: LABEL_QUOTE_CHARS - 1].rstrip() + "…"
        label = f"{actor} · {issue} · {date}: “{short}”"
        while label in seen:  # two positions alike at a glance: the select needs distinct labels
            label += " (another)"
        seen.add(label)
        labels[order] = label
    return labels


def in_context(dataset: Dataset, index: int) -> InContext:
    """The archived paragraph holding position ``index``'s quote (read from the archive folder beside
    the dataset's file, at most stances.evidence.MAX_ARCHIVE_BYTES)."""
    position = dataset.positions[index]
    source = dataset.sources_by_id().get(position.source)
    name = source.publisher if source else position.source
    title = f": {source.title}" if source and source.title else ""
    heading = f"{name}{title}" + (f" ({source.date})" if source and source.date else "")
    url = source.url if source else None
    try:
        path = archive_path(archive_dir(dataset.path), position.source)
        if not path.exists():
            return InContext(heading, missing="The source's text is not in the evidence archive.", url=url)
        archive = read_archive(path)
    except (ArchiveError, ValueError) as exc:
        return InContext(heading, missing=f"The source's archived text cannot be read ({exc}).", url=url)
    passage = quote_in_context(position.quote, archive.body)
    if passage is None:
        return InContext(
            heading,
            missing="The quote is not found in the archived text: `python -m stances verify` says where it differs.",
            url=url,
        )
    return InContext(heading, passage.before.strip(), passage.matched, passage.after.strip(), url=url)
