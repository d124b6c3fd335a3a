"""``python -m stances export``: every chart of the dataset as PNG or SVG, with an index.

The charts are the dashboard's own, each page at its defaults (the same builders, titles,
captions and file names as the pages): Overview, Compare, Agreement and What changed once,
Timeline, Map and One issue, everyone once per issue with positions. The index (``index.html``
to look at, ``index.json`` for tools) lists each file with its title, selection, link to the same
view in the dashboard and sources.

``--format csv`` writes the dataset itself instead, as open data (stances.opendata: tidy CSV
tables and a datapackage.json), with neither Chromium nor plotly.

Where it writes (stances.outputfolder): only into ``--out``, never through a link, never onto the
positions file, and over a file already there only when an earlier export wrote it (its manifest,
``.stances-export.json``, says so) or with ``--force``. Everything is checked before the first
file is written, so a refusal writes nothing.

Exit codes: 0 written, 2 usage, unreadable file, no Chromium, or a file in the way. A dataset with
problems is exported like the dashboard shows it (valid records only) with a warning, not refused.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO
from urllib.parse import urlencode

from stances import settings
from stances.load import DatasetFileError, load_dataset
from stances.model import VOICES, Dataset
from stances.outputfolder import FolderRefused, OutputFolder
from stances.terminal import EXIT_OK, EXIT_USAGE, tell
from stances.wording import plural

if TYPE_CHECKING:  # the charts' libraries load when export runs: validate and verify start without them
    import pandas as pd
    import plotly.graph_objects as go

    from stances.caption import Caption

FORMATS = ("png", "svg")  # stances.export.FORMATS, without importing plotly to list them
DATA_FORMATS = ("csv",)  # the dataset itself as open data (stances.opendata), not charts


@dataclass
class Chart:
    """One chart as a page draws it at its defaults, and where it goes."""

    page: str  # the page's url path: overview, compare, timeline, map, agreement, changes, lineup
    filename: str  # without extension, as the chart's own camera button names it
    figure: go.Figure
    caption: Caption
    params: dict[str, list[str]] = field(default_factory=dict)  # the view's URL parameters, as ui.write_url
    base: str = ""  # the dashboard's public address ($STANCES_PUBLIC_URL), if any
    table: pd.DataFrame | None = None  # what the page offers as CSV beside the chart (What changed)

    def link(self) -> str:
        """The view in the dashboard: ``<public address>/compare?asof=...&actors=RUS&actors=USA``, or
        relative to the dashboard's address (``compare?...``) when it has no public one."""
        relative = f"{self.page}?{urlencode(self.params, doseq=True)}"
        return f"{self.base}/{relative}" if self.base else relative


# --- the charts, as the pages build them ------------------------------------------------------------


def page_charts(dataset: Dataset, as_of: dt.date, voices: Sequence[str]) -> Iterator[Chart]:
    """Every chart of the dataset, each page at its defaults for ``as_of`` and ``voices``.

    The pages' own builders (stances.chartviews): a page that would show an empty state instead
    of a chart yields nothing.
    """
    from stances import analysis, chartviews, filenames, issueviews, sharing
    from stances.caption import with_link

    public = settings.public_url()
    frame = analysis.positions_frame(dataset)  # once for both lists: 0.2 s at 100,000 positions
    charts = chartviews.default_charts(dataset, as_of, voices, frame)
    charts += issueviews.default_charts(dataset, as_of, voices, frame)
    for chart in charts:
        view = chart.view
        params = sharing.view_params(as_of, voices, dataset, chart.params)
        filename = filenames.export_filename(chart.page, view.selection, as_of)
        table = getattr(view, "table", None)  # What changed lists every change, the chart the first
        item = Chart(chart.page, filename, view.figure, view.caption, params, public or "", table)
        if public:  # an image that leaves the machine says where to open it
            item.figure = with_link(view.figure, view.caption, item.link())
        yield item


# --- writing ---------------------------------------------------------------------------------------


class Progress:
    """A text progress bar on ``stream``: redrawn in place on a terminal, a line per step otherwise."""

    def __init__(self, total: int, stream: TextIO, width: int = 30) -> None:
        self.total, self.stream, self.width, self.done = total, stream, width, 0
        self.tty = stream.isatty()

    def step(self, label: str) -> None:
        self.done += 1
        filled = round(self.width * self.done / max(self.total, 1))
        line = f"[{'#' * filled}{'.' * (self.width - filled)}] {self.done}/{self.total} {label}"
        if self.tty:
            self.stream.write("\r\x1b[2K" + line + ("\n" if self.done == self.total else ""))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()


INDEX_FILES = ("index.json", "index.html")


def chart_names(items: Sequence[Chart]) -> list[str]:
    """Each chart's file name without extension: its own, with ``-2``, ``-3`` on a repeat."""
    names = []
    used: set[str] = set()
    for item in items:
        name = item.filename
        n = 2
        while name in used:  # two views with the same name (should not happen): keep both
            name, n = f"{item.filename}-{n}", n + 1
        used.add(name)
        names.append(name)
    return names


def has_table(item: Chart) -> bool:
    """Whether the chart has a table to write beside it (What changed), as its page offers one."""
    return item.table is not None and not item.table.empty


def files_to_write(items: Sequence[Chart], fmt: str) -> list[str]:
    """Every file the export of ``items`` writes: the images, the tables beside them, the index."""
    names = []
    for item, name in zip(items, chart_names(items), strict=True):
        names.append(f"{name}.{fmt}")
        if has_table(item):
            names.append(f"{name}.csv")
    return [*names, *INDEX_FILES]


def write_charts(
    items: Sequence[Chart],
    out: OutputFolder,
    fmt: str,
    on_step: Callable[[str], None] = lambda label: None,
) -> list[dict]:
    """Render each chart into ``out`` as ``<filename>.<fmt>``; returns the index entries.

    ``out`` was opened with :func:`files_to_write` of the same items and format.
    """
    from stances import export
    from stances.tables import csv_bytes

    entries = []
    for item, name in zip(items, chart_names(items), strict=True):
        started = time.perf_counter()
        data = export.render(item.figure, fmt)
        out.write(f"{name}.{fmt}", data)
        table = {}
        if has_table(item):  # as the page's CSV download writes it
            out.write(f"{name}.csv", csv_bytes(item.table))
            table = {"table": f"{name}.csv"}
        entries.append(
            {
                **table,
                "file": f"{name}.{fmt}",
                "page": item.page,
                "title": item.caption.title,
                "subtitle": item.caption.subtitle,
                "sources": list(item.caption.sources),
                "dataset": item.caption.dataset,
                "revision": item.caption.revision,
                "view": item.link(),
                "params": item.params,
                "seconds": round(time.perf_counter() - started, 3),
            }
        )
        on_step(f"{name}.{fmt}")
    return entries


def _view_html(link: str) -> str:
    """A view's link in the index: a link when it is a public address, else the text to append to
    the dashboard's address."""
    if link.startswith(("https://", "http://")):
        return f'<a href="{html.escape(link, quote=True)}">{html.escape(link)}</a>'
    return f"<code>{html.escape(link)}</code>"


def index_html(entries: Sequence[dict], dataset: Dataset) -> str:
    """A page showing every exported chart with its title, view link and sources (all escaped)."""
    head = html.escape(f"{dataset.title}: charts, revision {dataset.revision}")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{head}</title>",
        "<style>body{font-family:sans-serif;max-width:1240px;margin:2em auto;padding:0 1em}"
        "img{width:100%;max-width:1200px;border:1px solid #ccc}figure{margin:0 0 3em}"
        "code{word-break:break-all}</style>",
        f"</head><body><h1>{head}</h1>",
    ]
    for entry in entries:
        file = html.escape(entry["file"], quote=True)
        alt = html.escape(f"{entry['title']} ({entry['subtitle']})", quote=True)
        parts.append(
            f'<figure><a href="{file}"><img src="{file}" alt="{alt}"></a><figcaption>'
            f"<b>{html.escape(entry['title'])}</b><br>{html.escape(entry['subtitle'])}<br>"
            f"View in the dashboard: {_view_html(entry['view'])}<br>"
            f"Sources: {html.escape('; '.join(entry['sources']) or 'none')}</figcaption></figure>"
        )
    parts.append("</body></html>\n")
    return "\n".join(parts)


# --- the command -----------------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``--out``, ``--force``, ``--format``, ``--file``, ``--as-of`` and ``--voices``."""
    parser.description = (
        "Write every chart of the dashboard (each page at its defaults; Timeline, Map and One issue, "
        "everyone once per issue) as images into a folder, with index.html and index.json. Needs Chromium. "
        "--format csv writes the dataset instead: tidy CSV tables with a datapackage.json (open data)."
    )
    parser.add_argument("--out", required=True, help="folder to write into (created if missing)")
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace files in --out that export did not write (never the positions file; "
        "not under STANCES_READ_ONLY=1)",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS + DATA_FORMATS,
        default="png",
        help="png (2400x1350 px) or svg; csv: every record as CSV tables (--as-of and --voices do not apply)",
    )
    parser.add_argument("--file", help="positions file (default: $POSITIONS_FILE, then positions.yaml)")
    parser.add_argument("--as-of", help="date of the stances shown, YYYY-MM-DD (default: today)")
    parser.add_argument(
        "--voices", default="official", help="comma-separated: official, expert, reported (default: official)"
    )


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return EXIT_USAGE


def _warn_valid_only(dataset: Dataset, path: str | Path) -> None:
    """Say on stderr that a file with errors is exported as the dashboard shows it."""
    if dataset.errors:
        count = len(dataset.errors)
        print(
            f"warning: {path} has {count} error{'s' if count != 1 else ''}; exporting the valid records only "
            f"(python -m stances validate {path} lists them)",
            file=sys.stderr,
        )


def run_open_data(args: argparse.Namespace) -> int:
    """``--format csv``: the whole dataset (every voice and date) as tidy CSV tables with a
    datapackage.json (stances.opendata). Needs neither Chromium nor plotly."""
    from stances import opendata

    path = args.file or settings.positions_file()
    try:
        dataset = load_dataset(path, settled=True, on_wait=tell)  # never half of a file being saved
    except DatasetFileError as exc:
        return _fail(str(exc))
    _warn_valid_only(dataset, path)
    data = opendata.open_data(dataset)
    if data.left_out:
        print(
            f"warning: {plural(data.left_out, 'record')} left out: each names a record the file's errors left out",
            file=sys.stderr,
        )
    out = Path(args.out)
    try:
        opendata.write_package(data, out, protect=[path], force=args.force)
    except FolderRefused as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"cannot write into {out}: {exc.strerror or exc}")
    positions = data.tables["positions"]
    print(
        f"{plural(len(data.tables), 'table')} and {opendata.PACKAGE_FILE} written to {out}: "
        f"{plural(positions['position'].nunique(), 'position')} in {plural(len(positions), 'row')} "
        "(a joint statement has one per signatory)",
        file=sys.stderr,
    )
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    """Render every chart into ``--out``; exit 2 without Chromium. ``--format csv`` writes the
    dataset instead (run_open_data)."""
    if args.format in DATA_FORMATS:
        return run_open_data(args)
    from stances import export, permalink

    today = dt.date.today()
    as_of = today
    if args.as_of is not None:
        as_of = permalink.parse_date(args.as_of, latest=today)
        if as_of is None:
            return _fail(f"--as-of {args.as_of!r} is not a date YYYY-MM-DD up to today")
    voices, unknown = permalink.parse_voices(args.voices)
    if unknown or not voices:
        return _fail(f"--voices {args.voices!r}: choose among {', '.join(VOICES)}")
    if not export.chromium_available():
        return _fail(f"cannot export images: {export.NO_BROWSER_HINT}")
    path = args.file or settings.positions_file()
    try:
        dataset = load_dataset(path, settled=True, on_wait=tell)  # never half of a file being saved
    except DatasetFileError as exc:
        return _fail(str(exc))
    _warn_valid_only(dataset, path)
    out = Path(args.out)
    started = time.perf_counter()
    items = list(page_charts(dataset, as_of, voices))
    if not items:
        return _fail(f"{path} has no position to chart for voices {', '.join(voices)}")
    try:
        folder = OutputFolder.open(out, files_to_write(items, args.format), protect=[path], force=args.force)
    except FolderRefused as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"cannot create {out}: {exc.strerror or exc}")
    with folder:
        return write_export(folder, items, dataset, path, as_of, voices, args.format, started)


def write_export(
    folder: OutputFolder,
    items: Sequence[Chart],
    dataset: Dataset,
    path: str | Path,
    as_of: dt.date,
    voices: Sequence[str],
    fmt: str,
    started: float,
) -> int:
    """Render the charts into ``folder``, then the index; the exit code."""
    from stances import export

    out = folder.path
    progress = Progress(len(items), sys.stderr)
    try:
        entries = write_charts(items, folder, fmt, progress.step)
    except export.ExportError as exc:
        if progress.tty:
            print(file=sys.stderr)
        return _fail(f"cannot export images: {exc}")
    except FolderRefused as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"cannot write into {out}: {exc.strerror or exc}")
    finally:
        export.stop()
    index = {
        "dataset": dataset.title,
        "revision": dataset.revision,
        "file": str(path),
        "as_of": as_of.isoformat(),
        "voices": list(voices),
        "format": fmt,
        "charts": entries,
    }
    try:
        folder.write("index.json", (json.dumps(index, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
        folder.write("index.html", index_html(entries, dataset).encode("utf-8"))
    except FolderRefused as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"cannot write into {out}: {exc.strerror or exc}")
    elapsed = time.perf_counter() - started
    print(
        f"{plural(len(entries), 'chart')} written to {out} ({elapsed:.1f} s); open {out / 'index.html'}",
        file=sys.stderr,
    )
    return EXIT_OK
