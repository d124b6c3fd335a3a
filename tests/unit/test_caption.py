"""Captions: escaping of data text, the footer's wording and shortening, placement on a figure."""

from __future__ import annotations

import datetime as dt
import os

import plotly.graph_objects as go
import pytest

from stances.caption import (
    FOOTER_INDENT,
    NARROW_WIDTH,
    PROPOSITION_LINES,
    SCREEN_FOOTER_FITS,
    SUBTITLE_LINE,
    TITLE_SPACE,
    WIDTH,
    Caption,
    apply_caption,
    compact_sources,
    describe_selection,
    fit_footer,
    footer_space,
    footer_text,
    latest_statement,
    plain,
    proposition_text,
    shorten,
    shorten_apart,
    text_width,
    title_space,
    with_link,
)
from stances.load import parse_dataset

SMALL = """
title: "Missile defence: stated positions"
actors:
  - {id: RUS, name: Russia}
issues:
  - {id: bmd, title: Missile defence, question: It should go ahead.}
sources:
  - {id: a, publisher: Observer Research Foundation, date: 2013-04-05}
  - {id: b, publisher: TASS}
positions:
  - {actor: RUS, issue: bmd, stance: -2, date: 2013-03, speaker: S, role: R, voice: official, quote: Q., source: a}
  - {actor: RUS, issue: bmd, stance: -1, date: 2013-05, speaker: S, role: R, voice: official, quote: Q., source: b}
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("<b>bold</b> & <br>", "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;br&gt;"),
        ('<a href="javascript:x">link</a>', '&lt;a href="javascript:x"&gt;link&lt;/a&gt;'),
        ("&lt; already", "&amp;lt; already"),
        ("$x^2$", "&#36;x^2&#36;"),
        ("Plain text, ünïcödé — fine", "Plain text, ünïcödé — fine"),
        (None, ""),
        (float("nan"), ""),
        (-2, "-2"),
    ],
)
def test_plain_escapes_markup_plotly_would_render(text: object, expected: str) -> None:
    assert plain(text) == expected


def test_plain_shortens_before_escaping() -> None:
    assert plain("<" * 50, 10) == "&lt;" * 9 + "…"


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("short", 10, "short"),
        ("exactly10!", 10, "exactly10!"),
        ("one two three four five", 16, "one two three…"),  # at a word boundary near the end
        ("one two three four five", 12, "one two thr…"),  # mid-word when no boundary is near
        ("abcdefghijklmnop", 8, "abcdefg…"),
        ("  spaced\n  out  ", 20, "spaced out"),
    ],
)
def test_shorten_cuts_with_an_ellipsis(text: str, limit: int, expected: str) -> None:
    assert shorten(text, limit) == expected
    assert len(shorten(text, limit)) <= limit


def test_footer_names_sources_dataset_and_revision() -> None:
    caption = Caption("T", "S", ["ORF (2013-04-05)", "TASS"], "Missile defence: stated positions", "2013-05 · abc1234")
    assert caption.footer() == (
        "Source: ORF (2013-04-05); TASS · Missile defence: stated positions · revision 2013-05 · abc1234"
    )


def test_footer_without_sources_still_traces_the_data() -> None:
    assert Caption("T", "", [], "Data", "2013 · abc1234").footer() == "Data · revision 2013 · abc1234"


def test_long_source_lists_end_with_n_more() -> None:
    sources = [f"Publisher number {n:02d} (2013-04-05)" for n in range(40)]
    footer = Caption("T", "", sources, "Data", "rev").footer(max_chars=150)
    assert len(footer) <= 150
    assert footer.startswith("Source: Publisher number 00 (2013-04-05); Publisher number 01")
    shown = footer.count("Publisher number")
    assert f"; +{40 - shown} more · Data · revision rev" in footer


def test_a_single_long_source_is_still_named() -> None:
    footer = Caption("T", "", ["P" * 300, "Q"], "Data", "rev").footer(max_chars=100)
    assert footer.startswith("Source: " + "P" * 300 + "; +1 more")


def test_caption_for_rows_takes_sources_title_and_revision_from_the_dataset() -> None:
    from stances.analysis import positions_frame

    dataset = parse_dataset(SMALL, label="small.yaml", today=dt.date(2025, 1, 1))
    assert dataset.errors == []
    frame = positions_frame(dataset)
    caption = Caption.for_rows(dataset, frame, "Russia on missile defence", "As of 2013-06-01")
    assert caption.sources == ("Observer Research Foundation (2013-04-05)", "TASS")
    assert caption.dataset == "Missile defence: stated positions"
    assert caption.revision == dataset.revision and caption.revision.startswith("2013-05 · ")
    assert Caption.for_rows(dataset, frame.iloc[:1], "T").sources == ("Observer Research Foundation (2013-04-05)",)


@pytest.mark.parametrize(
    ("as_of", "voices", "expected"),
    [
        (dt.date(2013, 4, 5), ["official"], "As of 2013-04-05 · voices: official"),
        (None, ["reported", "official"], "All dates · voices: official, reported"),
        (None, None, "All dates · voices: official, expert, reported"),
        (dt.date(2020, 1, 1), [], "As of 2020-01-01 · voices: none"),
    ],
)
def test_describe_selection(as_of: dt.date | None, voices: list[str] | None, expected: str) -> None:
    assert describe_selection(as_of, voices) == expected


def test_the_subtitle_says_when_the_newest_statement_drawn_was_made() -> None:
    from stances.analysis import positions_frame

    dataset = parse_dataset(SMALL, label="small.yaml")
    frame = positions_frame(dataset)
    assert latest_statement(frame) == "2013-05"
    assert latest_statement(frame.iloc[:0]) is None and latest_statement(None) is None
    text = describe_selection(dt.date(2026, 12, 4), ["official"], latest_statement(frame))
    assert text == "As of 2026-12-04 · latest statement 2013-05 · voices: official"
    years = frame.assign(date=["2013", "2012"], date_start=frame["date_start"].iloc[::-1].to_numpy())
    assert latest_statement(years) == "2013"  # a date known to the year only is given as its year


def test_apply_caption_sets_title_subtitle_footer_and_export_size() -> None:
    fig = go.Figure(go.Bar(x=[1], y=[1]))
    fig.update_layout(margin={"l": 150, "b": 40, "t": 5, "r": 10})
    caption = Caption("Stances <b>now</b>", "As of 2013 & later", ["A <i>pub</i> (2013)"], "Data", "rev")
    apply_caption(fig, caption)
    layout = fig.layout
    assert layout.title.text == "Stances &lt;b&gt;now&lt;/b&gt;"
    assert layout.title.subtitle.text == "As of 2013 &amp; later"
    assert footer_text(fig) == "Source: A &lt;i&gt;pub&lt;/i&gt; (2013) · Data · revision rev"
    assert (layout.width, layout.height) == (1200, 675)
    # Room is added above for the title and below for the footer, on top of the axes' own.
    assert layout.margin.t > 5 + 60 and layout.margin.b > 40 + 20 and layout.margin.l == 150
    footer = next(a for a in layout.annotations if a.name == "footer")
    assert footer.yshift < -40  # below the axes' own margin
    assert footer.xshift == -140  # starts 10 px from the left edge whatever the plot's width
    assert layout.paper_bgcolor == layout.plot_bgcolor == "rgba(0,0,0,0)"


def test_apply_caption_keeps_other_sizes_when_asked() -> None:
    fig = apply_caption(go.Figure(), Caption("T"), width=800, height=400)
    assert (fig.layout.width, fig.layout.height) == (800, 400)


# --- the wrapped footer of a figure --------------------------------------------------------------

TWENTY = [  # publishers as long as the bundled dataset's, one of them with three dates
    "Antena 3 (antena3.ro) (2016-05-12)",
    "CGTN (2022-08-12)",
    "DefenceTalk",
    "Deutsche Welle (dw.com) (2010-10-22)",
    "ECNS (China News Service) (2017-02-08)",
    "Fars News Agency (archived by Stanford Web Archive, swap.stanford.edu) (2011-09-10)",
    "Observer Research Foundation (2013-04-05)",
    "Official website of the President of Russia (kremlin.ru) (2011-11-29)",
    "Polskie Radio (polskieradio.pl)",
    "Rediff.com (PTI) (2013-06-16)",
    "Republic of Türkiye Ministry of Foreign Affairs (mfa.gov.tr) (2014-07-20)",
    "TASS (2016-07-11)",
    "TASS (2017-02-08)",
    "TASS (2019-03)",
    "The Christian Science Monitor",
    "The Express Tribune (tribune.com.pk)",
    "The Fiscal Times (2016-05-13)",
    "The Japan Times (Jiji) (2020-06-21)",
    "The Korea Herald (heraldk.com)",
    "Yonhap (2015-04-17)",
    "The Korea Post (Yonhap)",
    "The White House, Office of the Press Secretary (obamawhitehouse.archives.gov) (2009-09-17)",
]
PUBLISHERS = [
    "Antena 3 (antena3.ro)",
    "CGTN",
    "DefenceTalk",
    "Deutsche Welle (dw.com)",
    "ECNS (China News Service)",
    "Fars News Agency (archived by Stanford Web Archive, swap.stanford.edu)",
    "Observer Research Foundation",
    "Official website of the President of Russia (kremlin.ru)",
    "Polskie Radio (polskieradio.pl)",
    "Rediff.com (PTI)",
    "Republic of Türkiye Ministry of Foreign Affairs (mfa.gov.tr)",
    "TASS",
    "The Christian Science Monitor",
    "The Express Tribune (tribune.com.pk)",
    "The Fiscal Times",
    "The Japan Times (Jiji)",
    "The Korea Herald (heraldk.com)",
    "Yonhap",
    "The Korea Post (Yonhap)",
    "The White House, Office of the Press Secretary (obamawhitehouse.archives.gov)",
]


def test_sources_of_one_publisher_are_merged_with_their_dates() -> None:
    assert compact_sources(["TASS (2017-02-08)", "CGTN", "TASS (2016-07-11)", "TASS (2016-07-11)"]) == [
        "TASS (2016-07-11; 2017-02-08)",
        "CGTN",
    ]
    assert compact_sources(["TASS", "TASS (2019)"]) == ["TASS (2019; n.d.)"]
    # A parenthesis that is not a date belongs to the publisher's name.
    assert compact_sources(["Antena 3 (antena3.ro)", "Antena 3 (antena3.ro) (2016-05-12)"]) == [
        "Antena 3 (antena3.ro) (2016-05-12; n.d.)"
    ]
    assert len(TWENTY) == 22 and len(compact_sources(TWENTY)) == len(PUBLISHERS) == 20


def test_on_screen_a_footer_names_all_twenty_publishers_within_the_figure_width() -> None:
    caption = Caption("T", "S", TWENTY, "Missile defence: stated positions", "2024-11 · 6c4cad9")
    footer = caption.footer_layout(WIDTH, SCREEN_FOOTER_FITS)
    text = " ".join(footer.lines)
    for publisher in PUBLISHERS:
        assert publisher in text, publisher
    assert "TASS (2016-07-11; 2017-02-08; 2019-03)" in text
    assert "more" not in text and footer.named == footer.publishers == 20
    assert text.startswith("Source: Antena 3") and text.endswith(
        "Missile defence: stated positions · revision 2024-11 · 6c4cad9"
    )
    assert 2 <= len(footer.lines) <= 5 and footer.size >= 10
    assert all(text_width(line, footer.size) <= WIDTH - 20 for line in footer.lines)
    assert not any(line.startswith("·") for line in footer.lines)  # no line starts with a separator
    # Sources are never split across lines: every line ends a source (";") or the footer.
    assert all(line.endswith(";") for line in footer.lines[:-1])


def test_in_an_image_a_footer_is_18_px_on_three_lines_the_rest_counted() -> None:
    # 18 px: lowercase letters 9 px high when the 2400x1350 PNG is pasted 1200 px wide
    caption = Caption("T", "S", TWENTY, "Missile defence: stated positions", "2024-11 · 6c4cad9")
    footer = caption.footer_layout()
    assert footer.size == 18 and len(footer.lines) == 3
    assert 5 <= footer.named < footer.publishers == 20
    text = " ".join(footer.lines)
    assert text.startswith("Source: Antena 3") and text.endswith(
        f"+{20 - footer.named} more · Missile defence: stated positions · revision 2024-11 · 6c4cad9"
    )
    assert all(text_width(line, footer.size) <= WIDTH - 20 for line in footer.lines)


def test_a_short_footer_keeps_one_line() -> None:
    caption = Caption("T", "", ["ORF (2013-04-05)", "TASS"], "Data", "rev")
    assert caption.footer_layout().lines == ("Source: ORF (2013-04-05); TASS · Data · revision rev",)
    assert caption.footer_layout().size == 18
    assert caption.footer_layout(NARROW_WIDTH, SCREEN_FOOTER_FITS).size == 11


def test_only_a_huge_source_list_is_counted_as_n_more_on_screen() -> None:
    sources = [f"Publisher number {n:03d} with a long name (2013-04-{n % 28 + 1:02d})" for n in range(200)]
    footer = Caption("T", "", sources, "Data", "rev").footer_layout(WIDTH, SCREEN_FOOTER_FITS)
    assert len(footer.lines) <= 5 and footer.size == 10
    assert 10 < footer.named < 200 and footer.publishers == 200
    assert footer.lines[-1].endswith(f"+{200 - footer.named} more · Data · revision rev")
    assert all(text_width(line, footer.size) <= WIDTH - 20 for line in footer.lines)


def test_apply_caption_makes_room_for_every_footer_line() -> None:
    fig = go.Figure(go.Bar(x=[1], y=[1]))
    fig.update_layout(margin={"l": 150, "b": 40, "t": 5, "r": 10})
    caption = Caption("T", "S", TWENTY, "Data", "rev")
    apply_caption(fig, caption)
    footer = caption.footer_layout()
    annotation = next(a for a in fig.layout.annotations if a.name == "footer")
    assert annotation.text.count("<br>") == len(footer.lines) - 1 >= 1
    assert annotation.font.size == footer.size
    # The strip under the axes holds the footer: from its top (40 + 8 px down) to its last line.
    assert fig.layout.margin.b >= 40 + 8 + footer.height
    assert fig.layout.margin.b == 40 + footer_space(footer)


def test_a_footer_already_laid_out_for_the_column_is_drawn_as_it_is() -> None:
    caption = Caption("T", "", ["ORF (2013-04-05)", "TASS"], "Data", "rev")
    fig = apply_caption(go.Figure(go.Bar(x=[1], y=[1])), caption)
    shown = fit_footer(fig, caption)
    assert shown is not fig  # on screen the footer takes screen size
    assert next(a for a in shown.layout.annotations if a.name == "footer").font.size == 11
    assert fit_footer(fig, caption, WIDTH) is not fig


def test_a_wide_footer_is_wrapped_again_for_the_app_column_on_a_copy() -> None:
    fig = go.Figure(go.Bar(x=[1], y=[1]))
    fig.update_layout(margin={"l": 150, "b": 40, "t": 5, "r": 10})
    caption = Caption("T", "S", TWENTY, "Data", "rev")
    apply_caption(fig, caption)
    exported = footer_text(fig)
    wide, narrow = caption.footer_layout(), caption.footer_layout(NARROW_WIDTH, SCREEN_FOOTER_FITS)
    # cut off in the app before: a line wrapped for 1200 px is wider than the column
    assert max(text_width(line, wide.size) for line in wide.lines) > NARROW_WIDTH - 2 * FOOTER_INDENT
    shown = fit_footer(fig, caption)
    assert shown is not fig and footer_text(fig) == exported  # the shared figure is untouched
    lines = footer_text(shown).split("<br>")
    assert len(lines) == len(narrow.lines) > len(wide.lines)
    assert all(text_width(line, narrow.size) <= NARROW_WIDTH - 2 * FOOTER_INDENT for line in narrow.lines)
    assert next(a for a in shown.layout.annotations if a.name == "footer").font.size == narrow.size
    assert (
        shown.layout.margin.b
        == fig.layout.margin.b - footer_space(wide) + footer_space(narrow)
        == 40 + footer_space(narrow)
    )
    assert shown.data == fig.data and shown.layout.title == fig.layout.title


def test_labels_that_would_read_alike_end_on_the_words_that_tell_them_apart() -> None:
    titles = [
        "THAAD in South Korea",
        "THAAD in South Korea (phase 2)",
        "THAAD in the Gulf (phase 2)",
        "Missile defence in Japan",
        "Missile defence and arms control linkage",
        "Golden Dome",
        "Golden Dome",  # the same title twice stays as it is
    ]
    labels = shorten_apart(titles, 22)
    assert all(len(label) <= 22 for label in labels)
    assert labels[0] == "THAAD in South Korea"  # fits: untouched
    # "THAAD in South Korea…" would read as the first: it ends on what tells it apart
    assert labels[1] == "THAAD in… (phase 2)"
    assert labels[2:5] == [shorten(title, 22) for title in titles[2:5]]  # already apart
    assert shorten_apart([*titles[:2], "THAAD in the Gulf", titles[2]], 22)[2:] == [
        "THAAD in the Gulf",
        "THAAD… Gulf (phase 2)",  # met "THAAD in… (phase 2)": one word more
    ]
    assert labels[5] == labels[6] == "Golden Dome"
    # Apart even when a trailing ellipsis is all that differs.
    distinct = {label.removesuffix("…") for label in labels[:5]}
    assert len(distinct) == 5


# --- the proposition under the title ---------------------------------------------------------------------

QUESTION = (
    "The United States should deploy missile-defence sites in Europe (radars and interceptors, as planned at the time)."
)


def test_what_a_stance_is_about_is_the_proposition_of_one_issue_or_a_few() -> None:
    assert proposition_text([("Bmd", QUESTION)]) == f"Proposition: {QUESTION}"
    two = proposition_text([("Bmd", "It should.  "), ("Inf", "It should\nnot.")])
    assert two == "Bmd: It should.\nInf: It should not."
    many = proposition_text([(f"I{n}", "Q.") for n in range(4)])
    assert "\n" not in many and "how far the actor supports the issue's proposition" in many
    assert proposition_text([]) == ""


def test_the_proposition_goes_under_the_title_and_the_plot_makes_room() -> None:
    caption = Caption("T", "As of 2013-04-05 · voices: official", (), "Data", "rev", f"Proposition: {QUESTION}")
    fig = apply_caption(go.Figure(go.Bar(x=[1], y=[1])), caption)
    assert fig.layout.title.subtitle.text == f"Proposition: {plain(QUESTION)}<br>As of 2013-04-05 · voices: official"
    assert fig.layout.margin.t == TITLE_SPACE + SUBTITLE_LINE == title_space(caption)
    assert title_space(Caption("T", "S")) == TITLE_SPACE  # no proposition: as before
    # In the app's column the same words take more lines, and the plot gives the room.
    shown = fit_footer(fig, caption)
    lines = shown.layout.title.subtitle.text.split("<br>")
    assert len(lines) == 3 and " ".join(lines[:2]) == f"Proposition: {plain(QUESTION)}"
    assert all(text_width(line, 13) <= NARROW_WIDTH - 20 for line in lines)
    assert shown.layout.margin.t == fig.layout.margin.t + SUBTITLE_LINE
    assert fig.layout.title.subtitle.text.count("<br>") == 1  # the shared figure is untouched


def test_a_long_proposition_is_cut_at_three_lines_and_data_text_is_escaped() -> None:
    long = "<b>" + " ".join(["a long proposition"] * 60)
    caption = Caption("T", "S", proposition=long)
    assert len(caption.heading()) == PROPOSITION_LINES + 1 and caption.heading()[PROPOSITION_LINES - 1].endswith("…")
    fig = apply_caption(go.Figure(), caption)
    assert fig.layout.title.subtitle.text.startswith("&lt;b&gt;a long")


# --- the public link in an image's footer -------------------------------------------------------------------


def test_an_image_can_carry_the_views_public_link_at_the_end_of_its_footer() -> None:
    caption = Caption("T", "S", ["ORF (2013-04-05)"], "Data", "rev")
    fig = apply_caption(go.Figure(go.Bar(x=[1], y=[1])), caption)
    link = "https://stances.example.org/compare?asof=2024-12-31&voices=official&rev=6c4cad9&a=<b>"
    linked = with_link(fig, caption, link)
    assert linked is not fig and "example.org" not in footer_text(fig)
    assert footer_text(linked).endswith("· Data · revision rev · " + plain(link))
    assert linked.layout.margin.b == fig.layout.margin.b  # one line still
    assert with_link(fig, caption, "") is fig


# --- the exported PNG, measured --------------------------------------------------------------------------------


def test_the_exported_footer_is_9_px_high_at_half_size_and_never_cut() -> None:
    """Lowercase letters of the footer, measured in the 2400x1350 PNG: at least 18 px, so 9 px when
    the image is pasted 1200 px wide; the last line ends above the image's bottom edge."""
    import io

    import numpy as np
    from PIL import Image

    from stances import export

    if not export.chromium_available():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail("REQUIRE_BROWSER=1 but no Chromium was found")
        pytest.skip("no Chromium on PATH: image export cannot run here")

    def ink_rows(fig: go.Figure) -> list[int]:
        image = Image.open(io.BytesIO(export.render(fig, "png"))).convert("L")
        assert image.size == (2400, 1350)
        strip = np.asarray(image)[900:]  # below the plot: the footer alone
        return [900 + int(y) for y in np.nonzero(strip.min(axis=1) < 200)[0]]

    blank = {"xaxis": {"visible": False}, "yaxis": {"visible": False}}
    lowercase = apply_caption(go.Figure(layout=blank), Caption("T", "", (), "xxxx xxxx", ""))
    rows = ink_rows(lowercase)
    assert rows and (rows[-1] - rows[0] + 1) / 2 >= 9, rows  # x-height at 1200 px wide
    full = apply_caption(go.Figure(layout=blank), Caption("T", "S", TWENTY, "Missile defence: stated positions", "r"))
    rows = ink_rows(full)
    assert rows and rows[-1] < 1350 - 8  # the last line (with its descenders) is inside the image
