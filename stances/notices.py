"""What the dashboard tells its reader about the data on show and the link that opened it: the
banners over every page, the problems they list, the notice of a link's ignored parts, and the
dataset's lines in the sidebar.

Pure (no Streamlit). A banner or notice goes out through st.warning or st.info, which read
Markdown: every piece of file or user text in one is escaped here (stances.wording). Problem lines
and the sidebar lines are plain text, for st.code and st.text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from stances import wording
from stances.model import Dataset

MAX_BANNER_PROBLEMS = 12  # problem lines under a banner; Data health lists them all
MAX_NOTICE_VALUES = 5  # values of one parameter a notice repeats


def stale_banner(file_name: str, saved_at: dt.datetime | None) -> str:
    """The banner over a last valid version kept on show after a save broke the file."""
    when = saved_at.strftime("%H:%M") if saved_at else "earlier"
    return f"Showing the last valid version of {wording.escape_markdown(file_name)} (saved {when})."


def problems_banner(file_name: str, errors: int) -> str:
    """The banner over a file whose records with errors are left out. It counts errors, as Data
    health's summary does ("1 error, 1 warning"): warnings leave nothing out."""
    return f"{wording.escape_markdown(file_name)} has {error_count(errors)}: the records with errors are left out."


def error_count(errors: int) -> str:
    """``1 error``, ``3 errors``: also the label of the link to Data health."""
    return wording.plural(errors, "error")


def problem_lines(dataset: Dataset, limit: int = MAX_BANNER_PROBLEMS) -> str:
    """The first ``limit`` problems of ``dataset``, one per line as the CLI prints them, and how
    many more Data health lists."""
    lines = [problem.format() for problem in dataset.problems[:limit]]
    more = len(dataset.problems) - limit
    if more > 0:
        lines.append(f"... and {more} more (see Data health)")
    return "\n".join(lines)


def older_link(link_rev: str, current_rev: str) -> str:
    """The note on a page opened by a link made with another revision of the data."""
    return (
        f"This link was made with an older revision of the data ({wording.escape_markdown(link_rev)}); "
        f"the page shows the current revision ({current_rev}), so values may differ."
    )


def ignored(param: str, values: Sequence[str], why: str) -> str:
    """One ignored part of a link, as plain text: ``actors=XXX, YYY: not in this dataset``."""
    shown = ", ".join(wording.clip(v) for v in values[:MAX_NOTICE_VALUES])
    return f"{param}={shown}{' ...' if len(values) > MAX_NOTICE_VALUES else ''}: {why}"


def ignored_banner(parts: Sequence[str]) -> str:
    """The notice at the top of a page opened by a link with parts it could not use (``ignored``)."""
    return f"Part of this link was ignored: {'; '.join(wording.escape_markdown(part) for part in parts)}."


def dataset_lines(dataset: Dataset) -> str:
    """The sidebar's lines on the dataset: its title, revision and counts of records."""
    counts = " · ".join(
        wording.plural(n, word)
        for n, word in (
            (len(dataset.positions), "position"),
            (len(dataset.actors), "actor"),
            (len(dataset.issues), "issue"),
            (len(dataset.sources), "source"),
        )
    )
    return f"{dataset.title}\nRevision {dataset.revision}\n{counts}"
