"""The actor palette cannot be read as a stance, and stays apart for common colour-vision deficiencies.

Colours are compared in CIELAB (D65): hue angle for "is this orange or blue", the distance
(CIE76 delta E) for "can these two be told apart". Colour-vision deficiencies are simulated with
Machado, Oliveira and Fernandes (2009) at full severity, applied in linear RGB.
"""

from __future__ import annotations

import itertools
import math

import pytest
from chartdata import DARK_BACKGROUND, LIGHT_BACKGROUND, SCALE

from stances import palette

SIMULATIONS: dict[str, tuple[tuple[float, ...], ...]] = {
    "normal": ((1, 0, 0), (0, 1, 0), (0, 0, 1)),
    "protan": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
    "deutan": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
    "tritan": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602), (0.004733, 0.691367, 0.303900)),
}
STANCE_COLOURS = [*palette.stance_colours(SCALE).values(), palette.DECLINED_COLOUR]


def lab(colour: str, vision: str = "normal") -> tuple[float, float, float]:
    """CIELAB of a #rrggbb colour as seen with ``vision``."""
    srgb = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in srgb]
    seen = [min(1.0, max(0.0, sum(m * c for m, c in zip(row, linear, strict=True)))) for row in SIMULATIONS[vision]]
    xyz = [
        sum(m * c for m, c in zip(row, seen, strict=True))
        for row in ((0.4124, 0.3576, 0.1805), (0.2126, 0.7152, 0.0722), (0.0193, 0.1192, 0.9505))
    ]
    f = [
        t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116
        for t in (v / w for v, w in zip(xyz, (0.95047, 1.0, 1.08883), strict=True))
    ]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def distance(a: str, b: str, vision: str = "normal") -> float:
    return math.dist(lab(a, vision), lab(b, vision))


def hue_and_chroma(colour: str) -> tuple[float, float]:
    _, a, b = lab(colour)
    return math.degrees(math.atan2(b, a)) % 360, math.hypot(a, b)


def test_the_ramp_is_orange_and_blue_as_the_actor_test_assumes() -> None:
    hues = [hue_and_chroma(c) for _, c in palette.RAMP]
    oranges = [h for h, chroma in hues if chroma > 20 and 40 <= h <= 90]
    blues = [h for h, chroma in hues if chroma > 20 and 220 <= h <= 300]
    assert len(oranges) == 2 and len(blues) == 2


def test_actor_colours_are_neither_orange_nor_blue_nor_grey() -> None:
    stance_hues = [h for h, chroma in map(hue_and_chroma, STANCE_COLOURS) if chroma > 20]
    for colour in palette.ACTOR_COLOURS:
        hue, chroma = hue_and_chroma(colour)
        assert chroma >= 35, colour  # a grey would read as "ambiguous" or "declined"
        for other in stance_hues:
            apart = min(abs(hue - other), 360 - abs(hue - other))
            assert apart >= 30, (colour, hue, other)
        assert min(distance(colour, s) for s in STANCE_COLOURS) >= 35, colour


def test_actor_colours_read_on_light_and_dark() -> None:
    for colour in palette.ACTOR_COLOURS:
        assert palette.contrast_ratio(colour, LIGHT_BACKGROUND) >= 3, colour
        assert palette.contrast_ratio(colour, DARK_BACKGROUND) >= 3, colour


@pytest.mark.parametrize("vision", list(SIMULATIONS))
def test_the_first_four_actors_stay_apart_in_every_vision(vision: str) -> None:
    first = palette.ACTOR_COLOURS[:4]
    assert min(distance(a, b, vision) for a, b in itertools.combinations(first, 2)) >= 20


def test_eight_actors_differ_in_colour_and_symbol_and_24_in_style() -> None:
    styles = [palette.actor_style(k) for k in range(24)]
    assert len({c for c, _, _ in styles[:8]}) == len({s for _, _, s in styles[:8]}) == 8
    assert len(set(styles)) == 24
    assert [c for c, _, _ in styles[:8]] == list(palette.ACTOR_COLOURS)
    assert palette.actor_style(24) == palette.actor_style(0)
