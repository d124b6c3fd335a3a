"""Small datasets and figure probes the chart tests share (test_charts, test_chartparts, test_worldmap)."""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import yaml

from stances import analysis
from stances.caption import Caption
from stances.load import parse_dataset
from stances.model import Dataset, Scale

SCALE = Scale()


EVIL = "<script>alert(1)</script>"


CAPTION = Caption("Stances on missile defence", "As of 2014-01-01 · voices: official", ["Example (2013)"], "Data", "r1")


DARK_BACKGROUND = "#0e1117"  # Streamlit's dark theme


LIGHT_BACKGROUND = "#ffffff"


def build(
    positions: list[dict[str, Any]],
    actors: list[dict[str, Any]] | None = None,
    issues: list[dict[str, Any]] | None = None,
) -> Dataset:
    rows = [
        {"speaker": "Speaker", "role": "Role", "voice": "official", "quote": "Q.", "source": "src", "date": "2013", **p}
        for p in positions
    ]
    ids = list(dict.fromkeys(r["actor"] for r in rows))
    issue_ids = list(dict.fromkeys(r["issue"] for r in rows))
    doc = {
        "title": "Charts",
        "actors": actors or [{"id": a, "name": {"RUS": "Russia", "USA": "United States"}.get(a, a)} for a in ids],
        "issues": issues or [{"id": i, "title": f"Issue {i}", "question": "Q?"} for i in issue_ids],
        "sources": [{"id": "src", "publisher": "Example", "date": "2013"}],
        "positions": rows,
    }
    dataset = parse_dataset(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), today=dt.date(2025, 1, 1))
    assert dataset.errors == [], [p.format() for p in dataset.errors]
    return dataset


POSITIONS = [
    {"actor": "RUS", "issue": "bmd", "stance": -2, "quote": "We feel no euphoria.", "speaker": "Sergei Ryabkov"},
    {"actor": "RUS", "issue": "inf", "stance": None, "quote": "No comment.", "date": "2014"},
    {"actor": "USA", "issue": "bmd", "stance": 2, "quote": "It goes ahead.", "date": "2013-05"},
    {"actor": "NATO", "issue": "bmd", "stance": 1, "quote": "Allies agree.", "voice": "expert"},
]


def grid(values: Any) -> list[list[Any]]:
    return [[None if (isinstance(v, float) and math.isnan(v)) else v for v in row] for row in np.asarray(values)]


def code(stance: int | None) -> int:
    """z code of a stance on the default scale: declined 0, then -2..2 as 1..5."""
    return 0 if stance is None else stance - SCALE.low + 1


def all_strings(fig: go.Figure) -> list[str]:
    out: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(fig.to_json()))
    return out


def font_colours(fig: go.Figure) -> list[str]:
    """Font colours the figure sets itself (the template is the environment's: Streamlit's in the app)."""
    found: list[str] = []

    def walk(node: Any, key: str = "") -> None:
        if isinstance(node, dict):
            if key.endswith("font") and isinstance(node.get("color"), str):
                found.append(node["color"])
            for k, value in node.items():
                walk(value, k)
        elif isinstance(node, list):
            for value in node:
                walk(value, key)

    spec = json.loads(fig.to_json())
    spec["layout"].pop("template", None)
    walk(spec)
    return found


def sample_frame() -> pd.DataFrame:
    """The positions frame of :data:`POSITIONS`: Russia and the US on two issues, NATO a bloc (expert voice)."""
    return analysis.positions_frame(
        build(
            POSITIONS,
            actors=[
                {"id": "RUS", "name": "Russia"},
                {"id": "USA", "name": "United States"},
                {"id": "NATO", "name": "North Atlantic Treaty Organization", "kind": "bloc"},
            ],
        )
    )


def sample_latest(frame: pd.DataFrame) -> pd.DataFrame:
    """The latest official and expert stances of :func:`sample_frame`."""
    return analysis.latest_stances(frame, None, ["official", "expert"])
