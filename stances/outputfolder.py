"""A folder a command writes its files into, and only where it was asked: ``export --out DIR``.

The rules, each checked for every file before the first one is written (so a refusal writes nothing):

- **Never through a link.** Each file is written as a temporary file in the folder and renamed
  over its name, both relative to the folder opened once (``dir_fd``): a link at that name is
  replaced, never followed, and a folder swapped for a link halfway through is not followed either.
  Names are plain file names (no ``/``, no ``..``), so nothing resolves outside the folder. The
  folder named itself may be a link: the user chose it.
- **Never onto a protected file** (the positions file), compared by device and inode, so a hard
  link or a link to it under another name counts too: refused even with ``--force``.
- **Never over a file it did not write** unless ``force``: the folder keeps a manifest
  (:data:`MANIFEST`) of each file written and its SHA-256; a file present under a name about to be
  written is "ours" only when the manifest lists it with that content. A new or empty folder is
  fine, other files in the folder are left alone, and a file of ours edited since is not ours.
  Under ``STANCES_READ_ONLY=1`` ``force`` does not apply: only new files and ours are written.
- **A folder, FIFO, device or socket in the way** is named in the refusal, even with ``force``.

Pure: no Streamlit. POSIX calls (``O_NOFOLLOW``, ``dir_fd``), as the project runs on Linux and macOS.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path

from stances import settings
from stances.wording import plural

MANIFEST = ".stances-export.json"  # what earlier exports wrote here: {"files": {name: sha256}}
MANIFEST_BYTES = 4 * 1024 * 1024  # a manifest past this is not ours (a real one lists names and hashes)
WRITTEN_BY = "python -m stances export"
LISTED = 5  # foreign files named in a refusal; the rest are counted


class FolderRefused(Exception):
    """Writing into the folder was refused before anything was written; the message says what to do."""


def plain_name(name: str) -> bool:
    """True for a file name that stays inside its folder: no separator, no NUL, not ``.`` or ``..``."""
    return bool(name) and name not in (".", "..") and "/" not in name and os.sep not in name and "\0" not in name


def file_identities(paths: Iterable[str | Path]) -> dict[tuple[int, int], str]:
    """(device, inode) -> path, for each path that exists (links followed): the files never to write over."""
    found = {}
    for path in paths:
        try:
            info = os.stat(path)
        except OSError:
            continue
        found[(info.st_dev, info.st_ino)] = str(path)
    return found


class OutputFolder:
    """An open folder to write named files into under the rules of the module docstring.

    ``OutputFolder.open(path, names, protect=..., force=...)`` creates the folder if needed and
    checks every name first (raising FolderRefused); ``write(name, data)`` then writes each file
    and records it in the manifest; ``close()`` releases the folder.
    """

    def __init__(self, path: Path, fd: int, owned: dict[str, str], protected: dict[tuple[int, int], str]) -> None:
        self.path, self.fd, self.owned, self.protected = path, fd, owned, protected
        self.allowed: dict[str, tuple[int, int] | None] = {}  # name -> identity checked (None: absent)

    @classmethod
    def open(
        cls, path: str | Path, names: Sequence[str], *, protect: Iterable[str | Path] = (), force: bool = False
    ) -> OutputFolder:
        """Create ``path`` if missing, open it, and check that each of ``names`` may be written.

        Raises FolderRefused (nothing written, the folder at most created) or OSError.
        """
        path = Path(path)
        for name in names:
            if not plain_name(name) or name == MANIFEST:
                raise FolderRefused(f"{name!r} is not a plain file name in {path}; nothing was written")
        if os.path.islink(path) and not os.path.exists(path):
            raise FolderRefused(f"{path} is a link to nothing; nothing was written. Name a folder for --out.")
        if os.path.lexists(path) and not os.path.isdir(path):
            raise FolderRefused(f"{path} is a file, not a folder; nothing was written. Name a folder for --out.")
        path.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            protected = file_identities(protect)
            folder = cls(path, fd, {}, protected)
            folder.owned = folder.read_manifest()
            folder.claim([*names, MANIFEST], force=force and not settings.read_only())
        except BaseException:
            os.close(fd)
            raise
        return folder

    def __enter__(self) -> OutputFolder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the folder (each file and the manifest are complete once written)."""
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    # --- checking ----------------------------------------------------------------------------------

    def lstat(self, name: str) -> os.stat_result | None:
        """The entry ``name`` in the folder, not following a link; None when absent."""
        try:
            return os.stat(name, dir_fd=self.fd, follow_symlinks=False)
        except FileNotFoundError:
            return None

    def in_the_way(self, name: str, info: os.stat_result) -> str | None:
        """Why ``name`` may never be written over, whatever ``force`` says; None when it may be."""
        where = self.path / name
        if (info.st_dev, info.st_ino) in self.protected:
            return f"{where} is the positions file: export never writes over it; choose another --out"
        if stat.S_ISLNK(info.st_mode):
            try:
                target = os.stat(name, dir_fd=self.fd)
            except OSError:
                return None  # a dangling link: replacing it follows nothing
            protected = self.protected.get((target.st_dev, target.st_ino))
            if protected is not None:
                return (
                    f"{where} is a link to the positions file {protected}: export never writes through it; "
                    "remove the link or choose another --out"
                )
            return None
        if stat.S_ISDIR(info.st_mode):
            return f"{where} is a folder: export writes a file there; move the folder or choose another --out"
        if not stat.S_ISREG(info.st_mode):
            return f"{where} is not a regular file (a FIFO, device or socket); move it or choose another --out"
        return None

    def claim(self, names: Sequence[str], *, force: bool) -> None:
        """Check every name at once; raise FolderRefused naming what is in the way."""
        foreign: list[str] = []
        links: list[str] = []
        for name in names:
            info = self.lstat(name)
            if info is None:
                self.allowed[name] = None
                continue
            why = self.in_the_way(name, info)
            if why is not None:
                raise FolderRefused(f"{why}; nothing was written")
            if stat.S_ISLNK(info.st_mode):
                links.append(name)
            elif not self.ours(name, info):
                foreign.append(name)
            self.allowed[name] = (info.st_dev, info.st_ino)
        if (foreign or links) and not force:
            raise FolderRefused(self.refusal(foreign, links))

    def refusal(self, foreign: Sequence[str], links: Sequence[str]) -> str:
        """The message for files export did not write (and links) in the way."""
        parts = []
        if foreign:
            shown = ", ".join(foreign[:LISTED]) + (
                f" and {len(foreign) - LISTED} more" if len(foreign) > LISTED else ""
            )
            parts.append(f"{self.path} holds {plural(len(foreign), 'file')} export did not write: {shown}")
        for name in links:
            parts.append(f"{self.path / name} is a link (export never writes through one)")
        them = "it" if len(foreign) + len(links) == 1 else "them"
        if settings.read_only():
            todo = "Writing over files is turned off (STANCES_READ_ONLY=1): "
            todo += f"choose a new or empty folder, or remove {them}"
        else:
            todo = f"Choose a new or empty folder, or pass --force to replace {them}"
            if links:
                todo += " (a link is replaced, what it points to is left alone)"
        return f"{'; '.join(parts)}; nothing was written. {todo}."

    def ours(self, name: str, info: os.stat_result) -> bool:
        """True when the manifest lists ``name`` with the content it holds now."""
        expected = self.owned.get(name)
        if expected is None or not stat.S_ISREG(info.st_mode):
            return False
        try:
            return self.digest(name) == expected
        except OSError:
            return False

    def digest(self, name: str) -> str:
        """SHA-256 of the regular file ``name`` (opened without following a link or blocking)."""
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=self.fd)
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise OSError(f"{name} is not a regular file")
            return hashlib.file_digest(handle, "sha256").hexdigest()

    def read_manifest(self) -> dict[str, str]:
        """Name -> SHA-256 of the files earlier exports wrote here (the manifest itself included).

        Empty when there is no manifest, or one export did not write byte for byte (edited by hand,
        or not ours at all): such a manifest vouches for nothing, and is itself a file not ours.
        """
        info = self.lstat(MANIFEST)
        if info is None or not stat.S_ISREG(info.st_mode) or info.st_size > MANIFEST_BYTES:
            return {}
        try:
            fd = os.open(MANIFEST, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=self.fd)
            with os.fdopen(fd, "rb") as handle:
                raw = handle.read(MANIFEST_BYTES + 1)
            content = json.loads(raw.decode("utf-8"))
        except (OSError, ValueError):
            return {}
        files = content.get("files") if isinstance(content, dict) else None
        if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
            return {}
        if MANIFEST in files or not all(plain_name(k) for k in files) or self.manifest_bytes(files) != raw:
            return {}
        return {**files, MANIFEST: hashlib.sha256(raw).hexdigest()}

    # --- writing -----------------------------------------------------------------------------------

    def write(self, name: str, data: bytes) -> Path:
        """Write ``data`` as ``name`` (a name given to ``open``), then record it in the manifest."""
        self.replace(name, data)
        self.owned[name] = hashlib.sha256(data).hexdigest()
        files = {k: v for k, v in self.owned.items() if k != MANIFEST}
        content = self.manifest_bytes(files)
        self.replace(MANIFEST, content)
        self.owned[MANIFEST] = hashlib.sha256(content).hexdigest()
        return self.path / name

    @staticmethod
    def manifest_bytes(files: dict[str, str]) -> bytes:
        """The manifest listing ``files`` (name -> SHA-256), as written to disk."""
        content = {"written_by": WRITTEN_BY, "files": dict(sorted(files.items()))}
        return (json.dumps(content, indent=1) + "\n").encode("utf-8")

    def replace(self, name: str, data: bytes) -> None:
        """A temporary file in the folder, then a rename over ``name``: a link there is replaced, not followed.

        Just before the rename the entry must still be what ``open`` checked (or a file this
        object wrote), so a link or another file put there meanwhile is not replaced.
        """
        if name not in self.allowed:
            raise ValueError(f"{name} was not checked when the folder was opened")
        temporary = f".{name}.{secrets.token_hex(6)}.tmp"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
        fd = os.open(temporary, flags, 0o666, dir_fd=self.fd)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            info = self.lstat(name)
            now = None if info is None else (info.st_dev, info.st_ino)
            if now != self.allowed[name]:
                raise FolderRefused(f"{self.path / name} changed while export was writing; it was left as it is")
            os.replace(temporary, name, src_dir_fd=self.fd, dst_dir_fd=self.fd)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary, dir_fd=self.fd)
            raise
        info = self.lstat(name)
        self.allowed[name] = None if info is None else (info.st_dev, info.st_ino)
