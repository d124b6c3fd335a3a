"""Benchmarks for issue 8 (performance and scale): ``make bench`` runs this file.

Every figure is measured in this run on this machine and reported with its ratio to a floor
measured in the same run: a bare ``yaml.load(text, Loader=yaml.CSafeLoader)`` of the same file.
The results replace the part of docs/performance.md between the ``bench`` markers.
Benchmarks are never tests: nothing here asserts a time.

    .venv/bin/python bench/run.py [--sizes 10000 100000] [--repeat 3] [--no-write]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from stances import cache, fastload  # noqa: E402
from stances.generate import generate  # noqa: E402
from stances.load import load_dataset, parse_dataset  # noqa: E402

DOC = ROOT / "docs" / "performance.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
PACKAGES = ("PyYAML", "yaml-rs", "pydantic", "pydantic-core", "streamlit", "plotly", "pandas")


def best_of(repeat: int, run: Callable[[], object]) -> float:
    """The fastest of ``repeat`` runs, in seconds (the least disturbed by other processes)."""
    times = []
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def machine() -> dict[str, str]:
    """CPU model, cores, RAM, OS, Python and package versions."""
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    return {
        "CPU": cpu,
        "cores": str(os.cpu_count()),
        "RAM": ram,
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "libyaml": "yes" if yaml.__with_libyaml__ else "no",
        "packages": ", ".join(versions),
        "load average at start": " ".join(f"{x:.1f}" for x in os.getloadavg()),
    }


def loader_rows(size: int, folder: Path, repeat: int, reference: bool) -> list[tuple[str, float | None, str]]:
    """Load + validate timings for one generated file: (what, seconds or None, note)."""
    path = folder / f"positions-{size}.yaml"
    started = time.perf_counter()
    path.write_text(generate(size, seed=1), encoding="utf-8")
    generated = time.perf_counter() - started
    data = path.read_bytes()
    text = data.decode("utf-8")
    heavy = size > 20_000
    rows: list[tuple[str, float | None, str]] = []
    floor = best_of(1 if heavy else repeat, lambda: yaml.load(text, Loader=yaml.CSafeLoader))
    rows.append(("floor: bare yaml.load(CSafeLoader)", floor, "the same file, no checks, no line numbers"))
    if reference:
        seconds = best_of(1, lambda: parse_dataset(data, label=str(path), fast=False))
        rows.append(("load + validate, reference path (PyYAML walker)", seconds, "what every load cost before"))
    if fastload.available():
        dataset = parse_dataset(data, label=str(path))
        fast = fastload.fast_dataset(text, label=str(path), content_hash="", today=dt.date.today()) is not None
        seconds = best_of(repeat, lambda: load_dataset(path, cache=False))
        note = "fast path (yaml-rs) took it" if fast else "fast path stepped aside: reference path"
        rows.append(
            ("load + validate (load_dataset, no cache)", seconds, f"{note}; {len(dataset.positions)} positions")
        )
    else:
        rows.append(("load + validate (load_dataset, no cache)", None, "not measured: yaml-rs is not installed"))
    with tempfile.TemporaryDirectory() as cache_dir:
        os.environ["STANCES_CACHE_DIR"] = cache_dir
        os.environ.pop("STANCES_NO_CACHE", None)
        store = best_of(1, lambda: load_dataset(path))
        rows.append(("first load, storing the disk cache entry", store, "parse + write the JSON entry"))
        hit = best_of(repeat, lambda: load_dataset(path))
        rows.append(("restart with an unchanged file (disk cache hit)", hit, "read + rebuild the records"))
        entry = max(Path(cache_dir).glob("*.jsonl"), key=lambda p: p.stat().st_size)
        rows.append(
            ("disk cache entry size", None, f"{entry.stat().st_size / 1e6:.1f} MB vs {len(data) / 1e6:.1f} MB YAML")
        )
        del os.environ["STANCES_CACHE_DIR"]
    rows.append(("generate the file", generated, f"{len(data) / 1e6:.1f} MB"))
    return rows


def subprocess_rows(path: Path) -> list[tuple[str, float | None, str]]:
    """Cold start of the CLI and peak memory of a load, each in a fresh interpreter."""
    env = {**os.environ, "STANCES_NO_CACHE": "1", "PYTHONPATH": str(ROOT)}
    rows: list[tuple[str, float | None, str]] = []
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import stances.load"], env=env, check=True)
    rows.append(("cold start: python -c 'import stances.load'", time.perf_counter() - started, "interpreter + imports"))
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "stances", "validate", str(path)], env=env, capture_output=True, text=True
    )
    rows.append(("cold start: python -m stances validate", time.perf_counter() - started, f"exit {done.returncode}"))
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the forking parent (this process).
    peak_of = "print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')))"
    base = subprocess.run(
        [sys.executable, "-c", f"import stances.load; {peak_of}"], env=env, capture_output=True, text=True, check=True
    )
    script = f"import sys; from stances.load import load_dataset; d = load_dataset(sys.argv[1], cache=False); {peak_of}"
    peak = subprocess.run(
        [sys.executable, "-c", script, str(path)], env=env, capture_output=True, text=True, check=True
    )
    rows.append(
        (
            "peak memory of a load (VmHWM)",
            None,
            f"{int(peak.stdout) / 1024:.0f} MB (after imports alone: {int(base.stdout) / 1024:.0f} MB)",
        )
    )
    return rows


def page_rows(path: Path) -> list[tuple[str, float | None, str]]:
    """Rerun time of every page under AppTest with the generated file (the second run: data cached)."""
    pages = sorted((ROOT / "pages").glob("*.py"))
    if not (ROOT / "app.py").exists() or not pages:
        return [("page reruns", None, "not measured: app.py or pages/ do not exist yet")]
    code = r"""
import json, sys, time
from streamlit.testing.v1 import AppTest
out = {}
for page in sys.argv[1:]:
    try:
        at = AppTest.from_file("app.py", default_timeout=120)
        at.run()
        at.switch_page(page)
        at.run()
        started = time.perf_counter()
        at.run()
        elapsed = time.perf_counter() - started
        out[page] = [elapsed, f"{len(at.exception)} exceptions"]
    except Exception as exc:
        out[page] = [None, f"not measured: {type(exc).__name__}: {str(exc)[:80]}"]
print(json.dumps(out))
"""
    env = {**os.environ, "POSITIONS_FILE": str(path), "PYTHONPATH": str(ROOT), "STANCES_NO_CACHE": "1"}
    try:
        done = subprocess.run(
            [sys.executable, "-c", code, *(f"pages/{p.name}" for p in pages)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        results = json.loads(done.stdout.strip().splitlines()[-1])
    except Exception as exc:
        return [("page reruns", None, f"not measured: {type(exc).__name__}: {str(exc)[:100]}")]
    return [(f"page rerun: {page}", seconds, note) for page, (seconds, note) in results.items()]


def not_measured() -> list[tuple[str, float | None, str]]:
    """Benchmarks whose harness does not exist yet: say so rather than invent a number."""
    return [
        (
            "browser: save the YAML -> new data on screen",
            None,
            "not measured: needs a browser harness (Playwright + a live server) that is not written yet",
        ),
        (
            "export: every chart as PNG",
            None,
            "not measured: needs python -m stances export over a 10k dataset with kaleido; not scripted yet",
        ),
    ]


def table(rows: list[tuple[str, float | None, str]], floor: float | None) -> list[str]:
    lines = ["| what | seconds | vs floor | note |", "|---|---:|---:|---|"]
    for what, seconds, note in rows:
        shown = f"{seconds:.3f}" if seconds is not None else "-"
        ratio = f"{seconds / floor:.3f}x" if seconds is not None and floor else "-"
        lines.append(f"| {what} | {shown} | {ratio} | {note} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-reference", action="store_true", help="skip the slow reference path at 100k")
    parser.add_argument("--no-pages", action="store_true")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/performance.md alone")
    args = parser.parse_args()

    out = [START, "", f"Measured {dt.datetime.now().strftime('%Y-%m-%d %H:%M')} by `make bench` (bench/run.py).", ""]
    out += [f"- **{k}**: {v}" for k, v in machine().items()]
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            print(f"loader benchmarks at {size:,} positions ...", flush=True)
            rows = loader_rows(size, Path(folder), args.repeat, reference=not (args.no_reference and size > 20_000))
            out += ["", f"### {size:,} positions", "", *table(rows, rows[0][1])]
            print("\n".join(table(rows, rows[0][1])), flush=True)
        smallest = Path(folder) / f"positions-{min(args.sizes)}.yaml"
        print("cold start and memory ...", flush=True)
        rows = subprocess_rows(smallest)
        if not args.no_pages:
            print("page reruns (AppTest) ...", flush=True)
            rows += page_rows(smallest)
        rows += not_measured()
        out += ["", f"### App and CLI, {min(args.sizes):,} positions", "", *table(rows, None)]
        print("\n".join(table(rows, None)), flush=True)
    out += ["", END]
    if args.no_write:
        return
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else f"# Performance\n\n{START}\n{END}\n"
    if START in text and END in text:
        text = text[: text.index(START)] + "\n".join(out) + text[text.index(END) + len(END) :]
    else:
        text += "\n" + "\n".join(out) + "\n"
    DOC.write_text(text, encoding="utf-8")
    print(f"wrote {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    cache.MIN_BYTES = 0  # benchmark the cache at every size
    main()
