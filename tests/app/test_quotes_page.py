"""Quotes under AppTest: the quote to read (columns, wrapping, no "None", the note, a row in full),
accent- and spelling-insensitive search, filters, http(s)-only links, links restore it."""

from __future__ import annotations

import datetime as dt
import json

from apphelpers import AS_OF, BUNDLED, messages, open_page, rerun, same_view

from stances import analysis, spelling, tables
from stances.load import load_dataset

PAGE = "pages/quotes_page.py"


def test_table_lists_every_official_position_newest_first(bundled):
    dataset = load_dataset(bundled)
    frame = analysis.positions_frame(dataset)
    official = frame[frame["voice"] == "official"]
    at = open_page(PAGE, {"asof": AS_OF})
    [table] = at.dataframe
    assert len(table.value) == len(official) > 0
    assert sorted(table.value["quote"]) == sorted(official["quote"])
    assert set(table.value["language"]) == set(official["language"])  # the code: "fr", not "[fr]"
    assert any(t.value == f"{len(official)} of {len(frame)} positions match." for t in at.text)


def test_search_ignores_accents_and_case(use_dataset):
    use_dataset("nonlatin.yaml")
    at = open_page(PAGE, {"asof": AS_OF, "voices": "official,expert", "q": "SYNTHETIQUE"})
    [table] = at.dataframe
    assert table.value["quote"].tolist() == ["-Une citation synthétique qui commence par un tiret."]


def test_filters_match_the_analysis_search(use_dataset):
    path = use_dataset("many_actors.yaml")
    frame = analysis.positions_frame(load_dataset(path))
    at = open_page(PAGE, {"asof": AS_OF, "actors": ["USA", "RUS"], "issues": ["abm-treaty"], "from": "2005-01-01"})
    expected = analysis.search_quotes(
        frame, "", ["USA", "RUS"], ["abm-treaty"], ["official"], None, dt.date(2005, 1, 1), None
    )
    [table] = at.dataframe
    assert sorted(table.value["quote"]) == sorted(expected["quote"])


def test_links_are_http_only_and_a_link_column(use_dataset):
    use_dataset("nonlatin.yaml")
    at = open_page(PAGE, {"asof": AS_OF})
    [table] = at.dataframe
    links = [u for u in table.value["source link"].tolist() if isinstance(u, str)]
    assert links and all(u.startswith("https://") for u in links)
    columns = json.loads(table.proto.columns)
    assert columns["source link"]["type_config"]["type"] == "link"


def test_csv_download_is_offered(bundled):
    at = open_page(PAGE, {"asof": AS_OF})
    [button] = at.get("download_button")
    assert button.proto.label == "Download these quotes (CSV)"


def test_no_match_is_explained(bundled):
    at = open_page(PAGE, {"asof": AS_OF, "q": "zzzzqqqq"})
    assert len(at.dataframe) == 0
    assert any("No quote matches" in m for m in messages(at, "info"))


def test_speaker_with_a_comma_survives_the_link(use_dataset):
    use_dataset("nonlatin.yaml")
    first = open_page(PAGE, {"asof": AS_OF})
    first.multiselect(key="q_speakers").set_value(['=HYPERLINK("https://example.org")'])
    rerun(first)
    second = same_view(first, PAGE)
    assert second.multiselect(key="q_speakers").value == ['=HYPERLINK("https://example.org")']
    assert len(second.dataframe[0].value) == 1


def test_link_round_trip(bundled):
    first = open_page(PAGE, {"asof": AS_OF})
    first.text_input(key="q_query").set_value("defence")
    first.multiselect(key="q_actors").set_value(["RUS"])
    first.date_input(key="q_from").set_value(dt.date(2010, 1, 1))
    rerun(first)
    assert first.query_params["q"] == "defence"
    second = same_view(first, PAGE)
    assert second.text_input(key="q_query").value == "defence"
    assert second.multiselect(key="q_actors").value == ["RUS"]
    assert second.date_input(key="q_from").value == dt.date(2010, 1, 1)
    assert second.dataframe[0].value.equals(first.dataframe[0].value)


def test_many_matches_show_the_newest_and_the_csv_keeps_all(tmp_path, use_dataset):
    from stances.generate import generate

    path = tmp_path / "many.yaml"
    path.write_text(generate(2500, 1), encoding="utf-8")
    use_dataset(path)
    frame = analysis.positions_frame(load_dataset(path))
    everything = analysis.search_quotes(frame, "", None, None, ["official", "expert", "reported"])
    assert len(everything) > 1000
    at = open_page(PAGE, {"voices": "official,expert,reported"})
    [table] = at.dataframe
    newest = everything.sort_values("date_start", ascending=False, kind="stable").head(1000)
    assert table.value["quote"].tolist() == newest["quote"].tolist()
    assert any(f"Showing the newest 1,000 of {len(everything):,} matching positions" in c.value for c in at.caption)
    assert any(t.value == f"{len(everything)} of {len(frame)} positions match." for t in at.text)


def test_the_quote_comes_first_to_read_and_ids_show_on_request(bundled):
    at = open_page(PAGE, {"asof": AS_OF})
    [table] = at.dataframe
    assert list(table.value.columns)[:5] == ["actor", "date", "quote", "speaker", "source"]
    assert "note" in table.value.columns and table.value["note"].notna().any()
    assert not set(tables.ID_HEADINGS) & set(table.value.columns)
    assert table.proto.placeholder == ""  # an empty cell shows nothing, never "None"
    assert table.proto.row_height > 64  # tall enough to wrap (Streamlit wraps above 4rem)
    columns = json.loads(table.proto.columns)
    assert columns["quote"]["width"] >= 300
    at.toggle(key="q_ids").set_value(True)
    rerun(at)
    [table] = at.dataframe
    assert list(table.value.columns)[-4:] == list(tables.ID_HEADINGS)


def test_a_selected_row_is_read_in_full_with_its_note(bundled):
    at = open_page(PAGE, {"asof": AS_OF})
    first = at.dataframe[0].value.iloc[0]
    assert not any(t.value.startswith("Coder's note:") for t in at.text)
    at.session_state["q_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    rerun(at)
    shown = [t.value for t in at.text]
    assert f"\u201c{first['quote']}\u201d" in shown
    assert f"Coder's note: {first['note']}" in shown
    assert not [line for line in shown if "None" in line]


def test_spellings_are_named_on_the_page_and_found_together(bundled):
    at = open_page(PAGE, {"asof": AS_OF, "q": "defence"})
    assert spelling.summary() in [t.value for t in at.text]
    british = at.dataframe[0].value
    american = open_page(PAGE, {"asof": AS_OF, "q": "defense"}).dataframe[0].value
    assert len(british) > 0 and british.equals(american)
    dotted = open_page(PAGE, {"asof": AS_OF, "q": "U.S."}).dataframe[0].value
    plain = open_page(PAGE, {"asof": AS_OF, "q": "US"}).dataframe[0].value
    assert len(dotted) > 0 and dotted.equals(plain)


def test_new_searches_find_what_the_plain_search_finds(tmp_path, use_dataset, monkeypatch):
    # The page searches through stances.quotesearch's index, built once for the file's content:
    # every new search in the open page shows what analysis.search_quotes finds.
    import uuid

    from stances import quotesearch
    from stances.generate import generate

    path = tmp_path / "generated.yaml"
    path.write_text(generate(1500, 5) + f"# {uuid.uuid4()}\n", encoding="utf-8")  # content no test cached
    use_dataset(path)
    frame = analysis.positions_frame(load_dataset(path))
    builds = []
    real = quotesearch.search_index
    monkeypatch.setattr(quotesearch, "search_index", lambda *args: builds.append(1) or real(*args))
    at = open_page(PAGE, {"voices": "official,expert"})
    for query in ("defense", "defence", "U.S.", "anti-missile", "Лавров", "sécurité", "quokka"):
        at.text_input(key="q_query").input(query)
        rerun(at)
        expected = analysis.search_quotes(frame, query, None, None, ["official", "expert"])
        assert any(t.value == f"{len(expected)} of {len(frame)} positions match." for t in at.text), query
        if len(expected):
            newest = expected.sort_values("date_start", ascending=False, kind="stable").head(1000)
            assert at.dataframe[0].value["quote"].tolist() == newest["quote"].tolist(), query
        else:
            assert len(at.dataframe) == 0
    assert len(builds) == 1


def test_a_search_after_an_edit_finds_the_new_text(tmp_path, use_dataset):
    import uuid

    path = tmp_path / "positions.yaml"
    original = BUNDLED.read_text(encoding="utf-8") + f"# {uuid.uuid4()}\n"
    path.write_text(original, encoding="utf-8")
    use_dataset(path)
    at = open_page(PAGE, {"asof": AS_OF, "voices": "official,expert,reported", "q": "quokka"})
    assert len(at.dataframe) == 0
    quote = load_dataset(path).positions[0].quote
    path.write_text(original.replace(quote, "A quokka said it.", 1), encoding="utf-8")
    rerun(at)
    [table] = at.dataframe
    assert table.value["quote"].tolist() == ["A quokka said it."]


def test_an_edited_file_replaces_the_search_index(tmp_path, use_dataset, monkeypatch):
    # One index is kept (about 35 MB at 100,000 positions): the last version's goes with an edit.
    import gc
    import uuid
    import weakref

    from stances import quotesearch

    path = tmp_path / "positions.yaml"
    original = BUNDLED.read_text(encoding="utf-8") + f"# {uuid.uuid4()}\n"
    path.write_text(original, encoding="utf-8")
    use_dataset(path)
    built = []
    real = quotesearch.search_index

    def counted(*args):
        index = real(*args)
        built.append(weakref.ref(index))
        return index

    monkeypatch.setattr(quotesearch, "search_index", counted)
    at = open_page(PAGE, {"asof": AS_OF, "q": "defence"})
    path.write_text(original + "# edited\n", encoding="utf-8")
    rerun(at)
    gc.collect()
    assert len(built) == 2
    assert built[0]() is None and built[1]() is not None
