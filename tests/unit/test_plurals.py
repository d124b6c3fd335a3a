"""Counts are written with the right noun: "1 problem", "2 problems", "7 countries", never "problem(s)".

wording.plural writes them; this test reads the text every module and page can show and fails on
the "(s)" shortcut, which reads as a form nobody finished ("1 chosen issue(s) have ...").
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from stances import wording

ROOT = Path(__file__).resolve().parents[2]
SHOWN = [*sorted((ROOT / "stances").glob("*.py")), *sorted((ROOT / "pages").glob("*.py")), ROOT / "ui.py"]
SHORTCUT = re.compile(r"[A-Za-z]\(s\)")


def texts_of(path: Path) -> list[tuple[int, str]]:
    """Every string literal in ``path`` but docstrings, with its line (f-strings' literal parts too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def test_no_text_counts_with_an_s_in_brackets() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line}: {text!r}"
        for path in SHOWN
        for line, text in texts_of(path)
        if SHORTCUT.search(text.replace("http(s)", "http"))
    ]
    assert len(SHOWN) > 20  # the modules and pages were read
    assert found == []


def test_plural_takes_the_irregular_form() -> None:
    assert wording.plural(1, "country", "countries") == "1 country"
    assert wording.plural(7, "country", "countries") == "7 countries"
    assert wording.plural(0, "issue") == "0 issues"
