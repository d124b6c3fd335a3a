"""The dataset as open data: tidy CSV tables described by a Frictionless Data Package.

``python -m stances export --format csv --out DIR`` writes them; Sources & method offers the
same files as one zip. Pure (no Streamlit, no plotly): pandas for the tables, the standard
library for the rest.

Tables, one file each: ``actors``, ``bloc_members`` (one row per member of a bloc), ``issues``,
``sources``, ``scale`` (each stance's label) and ``positions``, one row per actor holding a
position: a joint statement gives one row per signatory, each with the statement's ``position``
number, ``joint`` and all its ``signatories``, so the rows regroup into the statement.
``datapackage.json`` describes every field (type, constraints, meaning), the primary keys and the
foreign keys, which hold: a position whose actor, issue or source was itself left out of the
dataset for a problem is left out here too, and counted (``OpenData.left_out``).

Files are CSV for spreadsheets as much as for tools (stances.tables.csv_bytes): UTF-8 with a
byte-order mark, empty cells for missing values (never "None"), a text cell that a spreadsheet
would run as a formula prefixed with ``'``, dates as ten-character text that spreadsheets keep
(stances.tables.sheet_date: 2013-03-XX for a date known to the month).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from stances import filenames, tables
from stances.model import ID_PATTERN, VOICES, Dataset
from stances.outputfolder import OutputFolder

PACKAGE_FILE = "datapackage.json"
SIGNATORY_SEPARATOR = " "  # ids hold no space (model.ID_PATTERN)
DECLINED = "declined to state"
DATE_CONSTRAINTS = {"pattern": tables.SHEET_DATE_PATTERN}
ID_CONSTRAINTS = {"pattern": ID_PATTERN.strip("^$")}
DATE_MEANING = (
    "YYYY-MM-DD, with XX for what the source does not give: 2013-03-XX is a day in March 2013 "
    "(ISO 8601-2 unspecified digits), text so that spreadsheets do not turn it into a date"
)


def _field(name: str, kind: str, description: str, **constraints: Any) -> dict[str, Any]:
    field: dict[str, Any] = {"name": name, "type": kind, "description": description}
    if kind == "string" and name == "url":
        field["format"] = "uri"
    if constraints:
        field["constraints"] = constraints
    return field


# Each table's fields in file order; descriptions say what a reader needs to use the column.
FIELDS: dict[str, list[dict[str, Any]]] = {
    "actors": [
        _field(
            "id",
            "string",
            "ISO 3166-1 alpha-3 code for a country; an upper-case id for a bloc",
            required=True,
            unique=True,
            **ID_CONSTRAINTS,
        ),
        _field("name", "string", "name shown in charts", required=True),
        _field("kind", "string", "country or bloc", required=True, enum=["country", "bloc"]),
    ],
    "bloc_members": [
        _field("bloc", "string", "a bloc's actor id", required=True),
        _field("member", "string", "the actor id of one of its members", required=True),
    ],
    "issues": [
        _field("id", "string", "the issue's id", required=True, unique=True, **ID_CONSTRAINTS),
        _field("title", "string", "short title shown in charts", required=True),
        _field("question", "string", "the proposition: the top of the scale strongly supports it", required=True),
        _field("description", "string", "neutral background"),
    ],
    "sources": [
        _field("id", "string", "the source's id", required=True, unique=True, **ID_CONSTRAINTS),
        _field("publisher", "string", "who published the page", required=True),
        _field("title", "string", "title of the page, as published"),
        _field("date", "string", f"publication date: {DATE_MEANING}", **DATE_CONSTRAINTS),
        _field("url", "string", "http(s) address, exactly as found"),
        _field("author", "string", "author, where the page names one"),
        _field("note", "string", "anything a reader should know about the source"),
    ],
    "scale": [
        _field("stance", "integer", "a step of the stance scale", required=True, unique=True),
        _field("label", "string", "what the step means", required=True),
    ],
    "positions": [
        _field(
            "position",
            "integer",
            "the position's number among the file's valid positions, from 0 (as "
            "positions[N] in a file without errors); a joint statement's rows share it",
            required=True,
            minimum=0,
        ),
        _field("actor", "string", "the actor holding the stance (one signatory of a joint statement)", required=True),
        _field("issue", "string", "the issue", required=True),
        _field("stance", "integer", "on the scale (scale table); empty: the speaker declined to state one"),
        _field("stance_label", "string", "the stance's label, or 'declined to state'", required=True),
        _field("date", "string", f"when it was said: {DATE_MEANING}", required=True, **DATE_CONSTRAINTS),
        _field(
            "voice",
            "string",
            "official, expert, or reported (the source's paraphrase)",
            required=True,
            enum=list(VOICES),
        ),
        _field("speaker", "string", "who said it", required=True),
        _field("role", "string", "the speaker's office or affiliation at the time", required=True),
        _field("quote", "string", "verbatim as published; ... marks an omission", required=True),
        _field("language", "string", "ISO 639-1 code of the quote's language", required=True, pattern="[a-z]{2}"),
        _field("translation", "string", "a published translation of the quote, never our own"),
        _field("translation_source", "string", "the source of the translation"),
        _field("source", "string", "the source of the quote", required=True),
        _field("note", "string", "the coder's note: why this stance"),
        _field("joint", "boolean", "true for a joint statement of several actors", required=True),
        _field("signatories", "string", "every signatory of the statement, ids separated by a space", required=True),
        _field("line", "integer", "the line of the position in the positions file", required=True),
    ],
}
PRIMARY_KEYS: dict[str, list[str]] = {
    "actors": ["id"],
    "bloc_members": ["bloc", "member"],
    "issues": ["id"],
    "sources": ["id"],
    "scale": ["stance"],
    "positions": ["position", "actor"],
}
# (fields, referenced table, referenced fields); an empty cell (no translation, a declined
# stance) references nothing
FOREIGN_KEYS: dict[str, list[tuple[str, str, str]]] = {
    "bloc_members": [("bloc", "actors", "id"), ("member", "actors", "id")],
    "positions": [
        ("actor", "actors", "id"),
        ("issue", "issues", "id"),
        ("source", "sources", "id"),
        ("translation_source", "sources", "id"),
        ("stance", "scale", "stance"),
    ],
}
TITLES = {
    "actors": "Actors: countries and blocs",
    "bloc_members": "Members of each bloc",
    "issues": "Issues: each a proposition a stance agrees or disagrees with",
    "sources": "Sources of the quotes",
    "scale": "The stance scale",
    "positions": "Stated positions, one row per actor (a joint statement: one per signatory)",
}


@dataclass(frozen=True)
class OpenData:
    """The tables of a dataset (in the package's order) and the package describing them."""

    tables: dict[str, pd.DataFrame]
    package: dict[str, Any]
    left_out: int  # positions and bloc members left out because a record they name was left out


def open_data(dataset: Dataset) -> OpenData:
    """Every record of ``dataset`` as tidy tables, with their Data Package."""
    actor_ids = {a.id for a in dataset.actors}
    members = [(a.id, m) for a in dataset.actors for m in (a.members or [])]
    kept_members = [(b, m) for b, m in members if m in actor_ids]
    frames = {
        "actors": pd.DataFrame(
            {
                "id": [a.id for a in dataset.actors],
                "name": [a.name for a in dataset.actors],
                "kind": [a.kind for a in dataset.actors],
            }
        ),
        "bloc_members": pd.DataFrame(kept_members, columns=["bloc", "member"]),
        "issues": _records(dataset.issues, ["id", "title", "question", "description"]),
        "sources": _records(dataset.sources, ["id", "publisher", "title", "date", "url", "author", "note"]),
        "scale": pd.DataFrame(
            {
                "stance": pd.array(list(dataset.scale.labels), dtype="Int64"),
                "label": list(dataset.scale.labels.values()),
            }
        ),
    }
    frames["sources"]["date"] = frames["sources"]["date"].map(tables.sheet_date, na_action="ignore")
    frames["sources"]["url"] = frames["sources"]["url"].map(tables.http_link, na_action="ignore")
    positions, dropped = _positions(dataset, actor_ids)
    frames["positions"] = positions
    for name, frame in frames.items():  # every column, in the described order, even when empty
        frames[name] = frame.reindex(columns=[f["name"] for f in FIELDS[name]])
    return OpenData(frames, datapackage(dataset), dropped + len(members) - len(kept_members))


def _records(records: list, names: list[str]) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series([getattr(r, name) for r in records], dtype=object) for name in names})


def _positions(dataset: Dataset, actor_ids: set[str]) -> tuple[pd.DataFrame, int]:
    """One row per signatory of each position whose references all resolve; and how many
    positions were left out because one does not."""
    issues = {i.id for i in dataset.issues}
    sources = {s.id for s in dataset.sources}
    labels = dict(dataset.scale.labels)
    rows: list[tuple] = []
    dropped = 0
    for number, p in enumerate(dataset.positions):
        signatories = p.signatories
        if (
            not set(signatories) <= actor_ids
            or p.issue not in issues
            or p.source not in sources
            or (p.translation_source is not None and p.translation_source not in sources)
        ):
            dropped += 1
            continue
        label = DECLINED if p.stance is None else labels.get(p.stance, "")
        everyone = SIGNATORY_SEPARATOR.join(signatories)
        date = tables.sheet_date(p.date)
        for actor in signatories:
            rows.append(
                (
                    number,
                    actor,
                    p.issue,
                    p.stance,
                    label,
                    date,
                    p.voice,
                    p.speaker,
                    p.role,
                    p.quote,
                    p.language,
                    p.translation,
                    p.translation_source,
                    p.source,
                    p.note,
                    p.joint,
                    everyone,
                    p.line,
                )
            )
    columns = [f["name"] for f in FIELDS["positions"]]
    frame = pd.DataFrame.from_records(rows, columns=columns) if rows else pd.DataFrame(columns=columns)
    frame = frame.astype(object)
    frame["position"] = frame["position"].astype("int64")
    frame["stance"] = pd.array(frame["stance"].tolist(), dtype="Int64")
    frame["joint"] = frame["joint"].astype(bool)
    frame["line"] = frame["line"].astype("int64")
    return frame, dropped


def datapackage(dataset: Dataset) -> dict[str, Any]:
    """The Frictionless Data Package (v1, tabular) describing the tables of ``dataset``."""
    resources = []
    for name, fields in FIELDS.items():
        schema: dict[str, Any] = {"fields": fields, "missingValues": [""], "primaryKey": PRIMARY_KEYS[name]}
        keys = FOREIGN_KEYS.get(name)
        if keys:
            schema["foreignKeys"] = [
                {"fields": own, "reference": {"resource": table, "fields": theirs}} for own, table, theirs in keys
            ]
        resources.append(
            {
                "name": name,
                "path": f"{name}.csv",
                "title": TITLES[name],
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": schema,
            }
        )
    return {
        "profile": "tabular-data-package",
        "name": _package_name(dataset.title),
        "title": dataset.title,
        "description": (
            f"{dataset.title}: stated positions of actors on issues, each with its verbatim quote, speaker "
            f"and source. Revision {dataset.revision} (the newest position's date and the file's short "
            "content hash). CSV files in UTF-8 with a byte-order mark; an empty cell is a missing value; "
            "a text cell that would start with =, +, -, @, a tab or a carriage return starts with ' so "
            "that no spreadsheet runs it as a formula."
        ),
        "resources": resources,
    }


def _package_name(title: str) -> str:
    """A Data Package name (lower case, digits, ``-``, ``_``, ``.``) from the dataset's title."""
    name = re.sub(r"[^a-z0-9._-]+", "-", title.lower()).strip("-._")
    return name or "stances"


def files(data: OpenData) -> dict[str, bytes]:
    """File name -> content: every table's CSV, then ``datapackage.json``."""
    out = {f"{name}.csv": tables.csv_bytes(frame) for name, frame in data.tables.items()}
    out[PACKAGE_FILE] = (json.dumps(data.package, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    return out


def write_package(data: OpenData, out: Path, *, protect: Sequence[str | Path] = (), force: bool = False) -> list[Path]:
    """Write the package's files into the folder ``out`` (created if missing); returns their paths.

    As every export writes (stances.outputfolder): never through a link, never onto a file of
    ``protect`` (the positions file), over a file an earlier export did not write only with
    ``force``. Raises FolderRefused (nothing written) or OSError.
    """
    package = files(data)
    with OutputFolder.open(out, list(package), protect=protect, force=force) as folder:
        return [folder.write(name, content) for name, content in package.items()]


def zip_bytes(data: OpenData) -> bytes:
    """The package's files in one zip (for a download), at its top level."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files(data).items():
            archive.writestr(
                zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), content, compress_type=zipfile.ZIP_DEFLATED
            )
    return buffer.getvalue()


def zip_name(dataset: Dataset) -> str:
    """``missile-defence-stated-positions-open-data-bc1cff5.zip``: the dataset and its revision."""
    return f"{filenames.slug(dataset.title)}-open-data-{dataset.content_hash[:7] or 'unsaved'}.zip"


def dataset_zip(dataset: Dataset) -> bytes:
    """The whole package of ``dataset`` as one zip (what Sources & method offers)."""
    return zip_bytes(open_data(dataset))
