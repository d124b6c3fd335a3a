"""Reading a file only when it is a regular file, and never more of it than a bound.

A FIFO given as the positions file blocks a plain ``open`` until some program writes to it (for
ever, if none does); a device such as ``/dev/zero`` reports a size of 0 and never ends; a socket
cannot be read at all. Each is refused at once here: the path is stat'ed first, opened with
``O_NONBLOCK`` (opening a FIFO then returns at once instead of waiting for a writer), and the
opened descriptor is stat'ed again (the path may have been swapped between the two), so only a
regular file is ever read, and at most ``limit + 1`` bytes of it. ``follow_links=False`` refuses
a symbolic link too (``O_NOFOLLOW``): for files this program wrote itself, such as the disk cache's
entries, a link can only have been put there by someone else.

Pure (no YAML, no model): the loader, the disk cache and the writers share it.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


class NotRegularFile(OSError):
    """The path is a FIFO, a device, a socket, a folder or (when links are not followed) a link:
    not a file that can be read to its end. ``kind`` says which, as a noun phrase."""

    def __init__(self, path: str | Path, kind: str) -> None:
        super().__init__(errno.EINVAL, f"{path} is {kind}, not a regular file")
        self.kind = kind


class FileTooLarge(OSError):
    """The file holds more than the bound: ``size`` bytes by its stat, or None when only reading
    found more (a file that grew, or one whose reported size is wrong)."""

    def __init__(self, path: str | Path, size: int | None) -> None:
        super().__init__(errno.EFBIG, f"{path} is larger than the bound")
        self.size = size


def kind_of(mode: int) -> str | None:
    """What a file of this ``st_mode`` is when it is not a regular file (``a FIFO (named pipe)``);
    None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    kinds = (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
        (stat.S_ISLNK, "a symbolic link"),
    )
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def open_regular(path: str | Path, *, follow_links: bool = True) -> tuple[int, os.stat_result]:
    """An open read-only descriptor of the regular file at ``path``, and its stat.

    Raises NotRegularFile for anything else (never blocking on a FIFO), and the OSError of a file
    that cannot be found or opened (FileNotFoundError, PermissionError, ...). The caller closes
    the descriptor.
    """
    before = os.stat(path, follow_symlinks=follow_links)
    kind = kind_of(before.st_mode)
    if kind is not None:
        raise NotRegularFile(path, kind)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP and not follow_links:  # the path became a link meanwhile
            raise NotRegularFile(path, "a symbolic link") from None
        raise
    try:
        opened = os.fstat(fd)
        kind = kind_of(opened.st_mode)  # swapped since the first stat: refuse what was opened
        if kind is not None:
            raise NotRegularFile(path, kind)
    except BaseException:
        os.close(fd)
        raise
    return fd, opened


def read_regular(path: str | Path, *, limit: int, follow_links: bool = True) -> bytes:
    """The bytes of the regular file at ``path``, if it holds at most ``limit`` of them.

    Raises FileTooLarge when it holds more (by its size, without reading it; or once ``limit + 1``
    bytes were read), NotRegularFile and the OSErrors of :func:`open_regular`.
    """
    fd, opened = open_regular(path, follow_links=follow_links)
    with os.fdopen(fd, "rb") as handle:
        if opened.st_size > limit:
            raise FileTooLarge(path, opened.st_size)
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise FileTooLarge(path, None)
    return data


def read_failure(path: str | Path, exc: OSError) -> str:
    """One line for a user on why the positions file at ``path`` could not be read (``exc``, from
    :func:`read_regular` or stances.filestate): the loader and the writers say it alike."""
    if isinstance(exc, IsADirectoryError) or (isinstance(exc, NotRegularFile) and exc.kind == "a folder"):
        return f"{path} is a folder, not a positions file"
    if isinstance(exc, NotRegularFile):
        return (
            f"{path} is {exc.kind}, not a regular file: name the positions file itself "
            "(a pipe, a device or a socket cannot be read as one)"
        )
    if isinstance(exc, FileNotFoundError):
        return f"{path}: no such file"
    if isinstance(exc, PermissionError):
        return f"{path}: permission denied"
    return f"{path}: cannot read ({exc.strerror or exc})"
