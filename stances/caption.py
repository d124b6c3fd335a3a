"""Self-describing figure text: title, subtitle, footer with sources, dataset and revision.

A chart that leaves the app (a PNG in a chat, an SVG in a report) must say what it shows, as of
when, from which sources and which revision of the data. Every builder in ``charts`` calls
``apply_caption``. Text from the YAML goes through ``plain`` so plotly never reads it as HTML.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace

import pandas as pd
import plotly.graph_objects as go

from stances import palette
from stances.model import VOICES, Dataset

WIDTH, HEIGHT = 1200, 675
# The chart column of a 1024x768 window with the sidebar open (measured in Chromium: 564 px), the
# narrowest the dashboard supports: plotly wraps no text, so footers, propositions and labels on
# screen are wrapped or sized for it (a footer wrapped for a wider column is cut off there).
NARROW_WIDTH = 564
FOOTER_MAX_CHARS = 190  # one line of 11 px text across 1200 px
TITLE_MAX_CHARS = 110
TITLE_SPACE = 80  # px above the plot for title and subtitle
SUBTITLE_FONT = 13
SUBTITLE_LINE = 17  # px each further line under the title takes (a wrapped proposition)
PROPOSITION_LINES = 3  # most lines the propositions may take under the title
PROPOSITIONS_MAX = 3  # issues whose propositions are written out, one line each, before a chart only points to them
FOOTER_SPACE = 30  # px below the axes for a one-line footer
# (font size, most lines) tried in turn for the footer; beyond the last, the rest are counted.
# In an image: 18 px, whose lowercase letters (0.52 em in Arial / Liberation Sans) measure 10 px
# high in the 2400x1350 PNG shown 1200 px wide (half size in a report): 10-11 px gave 5.5-6 px,
# too small to read; 17 px gives 9.0, at the limit (tests/unit/test_caption.py measures it).
# Three lines name about six to eight sources; the footer on screen and the export's index.json
# list them all. On screen a chart is not shrunk: 11 px on up to three lines, else 10 px on up to
# five, name every source of a typical dataset (20-30 sources of ~45 characters).
FOOTER_FITS: tuple[tuple[int, int], ...] = ((18, 3),)
SCREEN_FOOTER_FITS: tuple[tuple[int, int], ...] = ((11, 3), (10, 5))
FOOTER_LINE_HEIGHT = 1.3  # line box per px of font size (plotly's <br> spacing)
FOOTER_INDENT = 10  # px from the figure's left and right edges
# "Publisher (2013-04-05)" as analysis.sources_used writes a dated source.
DATED_SOURCE = re.compile(r"^(?P<publisher>.+) \((?P<date>\d{4}(?:-\d{2}){0,2})\)$")
UNDATED = "n.d."
# Advance widths (1/1000 em) of printable ASCII in Arial / Liberation Sans, which Chromium draws
# plotly's default font with when Open Sans is not installed (metric-compatible fonts).
_ASCII_WIDTHS = (
    "278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 278 556 556 556 556 556 556 556 556 556 556 "
    "278 278 584 584 584 556 1015 667 667 722 722 667 611 778 722 278 500 667 556 833 722 778 667 778 722 "
    "667 611 722 667 944 667 667 611 278 278 278 469 556 333 556 556 500 556 556 278 556 556 222 222 500 "
    "222 833 556 556 556 556 333 500 278 556 500 722 500 500 500 334 260 334 584"
)
_WIDTH: dict[str, float] = {chr(32 + i): int(w) / 1000 for i, w in enumerate(_ASCII_WIDTHS.split())}
_WIDTH.update({"·": 0.278, "–": 0.556, "—": 1.0, "…": 1.0, "“": 0.333, "”": 0.333, "’": 0.222, "■": 0.604})
TEXT_WIDTH_MARGIN = 1.03  # estimates err on the wide side: a line judged to fit does fit


def plain(text: object, max_chars: int | None = None) -> str:
    """``text`` made safe for any plotly text property: ``& < >`` become entities.

    plotly renders a subset of HTML (``<b>``, ``<br>``, ``<a href>``) and TeX between ``$``
    signs; data must show as written, so these characters are escaped. ``max_chars`` shortens
    with an ellipsis first (counted on the raw text). None becomes "".
    """
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    raw = str(text)
    if max_chars is not None:
        raw = shorten(raw, max_chars)
    return raw.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("$", "&#36;")


def shorten(text: str, max_chars: int) -> str:
    """``text`` cut to at most ``max_chars`` characters, ending in an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= max_chars:
        return text
    if max_chars <= 1:
        return "…"[:max_chars]
    cut = text[: max_chars - 1]
    # Prefer a word boundary when one is near the end.
    space = cut.rfind(" ")
    if space >= max_chars * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:.") + "…"


_WORD = re.compile(r"\([^()]*\)|\S+")  # a word, or a parenthesis as one: "(phase 2)"


def shorten_apart(texts: Sequence[str], max_chars: int) -> list[str]:
    """Each text :func:`shorten`-ed, except where different texts would then read the same: those
    end on their last words, as few as tell them apart (``Aegis Ashore… Romania`` beside
    ``Aegis Ashor… (phase 2)``), so that axis labels keep different issues apart."""
    labels = [shorten(text, max_chars) for text in texts]
    for _ in range(3):  # a new label may meet another one: look again
        alike: dict[str, list[int]] = {}
        for index, label in enumerate(labels):  # "Golden Dome…" reads as "Golden Dome"
            alike.setdefault(label.removesuffix("…"), []).append(index)
        changed = False
        for members in alike.values():
            words = [_WORD.findall(texts[index]) for index in members]
            if len(members) < 2 or len({tuple(w) for w in words}) < len(members):
                continue  # one label, or the same text twice: nothing tells them apart
            for count in range(1, 5):
                tails = [" ".join(w[-count:]) for w in words]
                if len(set(tails)) == len(tails):
                    break
            else:
                continue
            for index, text_words, tail in zip(members, words, tails, strict=True):
                head = " ".join(text_words[:-count])
                if head and len(tail) <= max_chars - 4:
                    labels[index] = f"{shorten(head, max_chars - len(tail) - 1)} {tail}"
                    changed = True
        if not changed:
            break
    return labels


def wrap(text: str, width: int = 60) -> str:
    """Escape and break long text into lines of about ``width`` characters joined by ``<br>``."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        lines.append(current)
    return "<br>".join(plain(line) for line in lines)


def _char_em(ch: str) -> float:
    """One character's advance in em (0 for a combining mark), memoised: see :func:`text_width`."""
    width = _CHAR_EM.get(ch)
    if width is None:
        width = _WIDTH.get(ch)
        if width is None:
            base = unicodedata.normalize("NFKD", ch)[:1]
            if unicodedata.combining(ch):
                width = 0.0
            elif base in _WIDTH:
                width = _WIDTH[base]
            elif unicodedata.east_asian_width(ch) in ("W", "F"):
                width = 1.0
            else:
                width = 0.62
        _CHAR_EM[ch] = width
    return width


_CHAR_EM: dict[str, float] = {}


def _em(text: str, start: float = 0.0) -> float:
    """``start`` plus the advances of ``text``, added left to right: ``_em(b, _em(a)) == _em(a + b)``
    exactly, so a line's width can grow word by word without measuring it again."""
    em = start
    for ch in text:
        em += _char_em(ch)
    return em


def _px(em: float, size: float) -> float:
    return em * size * TEXT_WIDTH_MARGIN


def text_width(text: str, size: float) -> float:
    """Estimated width in px of ``text`` (raw, not escaped) drawn at ``size`` px in plotly's font.

    Exact Arial advance widths for ASCII (accented letters as their base letter), a full em for
    wide East Asian characters, 0.62 em for other scripts; 3 % on top so that a line judged to
    fit does fit. Used to wrap the footer and labels and size margins.
    """
    return _px(_em(text), size)


def compact_sources(sources: Sequence[str]) -> list[str]:
    """Sources of one publisher merged: ``TASS (2016-07-11)``, ``TASS (2017)`` -> ``TASS (2016-07-11; 2017)``.

    ``sources`` are ``Publisher (date)`` or ``Publisher`` texts (``analysis.sources_used``);
    publishers keep the order of their first source, dates are sorted, and an undated source
    next to dated ones of the same publisher shows as ``n.d.``.
    """
    dates: dict[str, list[str]] = {}
    for source in sources:
        match = DATED_SOURCE.match(source)
        publisher, date = (match["publisher"], match["date"]) if match else (source, "")
        found = dates.setdefault(publisher, [])
        if date not in found:
            found.append(date)
    out = []
    for publisher, found in dates.items():
        if found == [""]:
            out.append(publisher)
            continue
        shown = sorted(d for d in found if d) + ([UNDATED] if "" in found else [])
        out.append(f"{publisher} ({'; '.join(shown)})")
    return out


def _break_token(token: str, width: float, size: float) -> list[str]:
    """A token wider than a line, broken between words (or inside a word as a last resort).

    Widths grow with the line (``_em`` from the line's width so far), so a long token costs time
    in proportion to its length, not to its length squared."""
    pieces: list[str] = []
    current, current_em = "", 0.0
    for word in token.split(" "):
        word_em = _em(word)
        while _px(word_em, size) > width:  # one word wider than the line: split it
            prefix = [0.0]  # prefix[k] == _em(word[:k])
            for ch in word:
                prefix.append(prefix[-1] + _char_em(ch))
            cut = len(word)
            while cut > 1 and _px(prefix[cut], size) > width:
                cut -= 1
            if current:
                pieces.append(current)
                current, current_em = "", 0.0
            pieces.append(word[:cut])
            word = word[cut:]
            word_em = _em(word)
        if current:
            candidate_em = _em(word, _em(" ", current_em))
            if _px(candidate_em, size) > width:
                pieces.append(current)
                current, current_em = word, word_em
            else:
                current, current_em = f"{current} {word}", candidate_em
        else:
            current, current_em = word, word_em
    if current:
        pieces.append(current)
    return pieces


def _pack(tokens: Sequence[str], width: float, size: float, max_lines: int | None = None) -> list[str]:
    """Tokens laid out greedily into lines of at most ``width`` px, breaking only between tokens.

    With ``max_lines``, stops once more lines than that are laid out (the caller only needs to
    know they do not fit). The line's width grows token by token rather than being measured again."""
    lines: list[str] = []
    current, current_em = "", 0.0
    for token in tokens:
        if max_lines is not None and len(lines) > max_lines:
            return lines
        candidate_em = _em(token, _em(" ", current_em)) if current else _em(token)
        if _px(candidate_em, size) <= width:
            current, current_em = (f"{current} {token}" if current else token), candidate_em
            continue
        if current:
            lines.append(current)
            current, current_em = "", 0.0
        token_em = _em(token)
        if _px(token_em, size) <= width:
            current, current_em = token, token_em
        else:
            *full, current = _break_token(token, width, size)
            current_em = _em(current)
            lines.extend(full)
    if current:
        lines.append(current)
    # A line never starts with the separator: "· revision ..." reads as a stray mark.
    return [line.removeprefix("· ") for line in lines]


@dataclass(frozen=True)
class Footer:
    """A footer laid out for a figure: its lines (raw text), font size and how many sources it names."""

    lines: tuple[str, ...]
    size: int
    named: int  # publishers named; the rest are counted as "+N more"
    publishers: int  # publishers in all

    @property
    def height(self) -> int:
        """Px the footer's lines take."""
        return round(len(self.lines) * self.size * FOOTER_LINE_HEIGHT)

    @property
    def text(self) -> str:
        """The lines joined by newlines (raw text)."""
        return "\n".join(self.lines)


def describe_selection(as_of: dt.date | None, voices: Collection[str] | None, latest: str | None = None) -> str:
    """Subtitle text: ``As of 2013-04-05 · voices: official`` (``All dates`` without a cut-off).

    ``latest`` (:func:`latest_statement`) adds when the newest statement drawn was made:
    ``As of 2026-12-04 · latest statement 2024-11 · voices: official``, so that a chart as of
    today does not pass for a picture of today when its newest quote is two years old.
    """
    when = f"As of {as_of.isoformat()}" if as_of is not None else "All dates"
    if latest:
        when += f" · latest statement {latest}"
    if voices is None:
        chosen = list(VOICES)
    else:
        chosen = [v for v in VOICES if v in voices] + sorted(v for v in voices if v not in VOICES)
    return f"{when} · voices: {', '.join(chosen) if chosen else 'none'}"


def latest_statement(rows: pd.DataFrame | None) -> str | None:
    """The month of the newest statement among ``rows`` (a frame from ``analysis``): ``2024-11``,
    or its year when that is all its date says; None for no rows."""
    if rows is None or rows.empty:
        return None
    newest = rows["date_start"].max()
    dates = rows.loc[rows["date_start"] == newest, "date"].astype(str)
    return max(dates, key=len)[:7]


def proposition_text(issues: Sequence[tuple[str, str]]) -> str:
    """What the stances of a chart are about, for :attr:`Caption.proposition`; ``issues`` are
    (title, proposition) pairs of the issues drawn.

    One issue: ``Proposition: <its proposition>``. Up to ``PROPOSITIONS_MAX``: ``<title>: <its
    proposition>``, one line each. More: one line saying what a stance measures, since the
    chart has no room for them all. None: "".
    """
    if not issues:
        return ""
    if len(issues) == 1:
        return f"Proposition: {' '.join(issues[0][1].split())}"
    if len(issues) <= PROPOSITIONS_MAX:
        return "\n".join(f"{' '.join(title.split())}: {' '.join(question.split())}" for title, question in issues)
    return "A stance says how far the actor supports the issue's proposition (each is listed under Sources & method)."


@dataclass(frozen=True)
class Caption:
    """What a chart says about itself: title, subtitle, sources, dataset title and revision.

    ``proposition`` (raw text, :func:`proposition_text`; one line per newline) is drawn under the
    title, before the subtitle, wrapped on up to ``PROPOSITION_LINES`` lines: what a stance of
    +1 is about. ``link`` (the view's public address) closes the footer when set.
    """

    title: str
    subtitle: str = ""
    sources: Sequence[str] = field(default_factory=tuple)
    dataset: str = ""
    revision: str = ""
    proposition: str = ""
    link: str = ""

    @classmethod
    def for_rows(
        cls, dataset: Dataset, rows: pd.DataFrame | None, title: str, subtitle: str = "", proposition: str = ""
    ) -> Caption:
        """A caption whose sources are those behind ``rows`` (a frame from ``analysis``)."""
        from stances.analysis import sources_used

        return cls(title, subtitle, tuple(sources_used(rows)), dataset.title, dataset.revision, proposition)

    def heading(self, width: int = WIDTH) -> list[str]:
        """The lines under the title (raw text): the proposition wrapped to ``width`` px, then the subtitle."""
        lines: list[str] = []
        for part in self.proposition.split("\n"):
            words = part.split()
            if words:
                lines += _pack(words, width - 2 * FOOTER_INDENT, SUBTITLE_FONT)
        if len(lines) > PROPOSITION_LINES:
            rest = " ".join(lines[PROPOSITION_LINES - 1 :])
            lines = [*lines[: PROPOSITION_LINES - 1], _fit(rest, width - 2 * FOOTER_INDENT, SUBTITLE_FONT)]
        return [*lines, shorten(self.subtitle, 160)] if self.subtitle else lines

    def _tail(self) -> str:
        return " · ".join(part for part in (self.dataset, f"revision {self.revision}" if self.revision else "") if part)

    def footer(self, max_chars: int = FOOTER_MAX_CHARS) -> str:
        """``Source: A (2013-04-05); B · <dataset> · revision <rev>`` on one line, raw text (not escaped).

        Sources of one publisher are merged (``compact_sources``). When they do not fit in
        ``max_chars``, the tail becomes ``+N more``; at least one source is always named.
        Figures use the wrapped ``footer_layout``.
        """
        tail = " · ".join(part for part in (self._tail(), self.link) if part)
        sources = compact_sources(self.sources)
        if not sources:
            return tail
        budget = max_chars - len(tail) - len(" · ") - len("Source: ")
        shown: list[str] = []
        for i, source in enumerate(sources):
            rest = len(sources) - i - 1
            more = f"; +{rest} more" if rest else ""
            candidate = "; ".join([*shown, source]) + more
            if shown and len(candidate) > budget:
                break
            shown.append(source)
        left = len(sources) - len(shown)
        text = "Source: " + "; ".join(shown) + (f"; +{left} more" if left else "")
        return f"{text} · {tail}" if tail else text

    def footer_layout(self, width: int = WIDTH, fits: Sequence[tuple[int, int]] = FOOTER_FITS) -> Footer:
        """The footer wrapped to the figure's ``width``, naming every source if it can.

        Lines break between sources, never inside one unless it is wider than a line. Each
        (font size, most lines) of ``fits`` is tried in turn; only when the last overflows are
        the last sources counted as ``+N more`` (at least one is always named). Dataset title and
        revision always close it.
        """
        sources = compact_sources(self.sources)
        tail = [f"· {self._tail()}"] if self._tail() else []  # one token: dataset and revision stay together
        if self.link:
            tail.append(f"· {self.link}")
        line_width = width - 2 * FOOTER_INDENT

        def tokens(named: int) -> list[str]:
            if not sources:
                return [tail[0][2:], *tail[1:]] if tail else []
            shown = [f"{s};" for s in sources[:named]]
            left = len(sources) - named
            if left:
                shown.append(f"+{left} more")
            else:
                shown[-1] = shown[-1][:-1]
            shown[0] = "Source: " + shown[0]
            return shown + tail

        for size, max_lines in fits:
            lines = _pack(tokens(len(sources)), line_width, size, max_lines)
            if len(lines) <= max_lines:
                return Footer(tuple(lines), size, len(sources), len(sources))
        size, max_lines = fits[-1]
        named = len(sources) - 1
        # Skip, without packing, the counts whose sources' letters alone (spaces may vanish at line
        # breaks) are wider than every line together: a dataset of 500 sources packed 500 times.
        letters = list(itertools.accumulate(_em(source.replace(" ", "")) for source in sources))
        while named > 1 and _px(letters[named - 1], size) > max_lines * line_width:
            named -= 1
        while named > 1:
            lines = _pack(tokens(named), line_width, size, max_lines)
            if len(lines) <= max_lines:
                break
            named -= 1
        lines = _pack(tokens(max(named, 1)), line_width, size)
        return Footer(tuple(lines), size, max(named, 1), len(sources))


def apply_caption(fig: go.Figure, caption: Caption, *, width: int = WIDTH, height: int = HEIGHT) -> go.Figure:
    """Put the caption on ``fig`` and fix its size and the theme-neutral styling; returns ``fig``.

    The builder's margins are the room its axes need; this adds room above for the title and
    subtitle (``layout.title``) and below for the footer, an annotation placed in pixels from the
    plot area so that it sits in that strip whatever the plot's width. Backgrounds are
    transparent and no font colour is forced except a mid grey that reads on light and dark.
    """
    margin = fig.layout.margin
    left = margin.l if margin.l is not None else 20
    bottom = margin.b if margin.b is not None else 20
    footer = caption.footer_layout(width)
    fig.update_layout(
        title={
            "text": plain(caption.title, TITLE_MAX_CHARS),
            "subtitle": {
                "text": _heading_text(caption, width),
                "font": {"color": palette.MUTED, "size": SUBTITLE_FONT},
            },
            "x": 10 / width,
            "xanchor": "left",
            "xref": "container",
            "y": 1 - 12 / height,
            "yanchor": "top",
            "yref": "container",
            "font": {"size": 18},
        },
        width=width,
        height=height,
        autosize=False,
        paper_bgcolor=palette.TRANSPARENT,
        plot_bgcolor=palette.TRANSPARENT,
        font={"size": 12},
        hoverlabel={"align": "left", "namelength": -1},
        margin={
            "t": (margin.t or 0) + title_space(caption, width),
            "b": bottom + footer_space(footer),
            "l": left,
            "r": margin.r if margin.r is not None else 20,
        },
    )
    fig.add_annotation(
        text="<br>".join(plain(line) for line in footer.lines),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xanchor="left",
        yanchor="top",
        xshift=-(left - FOOTER_INDENT),
        yshift=-(bottom + 8),
        showarrow=False,
        align="left",
        font={"size": footer.size, "color": palette.MUTED},
        name="footer",
    )
    return fig


def _heading_text(caption: Caption, width: int) -> str:
    return "<br>".join(plain(line) for line in caption.heading(width))


def title_space(caption: Caption, width: int = WIDTH) -> int:
    """Px above the plot for the title and the lines under it (:meth:`Caption.heading`) at ``width``."""
    return TITLE_SPACE + SUBTITLE_LINE * max(0, len(caption.heading(width)) - 1)


def _fit(text: str, width: float, size: float) -> str:
    """``text`` shortened with an ellipsis until it is at most ``width`` px wide at ``size`` px."""
    chars = len(text)
    while chars > 1 and text_width(shorten(text, chars), size) > width:
        chars -= 1
    return shorten(text, chars)


def _refit(
    fig: go.Figure, old: Caption, new: Caption, width: int, fits: Sequence[tuple[int, int]] = FOOTER_FITS
) -> go.Figure:
    """``fig`` (captioned with ``old`` at WIDTH) with ``new``'s footer (laid out by ``fits``) and
    heading for ``width``: ``fig`` itself when nothing changes, else a copy, the plot giving or
    taking the room."""
    wide, narrow = old.footer_layout(WIDTH), new.footer_layout(width, fits)
    heading = _heading_text(new, width)
    if narrow.lines == wide.lines and narrow.size == wide.size and heading == _heading_text(old, WIDTH):
        return fig
    fitted = go.Figure(fig)
    fitted.layout.margin.b = fig.layout.margin.b - footer_space(wide) + footer_space(narrow)
    fitted.layout.margin.t = fig.layout.margin.t - title_space(old, WIDTH) + title_space(new, width)
    fitted.layout.title.subtitle.text = heading
    for annotation in fitted.layout.annotations:
        if annotation.name == "footer":
            annotation.text = "<br>".join(plain(line) for line in narrow.lines)
            annotation.font.size = narrow.size
    return fitted


def fit_footer(fig: go.Figure, caption: Caption, width: int = NARROW_WIDTH) -> go.Figure:
    """``fig``, captioned by :func:`apply_caption`, as a screen shows it: its footer and the
    proposition under its title wrapped for ``width`` px (plotly wraps neither: at 1200 px's
    wrapping, both are cut off in a narrower column), the footer at screen size
    (``SCREEN_FOOTER_FITS``: a screen does not shrink the chart as a pasted image does).

    ``fig`` itself when the lines do not change, else a copy (figures are shared: ``fig`` is
    never modified). The strips above and under the plot grow or shrink with their lines; the
    plot gives or takes the difference.
    """
    return _refit(fig, caption, caption, width, SCREEN_FOOTER_FITS)


def with_link(fig: go.Figure, caption: Caption, link: str) -> go.Figure:
    """``fig`` (1200 px, captioned with ``caption``) with ``link``, the view's public address, at the
    end of its footer: an image that leaves the app says where to open it. A copy (``fig`` is
    shared); ``fig`` itself for an empty ``link``."""
    return _refit(fig, caption, replace(caption, link=link), WIDTH) if link else fig


def footer_space(footer: Footer | Caption) -> int:
    """Px a figure needs below its axes for the footer of ``footer`` (a caption or its layout)."""
    if isinstance(footer, Caption):
        footer = footer.footer_layout()
    return max(FOOTER_SPACE, footer.height + 16)


def footer_text(fig: go.Figure) -> str:
    """The footer annotation's text of a captioned figure ("" if none): for tests and exports."""
    for annotation in fig.layout.annotations:
        if annotation.name == "footer":
            return annotation.text or ""
    return ""
