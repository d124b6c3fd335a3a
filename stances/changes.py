"""What changed between two dates: whose stance on which issue moved, appeared or lapsed.

Pure pandas over the positions frame (``analysis.positions_frame``). The stance of an actor on an
issue on a date is ``analysis.latest_stances`` as of that date (the as-of rule: the latest
position dated on or before it, partial dates by their first day, a tie won by the record later
in the file). Two dates, two such stances per (actor, issue), and one of three changes:

- **moved**: a stated stance on both dates, and they differ (``shift`` = later minus earlier);
- **appeared**: no stated stance on the first date (no position yet, or one that declined to
  state), a stated stance on the second;
- **lapsed**: a stated stance on the first date, superseded by ``stance: null`` (declined to
  state) by the second. Stances never expire by age, so this is the only way one lapses.

Only the two dates are compared: a stance that moved and came back in between is unchanged here
(the Timeline shows the way). A new statement of the same stance is counted as ``restated``, not
listed. A joint statement counts once for each signatory, and the row says with whom.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field

import pandas as pd

from stances import analysis

KINDS: tuple[str, ...] = ("moved", "appeared", "lapsed")  # the order changes are listed in
SIDE_COLUMNS: tuple[str, ...] = (
    "stance",
    "stance_label",
    "date",
    "voice",
    "speaker",
    "role",
    "quote",
    "language",
    "translation",
    "source_publisher",
    "source_date",
    "source_url",
    "joint_with",
    "note",
    "order",
)
# The table of changes, as listed and downloaded: column -> heading, in reading order.
TABLE_COLUMNS: dict[str, str] = {
    "issue_title": "issue",
    "actor_name": "actor",
    "change": "change",
    "before_stance": "stance before",
    "after_stance": "stance after",
    "shift": "shift",
    "before_date": "date before",
    "before_quote": "quote before",
    "after_date": "date after",
    "after_quote": "quote after",
    "before_speaker": "speaker before",
    "after_speaker": "speaker after",
    "before_source_publisher": "source before",
    "before_source_url": "source link before",
    "after_source_publisher": "source after",
    "after_source_url": "source link after",
    "after_joint_with": "joint statement with",
    "after_voice": "voice",
    "actor": "actor id",
    "issue": "issue id",
}


@dataclass(frozen=True)
class Changes:
    """The changes between ``start`` and ``end``, and the positions behind them.

    ``table`` has one row per change: actor and issue (ids, names, dataset ranks), ``change``
    (one of :data:`KINDS`), ``shift``, and each of :data:`SIDE_COLUMNS` twice, prefixed
    ``before_`` and ``after_`` (empty before a stance appeared from nothing). ``rows`` are those
    positions as frame rows (the chart's sources, the quotes to read in context).
    """

    start: dt.date
    end: dt.date
    table: pd.DataFrame
    rows: pd.DataFrame
    restated: int = 0  # (actor, issue) pairs with a new statement of the same stance
    counts: dict[str, int] = field(default_factory=dict)  # kind -> number of changes


def newest_statement(
    frame: pd.DataFrame, voices: Collection[str] | None, up_to: dt.date | None = None
) -> dt.date | None:
    """The first day of the newest position in ``voices`` dated on or before ``up_to`` (None: none)."""
    rows = analysis.filter_voices(frame, voices)
    starts = rows["date_start"]
    if up_to is not None:
        starts = starts[starts <= pd.Timestamp(up_to)]
    starts = starts.dropna()
    return None if starts.empty else starts.max().date()


def year_before(day: dt.date) -> dt.date:
    """The same day a year earlier (29 February becomes the 28th)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def default_window(
    frame: pd.DataFrame, voices: Collection[str] | None, as_of: dt.date | None
) -> tuple[dt.date, dt.date] | None:
    """From a year before the newest statement (up to ``as_of``) to that statement; None without one.

    The newest statement rather than today: a year up to today may hold no statement at all.
    """
    end = newest_statement(frame, voices, as_of)
    return None if end is None else (year_before(end), end)


def stance_changes(
    frame: pd.DataFrame,
    start: dt.date,
    end: dt.date,
    voices: Collection[str] | None,
    issues: Collection[str] | None = None,
) -> Changes:
    """Every (actor, issue) whose stance as of ``start`` differs from its stance as of ``end``.

    ``issues`` None or empty keeps every issue. Rows come by issue, then kind (:data:`KINDS`),
    then actor, each in the dataset's order. ``start`` after ``end`` is read the other way round.
    """
    if start > end:
        start, end = end, start
    rows = frame if not issues else frame[frame["issue"].isin(list(issues))]
    before = analysis.latest_stances(rows, start, voices)
    after = analysis.latest_stances(rows, end, voices)
    keys = ["actor", "issue"]
    ids = ["actor", "actor_name", "actor_rank", "issue", "issue_title", "issue_rank"]
    both = pd.merge(
        before.loc[:, ids + list(SIDE_COLUMNS)].add_prefix("before_").rename(columns={f"before_{c}": c for c in ids}),
        after.loc[:, ids + list(SIDE_COLUMNS)].add_prefix("after_").rename(columns={f"after_{c}": c for c in ids}),
        on=keys,
        how="outer",
        suffixes=("", "_after"),
    )
    for column in ("actor_name", "actor_rank", "issue_title", "issue_rank"):  # an outer merge: one side may lack them
        if f"{column}_after" in both:
            both[column] = both[column].where(both[column].notna(), both[f"{column}_after"])
            both = both.drop(columns=f"{column}_after")
    was = both["before_stance"].astype("Int64")
    now = both["after_stance"].astype("Int64")
    had, has = was.notna().fillna(False).astype(bool), now.notna().fillna(False).astype(bool)
    new_statement = both["after_order"].ne(both["before_order"]) & both["after_order"].notna()
    kind = pd.Series(pd.NA, index=both.index, dtype=object)
    kind[had & has & (was != now).fillna(False).astype(bool)] = "moved"
    kind[~had & has] = "appeared"
    kind[had & ~has] = "lapsed"
    restated = int((new_statement & had & has & (was == now).fillna(False).astype(bool)).sum())
    both["change"] = kind
    both["shift"] = (now - was).where(kind == "moved").astype("Int64")
    table = both[both["change"].notna()].copy()
    table["kind_rank"] = table["change"].map({k: n for n, k in enumerate(KINDS)})
    table = table.sort_values(["issue_rank", "issue", "kind_rank", "actor_rank", "actor"], kind="stable").drop(
        columns="kind_rank"
    )
    for side in ("before", "after"):
        table[f"{side}_stance"] = table[f"{side}_stance"].astype("Int64")
        table[f"{side}_order"] = table[f"{side}_order"].astype("Int64")
    table = table.reset_index(drop=True)
    behind = positions_behind(frame, table)
    counts = {k: int((table["change"] == k).sum()) for k in KINDS}
    return Changes(start, end, table, behind, restated, counts)


def positions_behind(frame: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``frame`` holding the positions a table of changes quotes (before and after),
    in file order: a chart's sources are those it draws."""
    wanted = set()
    for side in ("before", "after"):
        known = table[f"{side}_order"].notna()
        wanted |= set(zip(table.loc[known, "actor"], table.loc[known, f"{side}_order"].astype(int), strict=True))
    keys = zip(frame["actor"].tolist(), frame["order"].tolist(), strict=True)
    return frame[[key in wanted for key in keys]].sort_values("order", kind="stable")


def side_rows(table: pd.DataFrame, side: str) -> pd.DataFrame:
    """One side (``before`` or ``after``) of a table of changes as frame rows (actor, issue and the
    :data:`SIDE_COLUMNS` without their prefix): for hover labels and statements. A stance that
    appeared from nothing has an empty ``before`` side."""
    columns = {f"{side}_{c}": c for c in SIDE_COLUMNS}
    return table.loc[:, ["actor", "actor_name", "issue", "issue_title", *columns]].rename(columns=columns)


def changes_table(changes: Changes) -> pd.DataFrame:
    """The changes as listed and downloaded: readable headings (:data:`TABLE_COLUMNS`), no blanks
    written as "None" (missing values stay empty)."""
    table = changes.table.loc[:, list(TABLE_COLUMNS)].rename(columns=TABLE_COLUMNS)
    return table.astype({"stance before": "Int64", "stance after": "Int64", "shift": "Int64"})


def summary(counts: dict[str, int]) -> str:
    """``2 moved, 3 appeared, 1 lapsed`` (kinds with none left out; ``no change`` for none)."""
    parts = [f"{counts[k]} {k}" for k in KINDS if counts.get(k)]
    return ", ".join(parts) or "no change"
