"""The words pages put around the data: voice labels, plurals, language tags, and user text made safe.

Pure (no Streamlit). ``clip`` and ``escape_markdown`` are for echoing a user's or the file's text
inside a message Streamlit renders as Markdown (an error, a notice, a button label); data itself
is shown with ``st.text`` or in tables, never as Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from stances.model import VOICES

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
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:&=\"'])")
MAX_SHOWN_VALUE = 40


def voices_phrase(voices: Sequence[str]) -> str:
    """``official statements`` / ``official statements, experts and reported positions``."""
    words = {"official": "official statements", "expert": "experts", "reported": "positions reported by sources"}
    chosen = [words[v] for v in VOICES if v in voices]
    if not chosen:
        return "no voices selected"
    if len(chosen) == 1:
        return chosen[0]
    return ", ".join(chosen[:-1]) + " and " + chosen[-1]


def plural(n: int, word: str, words: str | None = None) -> str:
    """``1 issue``, ``2 issues``; ``words`` where an s will not do (``2 countries``)."""
    return f"{n} {word if n == 1 else words or word + 's'}"


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
