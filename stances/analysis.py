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

from stances import spelling
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
    "joint_with",
    "line",
    "order",
    # Beyond the documented interface: used for default orderings and the map.
    "actor_kind",
    "actor_rank",
    "issue_rank",
)
POSITION_FIELDS = ("issue", "stance", "date", "voice", "speaker", "role", "quote", "language")
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
FOLD_LETTERS: dict[str, str] = {
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
_FOLD = str.maketrans(FOLD_LETTERS)


# --- the frame -----------------------------------------------------------------------------


def positions_frame(dataset: Dataset) -> pd.DataFrame:
    """One row per position and actor in file order, with actor, issue and source looked up.

    A joint statement gives one row per signatory, each holding its stance, with ``joint_with``
    naming the other signatories (None for a statement of one actor). A lookup falls back to the
    id when the referenced record is missing (it had its own problem). ``stance`` is nullable
    Int64 (<NA> = declined to state); ``date_start`` is the first day of the (partial) date;
    ``order`` is the position's index in the file (shared by a joint statement's rows).
    """
    # Memory: at 100,000 positions every text column holds the records' own str objects (8 bytes
    # a row, no copy of the text), derived columns are computed once per distinct value, and
    # nothing is folded for search in advance (search_quotes folds what it searches).
    actors = {a.id: a for a in dataset.actors}
    issues = {i.id: i for i in dataset.issues}
    sources = dataset.sources_by_id()
    positions, actor_list, joint_with, order = _rows(dataset.positions, {k: a.name for k, a in actors.items()})
    columns: dict[str, object] = {name: _objects([getattr(p, name) for p in positions]) for name in POSITION_FIELDS}
    columns["actor"] = _objects(actor_list)
    columns["joint_with"] = _objects(joint_with)
    actor_ids, issue_ids, source_ids = columns["actor"], columns["issue"], columns["source"]
    stances = columns.pop("stance")
    labels = dict(dataset.scale.labels)
    columns["actor_name"] = _lookup(actor_ids, {k: a.name for k, a in actors.items()})
    columns["issue_title"] = _lookup(issue_ids, {k: i.title for k, i in issues.items()})
    columns["stance"] = pd.array(stances.tolist(), dtype="Int64")
    columns["stance_label"] = _objects([DECLINED if s is None else labels.get(s) for s in stances])
    codes, dates = pd.factorize(columns["date"])
    distinct = pd.Series(dates, dtype=object)
    columns["date_start"] = _date_start(distinct).to_numpy()[codes]
    precision = distinct.str.count("-").map({0: "year", 1: "month", 2: "day"})
    columns["precision"] = _objects(precision.tolist())[codes] if len(codes) else _objects([])
    columns["source_publisher"] = _lookup(source_ids, {k: s.publisher for k, s in sources.items()})
    for field in ("title", "date", "url"):
        columns[f"source_{field}"] = _map_text(source_ids, {k: getattr(s, field) for k, s in sources.items()})
    columns["line"] = np.fromiter((p.line for p in positions), dtype="int64", count=len(positions))
    columns["order"] = order
    columns["actor_kind"] = _map_text(actor_ids, {k: a.kind for k, a in actors.items()})
    columns["actor_rank"] = _rank(actor_ids, list(actors))
    columns["issue_rank"] = _rank(issue_ids, list(issues))
    # object arrays stay object columns (a bare array of str would become pandas' Arrow "str" dtype)
    return pd.DataFrame({name: _column(columns[name]) for name in COLUMNS})


def _rows(
    positions: list[Position], names: dict[str, str]
) -> tuple[list[Position], list[str], list[str | None], np.ndarray]:
    """Each position once per signatory: the records, actor ids, "joint with" names and indexes."""
    if not any(p.actors is not None for p in positions):  # the common case: no copies
        return (
            positions,
            [p.actor for p in positions],
            [None] * len(positions),
            np.arange(len(positions), dtype="int64"),
        )
    records, actor_ids, joint, order = [], [], [], []
    for index, position in enumerate(positions):
        signatories = position.signatories
        for actor in signatories:
            others = [names.get(a, a) for a in signatories if a != actor]
            records.append(position)
            actor_ids.append(actor)
            joint.append(", ".join(others) if others else None)
            order.append(index)
    return records, actor_ids, joint, np.asarray(order, dtype="int64")


def _column(values: object) -> pd.Series:
    if isinstance(values, np.ndarray) and values.dtype == object:
        return pd.Series(values, dtype=object, copy=False)
    return pd.Series(values, copy=False)


def _objects(values: list) -> np.ndarray:
    """An object array holding exactly ``values`` (the same str objects, None kept)."""
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def _lookup(ids: np.ndarray, table: dict[str, str]) -> np.ndarray:
    """``table[id]``, or the id itself where the table has no entry."""
    return _objects([table.get(i, i) for i in ids.tolist()])


def _map_text(ids: np.ndarray, table: dict) -> np.ndarray:
    """``table[id]`` as an object array with None where missing (whatever the table holds)."""
    return _objects([table.get(i) for i in ids.tolist()])


def _rank(ids: np.ndarray, order: list[str]) -> np.ndarray:
    """Index of each id in the dataset's own list; ids without a record go last."""
    ranks = {k: n for n, k in enumerate(order)}
    missing = len(order)
    return np.fromiter((ranks.get(i, missing) for i in ids.tolist()), dtype="int64", count=len(ids))


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
    """The ``n`` actors with most positions (ties broken by id): the Overview's and Agreement's
    defaults beyond their limits, and Compare's when no pair of actors shares an issue."""
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
    folded = fold_texts(pa.array(text.tolist(), type=pa.large_string()))
    return pd.Series(folded, index=values.index, dtype=pd.ArrowDtype(pa.large_string()))


def fold_texts(text: pa.Array, pool: pa.MemoryPool | None = None) -> pa.Array:
    """``fold`` for an Arrow string array without nulls (the Quotes search index folds with it
    too). An ASCII string only needs lower-casing (no accents, no letters to replace), so only the
    others take the Unicode steps. ``pool``: where Arrow allocates (its default pool otherwise)."""
    plain = pc.string_is_ascii(text, memory_pool=pool)
    lowered = pc.ascii_lower(text, memory_pool=pool)
    if pc.all(plain, memory_pool=pool).as_py() is not False:
        return lowered
    other = pc.invert(plain, memory_pool=pool)
    folded = pc.utf8_lower(pc.filter(text, other, memory_pool=pool), memory_pool=pool)
    folded = pc.utf8_normalize(folded, "NFKD", memory_pool=pool)
    folded = pc.replace_substring_regex(folded, r"\p{Mn}", "", memory_pool=pool)
    letters = pc.match_substring_regex(folded, "[" + "".join(FOLD_LETTERS) + "]", memory_pool=pool)
    if pc.any(letters, memory_pool=pool).as_py():  # rare letters: one search, then replacements where they occur
        some = pc.filter(folded, letters, memory_pool=pool)
        for letter, plain_letters in FOLD_LETTERS.items():
            some = pc.replace_substring(some, letter, plain_letters, memory_pool=pool)
        folded = pc.replace_with_mask(folded, letters, some, memory_pool=pool)
    return pc.replace_with_mask(lowered, other, folded, memory_pool=pool)


def search_text(frame: pd.DataFrame) -> pd.Series:
    """The folded text ``search_quotes`` looks in: the searchable fields of each row, joined."""
    joined = frame[SEARCH_FIELDS[0]].fillna("").astype(str)
    for column in SEARCH_FIELDS[1:]:
        joined = joined + "\n" + frame[column].fillna("").astype(str)
    return _fold_series(joined)


_SEARCH_SLICE = 10_000
# Searchable fields whose values repeat (names, titles, roles): folded once per distinct value.
_REPEATING_FIELDS = frozenset({"speaker", "role", "actor_name", "issue_title", "source_publisher"})


def _matching(rows: pd.DataFrame, words: list[str]) -> np.ndarray:
    """Which rows hold every word in one of their searchable fields, folded.

    The same answer as looking in ``search_text``: a word holds no whitespace, so it never spans
    two fields there, and folding a field does not depend on its neighbours. Fields are folded at
    search time: a folded copy of every field kept with the frame cost a third copy of every quote.
    """
    found = {word: np.zeros(len(rows), dtype=bool) for word in words}
    for column in SEARCH_FIELDS:
        values = rows[column].to_numpy(dtype=object)
        codes = None
        if column in _REPEATING_FIELDS:
            codes, values = pd.factorize(values)
            if not len(values):
                continue  # no text in this field
        for word, hits in _contains(values, list(found)).items():
            found[word] |= hits if codes is None else np.where(codes >= 0, hits[codes], False)
    mask = np.ones(len(rows), dtype=bool)
    for hits in found.values():
        mask &= hits
    return mask


def _contains(values: np.ndarray, words: list[str]) -> dict[str, np.ndarray]:
    """For each word, which of ``values`` (text or None) hold it once folded, or hold one of its
    other spellings (stances.spelling: ``defence`` finds ``defense``, ``us`` finds ``U.S.``)."""
    if not len(values):
        return {word: np.zeros(0, dtype=bool) for word in words}
    wanted = {word: spelling.variants(word) for word in words}
    if pc is None:
        texts = [(v, fold(v)) if isinstance(v, str) else ("", "") for v in values]
        return {word: np.array([_holds(*text, wanted[word]) for text in texts], dtype=bool) for word in words}
    found = {word: np.zeros(len(values), dtype=bool) for word in words}
    # A slice at a time, from the system allocator: Arrow's copies of a whole column of quotes took
    # 50 MB at 100,000 positions, and its default pool (mimalloc) kept that much after each search.
    pool = pa.system_memory_pool()
    for start in range(0, len(values), _SEARCH_SLICE):
        part = pa.array(
            values[start : start + _SEARCH_SLICE], type=pa.large_string(), from_pandas=True, memory_pool=pool
        )
        text = fold_texts(pc.coalesce(part, "", memory_pool=pool), pool)
        for word, hits in found.items():
            hits[start : start + len(part)] = _holds_arrow(part, text, wanted[word], pool)
    return found


def _holds(text: str, folded: str, wanted: spelling.Variants) -> bool:
    """Whether one text holds a search word: an abbreviation as written, else any of its spellings
    folded."""
    if wanted.abbreviation is not None:
        return re.search(wanted.abbreviation, text) is not None
    return any(spelled in folded for spelled in wanted.spellings)


def _holds_arrow(text: pa.Array, folded: pa.Array, wanted: spelling.Variants, pool: pa.MemoryPool) -> np.ndarray:
    """``_holds`` for a slice of texts (with nulls) and the same texts folded (without)."""
    if wanted.abbreviation is not None:
        found = pc.match_substring_regex(text, wanted.abbreviation, memory_pool=pool)
        return pc.fill_null(found, False).to_numpy(zero_copy_only=False)
    if len(wanted.spellings) == 1:  # the word as typed
        found = pc.match_substring(folded, wanted.spellings[0], memory_pool=pool)
    else:  # one scan for all spellings: an alternation of literals is quicker than a scan for each
        pattern = "|".join(re.escape(spelled) for spelled in wanted.spellings)
        found = pc.match_substring_regex(folded, pattern, memory_pool=pool)
    return found.to_numpy(zero_copy_only=False)


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
    one of quote, translation, speaker, role, actor name, issue title, publisher or note, as
    typed or in another spelling of stances.spelling (defence/defense, US/U.S., ...). A
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
        rows = rows[_matching(rows, words)]
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
