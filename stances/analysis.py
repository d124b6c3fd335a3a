"""Tidy DataFrames from a Dataset: latest stance as of a date, agreement, timelines, quote search.

Everything here is pure pandas/numpy and vectorised over positions (the dashboard has to stay
quick at 100,000 positions): one frame per dataset, then filters, sorts and group-bys on it.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Collection, Sequence

import numpy as np
import pandas as pd

try:  # Arrow's string kernels fold 100,000 quotes about three times faster than Python
    import pyarrow as pa
    import pyarrow.compute as pc
except ImportError:  # pragma: no cover - Streamlit depends on pyarrow
    pa = pc = None

from stances.model import Dataset, Position

COLUMNS: tuple[str, ...] = (
    "actor",
    "actor_name",
    "issue",
    "issue_title",
    "stance",
    "stance_label",
    "date",
    "date_start",
    "precision",
    "voice",
    "speaker",
    "role",
    "quote",
    "language",
    "translation",
    "source",
    "source_publisher",
    "source_title",
    "source_date",
    "source_url",
    "note",
    "line",
    "order",
    # Beyond the documented interface: used for default orderings and the map.
    "actor_kind",
    "actor_rank",
    "issue_rank",
    "search_text",  # the searchable fields, folded (see ``fold``), for search_quotes
)
POSITION_FIELDS = ("actor", "issue", "stance", "date", "voice", "speaker", "role", "quote", "language")
POSITION_FIELDS += ("translation", "source", "note")
SEARCH_FIELDS = (
    "quote",
    "translation",
    "speaker",
    "role",
    "actor_name",
    "issue_title",
    "source_publisher",
    "note",
)
DECLINED = "declined to state"
# Letters that Unicode does not decompose into a base letter plus accent (NFKD leaves them alone).
_FOLD_LETTERS: dict[str, str] = {
    "ł": "l",
    "đ": "d",
    "ø": "o",
    "ħ": "h",
    "ı": "i",
    "ŧ": "t",
    "ß": "ss",
    "æ": "ae",
    "œ": "oe",
    "þ": "th",
    "ð": "d",
    "ς": "σ",
}
_FOLD = str.maketrans(_FOLD_LETTERS)


# --- the frame -----------------------------------------------------------------------------


def positions_frame(dataset: Dataset) -> pd.DataFrame:
    """One row per position in file order, with actor, issue and source looked up.

    A lookup falls back to the id when the referenced record is missing (it had its own
    problem). ``stance`` is nullable Int64 (<NA> = declined to state); ``date_start`` is the first
    day of the (partial) date; ``order`` is the position's index in the file.
    """
    positions = dataset.positions
    # Field values straight from each record's __dict__ (pydantic's attribute access is slower).
    data: dict[str, list] = {name: [p.__dict__[name] for p in positions] for name in POSITION_FIELDS}
    data["line"] = [_line(p) for p in positions]
    # Text stays in object columns with None for missing, the same whether or not there are rows.
    frame = pd.DataFrame({name: pd.Series(values, dtype=object) for name, values in data.items()})
    frame["stance"] = frame["stance"].astype("Int64")
    frame["line"] = frame["line"].astype("int64")
    frame["order"] = np.arange(len(frame), dtype="int64")

    actors = {a.id: a for a in dataset.actors}
    issues = {i.id: i for i in dataset.issues}
    sources = dataset.sources_by_id()
    frame["actor_name"] = _lookup(frame["actor"], {k: a.name for k, a in actors.items()})
    frame["actor_kind"] = _map_text(frame["actor"], {k: a.kind for k, a in actors.items()})
    frame["actor_rank"] = _rank(frame["actor"], list(actors))
    frame["issue_title"] = _lookup(frame["issue"], {k: i.title for k, i in issues.items()})
    frame["issue_rank"] = _rank(frame["issue"], list(issues))
    frame["source_publisher"] = _lookup(frame["source"], {k: s.publisher for k, s in sources.items()})
    for field in ("title", "date", "url"):
        frame[f"source_{field}"] = _map_text(frame["source"], {k: getattr(s, field) for k, s in sources.items()})

    labels = _map_text(frame["stance"], dict(dataset.scale.labels))
    frame["stance_label"] = labels.where(frame["stance"].notna(), DECLINED)
    frame["date"] = frame["date"].astype(object)
    frame["date_start"] = _date_start(frame["date"])
    frame["precision"] = frame["date"].str.count("-").map({0: "year", 1: "month", 2: "day"}).astype(object)
    for name in ("translation", "note"):
        frame[name] = frame[name].astype(object).where(frame[name].notna(), None)
    frame["search_text"] = search_text(frame)
    return frame.loc[:, list(COLUMNS)]


def _line(record: Position) -> int:
    private = getattr(record, "__pydantic_private__", None)
    return private["_line"] if private and "_line" in private else record.line


def _lookup(ids: pd.Series, table: dict[str, str]) -> pd.Series:
    """``table[id]``, or the id itself where the table has no entry."""
    mapped = _map_text(ids, table)
    return mapped.where(mapped.notna(), ids)


def _map_text(ids: pd.Series, table: dict) -> pd.Series:
    """``table[id]`` as an object column with None where missing (whatever the table holds)."""
    mapped = ids.map(table).astype(object)
    return mapped.where(mapped.notna(), None)


def _rank(ids: pd.Series, order: list[str]) -> pd.Series:
    """Index of each id in the dataset's own list; ids without a record go last."""
    return ids.map({k: n for n, k in enumerate(order)}).fillna(len(order)).astype("int64")


def _date_start(dates: pd.Series) -> pd.Series:
    if dates.empty:
        return pd.Series([], dtype="datetime64[ns]", index=dates.index)
    text = dates.astype(str)
    padded = text.where(text.str.len() != 4, text + "-01-01")
    padded = padded.where(padded.str.len() != 7, padded + "-01")
    parsed = pd.to_datetime(padded, format="%Y-%m-%d", errors="coerce")
    return parsed.astype("datetime64[ns]")


def _date_end(frame: pd.DataFrame) -> pd.Series:
    """Last day a partial date can mean (2013 -> 2013-12-31), for overlap filters."""
    start = frame["date_start"]
    end = start.copy()
    year = frame["precision"].eq("year")
    month = frame["precision"].eq("month")
    if year.any():
        end[year] = start[year] + pd.offsets.YearEnd(0)
    if month.any():
        end[month] = start[month] + pd.offsets.MonthEnd(0)
    return end


# --- filters and the as-of rule -------------------------------------------------------------


def filter_voices(frame: pd.DataFrame, voices: Collection[str] | None) -> pd.DataFrame:
    """Rows whose voice is in ``voices`` (None keeps every voice; an empty selection keeps none)."""
    if voices is None:
        return frame
    return frame[frame["voice"].isin(list(voices))]


def latest_stances(frame: pd.DataFrame, as_of: dt.date | None, voices: Collection[str] | None) -> pd.DataFrame:
    """The stance of each actor on each issue as of a date: one row per (actor, issue).

    The latest position dated on or before ``as_of`` wins; partial dates compare by their first
    day and on a tie the record later in the file wins. ``as_of`` None means no cut-off. Rows
    come sorted by actor then issue (the dataset's own order).
    """
    # The choice is made on the four columns it needs, then only the winning rows are taken:
    # sorting the whole wide frame cost 0.25 s at 100,000 positions on every page run.
    mask = np.ones(len(frame), dtype=bool)
    if voices is not None:
        mask &= frame["voice"].isin(list(voices)).to_numpy()
    if as_of is not None:
        mask &= (frame["date_start"] <= pd.Timestamp(as_of)).to_numpy()
    at = np.flatnonzero(mask)
    keys = pd.DataFrame({name: frame[name].to_numpy()[at] for name in ("date_start", "order", "actor", "issue")})
    keys["at"] = at
    keys = keys.sort_values(["date_start", "order"], kind="stable", na_position="first")
    keys = keys.drop_duplicates(["actor", "issue"], keep="last")
    rows = frame.iloc[keys["at"].to_numpy()]
    return rows.sort_values(["actor_rank", "actor", "issue_rank", "issue"], kind="stable")


def actors_with_positions(frame: pd.DataFrame) -> list[str]:
    """Actor ids that have at least one row, in the dataset's order (then by id)."""
    return _ordered_ids(frame, "actor")


def issues_with_positions(frame: pd.DataFrame) -> list[str]:
    """Issue ids that have at least one row, in the dataset's order (then by id)."""
    return _ordered_ids(frame, "issue")


def _ordered_ids(frame: pd.DataFrame, column: str) -> list[str]:
    if frame.empty:
        return []
    ranks = frame.groupby(column, sort=False)[f"{column}_rank"].min()
    ranked = pd.DataFrame({"id": ranks.index.astype(str), "rank": ranks.to_numpy()})
    return ranked.sort_values(["rank", "id"], kind="stable")["id"].tolist()


def default_actors(frame: pd.DataFrame, n: int = 2) -> list[str]:
    """The ``n`` actors with most positions (ties broken by id): the Compare page's defaults."""
    if frame.empty or n <= 0:
        return []
    counts = frame.groupby("actor", sort=False).size()
    ranked = pd.DataFrame({"id": counts.index.astype(str), "count": counts.to_numpy()})
    ranked = ranked.sort_values(["count", "id"], ascending=[False, True], kind="stable")
    return ranked["id"].head(n).tolist()


# --- matrices --------------------------------------------------------------------------------


def stance_matrix(
    latest: pd.DataFrame, actors: Sequence[str] | None = None, issues: Sequence[str] | None = None
) -> pd.DataFrame:
    """Actor x issue table of stances (Int64; <NA> where there is no position or it was declined)."""
    actors = list(actors) if actors is not None else actors_with_positions(latest)
    issues = list(issues) if issues is not None else issues_with_positions(latest)
    matrix = latest.pivot(index="actor", columns="issue", values="stance") if not latest.empty else None
    if matrix is None:
        matrix = pd.DataFrame(index=pd.Index([], dtype=object), columns=pd.Index([], dtype=object))
    matrix = matrix.reindex(index=actors, columns=issues).astype("Int64")
    matrix.index.name, matrix.columns.name = "actor", "issue"
    return matrix


def agreement(latest: pd.DataFrame, scale_span: int, actors: Sequence[str] | None = None) -> pd.DataFrame:
    """Pairwise agreement between actors, long form: one row per ordered pair (actor_a, actor_b).

    ``agreement`` is the mean, over the issues on which both have a non-null stance, of
    ``1 - |a - b| / scale_span``; ``shared`` counts those issues. With no shared issue the
    agreement is NaN (unknown, not 0). An actor with itself: 1.0 over all its non-null stances.
    """
    actors = list(actors) if actors is not None else actors_with_positions(latest)
    span = scale_span if scale_span > 0 else 1
    rows = latest[latest["actor"].isin(actors) & latest["stance"].notna()]
    issues = sorted(rows["issue"].unique().tolist())
    values = (
        rows.pivot(index="actor", columns="issue", values="stance").reindex(index=actors, columns=issues)
        if not rows.empty
        else pd.DataFrame(index=actors, columns=issues)
    )
    stances = values.to_numpy(dtype="float64", na_value=np.nan)
    # One indicator matrix per stance value: shared counts and summed distances are then matrix
    # products, so the cost grows with actors^2 x issues without a Python loop over pairs.
    levels = np.unique(stances[~np.isnan(stances)])
    indicators = [(stances == level).astype("float64") for level in levels]
    n = len(actors)
    shared = np.zeros((n, n))
    distance = np.zeros((n, n))
    for i, (level_a, ind_a) in enumerate(zip(levels, indicators, strict=True)):
        shared += ind_a @ ind_a.T
        for level_b, ind_b in zip(levels[i + 1 :], indicators[i + 1 :], strict=True):
            cross = ind_a @ ind_b.T
            shared += cross + cross.T
            distance += abs(level_a - level_b) * (cross + cross.T)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(shared > 0, 1.0 - distance / (span * np.where(shared > 0, shared, 1)), np.nan)
    names = _names(latest, actors)
    grid_a, grid_b = np.repeat(np.arange(n), n), np.tile(np.arange(n), n)
    return pd.DataFrame(
        {
            "actor_a": pd.Series([actors[i] for i in grid_a], dtype=object),
            "actor_b": pd.Series([actors[j] for j in grid_b], dtype=object),
            "actor_a_name": pd.Series([names[actors[i]] for i in grid_a], dtype=object),
            "actor_b_name": pd.Series([names[actors[j]] for j in grid_b], dtype=object),
            "agreement": score.reshape(-1).astype("float64"),
            "shared": np.rint(shared).astype("int64").reshape(-1),
        }
    )


def _names(frame: pd.DataFrame, actors: Sequence[str]) -> dict[str, str]:
    known = dict(zip(frame["actor"], frame["actor_name"], strict=True)) if not frame.empty else {}
    return {a: str(known.get(a, a)) for a in actors}


# --- timelines and quotes ---------------------------------------------------------------------


def timeline(
    frame: pd.DataFrame, issue: str, actors: Sequence[str] | None, voices: Collection[str] | None
) -> pd.DataFrame:
    """Every position on one issue by the given actors (None = all), sorted by actor, date, file order."""
    rows = filter_voices(frame, voices)
    rows = rows[rows["issue"] == issue]
    if actors is not None:
        rows = rows[rows["actor"].isin(list(actors))]
    return rows.sort_values(["actor", "date_start", "order"], kind="stable", na_position="first")


def fold(text: str) -> str:
    """Lower-case text without accents, for matching: ``Médvédev`` -> ``medvedev``, ``ł`` -> ``l``."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn").translate(_FOLD)


def _fold_series(values: pd.Series) -> pd.Series:
    """``fold`` for a whole column; vectorised in Arrow when pyarrow is there (Streamlit needs it)."""
    text = values.fillna("").astype(str)
    if pc is None or text.empty:
        return text.map(fold).astype(object)
    folded = pc.utf8_normalize(pc.utf8_lower(pa.array(text.tolist(), type=pa.large_string())), "NFKD")
    folded = pc.replace_substring_regex(folded, r"\p{Mn}", "")
    for letter, plain_letters in _FOLD_LETTERS.items():
        folded = pc.replace_substring(folded, letter, plain_letters)
    return pd.Series(folded, index=values.index, dtype=pd.ArrowDtype(pa.large_string()))


def search_text(frame: pd.DataFrame) -> pd.Series:
    """The folded text ``search_quotes`` looks in: the searchable fields of each row, joined."""
    joined = frame[SEARCH_FIELDS[0]].fillna("").astype(str)
    for column in SEARCH_FIELDS[1:]:
        joined = joined + "\n" + frame[column].fillna("").astype(str)
    return _fold_series(joined)


def search_quotes(
    frame: pd.DataFrame,
    query: str = "",
    actors: Collection[str] | None = None,
    issues: Collection[str] | None = None,
    voices: Collection[str] | None = None,
    speakers: Collection[str] | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> pd.DataFrame:
    """Positions matching a free-text query and filters, in file order.

    The query is split on whitespace; every word must occur (case- and accent-insensitive) in
    one of quote, translation, speaker, role, actor name, issue title, publisher or note. A
    filter left as None does not filter. A partial date matches a date range it overlaps
    (``2013`` matches ``from 2013-06-01``).
    """
    rows = frame
    for column, chosen in (("actor", actors), ("issue", issues), ("voice", voices), ("speaker", speakers)):
        if chosen is not None:
            rows = rows[rows[column].isin(list(chosen))]
    if date_from is not None:
        rows = rows[_date_end(rows) >= pd.Timestamp(date_from)]
    if date_to is not None:
        rows = rows[rows["date_start"] <= pd.Timestamp(date_to)]
    # The query is folded by the same code as the haystack (Arrow and Python may disagree on
    # characters newer than Python's Unicode tables).
    words = str(_fold_series(pd.Series([query], dtype=object)).iloc[0]).split()
    if words and not rows.empty:
        haystack = rows["search_text"] if "search_text" in rows else search_text(rows)
        mask = np.ones(len(rows), dtype=bool)
        for word in words:
            mask &= haystack.str.contains(word, regex=False).to_numpy(dtype=bool)
        rows = rows[mask]
    return rows.sort_values("order", kind="stable")


def sources_used(frame_rows: pd.DataFrame) -> list[str]:
    """``Publisher (date)`` for each source behind the rows, unique and sorted, for chart footers."""
    if frame_rows is None or len(frame_rows) == 0:
        return []
    publisher = frame_rows["source_publisher"].fillna(frame_rows["source"]).astype(str)
    date = frame_rows["source_date"]
    text = publisher.where(date.isna(), publisher + " (" + date.fillna("").astype(str) + ")")
    return sorted(set(text.tolist()), key=_natural_key)


def _natural_key(text: str) -> tuple:
    """Sort key: case- and accent-insensitive, numbers by value ("Report 9" before "Report 10")."""
    parts = re.split(r"(\d+)", fold(text))
    return (tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts if p), text)
