"""The evidence archive: reading archive files, finding quotes in them, showing a quote in its
paragraph, and adding a paragraph without changing a byte already there."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stances import atomicfile, evidence
from stances.evidence import (
    MAX_ARCHIVE_BYTES,
    ArchiveError,
    EvidenceError,
    WriteRefused,
    append_context,
    archive_dir,
    archive_path,
    check_evidence,
    parse_archive,
    quote_in_context,
    read_archive,
    verify,
)
from stances.load import load_dataset
from stances.model import Source
from stances.problems import EVIDENCE_TYPES, PROBLEM_TYPES
from stances.quotes import find_quote, normalise

ROOT = Path(__file__).parents[2]
FIXTURE = ROOT / "tests" / "data" / "evidence"
ARCHIVES = FIXTURE / "archives"

HEADER = "source: src\nurl: https://example.org/page\npublisher: Example Publisher\n---\n"
SOURCE = Source(id="src", publisher="Example Publisher", title="A page", date="2013-04-05", url="https://example.org/p")


def dataset_with(tmp_path: Path, quotes: list[str], body: str | None, *, translation: str | None = None) -> Path:
    """A positions file in ``tmp_path`` with one position per quote, all on source 'src', and
    ``evidence/src.txt`` holding ``body`` (no archive for None). Returns the positions file."""
    text = (
        "actors:\n  - id: RUS\n    name: Russia\n"
        "issues:\n  - id: bmd\n    title: Missile defence\n    question: Missile defence should go ahead.\n"
        "sources:\n  - id: src\n    publisher: Example Publisher\n  - id: digest\n    publisher: Example Digest\n"
        "positions:\n"
    )
    for quote in quotes:
        text += (
            "  - actor: RUS\n    issue: bmd\n    stance: -1\n    date: 2013-03\n    speaker: A. Speaker\n"
            f"    role: Minister\n    voice: official\n    quote: {scalar(quote)}\n    source: src\n"
        )
        if translation is not None:
            text += f"    translation: {scalar(translation)}\n    translation_source: digest\n"
    path = tmp_path / "positions.yaml"
    path.write_text(text, encoding="utf-8")
    if body is not None:
        (tmp_path / "evidence").mkdir(exist_ok=True)
        (tmp_path / "evidence" / "src.txt").write_text(HEADER + body, encoding="utf-8")
    return path


def scalar(text: str) -> str:
    """``text`` as a YAML double-quoted scalar (a JSON string is one)."""
    return json.dumps(text, ensure_ascii=False)


def problems_of(path: Path, *, strict: bool = False) -> list[tuple[str, str, int | None]]:
    dataset = load_dataset(path, cache=False)
    assert dataset.problems == [], [p.format() for p in dataset.problems]
    return [(p.type, p.severity, p.line) for p in verify(dataset, archive_dir(path), strict)]


# --- reading archives ----------------------------------------------------------------------------


def test_an_archive_is_a_header_then_the_verbatim_body() -> None:
    data = b"source: src\nurl: https://example.org/a?b=c: d\ntitle:\n---\n  First line.\n---\nLast line"
    archive = parse_archive(data)
    assert archive.header == {"source": "src", "url": "https://example.org/a?b=c: d", "title": ""}
    assert archive.body == "  First line.\n---\nLast line"  # the first '---' ends the header; the rest is text
    assert archive.body_line == 5


def test_an_archive_may_start_with_a_bom_and_use_crlf() -> None:
    archive = parse_archive(b"\xef\xbb\xbfsource: src\r\npublisher: P\r\n---\r\nText,\r\nmore.\r\n")
    assert archive.header == {"source": "src", "publisher": "P"}
    assert archive.body == "Text,\r\nmore.\r\n"


@pytest.mark.parametrize(
    ("name", "message", "line"),
    [
        ("no-separator.txt", "no line '---' ends the header", None),
        ("bad-header-line.txt", "header line 2 is not 'key: value'", 2),
        ("duplicate-key.txt", "the header names 'publisher' twice", 3),
        ("empty-header.txt", "the header is empty", 1),
        ("latin1.txt", "byte 0xE9 is not UTF-8", 3),
        ("binary.txt", "binary data", 3),
    ],
)
def test_a_malformed_archive_is_an_error_at_its_line(name: str, message: str, line: int | None) -> None:
    with pytest.raises(ArchiveError, match=message) as raised:
        read_archive(ARCHIVES / name)
    assert raised.value.line == line


def test_an_archive_larger_than_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"source: big\n---\n" + b"x" * MAX_ARCHIVE_BYTES)
    with pytest.raises(ArchiveError, match="more than 2 MiB"):
        read_archive(path)
    path.write_bytes(b"source: big\n---\n" + b"x" * (MAX_ARCHIVE_BYTES - 100))
    assert len(read_archive(path).body) == MAX_ARCHIVE_BYTES - 100


def test_a_folder_is_not_an_archive(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError, match="folder"):
        read_archive(tmp_path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_as_an_archive_is_refused_at_once_not_waited_on(tmp_path: Path) -> None:
    """Opening a FIFO for reading waits for a writer: `verify` hung, and so would the dashboard's
    "read a quote in its source's context"."""
    import threading

    from stances import incontext

    path = dataset_with(tmp_path, ["We feel no euphoria."], None)
    (tmp_path / "evidence").mkdir()
    os.mkfifo(tmp_path / "evidence" / "src.txt")
    dataset = load_dataset(path, cache=False)
    found: list[object] = []
    worker = threading.Thread(
        target=lambda: found.extend([verify(dataset, archive_dir(path)), incontext.in_context(dataset, 0)]),
        daemon=True,
    )
    worker.start()
    worker.join(timeout=10)
    if worker.is_alive():  # unblock the open() so that the thread ends, then fail
        with open(tmp_path / "evidence" / "src.txt", "wb"):
            pass
        pytest.fail("reading a FIFO archive waited for a writer")
    problems, shown = found
    [problem] = problems
    assert problem.type == "invalid-evidence" and "is a FIFO (named pipe), not a plain file" in problem.message
    assert shown.missing and "FIFO" in shown.missing


def test_the_archive_folder_is_beside_the_positions_file(tmp_path: Path) -> None:
    assert archive_dir(tmp_path / "data" / "positions.yaml") == tmp_path / "data" / "evidence"
    assert archive_dir("positions.yaml") == Path("evidence")
    assert archive_path("evidence", "orf-2013-04-05") == Path("evidence/orf-2013-04-05.txt")
    for unsafe in ("../positions", "a/b", "/etc/passwd", ".hidden", ""):
        with pytest.raises(ValueError):
            archive_path("evidence", unsafe)


# --- finding quotes ------------------------------------------------------------------------------

BODY = (
    'The deputy minister said: "We feel no\neuphoria in connection with what was announced."\n\n'
    "He added: \u201cThis is not a concession to Russia. All aspects of strategic uncertainty remain.\u201d\n"
)


@pytest.mark.parametrize(
    "quote",
    [
        "We feel no euphoria in connection with what was announced.",  # across a line break
        '"We feel no euphoria in connection',  # ASCII marks, ASCII in the archive
        '"This is not a concession to Russia.',  # ASCII here, typographic in the archive
        "This is not a concession ... strategic uncertainty remain.",  # an omission
        "We feel no \u2026 uncertainty remain.",  # an omission across paragraphs
        "We  feel\tno euphoria",  # whitespace runs
    ],
)
def test_a_quote_in_the_archive_is_found(tmp_path: Path, quote: str) -> None:
    assert problems_of(dataset_with(tmp_path, [quote], BODY)) == []


@pytest.mark.parametrize(
    "quote",
    [
        "We feel no euphoria in connection with what was announced!",  # a changed character
        "we feel no euphoria",  # case matters
        "strategic uncertainty remain ... This is not a concession",  # pieces out of order
        "...",  # nothing to find
    ],
)
def test_a_quote_not_in_the_archive_is_an_error_at_the_quote(tmp_path: Path, quote: str) -> None:
    path = dataset_with(tmp_path, [quote], BODY)
    quote_line = path.read_text(encoding="utf-8").splitlines().index(f"    quote: {scalar(quote)}") + 1
    assert problems_of(path) == [("quote-not-in-evidence", "error", quote_line)]


@pytest.mark.parametrize(
    ("quote", "body"),
    [
        ("a b", "a\n\nb"),
        ("\u201ca\u201d", '"a"'),
        ("a...b...c", "a c b c"),
        ("a...b...c", "c b a"),
        ("x\u2026y", "y x y"),
        ("  ", "anything"),
        ("no euphoria...no euphoria", "no euphoria"),
    ],
)
def test_verify_finds_exactly_what_find_quote_finds(tmp_path: Path, quote: str, body: str) -> None:
    found = problems_of(dataset_with(tmp_path, [quote], body)) == [] if quote.strip() else False
    assert found == find_quote(quote, body)


def test_the_problem_names_the_position_as_people_count_it_and_its_index(tmp_path: Path) -> None:
    path = dataset_with(tmp_path, ["We feel no euphoria", "We feel some euphoria"], BODY)
    [problem] = verify(load_dataset(path, cache=False), archive_dir(path))
    assert problem.loc == "positions[1].quote"
    assert problem.message == (f"(RUS, A. Speaker, 2013-03): the quote is not in {tmp_path / 'evidence' / 'src.txt'}")
    line = path.read_text(encoding="utf-8").splitlines()[problem.line - 1]
    assert line[problem.column - 1 :] == '"We feel some euphoria"'
    assert problem.path == str(path)


def test_the_hint_is_the_closest_passage_of_the_archive(tmp_path: Path) -> None:
    body = (
        "Moscow will respond to the deployment with measures of its own, the ministry said.\n\n"
        "The talks in Geneva ended without agreement on the radar in Europe.\n\n"
        "We see no grounds for correcting our position, the minister told reporters.\n"
    )
    path = dataset_with(tmp_path, ["We see no ground for correcting our positions"], body)
    [problem] = verify(load_dataset(path, cache=False), archive_dir(path))
    assert (
        problem.hint == 'closest passage: "We see no grounds for correcting our position, the minister told reporters."'
    )


def test_the_hint_is_the_passage_closest_to_the_first_missing_piece(tmp_path: Path) -> None:
    body = "First we talked. The radar is a threat to us.\n\nThen we left. The shield is not aimed at Russia.\n"
    path = dataset_with(tmp_path, ["First we talked. ... The shield is not aimed at Moscow."], body)
    [problem] = verify(load_dataset(path, cache=False), archive_dir(path))
    assert problem.hint == 'closest passage: "The shield is not aimed at Russia."'


def test_a_long_passage_is_cut_around_the_closest_words(tmp_path: Path) -> None:
    before = ", ".join(f"filler clause {n} says nothing" for n in range(10))
    after = ", ".join(f"closing remark {n} adds nothing" for n in range(10))
    body = f"One long sentence: {before}, the shield threatens the strategic balance, {after}.\n"
    path = dataset_with(tmp_path, ["the shield threatens a strategic balance"], body)
    [problem] = verify(load_dataset(path, cache=False), archive_dir(path))
    passage = problem.hint.removeprefix('closest passage: "').removesuffix('"')
    assert len(passage) <= evidence.HINT_CHARS + 2
    assert "the shield threatens the strategic balance" in passage
    assert passage.startswith("…") and passage.endswith("…")


def test_pieces_out_of_order_say_so(tmp_path: Path) -> None:
    path = dataset_with(tmp_path, ["uncertainty remain ... not a concession"], BODY)
    [problem] = verify(load_dataset(path, cache=False), archive_dir(path))
    assert "'not a concession' is in the archive, but not after the quote's earlier pieces" in problem.hint


def test_a_translation_is_found_in_its_translation_source(tmp_path: Path) -> None:
    path = dataset_with(tmp_path, ["We feel no euphoria"], BODY, translation="Nous ne ressentons aucune euphorie")
    digest = tmp_path / "evidence" / "digest.txt"
    digest.write_text("source: digest\npublisher: D\n---\nIl a dit : « Nous ne ressentons aucune euphorie ».\n")
    dataset = load_dataset(path, cache=False)
    checked = check_evidence(dataset, archive_dir(path))
    assert checked.problems == []
    assert (checked.translations_checked, checked.translations_found) == (1, 1)

    # the same words in the quote's own archive do not count: a translation rests on its own source
    digest.write_text("source: digest\npublisher: D\n---\nIl n'a rien dit.\n")
    (tmp_path / "evidence" / "src.txt").write_text(HEADER + BODY + "Nous ne ressentons aucune euphorie.\n")
    [problem] = verify(load_dataset(path, cache=False), archive_dir(path))
    assert (problem.type, problem.loc) == ("quote-not-in-evidence", "positions[0].translation")
    assert f"the translation is not in {digest}" in problem.message
    assert path.read_text().splitlines()[problem.line - 1].startswith("    translation: ")


def test_a_missing_archive_is_one_warning_per_source_or_an_error_when_strict(tmp_path: Path) -> None:
    path = dataset_with(tmp_path, ["one", "two", "three"], None)
    source_line = path.read_text().splitlines().index("  - id: src") + 1
    assert problems_of(path) == [("missing-evidence", "warning", source_line)]
    assert problems_of(path, strict=True) == [("missing-evidence", "error", source_line)]
    [problem] = verify(load_dataset(path, cache=False), archive_dir(path))
    assert problem.loc == "sources[0]"
    assert "3 quotes cannot be checked" in problem.message
    checked = check_evidence(load_dataset(path, cache=False), archive_dir(path))
    assert (checked.quotes_checked, checked.sources_cited, checked.sources_archived) == (0, 1, 0)


def test_a_malformed_archive_is_invalid_evidence_at_its_line(tmp_path: Path) -> None:
    path = dataset_with(tmp_path, ["We feel no euphoria"], None)
    (tmp_path / "evidence").mkdir()
    archive = tmp_path / "evidence" / "src.txt"
    shutil.copy(ARCHIVES / "bad-header-line.txt", archive)
    checked = check_evidence(load_dataset(path, cache=False), archive_dir(path))
    [problem] = checked.problems
    assert (problem.type, problem.severity, problem.path, problem.line) == (
        "invalid-evidence",
        "error",
        str(archive),
        2,
    )
    assert checked.quotes_checked == 0, "a quote is not checked against an archive that cannot be read"


def test_an_archive_whose_header_names_another_source_is_invalid(tmp_path: Path) -> None:
    path = dataset_with(tmp_path, ["We feel no euphoria"], BODY)
    archive = tmp_path / "evidence" / "src.txt"
    archive.write_text(HEADER.replace("source: src", "source: other") + BODY)
    [problem] = verify(load_dataset(path, cache=False), archive_dir(path))
    assert problem.type == "invalid-evidence"
    assert "'source: other', but the file is the archive of 'src'" in problem.message


def test_every_evidence_problem_type_is_produced(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
    unchecked = dataset_with(tmp_path / "a", ["not in the archive"], BODY, translation="no archive for it")
    broken = dataset_with(tmp_path / "b", ["We feel no euphoria"], "")
    shutil.copy(ARCHIVES / "latin1.txt", tmp_path / "b" / "evidence" / "src.txt")
    kinds = {p.type for path in (unchecked, broken) for p in verify(load_dataset(path, cache=False), archive_dir(path))}
    assert kinds == EVIDENCE_TYPES
    assert set(PROBLEM_TYPES) >= EVIDENCE_TYPES


def test_the_fixture_dataset_is_fully_verified() -> None:
    path = FIXTURE / "positions.yaml"
    dataset = load_dataset(path, cache=False)
    checked = check_evidence(dataset, archive_dir(path), strict=True)
    assert checked.problems == []
    assert (checked.quotes_checked, checked.quotes_found) == (len(dataset.positions), 3)
    assert (checked.translations_checked, checked.translations_found) == (1, 1)
    assert (checked.sources_cited, checked.sources_archived) == (2, 2)


def test_records_with_validation_errors_do_not_shift_the_index(tmp_path: Path) -> None:
    path = dataset_with(tmp_path, ["We feel no euphoria", "We feel some euphoria"], BODY)
    text = path.read_text().replace("stance: -1", "stance: 7", 1)  # the first position is now invalid
    path.write_text(text)
    dataset = load_dataset(path, cache=False)
    assert len(dataset.positions) == 1 and dataset.errors
    [problem] = verify(dataset, archive_dir(path))
    assert problem.loc == "positions[1].quote"
    assert problem.record == "the 2nd position"  # as a person counts it: the message does not repeat it


def test_an_archive_folder_that_is_a_file_stops_the_check(tmp_path: Path) -> None:
    path = dataset_with(tmp_path, ["We feel no euphoria"], None)
    (tmp_path / "evidence").write_text("not a folder")
    with pytest.raises(EvidenceError, match="not a folder"):
        verify(load_dataset(path, cache=False), archive_dir(path))


def test_hints_stay_within_their_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(evidence, "HINT_BUDGET", 1)
    path = dataset_with(tmp_path, ["not there at all", "nor is this"], BODY)
    first, second = verify(load_dataset(path, cache=False), archive_dir(path))
    assert first.hint.startswith("closest passage: ")
    assert second.hint.startswith("compare it with the archive")


def test_the_evidence_module_imports_no_dataframe_or_ui_library() -> None:
    code = "import sys, stances.evidence; print(sorted({'pandas', 'plotly', 'streamlit'} & set(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr


# --- a quote in its paragraph --------------------------------------------------------------------

PARAGRAPHS = (
    "First paragraph, about something else.\n"
    "\n"
    "The minister said: \u201cWe feel no\n"
    "euphoria.\u201d He added that all aspects of\n"
    "strategic uncertainty remain.\n"
    "   \n"
    "[...]\n"
    "Last paragraph: \u201cwe feel no euphoria\u201d again.\n"
)


def test_quote_in_context_gives_the_paragraph_around_the_quote() -> None:
    passage = quote_in_context("We feel no euphoria.", PARAGRAPHS)
    assert passage is not None
    assert passage.before == "The minister said: \u201c"
    assert passage.matched == "We feel no\neuphoria."
    assert passage.after == "\u201d He added that all aspects of\nstrategic uncertainty remain."
    assert PARAGRAPHS[passage.start : passage.end] == passage.matched
    assert passage.paragraph in PARAGRAPHS


def test_quote_in_context_marks_omissions_from_first_to_last_piece() -> None:
    passage = quote_in_context("We feel ... all aspects of strategic", PARAGRAPHS)
    assert passage is not None
    assert passage.matched == "We feel no\neuphoria.\u201d He added that all aspects of\nstrategic"
    assert passage.after == " uncertainty remain."


def test_quote_in_context_keeps_the_archives_typographic_marks() -> None:
    passage = quote_in_context('"We feel no euphoria."', PARAGRAPHS)
    assert passage is not None
    assert passage.matched == "\u201cWe feel no\neuphoria.\u201d"
    assert passage.before == "The minister said: "


def test_a_line_holding_only_an_omission_mark_separates_paragraphs() -> None:
    passage = quote_in_context("again.", PARAGRAPHS)
    assert passage is not None
    assert passage.before == "Last paragraph: \u201cwe feel no euphoria\u201d "
    assert passage.after == ""


def test_quote_in_context_is_none_for_a_quote_not_there() -> None:
    assert quote_in_context("We feel euphoria.", PARAGRAPHS) is None
    assert quote_in_context("...", PARAGRAPHS) is None


TEXT = st.text(alphabet=st.sampled_from("ab .\n\t\u00a0\u201c\u201d\u2019'\"…"), max_size=40)


@given(TEXT)
def test_folding_is_the_quote_rules_normalisation(text: str) -> None:
    assert evidence._fold(text).text == normalise(text)


@given(TEXT, st.data())
def test_quote_in_context_finds_any_slice_of_the_body_exactly(body: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(body)))
    end = data.draw(st.integers(start, len(body)))
    quote = body[start:end].replace("...", "").replace("…", "")
    passage = quote_in_context(quote, body)
    if not find_quote(quote, body):
        assert passage is None
        return
    assert passage is not None
    assert body[passage.start : passage.end] == passage.matched
    assert normalise(passage.matched) == normalise(quote)
    assert passage.paragraph in body


# --- adding context ------------------------------------------------------------------------------


def test_append_context_creates_an_archive_with_a_header_from_the_source(tmp_path: Path) -> None:
    folder = tmp_path / "evidence"
    source = SOURCE.model_copy(update={"note": "Reprinted\nfrom the print edition."})
    written = append_context(folder, source, "  The minister said: \u201cWe feel no euphoria.\u201d\n")
    assert (written.path, written.action) == (folder / "src.txt", "created")
    assert written.path.read_text(encoding="utf-8") == (
        "source: src\n"
        "url: https://example.org/p\n"
        "publisher: Example Publisher\n"
        "title: A page\n"
        "date: 2013-04-05\n"
        "note: Reprinted from the print edition.\n"
        "retrieved: added with stances add\n"
        "---\n"
        "The minister said: \u201cWe feel no euphoria.\u201d\n"
    )
    assert find_quote("We feel no euphoria.", read_archive(written.path).body)
    assert [p.name for p in folder.iterdir()] == ["src.txt"], "a temporary file was left behind"


def test_append_context_leaves_every_existing_byte_and_adds_after_an_omission_line(tmp_path: Path) -> None:
    folder = tmp_path / "evidence"
    folder.mkdir()
    old = "source: src\r\npublisher: P\r\n---\r\nFirst passage \u2018as found\u2019.\r\n".encode()
    (folder / "src.txt").write_bytes(old)
    written = append_context(folder, SOURCE, "Second passage,\nwith two lines.")
    new = written.path.read_bytes()
    assert written.action == "appended"
    assert new[: len(old)] == old
    assert new[len(old) :] == b"\r\n[...]\r\n\r\nSecond passage,\r\nwith two lines.\r\n"
    assert read_archive(written.path).header == {"source": "src", "publisher": "P"}


def test_append_context_after_a_last_line_without_a_break(tmp_path: Path) -> None:
    folder = tmp_path / "evidence"
    folder.mkdir()
    old = b"source: src\n---\nFirst passage."
    (folder / "src.txt").write_bytes(old)
    append_context(folder, SOURCE, "Second passage.")
    assert (folder / "src.txt").read_bytes() == old + b"\n\n[...]\n\nSecond passage.\n"


def test_append_context_to_an_empty_body_adds_no_omission_line(tmp_path: Path) -> None:
    folder = tmp_path / "evidence"
    folder.mkdir()
    (folder / "src.txt").write_bytes(b"source: src\n---\n")
    append_context(folder, SOURCE, "Only passage.")
    assert (folder / "src.txt").read_bytes() == b"source: src\n---\nOnly passage.\n"


def test_append_context_does_not_repeat_a_paragraph_already_there(tmp_path: Path) -> None:
    folder = tmp_path / "evidence"
    append_context(folder, SOURCE, "The same paragraph.")
    before = (folder / "src.txt").read_bytes()
    assert append_context(folder, SOURCE, "The  same\nparagraph.").action == "present"
    assert (folder / "src.txt").read_bytes() == before


def test_append_context_refuses_when_writes_are_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STANCES_READ_ONLY", "1")
    with pytest.raises(WriteRefused, match="STANCES_READ_ONLY"):
        append_context(tmp_path / "evidence", SOURCE, "A paragraph.")
    assert not (tmp_path / "evidence").exists()


def test_append_context_refuses_a_malformed_archive_unchanged(tmp_path: Path) -> None:
    folder = tmp_path / "evidence"
    folder.mkdir()
    shutil.copy(ARCHIVES / "no-separator.txt", folder / "src.txt")
    before = (folder / "src.txt").read_bytes()
    with pytest.raises(WriteRefused, match="fix the archive first"):
        append_context(folder, SOURCE, "A paragraph.")
    assert (folder / "src.txt").read_bytes() == before


def test_append_context_refuses_paths_outside_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "evidence"
    folder.mkdir()
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"source: src\n---\nprivate\n")
    (folder / "src.txt").symlink_to(outside)
    with pytest.raises(WriteRefused, match="not a plain file"):
        append_context(folder, SOURCE, "A paragraph.")
    assert outside.read_bytes() == b"source: src\n---\nprivate\n"
    escaping = Source.model_construct(id="../escaped", publisher="P")  # the model would refuse this id
    with pytest.raises(WriteRefused, match="not a source id"):
        append_context(folder, escaping, "A paragraph.")
    assert not (tmp_path / "escaped.txt").exists()


def test_append_context_refuses_a_blank_paragraph(tmp_path: Path) -> None:
    with pytest.raises(WriteRefused, match="empty"):
        append_context(tmp_path / "evidence", SOURCE, " \n\t")


def test_a_failed_write_leaves_the_archive_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "evidence"
    append_context(folder, SOURCE, "First passage.")
    before = (folder / "src.txt").read_bytes()

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    monkeypatch.setattr(atomicfile, "exchange", lambda first, second: False)  # the rename, then, is os.replace
    with pytest.raises(WriteRefused, match="No space left on device"):
        append_context(folder, SOURCE, "Second passage.")
    assert (folder / "src.txt").read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["src.txt"], "a temporary file was left behind"


def test_append_context_refuses_when_the_file_changed_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "evidence"
    append_context(folder, SOURCE, "First passage.")
    real_fsync = os.fsync

    def someone_edits(fd: int) -> None:  # runs after the temporary file is written, before the rename
        real_fsync(fd)
        (folder / "src.txt").write_bytes(b"source: src\n---\nedited elsewhere\n")

    monkeypatch.setattr(os, "fsync", someone_edits)
    with pytest.raises(WriteRefused, match="changed on disk"):
        append_context(folder, SOURCE, "Second passage.")
    assert (folder / "src.txt").read_bytes() == b"source: src\n---\nedited elsewhere\n"
