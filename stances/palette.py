"""Colours, defined once: the same stance has the same colour on every chart.

The stance scale is a diverging orange-grey-blue ramp (ColorBrewer PuOr/RdBu family, safe for
the common colour-vision deficiencies, which confuse red with green but not orange with blue):
orange for opposing, a mid grey for ambiguous, blue for supporting. "Declined to state" is a
dark grey, set apart from the ambiguous light grey by lightness. Every chart also writes the
stance as text, so nothing depends on colour alone.

The muted colours for chrome (footer, grid, land) are mid greys that keep a contrast ratio of
at least 3 on both a white and Streamlit's dark background.

Actors on the Timeline have a colour of their own (the line and the rim of its markers; the
marker's fill stays the stance's colour). That palette holds no blue, no orange and no grey, so no
actor can be read as a stance: green, purple, olive, violet, pink, teal, magenta, lilac, each
at least 30 degrees of CIELAB hue from the ramp's oranges and blues and a contrast ratio of 3 on
light and dark. The first four stay apart under simulated protan, deutan and tritan vision
(tests/unit/test_palette.py); beyond that no eight colours can, so every actor also has its
own dash and marker symbol (:func:`actor_style`), and the legend names them.
"""

from __future__ import annotations

import itertools

from stances.model import Scale

# Anchors of the ramp on t = stance / k in [-1, 1].
RAMP: tuple[tuple[float, str], ...] = (
    (-1.0, "#b35806"),
    (-0.5, "#f1a340"),
    (0.0, "#bdbdbd"),
    (0.5, "#6baed6"),
    (1.0, "#2166ac"),
)
DECLINED_COLOUR = "#636363"
MUTED = "#808080"  # footer and subtitle text: readable on light and dark themes
GRID = "rgba(128,128,128,0.3)"
NO_DATA_LAND = "rgba(128,128,128,0.18)"
TRANSPARENT = "rgba(0,0,0,0)"
# Actor identity on line charts, in the order actors get them (see the module docstring).
ACTOR_COLOURS: tuple[str, ...] = (
    "#117733",  # green
    "#aa3377",  # purple
    "#999933",  # olive
    "#8833cc",  # violet
    "#ee3388",  # pink
    "#009988",  # teal
    "#cc11bb",  # magenta
    "#bb77ee",  # lilac
)
ACTOR_DASHES: tuple[str, ...] = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
# Eight symbols, as many as colours: the first eight actors differ in both; six dashes, so that
# an actor and the one eight places on still differ in their line.
ACTOR_SYMBOLS: tuple[str, ...] = (
    "circle",
    "square",
    "diamond",
    "triangle-up",
    "triangle-down",
    "pentagon",
    "hexagram",
    "star",
)


def actor_style(k: int) -> tuple[str, str, str]:
    """Colour, line dash and marker symbol of the ``k``-th actor on a chart (0-based).

    Colours and symbols repeat after eight actors and dashes after six, so the first eight
    actors differ in colour and symbol, and the first 24 each have a combination of their own.
    """
    return (
        ACTOR_COLOURS[k % len(ACTOR_COLOURS)],
        ACTOR_DASHES[k % len(ACTOR_DASHES)],
        ACTOR_SYMBOLS[k % len(ACTOR_SYMBOLS)],
    )


def _hex_to_rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def _rgb_to_hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(c):02x}" for c in rgb)


def ramp_colour(t: float) -> str:
    """Colour at ``t`` in [-1, 1] on the diverging ramp (linear between anchors)."""
    t = max(-1.0, min(1.0, t))
    for (t0, c0), (t1, c1) in itertools.pairwise(RAMP):
        if t <= t1:
            f = 0.0 if t1 == t0 else (t - t0) / (t1 - t0)
            a, b = _hex_to_rgb(c0), _hex_to_rgb(c1)
            return _rgb_to_hex(tuple(x + (y - x) * f for x, y in zip(a, b, strict=True)))
    return RAMP[-1][1]


def stance_colour(stance: int | None, scale: Scale) -> str:
    """The colour of a stance on ``scale``; None (declined to state) has its own grey."""
    if stance is None:
        return DECLINED_COLOUR
    k = max(abs(scale.low), abs(scale.high), 1)
    return ramp_colour(stance / k)


def stance_colours(scale: Scale) -> dict[int, str]:
    """Stance -> colour for every value of the scale."""
    return {s: stance_colour(s, scale) for s in range(scale.low, scale.high + 1)}


def discrete_colorscale(colours: list[str]) -> list[list[float | str]]:
    """A plotly colorscale with one flat band per colour, for z values 0..n-1 (zmin -0.5, zmax n-0.5)."""
    n = len(colours)
    scale: list[list[float | str]] = []
    for i, colour in enumerate(colours):
        scale.append([i / n, colour])
        scale.append([(i + 1) / n, colour])
    return scale


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of a #rrggbb colour."""

    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = _hex_to_rgb(colour)
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_ratio(a: str, b: str) -> float:
    """WCAG contrast ratio between two #rrggbb colours (1 to 21)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_colour_on(fill: str) -> str:
    """Black or white, whichever reads better on ``fill``."""
    return "#000000" if contrast_ratio(fill, "#000000") >= contrast_ratio(fill, "#ffffff") else "#ffffff"
