"""The pieces every chart is built from: stance words, label wrapping, hover labels, colour bar, axes.

Conventions shared by all charts (stances.charts, stances.worldmap):

- stance colours come from ``palette`` and every stance is also written as text;
- every string from the data passes through ``plain`` (plotly would read ``<b>`` as markup);
- categorical axes are numeric positions with tick text, so two actors with the same name stay
  two rows and labels can be shortened without merging;
- hover text is bounded: quotes are shortened, more so the more points a figure has, so a huge
  dataset never ships every quote into one figure.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import pandas as pd
import plotly.graph_objects as go
import plotly.io

try:
    import orjson  # plotly's fast JSON engine (requirements.txt)
except ImportError:  # plotly then uses its json engine, which never asks for a fragment
    orjson = None

from stances import palette
from stances.caption import plain, shorten, text_width, wrap
from stances.model import Scale

MINUS = "\u2212"
HOVER_BUDGET = 250_000  # characters of quote text one figure may carry in its hover labels
QUOTE_MAX = 200  # longest quote excerpt in a hover label
QUOTE_MIN = 40  # below this a quote excerpt says nothing: leave it out
LABEL_MAX = 28  # longest actor name on an axis
COLORBAR_TEXT_PX = 96  # colour-bar labels wrap at this width
# The columns a hover label reads (hover_text), to take from a frame before building many.
HOVER_COLUMNS = ("actor_name", "issue_title", "stance", "voice", "quote", "speaker", "role", "date")
HOVER_COLUMNS += ("source_publisher", "source_date")


def signed(stance: int) -> str:
    """``−2``, ``0``, ``+1``: a stance number as printed on charts (typographic minus)."""
    if stance < 0:
        return f"{MINUS}{-stance}"
    return f"+{stance}" if stance > 0 else "0"


def stance_text(stance: int | None, scale: Scale) -> str:
    """``−2 strongly opposes`` or ``declined to state``: raw text, not yet escaped."""
    if stance is None:
        return scale.label(None)
    return f"{signed(stance)} {scale.label(stance)}"


def stance_or_none(value: object) -> int | None:
    """A frame's stance cell as an int, or None for a declined stance (None, NaN or <NA>)."""
    return None if value is None or pd.isna(value) else int(value)


def wrap_label(text: str, width: int, max_lines: int) -> str:
    """Escape ``text`` and wrap it to ``max_lines`` lines of ``width`` characters (ellipsis if cut)."""
    words = " ".join(str(text).split()).split(" ")
    lines: list[str] = []
    current = ""
    for word in words:
        if len(word) > width:
            word = shorten(word, width)
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    lines.append(current)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], shorten(" ".join(lines[max_lines - 1 :]), width)]
        if not lines[-1].endswith("…"):
            lines[-1] = shorten(lines[-1] + " …", width)
    return "<br>".join(plain(line) for line in lines)


def wrap_px(text: str, width: float, size: float, max_lines: int) -> list[str]:
    """``text`` (raw) wrapped to lines of at most ``width`` px at ``size`` px, ellipsis on the last if cut.

    Breaks between words, and after a hyphen or slash inside a long word ("Missile-" /
    "defence"); a word wider than a line is cut with an ellipsis. Returns raw lines.
    """
    words: list[str] = []
    for word in " ".join(str(text).split()).split(" "):
        if text_width(word, size) > width:
            words.extend(part for part in re.split(r"(?<=[-/])", word) if part)
        else:
            words.append(word)
    lines: list[str] = []
    current = ""
    for word in words:
        glue = "" if current.endswith(("-", "/")) else " "
        candidate = f"{current}{glue}{word}" if current else word
        if current and text_width(candidate, size) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    lines.append(current)
    lines = [_fit_px(line, width, size) for line in lines]
    if len(lines) > max_lines:
        rest = " ".join(lines[max_lines - 1 :])
        lines = [*lines[: max_lines - 1], _fit_px(rest + " …", width, size)]
    return lines


def _fit_px(text: str, width: float, size: float) -> str:
    """``text`` shortened with an ellipsis until it is at most ``width`` px wide."""
    chars = len(text)
    while chars > 1 and text_width(shorten(text, chars), size) > width:
        chars -= 1
    return shorten(text, chars)


def quote_budget(n_points: int) -> int:
    """How many characters of each quote a figure with ``n_points`` hover labels may carry (0 = none)."""
    if n_points <= 0:
        return QUOTE_MAX
    chars = min(QUOTE_MAX, HOVER_BUDGET // n_points)
    return chars if chars >= QUOTE_MIN else 0


# The parts of a hover label, shared by hover_text (one row) and hover_column (every row).


def _hover_actor(name: object) -> str:
    return f"<b>{plain(shorten(str(name), 60))}</b> · "


def _hover_issue(title: object) -> str:
    return plain(shorten(str(title), 60))


def _hover_stance(stance: object, voice: object, scale: Scale) -> str:
    said = plain(stance_text(stance_or_none(stance), scale))
    return said + ("" if voice == "official" else f" · {plain(voice)} voice")


def _hover_quote(quote: object, chars: int) -> str:
    return "“" + wrap(shorten(str(quote), chars), 70) + "”"


def _hover_speaker(speaker: object, role: object, joint_with: object = None) -> str:
    said = plain(shorten(f"{speaker}, {role}", 90))
    if isinstance(joint_with, str) and joint_with:
        said += "<br>" + plain(shorten(f"joint statement with {joint_with}", 90))
    return said


def _hover_source(publisher: object, source_date: object) -> str:
    return " · " + plain(shorten(str(publisher) + (f" ({source_date})" if source_date else ""), 80))


def hover_text(row: pd.Series | dict, scale: Scale, quote_chars: int = QUOTE_MAX) -> str:
    """The hover label of one position: who, on what, stance, quote excerpt, speaker, date, source."""
    lines = [
        _hover_actor(row["actor_name"]) + _hover_issue(row["issue_title"]),
        _hover_stance(row["stance"], row["voice"], scale),
    ]
    if quote_chars > 0:
        lines.append(_hover_quote(row["quote"], quote_chars))
    lines.append(_hover_speaker(row["speaker"], row["role"], row.get("joint_with")))
    lines.append(plain(row["date"]) + _hover_source(row["source_publisher"], row.get("source_date")))
    return "<br>".join(lines)


def _by_distinct(make: Callable[..., str], *columns: pd.Series) -> list[str]:
    """``make(*values)`` for each row, computed once per distinct combination of values."""
    made: dict[tuple, str] = {}
    out = []
    for key in zip(*(column.tolist() for column in columns), strict=True):
        text = made.get(key)
        if text is None:
            text = made[key] = make(*key)
        out.append(text)
    return out


def hover_column(rows: pd.DataFrame, scale: Scale, chars: int | None = None) -> list[str]:
    """``hover_text`` of every row, each distinct part built once: a heatmap of 8,000 cells
    repeats 200 actor names, 40 titles, a few stances and sources (0.39 s -> ~0.05 s)."""
    chars = quote_budget(len(rows)) if chars is None else chars
    if rows.empty:
        return []
    actors = _by_distinct(_hover_actor, rows["actor_name"])
    issues = _by_distinct(_hover_issue, rows["issue_title"])
    stances = _by_distinct(lambda stance, voice: _hover_stance(stance, voice, scale), rows["stance"], rows["voice"])
    dates = _by_distinct(plain, rows["date"])
    sources = _by_distinct(_hover_source, rows["source_publisher"], rows["source_date"])
    parts = [[a + b for a, b in zip(actors, issues, strict=True)], stances]
    if chars > 0:
        parts.append([_hover_quote(quote, chars) for quote in rows["quote"].tolist()])
    joint = rows["joint_with"] if "joint_with" in rows.columns else pd.Series([None] * len(rows), index=rows.index)
    parts.append(_by_distinct(_hover_speaker, rows["speaker"], rows["role"], joint))
    parts.append([a + b for a, b in zip(dates, sources, strict=True)])
    return ["<br>".join(lines) for lines in zip(*parts, strict=True)]


def names_of(rows: pd.DataFrame, ids: Sequence[str], id_column: str, name_column: str) -> dict[str, str]:
    """id -> its name in ``rows`` (``name_column`` beside ``id_column``) for each of ``ids``; the id itself
    when no row names it (a chosen actor or issue without positions)."""
    known = dict(zip(rows[id_column], rows[name_column], strict=True)) if not rows.empty else {}
    return {i: str(known.get(i, i)) for i in ids}


def category_codes(scale: Scale) -> tuple[dict[int | None, int], list[str], list[str]]:
    """z code, colour and legend text of each category: declined first, then the scale low..high."""
    stances: list[int | None] = [None, *range(scale.low, scale.high + 1)]
    codes = {s: i for i, s in enumerate(stances)}
    colours = [palette.stance_colour(s, scale) for s in stances]
    texts = [plain(stance_text(s, scale)) for s in stances]
    return codes, colours, texts


def stance_colorbar(scale: Scale, title: str) -> dict:
    """The colour bar of a stance chart: one tick per category of :func:`category_codes`, in words."""
    codes, _, _ = category_codes(scale)
    # two short lines rather than one long one: the bar then leaves the plot more of a narrow column
    raw = [stance_text(s, scale) for s in codes]
    texts = ["<br>".join(plain(line) for line in wrap_px(t, COLORBAR_TEXT_PX, 12, 2)) for t in raw]
    return {
        "title": {"text": title, "side": "top"},
        "tickmode": "array",
        "tickvals": list(codes.values()),
        "ticktext": texts,
        "ticks": "",
        "len": 0.9,
        "thickness": 14,
        "outlinewidth": 0,
    }


def axis(**extra: object) -> dict:
    """A plotly axis without grid or zero line, with room for its labels; ``extra`` overrides."""
    base = {"showgrid": False, "zeroline": False, "automargin": True, "fixedrange": False}
    base.update(extra)
    return base


def actor_tick_labels(
    names: Sequence[str], size: int, row_h: float, max_chars: int = LABEL_MAX
) -> tuple[list[str], float]:
    """Axis labels of actors (escaped) and their width in px: a long name takes two lines when rows allow.

    A name wider than ``max_chars`` average characters is wrapped on two lines of at most that
    width if a row is tall enough for two lines, else shortened to ``max_chars`` characters.
    """
    two_lines = row_h >= 2.3 * size
    width_cap = text_width("n" * max_chars, size)
    labels, widest = [], 0.0
    for name in names:
        if len(name) <= max_chars or text_width(name, size) <= width_cap:
            lines = [name]
        elif two_lines:
            lines = wrap_px(name, width_cap, size, 2)
        else:
            lines = [shorten(name, max_chars)]
        labels.append("<br>".join(plain(line) for line in lines))
        widest = max(widest, *(text_width(line, size) for line in lines))
    return labels, widest


def note_in_the_middle(fig: go.Figure, text: str, *, size: int) -> None:
    """A muted note across the middle of the plot, where an empty chart would leave a blank (the
    annotation is named "empty", which the tests and the browser look for)."""
    fig.add_annotation(
        text=text,
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
        showarrow=False,
        font={"size": size, "color": palette.MUTED},
        name="empty",
    )


class _Encoded(dict):
    """A figure's dict with its JSON made once: plotly's orjson engine asks the object it encodes
    for ``to_plotly_json`` and embeds the fragment returned as it is. Its json engine encodes the
    dict itself, whose content is the figure's: either way the text is the figure's."""

    def __init__(self, wire: dict, text: str) -> None:
        super().__init__(wire)
        self.json = text.encode("utf-8")  # as bytes, orjson embeds it without encoding it again

    def to_plotly_json(self) -> object:
        return orjson.Fragment(self.json) if orjson is not None else dict(self)


class EncodedFigure(go.Figure):
    """A finished figure that a page draws on every rerun: its dict and JSON are made once.

    ``st.plotly_chart`` asks a figure for ``to_dict()`` (a deep copy) and encodes that dict to
    JSON on every run: for the Overview of 100,000 positions (0.76 MB of JSON, its object arrays
    of hover labels walked one by one) 6-10 ms of a 22 ms rerun. Here ``to_dict()`` returns the
    dict made at construction, which carries its JSON, so a rerun only embeds the text (under
    1 ms). The JSON is what ``plotly.io.to_json`` gives for the figure. Never modify one (the
    dict would no longer match); the dict returned is shared too.
    """

    def __init__(self, figure: go.Figure | dict | None = None) -> None:
        wire = (figure if isinstance(figure, go.Figure) else go.Figure(figure)).to_dict()
        text = plotly.io.to_json(wire, validate=False)  # as st.plotly_chart encodes it (and drops uids)
        super().__init__(wire, _validate=False)  # a figure's own dict: validated when it was built
        self._encoded = _Encoded(wire, text)

    def to_dict(self) -> dict:
        """The figure's dict, made once (shared: read it, never modify it)."""
        encoded = self.__dict__.get("_encoded")  # absent while plotly's __init__ runs
        return encoded if encoded is not None else go.Figure.to_dict(self)
