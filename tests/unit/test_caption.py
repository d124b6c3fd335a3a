"""Captions: escaping of data text, the footer's wording and shortening, placement on a figure."""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import pytest

from stances.caption import (
    APP_WIDTH,
    FOOTER_INDENT,
    WIDTH,
    Caption,
    apply_caption,
    compact_sources,
    describe_selection,
    fit_footer,
    footer_space,
    footer_text,
    plain,
    shorten,
    shorten_apart,
    text_width,
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


def test_footer_names_all_twenty_publishers_within_the_figure_width() -> None:
    caption = Caption("T", "S", TWENTY, "Missile defence: stated positions", "2024-11 · 6c4cad9")
    footer = caption.footer_layout()
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


def test_a_short_footer_keeps_one_line_at_11_px() -> None:
    footer = Caption("T", "", ["ORF (2013-04-05)", "TASS"], "Data", "rev").footer_layout()
    assert footer.lines == ("Source: ORF (2013-04-05); TASS · Data · revision rev",)
    assert footer.size == 11


def test_only_a_huge_source_list_is_counted_as_n_more() -> None:
    sources = [f"Publisher number {n:03d} with a long name (2013-04-{n % 28 + 1:02d})" for n in range(200)]
    footer = Caption("T", "", sources, "Data", "rev").footer_layout()
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


def test_a_footer_that_fits_the_app_column_is_drawn_as_it_is() -> None:
    caption = Caption("T", "", ["ORF (2013-04-05)", "TASS"], "Data", "rev")
    fig = apply_caption(go.Figure(go.Bar(x=[1], y=[1])), caption)
    assert fit_footer(fig, caption) is fig


def test_a_wide_footer_is_wrapped_again_for_the_app_column_on_a_copy() -> None:
    fig = go.Figure(go.Bar(x=[1], y=[1]))
    fig.update_layout(margin={"l": 150, "b": 40, "t": 5, "r": 10})
    caption = Caption("T", "S", TWENTY, "Data", "rev")
    apply_caption(fig, caption)
    exported = footer_text(fig)
    wide, narrow = caption.footer_layout(), caption.footer_layout(APP_WIDTH)
    # cut off in the app before: a line wrapped for 1200 px is wider than the column
    assert max(text_width(line, wide.size) for line in wide.lines) > APP_WIDTH - 2 * FOOTER_INDENT
    shown = fit_footer(fig, caption)
    assert shown is not fig and footer_text(fig) == exported  # the shared figure is untouched
    lines = footer_text(shown).split("<br>")
    assert len(lines) == len(narrow.lines) > len(wide.lines)
    assert all(text_width(line, narrow.size) <= APP_WIDTH - 2 * FOOTER_INDENT for line in narrow.lines)
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
