"""Page view-models: what a page's URL parameters mean, and how its chart is captioned and named.

Pure (no Streamlit), so the rules for links and captions are unit-tested without a browser. A
URL is user input: every parser returns what it could use plus what it had to drop, never raises.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence

import pandas as pd

from stances.model import VOICES, Dataset

VOICE_LABELS: dict[str, str] = {
    "official": "Official statements",
    "expert": "Experts (opt-in)",
    "reported": "Reported by the source (opt-in)",
}
VOICE_HELP: dict[str, str] = {
    "official": "What a government or bloc said on the record: the default for every comparison.",
    "expert": "Analysts and former officials speaking for themselves, not for a government.",
    "reported": "A source's paraphrase of a position, without a direct quote.",
}
REV_PATTERN = re.compile(r"^[0-9a-f]{4,64}$")
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:&=\"'])")
CHART_WIDTH, CHART_HEIGHT = 1200, 675
TOPOJSON_URL = "app/static/topojson/"
MAX_SHOWN_VALUE = 40


def short_rev(dataset: Dataset) -> str:
    """The dataset's revision as written into links: the first 7 hex digits of its content hash."""
    return dataset.content_hash[:7]


def link_rev(value: str | None) -> str | None:
    """The revision a link was made with, or None if the value is not a revision at all."""
    if value and REV_PATTERN.match(value):
        return value[:7]
    return None


def parse_date(value: str | None, *, latest: dt.date) -> dt.date | None:
    """An ISO date from a URL (YYYY-MM-DD), or None if missing, malformed or after ``latest``."""
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        return None
    if day > latest or day.year < 1900:
        return None
    return day


def split_ids(value: str | None) -> list[str]:
    """``RUS,CHN`` -> ``["RUS", "CHN"]`` (empty pieces and repeats dropped, order kept)."""
    if not value:
        return []
    return list(dict.fromkeys(piece.strip() for piece in value.split(",") if piece.strip()))


def parse_ids(value: str | None, known: Iterable[str]) -> tuple[list[str], list[str]]:
    """The ids in ``value`` that are ``known``, and those that are not (to tell the user)."""
    known_set = set(known)
    ids = split_ids(value)
    return [i for i in ids if i in known_set], [i for i in ids if i not in known_set]


def join_ids(ids: Iterable[str]) -> str:
    """The inverse of :func:`split_ids`."""
    return ",".join(ids)


def parse_voices(value: str | None) -> tuple[list[str], list[str]]:
    """Voices from ``official,expert``; ``none`` means none; unknown ones are returned apart."""
    if value is not None and value.strip() == "none":
        return [], []
    return parse_ids(value, VOICES)


def voices_param(voices: Sequence[str]) -> str:
    """Voices for the URL; ``none`` keeps an empty choice from falling back to the default."""
    return join_ids(v for v in VOICES if v in voices) or "none"


def voices_phrase(voices: Sequence[str]) -> str:
    """``official statements`` / ``official statements, experts and reported positions``."""
    words = {"official": "official statements", "expert": "experts", "reported": "positions reported by sources"}
    chosen = [words[v] for v in VOICES if v in voices]
    if not chosen:
        return "no voices selected"
    if len(chosen) == 1:
        return chosen[0]
    return ", ".join(chosen[:-1]) + " and " + chosen[-1]


def slug(text: str, limit: int = 60) -> str:
    """A file-name-safe piece of text: ``US/NATO defence`` -> ``us-nato-defence`` (ASCII only)."""
    cleaned = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return cleaned[:limit].strip("-") or "chart"


def export_filename(page: str, selection: Sequence[str], day: dt.date | None) -> str:
    """``compare-rus-chn-2013-04-05``: what the chart's camera button saves as (plus .png).

    At most three selected items are named, each shortened; more become ``and-N-more``.
    """
    parts = [slug(page), *(slug(item, limit=24) for item in selection[:3])]
    if len(selection) > 3:
        parts.append(f"and-{len(selection) - 3}-more")
    name = "-".join(parts)
    return f"{name}-{day.isoformat()}" if day else name


def chart_config(filename: str) -> dict[str, object]:
    """plotly.js config for st.plotly_chart: a named 1200x675 PNG at 2x, and the offline world map."""
    return {
        "displaylogo": False,
        "toImageButtonOptions": {
            "format": "png",
            "filename": filename,
            "width": CHART_WIDTH,
            "height": CHART_HEIGHT,
            "scale": 2,
        },
        "topojsonURL": TOPOJSON_URL,
    }


def language_tag(language: str | None) -> str:
    """``[fr]``: shown next to every quote so nobody mistakes its language."""
    return f"[{language or 'en'}]"


def clip(text: str, limit: int = MAX_SHOWN_VALUE) -> str:
    """At most ``limit`` characters, with an ellipsis when cut (for echoing user input back)."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def escape_markdown(text: str) -> str:
    """Backslash-escape every character Markdown (and Streamlit's :color[] and $math$) could read."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def issue_ids(dataset: Dataset, frame: pd.DataFrame) -> list[str]:
    """Every issue: the dataset's own, then ids only positions name (their record was invalid)."""
    own = [i.id for i in dataset.issues]
    return own + [i for i in dict.fromkeys(frame["issue"].tolist()) if i not in set(own)]


def actor_ids(dataset: Dataset, frame: pd.DataFrame) -> list[str]:
    """Every actor: the dataset's own, then ids only positions name (their record was invalid)."""
    own = [a.id for a in dataset.actors]
    return own + [a for a in dict.fromkeys(frame["actor"].tolist()) if a not in set(own)]


def plural(n: int, word: str) -> str:
    """``1 issue``, ``2 issues``."""
    return f"{n} {word}{'' if n == 1 else 's'}"
