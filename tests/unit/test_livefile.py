"""The live file watch: what changed on disk, what is parsed again, what stays on show."""

from __future__ import annotations

import datetime as dt
import gc
import os
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from stances import fastload, livefile
from stances.generate import generate
from stances.livefile import FileWatch
from stances.load import parse_dataset

DATA = Path(__file__).parents[1] / "data"
DEADLINE = 30.0  # seconds to wait for a thread before failing


@pytest.fixture(autouse=True)
def quiet(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """No disk cache (every new content is parsed), and the freeze recorded instead of run."""
    monkeypatch.setenv("STANCES_NO_CACHE", "1")
    monkeypatch.setattr(livefile, "CACHE_WRITE_DELAY", 0.0)
    frozen: list[bool] = []
    monkeypatch.setattr(livefile, "freeze_long_lived", lambda: frozen.append(True))
    return frozen


@pytest.fixture
def path(tmp_path: Path) -> Path:
    """A private copy of a small valid dataset: three actors, two issues, two positions."""
    copy = tmp_path / "positions.yaml"
    shutil.copyfile(DATA / "datasets" / "orphan_issue.yaml", copy)
    return copy


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The content hashes parsed (or taken from the disk cache) from now on."""
    seen: list[str] = []
    real = livefile.dataset_of

    def counted(read, **kwargs):
        seen.append(read.content_hash)
        return real(read, **kwargs)

    monkeypatch.setattr(livefile, "dataset_of", counted)
    return seen


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths read from disk from now on."""
    seen: list[str] = []
    real = livefile.read_file

    def counted(path):
        seen.append(str(path))
        return real(path)

    monkeypatch.setattr(livefile, "read_file", counted)
    return seen


def save(path: Path, text: str, *, age: float = 5.0) -> None:
    """Write ``text`` with an mtime ``age`` seconds before the last one: always a new stamp."""
    before = os.stat(path).st_mtime_ns if path.exists() else time.time_ns()
    path.write_text(text, encoding="utf-8")
    past = min(before, time.time_ns()) - int(age * 1e9)
    os.utime(path, ns=(past, past))


def touch(path: Path) -> None:
    """A new stamp for the same content (an editor's save without a change)."""
    save(path, path.read_text(encoding="utf-8"))


def wait_until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail("the condition did not hold in time")
        time.sleep(0.01)


# --- what is read and parsed again ------------------------------------------------------------------


def test_an_unchanged_stamp_reads_nothing(path: Path, reads: list[str], parses: list[str]):
    watch = FileWatch(str(path))
    first = watch.load()
    again = watch.load()
    assert reads == [str(path)] and len(parses) == 1
    assert again.dataset is first.dataset and len(first.dataset.positions) == 2


def test_a_touch_without_change_reads_the_file_but_parses_nothing(path: Path, reads: list[str], parses: list[str]):
    watch = FileWatch(str(path))
    first = watch.load().dataset
    touch(path)
    loaded = watch.load()
    assert len(reads) == 2 and len(parses) == 1
    assert loaded.dataset is first and loaded.stamp == livefile.file_stamp(str(path))


def test_a_changed_content_is_parsed_and_shown(path: Path, parses: list[str]):
    watch = FileWatch(str(path))
    first = watch.load()
    save(path, path.read_text(encoding="utf-8").replace("stance: -1", "stance: 1"))
    loaded = watch.load()
    assert len(parses) == 2 and parses[0] != parses[1]
    assert not loaded.stale and loaded.dataset is loaded.current
    assert [p.stance for p in first.dataset.positions] == [-2, -1]
    assert [p.stance for p in loaded.dataset.positions] == [-2, 1]
    assert loaded.saved_at == dt.datetime.fromtimestamp(os.stat(path).st_mtime_ns / 1e9) != first.saved_at


# --- the last good version ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "broken_text",
    [
        pytest.param("actors: [\n  - id: RUS\n", id="syntax-error"),
        pytest.param("", id="emptied"),
    ],
)
def test_a_save_that_breaks_the_file_keeps_the_last_good_version(path: Path, broken_text: str):
    watch = FileWatch(str(path))
    good = watch.load()
    save(path, broken_text)
    loaded = watch.load()
    assert loaded.stale and loaded.dataset is good.dataset
    assert loaded.saved_at == good.saved_at  # when the version on show was saved
    assert loaded.current is not None and loaded.current is not good.dataset
    assert livefile.record_count(loaded.current) == 0 and loaded.error == ""


def test_a_repaired_save_is_shown_again(path: Path):
    watch = FileWatch(str(path))
    text = path.read_text(encoding="utf-8")
    watch.load()
    save(path, "actors: [\n")
    assert watch.load().stale
    save(path, text.replace("stance: -1", "stance: 0"))
    loaded = watch.load()
    assert not loaded.stale and loaded.dataset is loaded.current
    assert [p.stance for p in loaded.dataset.positions] == [-2, 0]


def test_a_record_with_an_error_is_not_a_broken_save(path: Path):
    # the file still holds valid records: show them (the banner lists the problem), not the old version
    watch = FileWatch(str(path))
    watch.load()
    save(path, path.read_text(encoding="utf-8").replace("stance: -1", "stance: 7"))
    loaded = watch.load()
    assert not loaded.stale and loaded.dataset.errors
    assert [p.stance for p in loaded.dataset.positions] == [-2]


@pytest.mark.parametrize("text", ["", "title: Not started yet\n"])
def test_a_first_file_without_records_is_shown_as_it_is(tmp_path: Path, text: str):
    # nothing better to show: the pages say what is wrong with it
    path = tmp_path / "positions.yaml"
    path.write_text(text, encoding="utf-8")
    loaded = FileWatch(str(path)).load()
    assert not loaded.stale and loaded.dataset is loaded.current
    assert livefile.record_count(loaded.dataset) == 0


# --- a file that cannot be read ---------------------------------------------------------------------------


def test_a_missing_file_gives_an_error_and_nothing_to_show(tmp_path: Path):
    path = tmp_path / "missing.yaml"
    loaded = FileWatch(str(path)).load()
    assert loaded.dataset is None and loaded.current is None and not loaded.stale
    assert loaded.error == f"{path}: no such file" and loaded.stamp is None


def test_a_folder_gives_an_error(tmp_path: Path):
    loaded = FileWatch(str(tmp_path)).load()
    assert loaded.dataset is None and "is a folder" in loaded.error


def test_a_file_removed_after_a_good_load_keeps_that_version(path: Path):
    watch = FileWatch(str(path))
    good = watch.load().dataset
    text = path.read_text(encoding="utf-8")
    path.unlink()
    loaded = watch.load()
    assert loaded.stale and loaded.dataset is good and loaded.current is None
    assert loaded.error.endswith("no such file")
    save(path, text)  # back: shown as the file again
    back = watch.load()
    assert not back.stale and back.error == "" and back.dataset.content_hash == good.content_hash


# --- the fast path's reads carried to the next version -----------------------------------------------------


def test_a_save_reads_again_only_the_chunks_it_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(fastload, "CHUNK_RECORDS", 50)
    path = tmp_path / "positions.yaml"
    path.write_text(generate(400, 4), encoding="utf-8")
    watch = FileWatch(str(path))
    first = watch.load().dataset
    assert first is not None and not first.problems and len(first.positions) == 400
    text = path.read_text(encoding="utf-8")
    middle = text.index("    stance: 1\n", len(text) // 2)
    text = text[:middle] + "    stance: -1\n" + text[middle + len("    stance: 1\n") :]
    chunks: list[str] = []
    real = fastload._yaml_rs_loads

    def spy(text: str, **kwargs):
        if text.startswith("positions:\n"):
            chunks.append(text)
        return real(text, **kwargs)

    monkeypatch.setattr(fastload, "_yaml_rs_loads", spy)
    save(path, text)
    loaded = watch.load()
    assert len(chunks) == 1  # of 8: the other seven come from the memo of the first version
    assert loaded.dataset.positions == parse_dataset(text.encode("utf-8"), label=str(path)).positions


def test_without_the_memo_every_chunk_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    # the counterpart of the test above: the spy does see every chunk of a fresh watch
    monkeypatch.setattr(fastload, "CHUNK_RECORDS", 50)
    path = tmp_path / "positions.yaml"
    path.write_text(generate(400, 4), encoding="utf-8")
    chunks: list[str] = []
    real = fastload._yaml_rs_loads

    def spy(text: str, **kwargs):
        if text.startswith("positions:\n"):
            chunks.append(text)
        return real(text, **kwargs)

    monkeypatch.setattr(fastload, "_yaml_rs_loads", spy)
    FileWatch(str(path)).load()
    assert len(chunks) == 8


# --- positions frames -----------------------------------------------------------------------------------


def test_frames_are_kept_for_the_file_as_saved_and_the_last_good_version_only(path: Path):
    watch = FileWatch(str(path))
    text = path.read_text(encoding="utf-8")
    one = watch.load().dataset
    assert set(watch.frames) == {one.content_hash} and len(watch.frame(one)) == 2
    save(path, text.replace("stance: -1", "stance: 1"))
    two = watch.load().dataset
    assert set(watch.frames) == {two.content_hash}  # the first version can no longer be shown
    assert watch.frame(one) is None
    frame = watch.frame(two)
    save(path, "actors: [\n")
    broken = watch.load()
    assert broken.stale and broken.dataset is two
    assert set(watch.frames) == {two.content_hash} and watch.frame(two) is frame  # the broken one is never shown
    save(path, text)
    three = watch.load().dataset
    assert set(watch.frames) == {three.content_hash}


def test_a_frame_that_fails_is_left_to_the_page(path: Path, monkeypatch: pytest.MonkeyPatch):
    def failing(dataset):
        raise ValueError("no frame")

    monkeypatch.setattr(livefile.analysis, "positions_frame", failing)
    watch = FileWatch(str(path))
    loaded = watch.load()
    assert loaded.dataset is not None and watch.frame(loaded.dataset) is None


# --- polling ------------------------------------------------------------------------------------------


def test_poll_parses_a_save_before_anyone_asks(path: Path, parses: list[str]):
    watch = FileWatch(str(path))
    watch.wanted = time.monotonic()
    assert watch.poll() and parses == []  # never loaded: a session's load comes first (and reports)
    watch.load()
    assert watch.poll() and len(parses) == 1  # unchanged
    save(path, path.read_text(encoding="utf-8").replace("stance: -1", "stance: 1"))
    assert watch.poll() and len(parses) == 2
    assert [p.stance for p in watch.result().dataset.positions] == [-2, 1]


def test_poll_leaves_a_file_written_just_now_to_settle(path: Path, parses: list[str]):
    watch = FileWatch(str(path))
    watch.wanted = time.monotonic()
    watch.load()
    path.write_text(path.read_text(encoding="utf-8").replace("stance: -1", "stance: 1"), encoding="utf-8")
    now = time.time_ns()
    os.utime(path, ns=(now, now))
    assert watch.poll() and len(parses) == 1  # maybe half written: the next look reads it
    wait_until(lambda: livefile.settling(livefile.file_stamp(str(path))) == 0.0)
    assert watch.poll() and len(parses) == 2


def test_a_failed_poll_is_left_to_the_next_load(path: Path, monkeypatch: pytest.MonkeyPatch):
    watch = FileWatch(str(path))
    watch.wanted = time.monotonic()
    watch.load()
    save(path, path.read_text(encoding="utf-8").replace("stance: -1", "stance: 1"))
    real = livefile.dataset_of

    def failing(read, **kwargs):
        raise MemoryError

    monkeypatch.setattr(livefile, "dataset_of", failing)
    assert watch.poll() and not watch.checked
    assert [p.stance for p in watch.result().dataset.positions] == [-2, -1]
    monkeypatch.setattr(livefile, "dataset_of", real)
    assert watch.poll() and not watch.checked  # the poller does not retry: a session does, and reports
    assert [p.stance for p in watch.load().dataset.positions] == [-2, 1]  # the new content, not "touched"


def test_poll_says_stop_once_nobody_wanted_the_file_for_a_while(path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(livefile, "WATCH_IDLE_SECONDS", 0.05)
    watch = FileWatch(str(path))
    watch.wanted = time.monotonic()
    assert watch.poll()
    time.sleep(0.1)
    assert not watch.poll()


def test_the_poller_stops_when_idle_and_starts_again_when_wanted(path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(livefile, "WATCH_IDLE_SECONDS", 0.2)
    monkeypatch.setattr(livefile, "WATCH_POLL_SECONDS", 0.01)
    watch = FileWatch(str(path))
    watch.want()
    watch.load()
    poller = watch.poller
    assert poller is not None and poller.is_alive()
    watch.want()
    assert watch.poller is poller  # one poller per watch
    poller.join(timeout=DEADLINE)
    assert not poller.is_alive()
    watch.want()
    assert watch.poller is not poller and watch.poller.is_alive()
    save(path, path.read_text(encoding="utf-8").replace("stance: -1", "stance: 1"))
    wait_until(lambda: [p.stance for p in watch.result().dataset.positions] == [-2, 1])  # the poller's parse
    watch.poller.join(timeout=DEADLINE)


def test_the_poller_ends_when_its_watch_is_gone(path: Path, monkeypatch: pytest.MonkeyPatch, quiet: list[bool]):
    monkeypatch.setattr(livefile, "WATCH_POLL_SECONDS", 0.01)
    watch = FileWatch(str(path))
    watch.want()
    watch.load()
    poller = watch.poller
    wait_until(lambda: bool(quiet))  # the scheduled freeze has run: its timer no longer holds the watch
    del watch
    wait_until(lambda: gc.collect() >= 0 and not poller.is_alive())


# --- the freeze after a load ----------------------------------------------------------------------------


def test_a_burst_of_saves_is_followed_by_one_freeze(path: Path, monkeypatch: pytest.MonkeyPatch, quiet: list[bool]):
    monkeypatch.setattr(livefile, "CACHE_WRITE_DELAY", 0.3)
    watch = FileWatch(str(path))
    text = path.read_text(encoding="utf-8")
    watch.load()
    for stance in (0, 1, 2):
        save(path, text.replace("stance: -1", f"stance: {stance}"))
        watch.load()
    assert quiet == [] and watch.freeze_due
    wait_until(lambda: bool(quiet))
    assert quiet == [True] and not watch.freeze_due


def test_a_touch_schedules_no_freeze(path: Path, quiet: list[bool]):
    watch = FileWatch(str(path))
    watch.load()
    wait_until(lambda: bool(quiet))
    touch(path)
    watch.load()
    assert not watch.freeze_due and quiet == [True]


# --- small pieces -------------------------------------------------------------------------------------


def test_a_stamp_is_mtime_and_size_or_none(path: Path, tmp_path: Path):
    info = os.stat(path)
    assert livefile.file_stamp(str(path)) == (info.st_mtime_ns, info.st_size)
    assert livefile.file_stamp(str(tmp_path / "missing.yaml")) is None


def test_a_file_changed_just_now_is_left_to_settle():
    now = time.time_ns()
    assert 0 < livefile.settling((now, 10)) <= livefile.WRITE_SETTLE_SECONDS
    assert livefile.settling((now - 1_000_000_000, 10)) == 0.0
    assert livefile.settling((now + 60_000_000_000, 10)) == 0.0
    assert livefile.settling(None) == 0.0


def test_broken_means_no_valid_record_where_there_should_be_some():
    good = parse_dataset((DATA / "datasets" / "orphan_issue.yaml").read_bytes(), label="a.yaml")
    syntax_error = parse_dataset(b"actors: [\n", label="a.yaml")
    emptied = parse_dataset(b"", label="a.yaml")
    assert livefile.record_count(good) == 8 and livefile.record_count(None) == 0
    assert livefile.broken(syntax_error, None) and livefile.broken(syntax_error, good)
    no_records = parse_dataset(b"title: Not started yet\n", label="a.yaml")
    assert livefile.broken(emptied, good) and livefile.broken(emptied, None)  # empty-file is an error
    assert livefile.broken(no_records, good) and not livefile.broken(no_records, None)
    assert not livefile.broken(good, None) and not livefile.broken(good, syntax_error)


# --- other sessions while a parse runs (issue 18) ---------------------------------------------------


@pytest.fixture
def slow_parse(monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, threading.Event]:
    """(entered, release): the first parse of a content other than the first one parsed waits
    for ``release`` once it has set ``entered``: a parse as long as a test needs (another session
    waited 32-85 s for one of a hostile file)."""
    entered, release = threading.Event(), threading.Event()
    real = livefile.dataset_of
    seen: list[str] = []
    monkeypatch.setattr(livefile, "PARSE_WAIT_SECONDS", 0.2)  # the suite's is longer (conftest)

    def held(read, **kwargs):
        seen.append(read.content_hash)
        if seen[0] != read.content_hash or "first" in read.label:
            entered.set()
            assert release.wait(DEADLINE), "the test never released the parse"
        return real(read, **kwargs)

    monkeypatch.setattr(livefile, "dataset_of", held)
    return entered, release


def test_while_a_parse_runs_other_sessions_get_the_version_on_screen_within_a_second(path: Path, slow_parse) -> None:
    watch = FileWatch(str(path))
    shown = watch.load()
    entered, release = slow_parse
    save(path, path.read_text(encoding="utf-8") + "\n# a save\n")
    parsing = threading.Thread(target=watch.load, daemon=True)  # the session that saw the save first
    parsing.start()
    assert entered.wait(DEADLINE)
    answers: list[livefile.Loaded] = []
    other = threading.Thread(target=lambda: answers.append(watch.load()), daemon=True)
    started = time.monotonic()
    other.start()
    other.join(1.0)  # a page answers within a second
    waited = time.monotonic() - started
    release.set()
    parsing.join(DEADLINE)
    assert answers, f"another session waited for the parse ({waited:.1f} s and counting)"
    assert answers[0].dataset is shown.dataset and answers[0].stamp == shown.stamp  # what it drew before
    assert watch.busy is False
    assert watch.load().dataset is not shown.dataset  # the new version, once parsed


def test_a_parse_that_ends_within_the_wait_gives_another_session_the_new_version(
    path: Path, slow_parse, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(livefile, "PARSE_WAIT_SECONDS", DEADLINE)
    watch = FileWatch(str(path))
    shown = watch.load()
    entered, release = slow_parse
    save(path, path.read_text(encoding="utf-8") + "\n# a save\n")
    parsing = threading.Thread(target=watch.load, daemon=True)
    parsing.start()
    assert entered.wait(DEADLINE)
    answers: list[livefile.Loaded] = []
    other = threading.Thread(target=lambda: answers.append(watch.load()), daemon=True)
    other.start()
    release.set()  # the parse ends while the other session waits
    other.join(DEADLINE)
    parsing.join(DEADLINE)
    assert answers and answers[0].dataset is not shown.dataset


def test_the_first_load_waits_for_the_parse_under_way(path: Path, slow_parse) -> None:
    """With nothing to show yet, a session waits for the parse rather than show nothing."""
    path = path.rename(path.with_name("first.yaml"))
    watch = FileWatch(str(path))
    entered, release = slow_parse
    first = threading.Thread(target=watch.load, daemon=True)
    first.start()
    assert entered.wait(DEADLINE)
    assert watch.busy
    answers: list[livefile.Loaded] = []
    other = threading.Thread(target=lambda: answers.append(watch.load()), daemon=True)
    other.start()
    other.join(0.2)
    assert answers == []  # waiting
    release.set()
    other.join(DEADLINE)
    assert answers and len(answers[0].dataset.positions) == 2


def test_the_poller_s_parse_does_not_hold_up_a_session(path: Path, slow_parse) -> None:
    watch = FileWatch(str(path))
    shown = watch.load()
    entered, release = slow_parse
    save(path, path.read_text(encoding="utf-8") + "\n# saved again\n")
    polling = threading.Thread(target=watch.poll, daemon=True)
    watch.wanted = time.monotonic()
    polling.start()
    assert entered.wait(DEADLINE)
    answers: list[livefile.Loaded] = []
    other = threading.Thread(target=lambda: answers.append(watch.load()), daemon=True)
    other.start()
    other.join(1.0)
    release.set()
    polling.join(DEADLINE)
    assert answers and answers[0].dataset is shown.dataset


def test_settled_waits_for_the_parse_under_way_and_no_longer_than_asked(path: Path, slow_parse) -> None:
    """A session's live-reload check waits a little for a parse to end (then reruns at once)."""
    watch = FileWatch(str(path))
    watch.load()
    assert watch.settled(0.0)  # nothing under way: at once
    entered, release = slow_parse
    save(path, path.read_text(encoding="utf-8") + "\n# a save\n")
    parsing = threading.Thread(target=watch.load, daemon=True)
    parsing.start()
    assert entered.wait(DEADLINE)
    assert not watch.settled(0.05)  # still parsing: gives up after the time asked
    answers: list[bool] = []
    waiting = threading.Thread(target=lambda: answers.append(watch.settled(DEADLINE)), daemon=True)
    waiting.start()
    release.set()  # the parse ends while the check waits
    waiting.join(DEADLINE)
    parsing.join(DEADLINE)
    assert answers == [True]
    assert not watch.busy  # the check took nothing from the watch
