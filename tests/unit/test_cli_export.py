"""``python -m stances export``: which charts, the files and index it writes, its exit codes."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
from pathlib import Path

import pytest
from PIL import Image

from stances import analysis, export, pickers
from stances.caption import footer_text
from stances.cli import main
from stances.cli_export import Progress, page_charts
from stances.load import load_dataset

DATA = Path(__file__).parent.parent / "data"
ROOT = Path(__file__).parent.parent.parent
AS_OF = dt.date(2025, 1, 1)


def needs_chromium() -> None:
    """Skip (or fail under REQUIRE_BROWSER=1) when no Chromium can render images."""
    if export.chromium_available():
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail("REQUIRE_BROWSER=1 but no Chromium was found (set BROWSER_PATH or install chromium)")
    pytest.skip("no Chromium on PATH: image export cannot run here")


def test_one_chart_per_page_and_per_issue_for_timeline_and_map():
    dataset = load_dataset(ROOT / "positions.yaml")
    items = list(page_charts(dataset, AS_OF, ["official"]))
    pages = [item.page for item in items]
    official = analysis.filter_voices(analysis.positions_frame(dataset), ["official"])
    issues = analysis.issues_with_positions(official)
    assert pages.count("overview") == pages.count("compare") == pages.count("agreement") == 1
    assert pages.count("timeline") == len(issues) >= 5
    # a map shows stances as of the date: an issue first stated after it (Golden Dome, 2025-05) has none
    stated = analysis.issues_with_positions(analysis.latest_stances(official, AS_OF, ["official"]))
    # a link leaves out what is at the page's default: the Map's first issue
    [first] = pickers.map_choices(dataset, analysis.positions_frame(dataset), ("official",)).default_issues
    assert sorted(i.params.get("issue", [first])[0] for i in items if i.page == "map") == sorted(stated)
    assert len(stated) >= 5
    assert len({item.filename for item in items}) == len(items)
    for item in items:
        assert item.figure.layout.title.text, item.page
        assert item.figure.layout.width == 1200 and item.figure.layout.height == 675
        footer = footer_text(item.figure)
        assert footer.startswith("Source: ") and f"revision {dataset.revision}" in footer, item.filename
        assert item.filename.endswith("2025-01-01")
        assert item.params["asof"] == ["2025-01-01"] and item.params["voices"] == ["official"]


def test_links_carry_the_page_and_its_selection():
    dataset = load_dataset(DATA / "valid.yaml")
    items = {item.page: item for item in page_charts(dataset, AS_OF, ["official"])}
    # Only Russia states a stance (China declined): no agreement chart, as on the page. What changed
    # (Russia's stance appeared in the year up to 2013-03) and One issue, everyone have one each.
    assert set(items) == {"overview", "compare", "timeline", "map", "changes", "lineup"}
    rev = dataset.content_hash[:7]
    # each page at its defaults, naming what the data chose for it (a record added later could move
    # it): the window, the issue and its region, the pair
    head = f"asof=2025-01-01&voices=official&rev={rev}"
    assert items["changes"].link() == f"changes?{head}&from=2012-03-01&to=2013-03-01"
    assert items["map"].link() == f"map?{head}&issue=bmd&region=east-asia"
    assert items["compare"].link() == f"compare?{head}&actors=CHN&actors=RUS"
    assert items["compare"].filename == "compare-chn-rus-2025-01-01"


def test_no_voice_or_no_position_gives_no_chart():
    dataset = load_dataset(DATA / "valid.yaml")
    assert list(page_charts(dataset, AS_OF, [])) == []
    # Before every position only the Timeline, which shows all dates (as its page does), has a chart.
    early = list(page_charts(dataset, dt.date(1999, 1, 1), ["official"]))
    assert [item.page for item in early] == ["timeline"]


def test_progress_bar_without_terminal_prints_a_line_per_chart():
    stream = io.StringIO()
    bar = Progress(3, stream, width=6)
    for name in ("a.png", "b.png", "c.png"):
        bar.step(name)
    assert stream.getvalue().splitlines() == ["[##....] 1/3 a.png", "[####..] 2/3 b.png", "[######] 3/3 c.png"]


def test_missing_chromium_exits_2_with_a_clear_message(monkeypatch, tmp_path, capsys):
    export.stop()
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-chromium-here"))
    code = main(["export", "--out", str(tmp_path / "out"), "--file", str(DATA / "valid.yaml")])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith("error: cannot export images: Image export needs Chromium")
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--as-of", "2013-02-30"], "--as-of '2013-02-30' is not a date"),
        (["--as-of", "2999-01-01"], "up to today"),
        (["--voices", "offical"], "--voices 'offical': choose among official, expert, reported"),
        (["--format", "jpg"], "invalid choice: 'jpg'"),
    ],
)
def test_bad_flags_exit_2(flags, message, tmp_path, capsys):
    code = main(["export", "--out", str(tmp_path), "--file", str(DATA / "valid.yaml"), *flags])
    assert code == 2
    assert message in capsys.readouterr().err


def test_unreadable_file_exits_2(tmp_path, capsys):
    if not export.chromium_available():
        pytest.skip("the Chromium check comes first")
    code = main(["export", "--out", str(tmp_path), "--file", str(tmp_path / "missing.yaml")])
    assert code == 2
    assert "missing.yaml" in capsys.readouterr().err


@pytest.mark.browser
def test_export_writes_every_chart_and_an_index(tmp_path, capsys):
    needs_chromium()
    out = tmp_path / "charts"
    code = main(["export", "--out", str(out), "--file", str(DATA / "valid.yaml"), "--as-of", "2025-01-01"])
    err = capsys.readouterr().err
    assert code == 0, err
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    files = [entry["file"] for entry in index["charts"]]
    assert sorted(files) == sorted(p.name for p in out.glob("*.png"))
    assert {entry["page"] for entry in index["charts"]} >= {"overview", "compare", "timeline", "map"}
    for entry in index["charts"]:
        with Image.open(out / entry["file"]) as image:
            assert image.size == (2400, 1350)
        assert entry["sources"] == ["Example Publisher (2013-04-05)"]
        assert entry["revision"] == index["revision"]
        assert entry["view"].startswith(entry["page"] + "?asof=2025-01-01&voices=official&rev=")
    page = (out / "index.html").read_text(encoding="utf-8")
    assert all(f'src="{name}"' in page for name in files)
    # What changed lists every change beside its chart, as the page's CSV download does
    tables = [entry["table"] for entry in index["charts"] if "table" in entry]
    assert sorted(tables) == sorted(p.name for p in out.glob("*.csv"))
    assert all(entry["page"] == "changes" for entry in index["charts"] if "table" in entry)
    assert re.search(rf"\[#+\] {len(files)}/{len(files)} ", err)
    assert f"{len(files)} charts written to {out}" in err


@pytest.mark.browser
def test_svg_export_of_a_dataset_with_errors_keeps_the_valid_records(tmp_path, capsys):
    needs_chromium()
    out = tmp_path / "svg"
    broken = DATA / "datasets" / "broken.yaml"
    code = main(["export", "--out", str(out), "--file", str(broken), "--format", "svg"])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "warning: " in err and "exporting the valid records only" in err
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert index["charts"], "a dataset with some valid positions exports charts"
    for entry in index["charts"]:
        svg = (out / entry["file"]).read_text(encoding="utf-8")
        assert svg.startswith("<svg")
        assert entry["title"].replace("&", "&amp;").replace("<", "&lt;") in svg
        assert "Source: " in svg


def test_the_format_choices_are_the_exports_own() -> None:
    # listed in cli_export so that `python -m stances validate` starts without plotly
    from stances import cli_export, export

    assert cli_export.FORMATS == export.FORMATS
