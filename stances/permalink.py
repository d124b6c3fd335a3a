"""What a view's URL parameters mean: the data revision, the as-of date, lists of ids, the voices.

Every page writes its state into the URL and restores it from there, and ``stances export``
writes the same parameters into its index. Pure (no Streamlit). A URL is user input: every
parser returns what it could use plus what it had to drop, never raises.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence

from stances.model import VOICES, Dataset

REV_PATTERN = re.compile(r"^[0-9a-f]{4,64}$")
FADE_PARAM = "fade"  # years after which a stance is drawn faded (the sidebar's setting)
DEFAULT_FADE_YEARS = 10  # a stance older than this at the as-of date may no longer hold
MAX_FADE_YEARS = 100


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


def parse_fade(value: str | None) -> int | None:
    """Years from ``?fade=``: a whole number from 0 (never fade) to ``MAX_FADE_YEARS``, else None."""
    text = (value or "").strip()
    if not text.isdigit() or not text.isascii():
        return None
    years = int(text)
    return years if years <= MAX_FADE_YEARS else None
