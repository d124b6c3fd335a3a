"""The fast load path on the YAML test suite (402 cases, valid and invalid): it never fails in
an unexpected way, and whenever it vouches for a text, its dataset equals the reference's."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from stances import fastload
from stances.load import decode_text, parse_dataset

CORPUS = Path("/work/shared/corpora/yaml-test-suite")
CASES = sorted(CORPUS.glob("*.yaml")) if CORPUS.is_dir() else []
TODAY = dt.date(2026, 1, 1)

pytestmark = [
    pytest.mark.skipif(not CASES, reason=f"the YAML test suite is not at {CORPUS}"),
    pytest.mark.skipif(not fastload.available(), reason="yaml-rs is not installed"),
]


def test_corpus_is_complete() -> None:
    assert len(CASES) >= 400, len(CASES)


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_fast_path_never_fails_and_agrees(path: Path) -> None:
    raw = path.read_bytes()
    text, problem = decode_text(raw, path.name)
    if problem is not None:
        pytest.skip(f"not UTF-8 text: {problem.type}")
    try:
        fast = fastload._build(text, path.name, "", TODAY)
    except fastload.Doubt:
        fast = None  # stepping aside is always allowed
    reference = parse_dataset(raw, label=path.name, today=TODAY, fast=False)
    if fast is not None:
        fast.content_hash = reference.content_hash
        assert _snapshot(fast) == _snapshot(reference)
    assert _snapshot(parse_dataset(raw, label=path.name, today=TODAY)) == _snapshot(reference)


def _snapshot(dataset: object) -> tuple:
    records = tuple(
        (r.model_dump(), r.line, r.column)
        for section in ("actors", "issues", "sources", "positions")
        for r in getattr(dataset, section)
    )
    return (dataset.title, dataset.scale.labels, records, tuple(p.to_dict() for p in dataset.problems))
