"""A file with a YAML syntax error in one record: the dashboard shows every other record, under
the banner, and Data health names the broken record (stances.salvage)."""

from __future__ import annotations

from pathlib import Path

import pytest
from apphelpers import AS_OF, BUNDLED, OVERVIEW, messages, open_page

from stances.load import load_dataset

HEALTH = "pages/health_page.py"
QUOTES = "pages/quotes_page.py"


@pytest.fixture
def one_slip(tmp_path: Path, use_dataset) -> tuple[Path, int]:
    """A copy of the bundled dataset whose 5th position has ': ' in an unquoted role, and the
    number of positions in the bundled file."""
    text = BUNDLED.read_text(encoding="utf-8")
    role = [at for at in range(len(text)) if text.startswith("\n    role: ", at)][4]
    end = text.index("\n", role + 1)
    line = text[role + 1 : end]
    path = tmp_path / "positions.yaml"
    path.write_text(text[: role + 1] + "    role: Minister: of defence" + text[end:], encoding="utf-8")
    assert line.startswith("    role: ")
    return use_dataset(path), len(load_dataset(BUNDLED, cache=False).positions)


def test_the_pages_show_every_other_record_under_the_banner(one_slip: tuple[Path, int]) -> None:
    _, total = one_slip
    at = open_page(OVERVIEW, {"asof": AS_OF})
    [banner] = messages(at, "warning")
    assert banner == "positions\\.yaml has 1 error: the records with errors are left out."
    [identity] = [t.value for t in at.sidebar.text]
    assert f"{total - 1} positions" in identity  # not 0: only the broken record is left out
    assert len(at.get("plotly_chart")) >= 1
    assert not any(m.startswith("Showing the last valid version") for m in messages(at, "warning"))


def test_data_health_names_the_broken_record_at_its_line(one_slip: tuple[Path, int]) -> None:
    path, total = one_slip
    at = open_page(HEALTH, {"asof": AS_OF})
    table = at.dataframe[0].value
    problems = table[table["type"] != "tie"]  # the bundled file's one warning stays listed
    assert problems["type"].tolist() == ["yaml-syntax"]
    [where] = problems["where"].tolist()
    line = path.read_text(encoding="utf-8").splitlines().index("    role: Minister: of defence") + 1
    assert where == f"{path}:{line}:19"
    [problem] = problems["problem"].tolist()
    assert problem.endswith(
        "mapping values are not allowed in this context; text containing ': ' must be put in double quotes"
    )
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Valid positions"] == str(total - 1)
