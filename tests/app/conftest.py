"""Fixtures for the dashboard's AppTest files: which dataset the app reads."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from apphelpers import BUNDLED, DATASETS, REPO


@pytest.fixture
def use_dataset(monkeypatch: pytest.MonkeyPatch) -> Callable[[str | Path], Path]:
    """Point POSITIONS_FILE at a fixture (a name under tests/data/datasets or a path)."""

    def use(name: str | Path) -> Path:
        path = Path(name) if Path(name).is_absolute() else DATASETS / name
        monkeypatch.setenv("POSITIONS_FILE", str(path))
        monkeypatch.delenv("STANCES_READ_ONLY", raising=False)
        return path

    monkeypatch.syspath_prepend(str(REPO))
    return use


@pytest.fixture
def bundled(use_dataset: Callable[[str | Path], Path]) -> Path:
    """The project's own positions.yaml."""
    return use_dataset(BUNDLED)


@pytest.fixture
def temp_copy(tmp_path: Path, use_dataset: Callable[[str | Path], Path]) -> Callable[[str], Path]:
    """A private copy of a fixture that a test may edit."""

    def copy(name: str) -> Path:
        target = tmp_path / "positions.yaml"
        shutil.copyfile(DATASETS / name, target)
        return use_dataset(target)

    return copy
