"""Compare yaml-rs with the reference PyYAML reading on the YAML test suite; print a summary.

Run: .venv/bin/python bench/corpus_diff.py [CORPUS_DIR]. Values are compared after the
reference's own conversion (dates as text, YAML 1.1 types); "scan" says whether the fast
path's text scan steps aside before yaml-rs is even asked.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import yaml
import yaml_rs

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from stances import fastload, textscan
from stances.compose import TextDatesLoader, decode_text


def reference(text: str) -> object:
    return yaml.load(text, Loader=TextDatesLoader)


def main(folder: str = "/work/shared/corpora/yaml-test-suite") -> None:
    counts: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    for path in sorted(Path(folder).glob("*.yaml")):
        text, problem = decode_text(path.read_bytes(), path.name)
        if problem is not None:
            counts["not UTF-8"] += 1
            continue
        try:
            textscan.scan_text(text)
            scanned = "scan passes"
        except fastload.Doubt as doubt:
            scanned = f"scan steps aside ({doubt})"
        try:
            ref, ref_ok = reference(text), True
        except Exception:
            ref, ref_ok = None, False
        try:
            fast, fast_ok = yaml_rs.loads(text, parse_datetime=False), True
        except Exception:
            fast, fast_ok = None, False
        if ref_ok and fast_ok:
            kind = "both read it, same value" if ref == fast else f"both read it, values differ; {scanned}"
        elif ref_ok:
            kind = "only PyYAML reads it"
        elif fast_ok:
            kind = f"only yaml-rs reads it; {scanned}"
        else:
            kind = "both refuse it"
        counts[kind] += 1
        examples.setdefault(kind, []).append(path.stem)
    for kind, n in counts.most_common():
        print(f"{n:4d}  {kind}: {' '.join(examples.get(kind, [])[:8])}")


if __name__ == "__main__":
    main(*sys.argv[1:])
