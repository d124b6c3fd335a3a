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
