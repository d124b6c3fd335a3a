"""Settings read from the environment, each in one place: the command line, the dashboard and the
loader ask here, never ``os.environ`` themselves.

- ``POSITIONS_FILE``: the positions file when none is named (default ``positions.yaml``).
- ``STANCES_READ_ONLY``: a flag; set, no dataset or evidence archive is written: ``add``, its context
  archive and the Add page are refused, ``generate`` writes only a new file, ``export`` only new
  files and its own (docs/security.md, "Where the project writes").
- ``STANCES_NO_CACHE``: a flag; set, the disk cache of parsed datasets is neither read nor written.
- ``STANCES_CACHE_DIR``: where that cache lives (default: the platform's user cache directory).
- ``STANCES_PUBLIC_URL``: the dashboard's public address (``https://stances.example.org``); set, links,
  citations and image footers carry it instead of the address this machine serves on.

A flag is on when its value is 1, true, yes or on (any case, spaces ignored); anything else, or
no value, is off. Settings are read on every call, not once at import: tests and a long-running
server may change them.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_POSITIONS_FILE = "positions.yaml"
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})


def flag(name: str) -> bool:
    """True when the environment variable ``name`` is 1, true, yes or on (any case)."""
    return os.environ.get(name, "").strip().lower() in TRUE_WORDS


def positions_file() -> str:
    """``$POSITIONS_FILE`` if set and not empty, else ``positions.yaml``: the CLI's and the dashboard's default."""
    return os.environ.get("POSITIONS_FILE") or DEFAULT_POSITIONS_FILE


def read_only() -> bool:
    """True under ``STANCES_READ_ONLY=1``: no dataset or evidence archive is written (docs/security.md)."""
    return flag("STANCES_READ_ONLY")


def cache_enabled() -> bool:
    """False under ``STANCES_NO_CACHE=1``: the disk cache is neither read nor written."""
    return not flag("STANCES_NO_CACHE")


def cache_dir() -> Path:
    """Where the disk cache lives: ``$STANCES_CACHE_DIR``, else the user cache directory of "stances"."""
    override = os.environ.get("STANCES_CACHE_DIR")
    if override:
        return Path(override)
    import platformdirs  # only when the cache is used: validate with STANCES_NO_CACHE=1 never pays for it

    return Path(platformdirs.user_cache_dir("stances"))


def public_url() -> str | None:
    """``$STANCES_PUBLIC_URL`` without a trailing slash, or None when unset or not an http(s) address.

    Links shared from the dashboard (the citation, the link box, image footers, ``stances export``'s
    index) start with it; without it they carry the address the browser used, which only works on
    this machine or its network. A value with a query or fragment is no base address: ignored.
    """
    value = os.environ.get("STANCES_PUBLIC_URL", "").strip()
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        return None
    return value.rstrip("/")
