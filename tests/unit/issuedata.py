"""Small datasets for the What changed and One issue, everyone tests (test_changes, test_lineup,
test_issuecharts, test_issueviews): positions written as dicts, joint statements included."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import yaml

from stances import analysis
from stances.load import parse_dataset
from stances.model import Dataset

NAMES = {"RUS": "Russia", "USA": "United States", "CHN": "China", "POL": "Poland", "NATO": "NATO"}
ISSUES = [
    {"id": "bmd", "title": "Missile defence in Europe", "question": "The US should deploy missile defence in Europe."},
    {"id": "coop", "title": "Cooperation with Russia", "question": "NATO and Russia should cooperate."},
]


def position(actor: str | list[str], issue: str, stance: int | None, date: str, **extra: Any) -> dict[str, Any]:
    """One position record; a list of actors makes a joint statement."""
    who = {"actors": actor} if isinstance(actor, list) else {"actor": actor}
    record = {**who, "issue": issue, "stance": stance, "date": date, "speaker": "Speaker", "role": "Role"}
    return {**record, "voice": "official", "quote": f"Said on {date}.", "source": "src", **extra}


def dataset(positions: list[dict[str, Any]], names: dict[str, str] | None = None) -> Dataset:
    """A valid dataset of ``positions`` over the actors ``names`` (id -> name, default :data:`NAMES`)
    and the issues of :data:`ISSUES`."""
    names = names or NAMES
    doc = {
        "title": "Changes",
        "actors": [{"id": a, "name": n, "kind": "bloc" if a == "NATO" else "country"} for a, n in names.items()],
        "issues": ISSUES,
        "sources": [
            {"id": "src", "publisher": "Example", "date": "2013", "url": "https://example.org/a"},
            {"id": "later", "publisher": "Later Times", "date": "2020-01-02"},
        ],
        "positions": positions,
    }
    loaded = parse_dataset(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), today=dt.date(2025, 1, 1))
    assert loaded.errors == [], [p.format() for p in loaded.errors]
    return loaded


def frame_of(positions: list[dict[str, Any]]) -> pd.DataFrame:
    """The positions frame of :func:`dataset`."""
    return analysis.positions_frame(dataset(positions))
