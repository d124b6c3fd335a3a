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
import shutil
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
sys.path.insert(0, str(ROOT / "bench"))

from stances import cache, fastload  # noqa: E402
from stances.compose import MAX_REFERENCE_NODES  # noqa: E402
from stances.generate import generate  # noqa: E402
from stances.load import load_dataset, parse_dataset  # noqa: E402
from stances.model import Dataset  # noqa: E402

DOC = ROOT / "docs" / "performance.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
PACKAGES = (
    "PyYAML",
    "yaml-rs",
    "pydantic",
    "pydantic-core",
    "streamlit",
    "plotly",
    "pandas",
    "kaleido",
    "orjson",
    "playwright",
)


def _at(text: str, fraction: float, old: str, new: str) -> str:
    """``text`` with the first ``old`` after ``fraction`` of it replaced by ``new``."""
    index = text.find(old, int(len(text) * fraction))
    return text[:index] + new + text[index + len(old) :]


# One mistake in an otherwise clean file, where a big file would hide it.
PROBLEM_EDITS: dict[str, Callable[[str], str]] = {
    "one misspelt key (speeker:)": lambda t: _at(t, 0.5, "    speaker: ", "    speeker: "),
    "one unknown actor id": lambda t: _at(t, 0.9, "  - actor: ", "  - actor: XXX\n    note: "),
    "one YAML syntax error near the end": lambda t: _at(t, 0.95, "    role: ", '    role: "unclosed\n    x: '),
    "one duplicate key": lambda t: _at(t, 0.5, "    voice: official\n", "    voice: official\n    voice: expert\n"),
}


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
        parsed: list[Dataset] = []
        seconds = best_of(1, lambda: parsed.append(parse_dataset(data, label=str(path), fast=False)))
        if any(p.type == "file-too-large" for p in parsed[-1].problems):
            note = f"refused in that time: over the careful reading's {MAX_REFERENCE_NODES:,} values"
        else:
            note = "what every load cost before"
        rows.append(("load + validate, reference path (PyYAML walker)", seconds, note))
    if fastload.available():
        dataset = parse_dataset(data, label=str(path))
        fast = fastload.fast_dataset(text, label=str(path), content_hash="", today=dt.date.today()) is not None
        seconds = best_of(repeat, lambda: load_dataset(path, cache=False))
        note = "fast path (yaml-rs) took it" if fast else "fast path stepped aside: reference path"
        rows.append(
            ("load + validate (load_dataset, no cache)", seconds, f"{note}; {len(dataset.positions)} positions")
        )
        for what, edit in PROBLEM_EDITS.items():
            edited = edit(text).encode("utf-8")
            results: list[Dataset] = []
            taken: list[bool] = []
            original = fastload.fast_dataset

            def spy(*args: object, original=original, taken=taken, **kwargs: object) -> Dataset | None:
                dataset = original(*args, **kwargs)
                taken.append(dataset is not None)
                return dataset

            fastload.fast_dataset = spy
            try:
                seconds = best_of(
                    1 if heavy else repeat, lambda e=edited, r=results: r.append(parse_dataset(e, label=str(path)))
                )
            finally:
                fastload.fast_dataset = original
            kinds = ", ".join(sorted({p.type for p in results[-1].problems})) or "no problem"
            note = "fast path + reference on the records around it" if taken[-1] else "reference path (whole file)"
            rows.append((f"load + validate, {what}", seconds, f"{note}; {kinds}"))
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


# The whole-process floor: an interpreter that imports PyYAML and loads the file, nothing else.
WHOLE_PROCESS_FLOOR = "import sys, yaml; yaml.load(open(sys.argv[1], encoding='utf-8').read(), Loader=yaml.CSafeLoader)"
WHOLE_PROCESS_TARGET = 0.35  # issue 16: validate at most this many times the floor


def whole_process_rows(path: Path, repeat: int = 5) -> list[tuple[str, float | None, str]]:
    """``python -m stances validate`` of ``path`` without the disk cache against a process that only
    loads it with CSafeLoader: wall time of each whole process (interpreter, imports, work), best of
    ``repeat``, the two run in turn so that a busy moment slows both. The floor comes first (the
    table's ratios are to it)."""
    env = {**os.environ, "STANCES_NO_CACHE": "1", "PYTHONPATH": str(ROOT)}
    commands = {
        "floor": [sys.executable, "-c", WHOLE_PROCESS_FLOOR, str(path)],
        "validate": [sys.executable, "-m", "stances", "validate", str(path)],
    }
    best = dict.fromkeys(commands, float("inf"))
    codes = dict.fromkeys(commands, 0)
    for _ in range(repeat):
        for name, argv in commands.items():
            started = time.perf_counter()
            codes[name] = subprocess.run(argv, env=env, capture_output=True, cwd=ROOT).returncode
            best[name] = min(best[name], time.perf_counter() - started)
    return [
        ("floor: python -c 'import yaml; yaml.load(..., CSafeLoader)'", best["floor"], f"exit {codes['floor']}"),
        (
            "python -m stances validate (STANCES_NO_CACHE=1)",
            best["validate"],
            f"exit {codes['validate']}; target: at most {WHOLE_PROCESS_TARGET}x the floor",
        ),
    ]


PAGE_RERUNS = r"""
import json, statistics, sys, time
from streamlit.testing.v1 import AppTest
runs = int(sys.argv[1])
out = {}
for page in sys.argv[2:]:
    try:
        at = AppTest.from_file("app.py", default_timeout=900)
        at.run()
        at.switch_page(page)
        at.run()
        at.run()  # caches warm: what a click costs from here on
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - started)
        out[page] = [statistics.median(times), min(times), max(times), len(at.exception)]
    except Exception as exc:
        out[page] = [None, None, None, f"{type(exc).__name__}: {str(exc)[:80]}"]
print(json.dumps(out))
"""


def page_reruns(path: Path, runs: int) -> dict[str, list]:
    """Each page's warm rerun under AppTest over ``path``: page -> [median, min, max, exceptions]."""
    from ui import PAGES  # the navigation's page files (pages/ also holds entry shims)

    pages = [file for file, *_ in PAGES if (ROOT / file).is_file()]
    return app_script(PAGE_RERUNS, path, str(runs), *pages)


def app_script(script: str, path: Path, *args: str) -> dict:
    """Run ``script`` (an AppTest driver printing JSON on its last line) in a fresh interpreter
    over the dataset ``path``, with an empty disk cache of its own; its JSON."""
    with tempfile.TemporaryDirectory() as cache_dir:
        env = {**os.environ, "POSITIONS_FILE": str(path), "PYTHONPATH": str(ROOT), "STANCES_CACHE_DIR": cache_dir}
        env.pop("STANCES_NO_CACHE", None)
        done = subprocess.run(
            [sys.executable, "-c", script, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=3600
        )
    return json.loads(done.stdout.strip().splitlines()[-1])


def page_table(small: Path, big: Path, runs: int) -> list[str]:
    """Warm page reruns at both sizes: medians, spread, ratio, and the 150 ms target."""
    sizes = [int(small.stem.rsplit("-", 1)[1]), int(big.stem.rsplit("-", 1)[1])]
    try:
        low, high = page_reruns(small, runs), page_reruns(big, runs)
    except Exception as exc:
        return [f"not measured: {type(exc).__name__}: {str(exc)[:200]}"]
    lines = [
        f"| page | {sizes[0]:,} positions: median (min-max) | {sizes[1]:,} positions: median (min-max) "
        f"| ratio | < 150 ms at {sizes[1]:,} | ≤ 1.3x |",
        "|---|---:|---:|---:|---|---|",
    ]
    for page in low:
        a, b = low[page], high.get(page, [None] * 4)
        if a[0] is None or b[0] is None:
            lines.append(f"| {page} | {a[3]} | {b[3]} | - | - | - |")
            continue
        ratio = b[0] / a[0] if a[0] else float("inf")
        errors = f" ({b[3]} exceptions)" if b[3] else ""
        lines.append(
            f"| {page} | {a[0] * 1000:.0f} ms ({a[1] * 1000:.0f}-{a[2] * 1000:.0f}) "
            f"| {b[0] * 1000:.0f} ms ({b[1] * 1000:.0f}-{b[2] * 1000:.0f}){errors} | {ratio:.2f}x "
            f"| {'yes' if b[0] < 0.15 else 'no'} | {'yes' if ratio <= 1.3 else 'no'} |"
        )
    return lines


# Searches typed into the open Quotes page, each text new to the process (so never a memo hit):
# country names (a few hundred matches at 100,000 positions) and words of the generated quotes
# (20,000-40,000 official matches, the table cut to its newest 1,000).
QUOTES_WORDS = {
    "rare": ("zambia", "mongolia", "uruguay", "nepal", "fiji", "malta", "bhutan"),
    "common": ("defence", "missile", "treaty", "radar", "nuclear", "dialogue", "security"),
}
QUOTES_SEARCH = r"""
import json, statistics, sys, time
from streamlit.testing.v1 import AppTest
words = json.loads(sys.argv[1])
at = AppTest.from_file("app.py", default_timeout=900)
at.run()
at.switch_page("pages/quotes_page.py")
started = time.perf_counter()
at.run()  # opening the page: the search index is built here
out = {"open": time.perf_counter() - started}
at.run()
for kind, texts in words.items():
    times, matches = [], []
    for text in texts:
        started = time.perf_counter()
        at.text_input(key="q_query").input(text).run()
        times.append(time.perf_counter() - started)
        matches += [int(t.value.split(" of ")[0]) for t in at.text if t.value.endswith("positions match.")]
    out[kind] = [statistics.median(times), min(times), max(times), len(at.exception), matches]
print(json.dumps(out))
"""


def quotes_search(path: Path, runs: int) -> dict[str, list]:
    """New searches typed into the open Quotes page under AppTest over ``path``: kind -> [median,
    min, max, exceptions, matches of each search], and "open" -> seconds to open the page."""
    words = {kind: texts[: max(runs, 3)] for kind, texts in QUOTES_WORDS.items()}
    return app_script(QUOTES_SEARCH, path, json.dumps(words))


def quotes_search_table(small: Path, big: Path, runs: int) -> list[str]:
    """A new Quotes search at both sizes: medians, spread, ratio, and the 150 ms target."""
    sizes = [int(small.stem.rsplit("-", 1)[1]), int(big.stem.rsplit("-", 1)[1])]
    try:
        low, high = quotes_search(small, runs), quotes_search(big, runs)
    except Exception as exc:
        return [f"not measured: {type(exc).__name__}: {str(exc)[:200]}"]
    lines = [
        f"| new search | {sizes[0]:,} positions: median (min-max) | {sizes[1]:,} positions: median (min-max) "
        f"| ratio | ≤ 150 ms at {sizes[1]:,} |",
        "|---|---:|---:|---:|---|",
    ]
    for kind in QUOTES_WORDS:
        a, b = low[kind], high[kind]
        words = ", ".join(QUOTES_WORDS[kind][: len(b[4])])
        errors = f" ({b[3]} exceptions)" if b[3] else ""
        lines.append(
            f"| a {kind} word ({words}: {min(b[4], default=0):,}-{max(b[4], default=0):,} matches at {sizes[1]:,}) "
            f"| {a[0] * 1000:.0f} ms ({a[1] * 1000:.0f}-{a[2] * 1000:.0f}) "
            f"| {b[0] * 1000:.0f} ms ({b[1] * 1000:.0f}-{b[2] * 1000:.0f}){errors} | {b[0] / a[0]:.2f}x "
            f"| {'yes' if b[0] <= 0.15 else 'no'} |"
        )
    lines += [
        "",
        f"Opening the Quotes page (which builds the search index): {low['open']:.2f} s at {sizes[0]:,} "
        f"positions, {high['open']:.2f} s at {sizes[1]:,}.",
    ]
    return lines


EXPORT_ONE = r"""
import datetime as dt, json, sys, time
from stances import cli_export, export
from stances.load import load_dataset
dataset = load_dataset(sys.argv[1])
charts = list(cli_export.page_charts(dataset, dt.date.today(), ["official"]))
out = {}
started = time.perf_counter(); export.render(charts[0].figure, "png"); out["cold"] = time.perf_counter() - started
started = time.perf_counter(); export.render(charts[1].figure, "png"); out["warm"] = time.perf_counter() - started
started = time.perf_counter(); export.render(charts[1].figure, "png"); out["cached"] = time.perf_counter() - started
out["charts"] = [charts[0].page, charts[1].page]
export.stop()
print(json.dumps(out))
"""


def export_rows(files: list[Path]) -> list[tuple[str, float | None, str]]:
    """PNG export of one chart (cold: Chromium starts; warm: another chart) and the batch export."""
    from stances import export as image_export

    if not image_export.chromium_available():
        return [("export", None, "not measured: no Chromium")]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    rows: list[tuple[str, float | None, str]] = []
    try:
        done = subprocess.run(
            [sys.executable, "-c", EXPORT_ONE, str(files[0])], cwd=ROOT, env=env, capture_output=True, text=True
        )
        one = json.loads(done.stdout.strip().splitlines()[-1])
        pages = " then ".join(one["charts"])
        rows.append(("PNG of one chart, cold (starts Chromium)", one["cold"], f"{files[0].name}: {pages}"))
        rows.append(("PNG of another chart, warm", one["warm"], "the same process, Chromium running"))
        rows.append(("PNG of the same chart again", one["cached"], "from the in-memory image cache"))
    except Exception as exc:
        rows.append(("PNG of one chart", None, f"not measured: {type(exc).__name__}: {str(exc)[:100]}"))
    for path in files:
        with tempfile.TemporaryDirectory() as out:
            started = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-m", "stances", "export", "--out", out, "--file", str(path)],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
            )
            seconds = time.perf_counter() - started
            images = len(list(Path(out).glob("*.png")))
        note = f"{images} charts, exit {done.returncode}" + (
            f": {done.stderr.strip()[-120:]}" if done.returncode else ""
        )
        rows.append((f"python -m stances export, {path.name}", seconds, note))
    return rows


def browser_rows(small: Path, medium: Path, big: Path, runs: int) -> list[tuple[str, float | None, str]]:
    """Cold start vs a hello-world page, save to screen, and a big dataset in a real Chromium."""
    import browser

    reason = browser.available()
    if reason:
        return [("browser benchmarks", None, f"not measured: {reason}")]
    rows: list[tuple[str, float | None, str]] = []
    with browser.chromium() as chrome:
        try:
            starts = max(runs, 5)  # alternated pairs: the ratio is near its target, 3 were too few to tell
            times = browser.cold_start(chrome, {"POSITIONS_FILE": str(small)}, runs=starts)
            hello, dash = browser.median(times["hello"]), browser.median(times["dashboard"])
            spread = lambda v: f"{min(v):.2f}-{max(v):.2f} s"  # noqa: E731
            note = f"median of {starts}: {spread(times['hello'])}"
            rows.append(("cold start: hello-world page, one plotly chart", hello, note))
            rows.append(
                (
                    f"cold start: the dashboard, {small.name}",
                    dash,
                    f"median of {starts}: {spread(times['dashboard'])}; {dash / hello:.2f}x the hello-world page "
                    f"(target ≤ 1.2x: {'met' if dash / hello <= 1.2 else 'not met'})",
                )
            )
        except Exception as exc:
            rows.append(("cold start", None, f"not measured: {type(exc).__name__}: {str(exc)[:120]}"))
        try:
            with tempfile.TemporaryDirectory() as folder:
                data = Path(folder) / medium.name
                shutil.copyfile(medium, data)
                saved = browser.save_to_screen(chrome, data, edits=max(runs, 5))
            seconds = saved["seconds"]
            rows.append(
                (
                    f"save an edited {medium.name} -> new data in the Overview chart",
                    browser.median(seconds),
                    f"median of {len(seconds)} saves ({min(seconds):.2f}-{max(seconds):.2f} s; each save new "
                    f"content, parsed and drawn anew); edited cell {saved['cell']}; target ≤ 1.0 s: "
                    f"{'met' if browser.median(seconds) <= 1.0 else 'not met'}",
                )
            )
        except Exception as exc:
            rows.append(("save to screen", None, f"not measured: {type(exc).__name__}: {str(exc)[:120]}"))
        try:
            with tempfile.TemporaryDirectory() as cache_dir:
                os.environ["STANCES_CACHE_DIR"] = cache_dir  # inherited by the server
                result = browser.big_dataset(chrome, big)
                del os.environ["STANCES_CACHE_DIR"]
            for title, page in result["pages"].items():
                size = page["largest_figure"]
                note = f"largest figure sent: {size / 1e6:.2f} MB of JSON" if size else "no chart"
                rows.append((f"{big.name}: first visit of {title}", page["seconds"], note))
            peak = result["peak_mb"]
            note = f"{peak:.0f} MB after every page (target < 400 MB: {'met' if peak < 400 else 'not met'})"
            rows.append((f"{big.name}: peak memory of the server (VmHWM)", None, note))
        except Exception as exc:
            rows.append(("big dataset in the browser", None, f"not measured: {type(exc).__name__}: {str(exc)[:120]}"))
    return rows


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
    parser.add_argument("--runs", type=int, default=5, help="page reruns and browser runs per measurement")
    parser.add_argument("--no-reference", action="store_true", help="skip the slow reference path at 100k")
    parser.add_argument("--no-pages", action="store_true")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--no-export", action="store_true")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/performance.md alone")
    args = parser.parse_args()

    out = [START, "", f"Measured {dt.datetime.now().strftime('%Y-%m-%d %H:%M')} by `make bench` (bench/run.py).", ""]
    out += [f"- **{k}**: {v}" for k, v in machine().items()]

    def section(title: str, lines: list[str]) -> None:
        out.extend(["", f"### {title}", "", *lines])
        print(f"\n### {title}\n" + "\n".join(lines), flush=True)

    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            print(f"loader benchmarks at {size:,} positions ...", flush=True)
            rows = loader_rows(size, Path(folder), args.repeat, reference=not (args.no_reference and size > 20_000))
            section(f"{size:,} positions", table(rows, rows[0][1]))
        smallest = Path(folder) / f"positions-{min(args.sizes)}.yaml"
        biggest = Path(folder) / f"positions-{max(args.sizes)}.yaml"
        tiny = Path(folder) / "positions-100.yaml"
        tiny.write_text(generate(100, seed=1), encoding="utf-8")
        print("cold start and memory ...", flush=True)
        section(f"CLI, {min(args.sizes):,} positions", table(subprocess_rows(smallest), None))
        print("whole process: validate vs the floor ...", flush=True)
        whole = Path(folder) / "positions-10000.yaml" if 10_000 in args.sizes else smallest
        rows = whole_process_rows(whole)
        section(
            f"Whole process, {whole.stem.removeprefix('positions-')} positions, no disk cache (best of 5)",
            table(rows, rows[0][1]),
        )
        if not args.no_pages:
            print("page reruns (AppTest) ...", flush=True)
            section(
                f"Warm page reruns (AppTest), 100 vs {max(args.sizes):,} positions",
                [
                    f"Each page run {args.runs} more times after two warm-up runs, in one process per dataset "
                    "(the dataset and its positions frame cached by the UI): a click's cost on the server, "
                    "without the browser.",
                    "",
                    *page_table(tiny, biggest, args.runs),
                ],
            )
            print("new Quotes searches (AppTest) ...", flush=True)
            section(
                f"A new Quotes search (AppTest), 100 vs {max(args.sizes):,} positions",
                [
                    "The Quotes page open (all official positions listed), then a search text typed that no "
                    f"run has searched before, {max(args.runs, 3)} of each kind in one process per dataset: "
                    "the whole rerun, as the server serves it, without the browser.",
                    "",
                    *quotes_search_table(tiny, biggest, args.runs),
                ],
            )
        if not args.no_export:
            print("export ...", flush=True)
            section("Export (kaleido, Chromium)", table(export_rows([ROOT / "positions.yaml", smallest]), None))
        if not args.no_browser:
            print("browser ...", flush=True)
            rows = browser_rows(ROOT / "positions.yaml", smallest, biggest, max(3, args.runs // 2))
            section("In a real browser (Playwright, Chromium)", table(rows, None))
    out += ["", f"Load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}", "", END]
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
