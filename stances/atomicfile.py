"""Replace a file's content atomically, and never over what another program wrote meanwhile: the
one way the project writes a user's file.

1. Temporary files that a killed write left beside the target are removed
   (:func:`remove_stale_temps`).
2. A file the user may not write (no write permission, or a mode without any write bit, such as
   0444) is refused: renaming over it would replace it all the same (:func:`write_refusal`).
3. The new bytes go to a temporary file beside the target, ``.<name>.<pid>.<random>.tmp``, locked
   (``flock``) while it exists; they are flushed to disk and get the target's owner where allowed
   and the caller's permissions.
4. Just before the rename, with ``expected`` (the state the caller read the file in): the file
   must still be that one (inode, size, modification time), open for writing in no program, and
   the caller's ``check`` must pass.
5. The temporary file and the target are exchanged in one step (``renameat2`` with
   ``RENAME_EXCHANGE``), so the replaced file stays linked under the temporary name; where the
   system cannot exchange, a hard link keeps it before ``os.replace``.
6. The replaced file is checked: still the file and the content the caller read, and held open
   for writing by no program. If another program wrote into it meanwhile (a program writing in
   place keeps writing to the file it opened, after the rename too), it is put back at the path,
   with that program's open handle still on it, and TargetChanged says so.
7. The folder is synced, so the rename survives a crash.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import hashlib
import os
import re
import secrets
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from stances.filestate import FileState, held_by, note_own_write, writers

try:
    import fcntl
except ImportError:  # not on POSIX: temporary files are not locked (a killed write's then wait for STALE_SECONDS)
    fcntl = None  # type: ignore[assignment]

# A temporary file of ours this old (since it last changed) and locked by no process is a killed
# write's: a write takes seconds at most, even for the largest file the loader reads.
STALE_SECONDS = 60.0
_RENAME_NOREPLACE, _RENAME_EXCHANGE, _AT_FDCWD = 1, 2, -100


class NoTempFile(OSError):
    """No temporary file could be made next to the target (a read-only folder, a full disk)."""


class NotWritable(PermissionError):
    """The target exists and the user may not write it: it was not replaced."""


class TargetChanged(Exception):
    """The target is not the file the caller read, or another program wrote into it while it was
    being replaced. ``restored``: the other program's version was put back at the path."""

    def __init__(self, message: str, *, restored: bool = False) -> None:
        super().__init__(message)
        self.restored = restored


def write_refusal(path: str | Path, current: os.stat_result | None = None) -> str | None:
    """Why the user may not replace the existing file at ``path`` (``positions.yaml is read-only
    (mode 0444)``), or None when they may."""
    path = Path(path)
    current = current or os.stat(path)
    mode = stat.S_IMODE(current.st_mode)
    if not mode & 0o222:  # marked read-only: refused even to root, who may write anything
        return f"{path.name} is read-only (mode {mode:04o})"
    effective = os.access in os.supports_effective_ids
    if not os.access(path, os.W_OK, effective_ids=effective):
        return f"{path.name} is read-only for you (mode {mode:04o}, owned by {_owner(current.st_uid)})"
    return None


def _owner(uid: int) -> str:
    try:
        import pwd

        return pwd.getpwuid(uid).pw_name
    except (ImportError, KeyError):
        return f"user {uid}"


def replace_file(
    target: Path,
    new: bytes,
    *,
    mode: int,
    check: Callable[[], None] | None = None,
    expected: FileState | None = None,
    must_not_exist: bool = False,
) -> None:
    """Write ``new`` over ``target`` atomically, with permissions ``mode`` (see the module's steps).

    ``expected``: the state the caller read the file in; the file must still be in it just before
    the rename, and the file replaced is checked after it. ``must_not_exist``: create the file, or
    refuse if it exists by then. Without either, whatever is at ``target`` is replaced. ``check``
    runs last before the rename and raises to call it off.

    On failure nothing is left behind and the target is as it was (or, with TargetChanged's
    ``restored``, as the other program wrote it). Raises NotWritable, NoTempFile, TargetChanged,
    another OSError, or what ``check`` raised.
    """
    target = Path(target)
    current = _stat_or_none(target)
    if current is not None and stat.S_ISREG(current.st_mode):
        why = write_refusal(target, current)
        if why is not None:
            raise NotWritable(errno.EACCES, why)
    if must_not_exist and current is not None:
        raise TargetChanged(f"{target.name} appeared meanwhile")
    remove_stale_temps(target)
    handle, temporary = _create_temporary(target)
    with handle:
        held: _Held | None = None
        placed = False
        try:
            handle.write(new)
            handle.flush()
            os.fsync(handle.fileno())
            if current is not None:
                _keep_owner(handle.fileno(), current)
            os.chmod(temporary, mode)
            if expected is not None:
                _ensure_in_place(target, expected)
            if check is not None:
                check()
            if must_not_exist:
                _create(temporary, target)
            elif expected is None:
                os.replace(temporary, target)
            else:
                held = _swap(temporary, target)
            placed = True
        finally:
            if not placed:
                temporary.unlink(missing_ok=True)
        ours = os.fstat(handle.fileno())
        if held is not None and expected is not None:
            _verify_replaced(held, target, expected, ours)
        note_own_write(ours)
    fsync_folder(target.parent)


def _stat_or_none(path: Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None


def _temporary_name(target: Path) -> Path:
    return target.parent / f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"


def _create_temporary(target: Path):  # -> (a binary file object, its path)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
    while True:
        name = _temporary_name(target)
        try:
            fd = os.open(name, flags, 0o600)
        except FileExistsError:
            continue
        except OSError as exc:
            raise NoTempFile(exc.errno, exc.strerror) from None
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)  # while held, remove_stale_temps leaves this file alone
        return os.fdopen(fd, "wb"), name


def _keep_owner(fd: int, old: os.stat_result) -> None:
    """Give the new file the old one's owner and group, or at least its group (a user may give a
    file only to a group they are in; only root may give it to another user)."""
    if not hasattr(os, "fchown") or (old.st_uid, old.st_gid) == (os.geteuid(), os.getegid()):
        return
    for uid in (old.st_uid, -1):
        try:
            os.fchown(fd, uid, old.st_gid)
            return
        except OSError:
            continue


def _ensure_in_place(target: Path, expected: FileState) -> None:
    """The last check before the rename: the target is still the file read, and nobody writes it."""
    try:
        current = os.stat(target)
    except OSError as exc:
        raise TargetChanged(f"{target.name} cannot be read any more ({exc.strerror or exc})") from None
    if not expected.same_stat(current):
        raise TargetChanged(f"{target.name} changed on disk since it was read")
    holders = writers(current)
    if holders:
        raise TargetChanged(f"{target.name} is being written by another program{held_by(holders)}")


@functools.cache
def _renameat2() -> Callable[..., int] | None:
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError, TypeError):  # not glibc 2.28+, or no C library to ask
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def _rename_with(source: Path, target: Path, flags: int) -> bool:
    """renameat2 with ``flags``; False when this system or file system cannot (the caller falls back)."""
    function = _renameat2()
    if function is None:
        return False
    if function(_AT_FDCWD, os.fsencode(source), _AT_FDCWD, os.fsencode(target), flags) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(target))


def exchange(first: Path, second: Path) -> bool:
    """Swap two paths' files in one step; False when the system cannot (nothing was changed)."""
    return _rename_with(first, second, _RENAME_EXCHANGE)


def _create(temporary: Path, target: Path) -> None:
    """Put ``temporary`` at ``target``, which must not exist (TargetChanged if it does by now)."""
    try:
        if not _rename_with(temporary, target, _RENAME_NOREPLACE):
            os.link(temporary, target)  # fails if the target exists; the temporary name goes below
            temporary.unlink()
    except FileExistsError:
        raise TargetChanged(f"{target.name} appeared meanwhile") from None


@dataclass(slots=True)
class _Held:
    """The file the rename replaced: open (``fd``) and, where it could be kept, still linked
    (``path``: the temporary name after an exchange, or a hard link made before the rename)."""

    fd: int
    path: Path | None
    exchanged: bool


def _swap(temporary: Path, target: Path) -> _Held:
    if exchange(temporary, target):
        return _Held(os.open(temporary, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0)), temporary, True)
    kept: Path | None = _temporary_name(target)
    fd = os.open(target, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        os.link(target, kept)  # type: ignore[arg-type]
    except OSError:  # no hard links here: only the open file remains to compare and copy back
        kept = None
    try:
        os.replace(temporary, target)
    except BaseException:
        os.close(fd)
        if kept is not None:
            kept.unlink(missing_ok=True)
        raise
    return _Held(fd, kept, False)


def _digest(fd: int) -> tuple[int, str]:
    digest, offset = hashlib.sha256(), 0
    while chunk := os.pread(fd, 1 << 20, offset):
        digest.update(chunk)
        offset += len(chunk)
    return offset, digest.hexdigest()


def _verify_replaced(held: _Held, target: Path, expected: FileState, ours: os.stat_result) -> None:
    """The file the rename replaced must be the one read, unchanged, and written by nobody; else
    it is put back at ``target`` and TargetChanged raised."""
    try:
        replaced = os.fstat(held.fd)
        unchanged = not writers(replaced) and expected.same_stat(replaced)
        if unchanged:
            size, sha256 = _digest(held.fd)
            unchanged = (size, sha256) == (expected.size, expected.sha256)
        if unchanged:
            if held.path is not None and _same_inode(held.path, replaced):
                held.path.unlink()
            return
        kept = _put_back(held, target, ours)
    finally:
        os.close(held.fd)
    fsync_folder(target.parent)
    message = f"{target.name} was written by another program while it was being replaced; that version is back in place"
    if kept is not None:
        message += f" (the file that took its place meanwhile is kept as {kept.name})"
    raise TargetChanged(message, restored=True)


def _same_inode(path: Path, st: os.stat_result) -> bool:
    try:
        now = os.stat(path, follow_symlinks=False)
    except OSError:
        return False
    return (now.st_dev, now.st_ino) == (st.st_dev, st.st_ino)


def _put_back(held: _Held, target: Path, ours: os.stat_result) -> Path | None:
    """Put the replaced file back at ``target``; returns the name of a file that is neither (one
    a third program put at ``target`` meanwhile), kept rather than removed, or None."""
    if held.path is not None and held.exchanged:
        if not exchange(held.path, target):
            raise OSError(errno.EIO, f"{target.name} could not be put back; it is kept as {held.path.name}")
        if _same_inode(held.path, ours):
            held.path.unlink()
            return None
        return held.path
    if held.path is not None:
        os.replace(held.path, target)  # the old file, linked before the rename, back at its place
        return None
    size, _ = _digest(held.fd)  # no link could be kept: copy its content back
    replace_file(target, os.pread(held.fd, size, 0), mode=stat.S_IMODE(os.fstat(held.fd).st_mode))
    return None


def remove_stale_temps(target: Path) -> list[Path]:
    """Remove the temporary files that killed writes of ``target`` left beside it; the removed.

    Only names of this module's pattern (and of ``tempfile.mkstemp``'s, which earlier versions
    used), owned by this user, unchanged for STALE_SECONDS, of a process that is gone (the pid in
    the name) and locked by none: a live write's temporary file is never touched.
    """
    pattern = re.compile(rf"\.{re.escape(target.name)}\.(?:(\d+)\.[0-9a-f]{{8}}|[a-z0-9_]{{8}})\.tmp")
    removed: list[Path] = []
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return removed
    for entry in entries:
        found = pattern.fullmatch(entry.name)
        if found is None or (found.group(1) and _alive(int(found.group(1)))):
            continue
        path = Path(entry.path)
        if _is_stale(path) and _remove_unlocked(path):
            removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process, or no way to ask: count it as alive
        return True
    return True


def _is_stale(path: Path) -> bool:
    try:
        st = os.stat(path, follow_symlinks=False)
    except OSError:
        return False
    mine = not hasattr(os, "geteuid") or st.st_uid == os.geteuid()
    changed = max(st.st_mtime, st.st_ctime)  # a rename or link changes ctime: a file just moved is not stale
    return stat.S_ISREG(st.st_mode) and mine and time.time() - changed >= STALE_SECONDS


def _remove_unlocked(path: Path) -> bool:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return False
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a live writer holds it: BlockingIOError
        if not _same_inode(path, os.fstat(fd)):
            return False
        path.unlink()
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


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
