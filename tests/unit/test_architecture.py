"""Layering: the core under stances/ never imports Streamlit; only the UI files may."""

from __future__ import annotations

import ast
import os
from pathlib import Path

ROOT = Path(__file__).parents[2]


def imported_modules(path: Path) -> set[str]:
    """Top-level names of every module a file imports, anywhere in it (functions included)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in (
            "import_module",
            "__import__",
        ):
            names.update(arg.value.split(".")[0] for arg in node.args[:1] if isinstance(arg, ast.Constant))
    return names


def python_files() -> list[Path]:
    """Every project .py file, without walking into the virtualenv or other tool folders."""
    skip = {".venv", "venv", ".git", "test-output", "node_modules", "__pycache__", ".pytest_cache", ".ruff_cache"}
    found = []
    for folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = [d for d in subfolders if d not in skip and not d.startswith(".")]
        found += [Path(folder, f) for f in files if f.endswith(".py")]
    return found


def allowed_to_import_streamlit(path: Path) -> bool:
    relative = path.relative_to(ROOT)
    return (
        relative in (Path("app.py"), Path("ui.py"), Path("serve.py"))
        or relative.parent == Path("pages")
        or relative.parts[0]
        in (
            "tests",
            "bench",
        )
    )


def test_core_package_never_imports_streamlit() -> None:
    core = sorted((ROOT / "stances").rglob("*.py"))
    assert len(core) >= 6, "found too few modules under stances/: is the path right?"
    offenders = [str(p.relative_to(ROOT)) for p in core if "streamlit" in imported_modules(p)]
    assert offenders == [], f"stances/ must stay importable without Streamlit: {offenders}"


def test_only_app_pages_and_ui_import_streamlit() -> None:
    files = python_files()
    assert Path(ROOT, "stances", "load.py") in files, "the file walk missed stances/"
    offenders = [
        str(p.relative_to(ROOT))
        for p in files
        if "streamlit" in imported_modules(p) and not allowed_to_import_streamlit(p)
    ]
    assert offenders == [], f"only app.py, serve.py, pages/*.py and ui.py may import streamlit: {offenders}"


def test_the_import_check_sees_every_form_of_import(tmp_path: Path) -> None:
    # guard against a check that cannot fail
    for source in (
        "import streamlit as st\n",
        "from streamlit import session_state\n",
        "import streamlit.components.v1\n",
        "def f():\n    import streamlit\n",
        "import importlib\nst = importlib.import_module('streamlit')\n",
    ):
        path = tmp_path / "m.py"
        path.write_text(source)
        assert "streamlit" in imported_modules(path), source
    path = tmp_path / "m.py"
    path.write_text("from . import streamlit_free\nimport plotly\n")
    assert "streamlit" not in imported_modules(path)
