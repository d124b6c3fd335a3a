"""Shared fixtures: where the test data lives, and a small valid dataset."""

from __future__ import annotations

from pathlib import Path

import pytest

import tests.hypothesis_profiles  # noqa: F401  (registers and loads the hypothesis profiles)

DATA = Path(__file__).parent / "data"


@pytest.fixture
def data_dir() -> Path:
    """The folder of test data files (tests/data)."""
    return DATA


@pytest.fixture
def valid_file() -> Path:
    """A small valid positions file: two actors, one issue, one source, two positions."""
    return DATA / "valid.yaml"


@pytest.fixture(autouse=True)
def private_cache_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep the parsed-dataset disk cache out of the user's real cache folder during tests."""
    folder = tmp_path_factory.mktemp("stances-cache")
    monkeypatch.setenv("STANCES_CACHE_DIR", str(folder))
    return folder


@pytest.fixture(autouse=True)
def short_settle(monkeypatch: pytest.MonkeyPatch) -> None:
    """A write waits until the file has not changed for stances.filestate.SETTLE_SECONDS (half a
    second): every test's freshly copied file would make it wait. Tests of the wait set their own."""
    from stances import filestate

    monkeypatch.setattr(filestate, "SETTLE_SECONDS", 0.02)


@pytest.fixture(autouse=True)
def sessions_wait_for_a_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    """A session shows the version on screen when another thread's parse of a save takes longer
    than stances.livefile.PARSE_WAIT_SECONDS; on a loaded test machine a small file's parse can,
    and a test expecting the new save on its next run would then see the old one."""
    from stances import livefile

    monkeypatch.setattr(livefile, "PARSE_WAIT_SECONDS", 60.0)
