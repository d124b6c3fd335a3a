"""Replace a file's content atomically: the one way the project writes a user's file.

The new bytes go to a temporary file next to the target, are flushed to disk, take the target's
permissions, and are renamed over it (``os.replace``: readers see the old file or the new one,
never half of either); then the folder is synced so the rename survives a crash. A check given by
the caller runs just before the rename, so a file that changed since it was read is not replaced.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


class NoTempFile(OSError):
    """No temporary file could be made next to the target (a read-only folder, a full disk)."""


def replace_file(target: Path, new: bytes, *, mode: int, check: Callable[[], None]) -> None:
    """Write ``new`` over ``target`` atomically, with permissions ``mode``.

    ``check`` runs just before the rename and raises to call it off. On any failure the temporary
    file is removed and the error propagates: NoTempFile, another OSError, or what ``check`` raised.
    """
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise NoTempFile(exc.errno, exc.strerror) from None
    temporary = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(new)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        check()
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    fsync_folder(target.parent)


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (best effort: not every system can open a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
