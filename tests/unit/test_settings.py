"""Settings from the environment: one parser of flags, one default, and no other reader of them."""

from __future__ import annotations

import ast
from pathlib import Path

import platformdirs
import pytest

from stances import settings

ROOT = Path(__file__).parents[2]
VARIABLES = ("POSITIONS_FILE", "STANCES_READ_ONLY", "STANCES_NO_CACHE", "STANCES_CACHE_DIR", "STANCES_PUBLIC_URL")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", True),
        ("true", True),
        ("TRUE", True),
        ("yes", True),
        ("on", True),
        (" On ", True),
        ("0", False),
        ("false", False),
        ("no", False),
        ("off", False),
        ("", False),
        ("2", False),
        ("enabled", False),
    ],
)
def test_a_flag_is_on_for_1_true_yes_or_on(value: str, expected: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STANCES_READ_ONLY", value)
    monkeypatch.setenv("STANCES_NO_CACHE", value)
    assert settings.flag("STANCES_READ_ONLY") is expected
    assert settings.read_only() is expected
    assert settings.cache_enabled() is not expected


def test_an_unset_flag_is_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STANCES_READ_ONLY", raising=False)
    monkeypatch.delenv("STANCES_NO_CACHE", raising=False)
    assert settings.read_only() is False
    assert settings.cache_enabled() is True


@pytest.mark.parametrize(
    ("value", "expected"), [(None, "positions.yaml"), ("", "positions.yaml"), ("a/b.yaml", "a/b.yaml")]
)
def test_the_positions_file_is_the_environments_else_positions_yaml(
    value: str | None, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if value is None:
        monkeypatch.delenv("POSITIONS_FILE", raising=False)
    else:
        monkeypatch.setenv("POSITIONS_FILE", value)
    assert settings.positions_file() == expected


def test_settings_are_read_on_every_call(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STANCES_READ_ONLY", "1")
    assert settings.read_only()
    monkeypatch.setenv("STANCES_READ_ONLY", "0")
    assert not settings.read_only()


def test_the_cache_dir_is_the_environments_else_the_user_cache_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("STANCES_CACHE_DIR", str(tmp_path / "cache"))
    assert settings.cache_dir() == tmp_path / "cache"
    monkeypatch.delenv("STANCES_CACHE_DIR")
    assert settings.cache_dir() == Path(platformdirs.user_cache_dir("stances"))


def environment_reads(path: Path) -> set[str]:
    """The names of the environment variables ``path`` reads through os.environ or os.getenv, by literal."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and node.value in VARIABLES:
            names.add(node.value)
    return names


def test_only_the_settings_module_reads_these_variables() -> None:
    files = [*sorted((ROOT / "stances").glob("*.py")), *sorted((ROOT / "pages").glob("*.py"))]
    files += [ROOT / "ui.py", ROOT / "app.py", ROOT / "serve.py"]
    assert ROOT / "stances" / "settings.py" in files
    assert environment_reads(ROOT / "stances" / "settings.py") == set(VARIABLES), "the check sees nothing"
    readers = {str(p.relative_to(ROOT)): environment_reads(p) for p in files if p.name != "settings.py"}
    assert {name: found for name, found in readers.items() if found} == {}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("https://stances.example.org", "https://stances.example.org"),
        (" https://stances.example.org/ ", "https://stances.example.org"),
        ("http://example.org/dash/", "http://example.org/dash"),
        ("stances.example.org", None),  # no scheme: not an address a reader's browser can open
        ("javascript:alert(1)", None),
        ("ftp://example.org", None),
        ("https://", None),
        ("https://example.org/?a=1", None),  # a base address has no query
        ("https://[::1", None),  # malformed
    ],
)
def test_the_public_url_is_an_http_address_without_a_trailing_slash(
    value: str | None, expected: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    if value is None:
        monkeypatch.delenv("STANCES_PUBLIC_URL", raising=False)
    else:
        monkeypatch.setenv("STANCES_PUBLIC_URL", value)
    assert settings.public_url() == expected


def test_every_setting_is_documented() -> None:
    docs = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    text = "\n".join(path.read_text(encoding="utf-8") for path in docs if path.exists())
    assert [name for name in VARIABLES if f"`{name}" not in text] == []
    assert "STANCES_PUBLIC_URL" in (ROOT / "docs" / "sharing.md").read_text(encoding="utf-8")
