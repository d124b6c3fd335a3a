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


# --- the import graph: no cycle, no private name reached across modules -------------------------


def project_modules(root: Path = ROOT) -> dict[str, Path]:
    """Dotted name -> file of every module the product is made of (the core, the UI, the pages)."""
    found = {f"stances.{p.stem}": p for p in sorted((root / "stances").glob("*.py")) if p.stem != "__init__"}
    found.update({f"pages.{p.stem}": p for p in sorted((root / "pages").glob("*.py"))})
    found.update({p.stem: p for p in (root / "app.py", root / "ui.py", root / "serve.py") if p.exists()})
    return found


def project_imports(path: Path, modules: dict[str, Path]) -> tuple[set[str], list[str]]:
    """The project modules ``path`` imports (anywhere in it, lazily too, or by name for importlib),
    and every private name it
    takes from another project module (``from stances.load import _Builder``, ``load._Builder``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    imported: set[str] = set()
    private: list[str] = []
    aliases: dict[str, str] = {}  # local name -> project module
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in modules:
                    imported.add(alias.name)
                    aliases[alias.asname or alias.name] = alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                if submodule in modules:  # from stances import load
                    imported.add(submodule)
                    aliases[alias.asname or alias.name] = submodule
                elif node.module in modules:
                    imported.add(node.module)
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        private.append(f"{node.module}.{alias.name}")
    for node in ast.walk(tree):
        # a dotted module name in a string: named for importlib (the CLI's table of commands)
        named = node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else ""
        if "." in named and named in modules:
            imported.add(named)
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            private.append(f"{aliases[node.value.id]}.{node.attr}")
    return imported, private


def import_graph(root: Path = ROOT) -> tuple[dict[str, set[str]], dict[str, list[str]]]:
    """Who imports whom among the project's modules, and the private names each one reaches."""
    modules = project_modules(root)
    graph: dict[str, set[str]] = {}
    reached: dict[str, list[str]] = {}
    for name, path in modules.items():
        imported, private = project_imports(path, modules)
        graph[name] = imported - {name}
        if private:
            reached[name] = private
    return graph, reached


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for other in sorted(graph.get(module, ())):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def test_no_import_cycle() -> None:
    graph, _ = import_graph()
    assert graph.get("stances.load"), "the graph missed the loader's imports"
    assert cycles(graph) == [], "modules that import each other are one job, or a third module is missing"


def test_no_module_reaches_into_another_modules_private_names() -> None:
    _, reached = import_graph()
    assert reached == {}, "a private name used by another module asks for a shared public one"


def test_the_graph_checks_can_fail(tmp_path: Path) -> None:
    # guard against checks that cannot fail: a cycle through a lazy import, and private names
    (tmp_path / "stances").mkdir()
    (tmp_path / "pages").mkdir()
    (tmp_path / "stances" / "a.py").write_text("from stances.b import thing\n")
    (tmp_path / "stances" / "b.py").write_text("def f():\n    from stances import c\n")
    (tmp_path / "stances" / "c.py").write_text("import stances.a\nfrom stances.b import _hidden\n")
    (tmp_path / "ui.py").write_text("from stances import b\nb._helper()\n")
    (tmp_path / "stances" / "d.py").write_text("import importlib\nCOMMANDS = {'x': 'stances.e'}\n")
    (tmp_path / "stances" / "e.py").write_text("from stances.d import COMMANDS\n")
    graph, reached = import_graph(tmp_path)
    assert cycles(graph) == [["stances.a", "stances.b", "stances.c"], ["stances.d", "stances.e"]]
    assert reached == {"stances.c": ["stances.b._hidden"], "ui": ["stances.b._helper"]}


# The size budgets of the core redesign: a module past them holds more than one job.
MODULE_LINES = 800
LOADER_LINES = 1500  # stances/load.py and stances/fastload.py together
UI_LINES = 450  # ui.py: the Streamlit glue only
PAGE_LINES = 160  # each file under pages/: widgets in, core called, results drawn


def line_count(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_module_sizes_hold_their_budgets() -> None:
    over = {str(p.relative_to(ROOT)): n for p in python_files() if (n := line_count(p)) > MODULE_LINES}
    over = {name: n for name, n in over.items() if not name.startswith("tests")}  # tests group by subject
    assert over == {}, f"modules over {MODULE_LINES} lines"
    loader = line_count(ROOT / "stances" / "load.py") + line_count(ROOT / "stances" / "fastload.py")
    assert loader <= LOADER_LINES, loader
    assert line_count(ROOT / "ui.py") <= UI_LINES
    pages = {p.name: n for p in (ROOT / "pages").glob("*.py") if (n := line_count(p)) > PAGE_LINES}
    assert pages == {}, f"pages over {PAGE_LINES} lines: move their logic into stances/"
