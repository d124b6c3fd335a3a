"""The positions file as an append reads and writes it: read once no other program is writing it,
written only over the very bytes the plan was made from.

stances.append plans the new text; this module reads the file for it (waiting, with a message,
while another program writes it: stances.filestate) and writes the plan through
stances.atomicfile, which refuses a file the user may not write, checks the file once more just
before the rename and, after it, that the file replaced did not change meanwhile, and puts the
other program's version back if it did.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from stances import settings
from stances.append import (
    AppendError,
    CannotAppend,
    FileBusy,
    FileChanged,
    FileRestored,
    Plan,
    WritesDisabled,
    fingerprint,
    plan_append,
)
from stances.atomicfile import NoTempFile, NotWritable, TargetChanged, replace_file, write_refusal
from stances.compose import MAX_FILE_BYTES
from stances.filestate import FileState, NotSettled, read_settled, wait_until_settled
from stances.model import Dataset
from stances.problems import Problem
from stances.regularfiles import read_failure
from stances.wording import plural


def read_for_append(path: str | Path, *, on_wait: Callable[[str], None] | None = None) -> bytes:
    """The file's bytes once no other program is writing it (stances.filestate: ``on_wait`` hears
    that it is waiting), or CannotAppend (FileBusy when the wait ran out) with a one-line reason."""
    try:
        data = read_settled(path, on_wait=on_wait, limit=MAX_FILE_BYTES).data
    except NotSettled as exc:
        raise FileBusy(f"{exc}; nothing was written: add the record again once it has finished") from None
    except OSError as exc:  # missing, a folder, a FIFO, no permission...
        raise CannotAppend(read_failure(path, exc)) from None
    if len(data) > MAX_FILE_BYTES:
        raise CannotAppend(f"{path} holds more than {MAX_FILE_BYTES / 1e6:.0f} MB, the most the loader reads")
    return data


def write_plan(plan: Plan, path: str | Path, *, on_wait: Callable[[str], None] | None = None) -> None:
    """Write ``plan.new`` to ``path`` atomically, once no other program is writing it, if it still
    holds ``plan.old`` and the user may write it (stances.atomicfile: the file replaced is checked
    after the rename, and put back if another program wrote into it meanwhile).

    Raises WritesDisabled under STANCES_READ_ONLY=1; FileChanged when the file changed since the
    plan was made or while it was replaced (FileBusy: it was still being written when the wait ran
    out); AppendError for an invalid plan, a read-only file or an OS error. After any failure the
    file is as it was, or as the other program wrote it, and no temporary file is left behind.
    """
    if settings.read_only():
        raise WritesDisabled("writing is turned off (STANCES_READ_ONLY=1): nothing was written")
    if not plan.valid:
        raise AppendError(f"the new record has {plural(len(plan.errors), 'problem')}: nothing was written")
    target = Path(os.path.realpath(path))  # replace a symlink's target, not the link
    try:
        settled = wait_until_settled(target, on_wait=on_wait)
        why = write_refusal(target, settled)
    except NotSettled as exc:
        raise FileBusy(f"{exc}; nothing was written: add the record again once it has finished") from None
    except OSError as exc:
        raise FileChanged(
            f"{target.name} cannot be read any more ({exc.strerror or exc}); nothing was written"
        ) from None
    if why is not None:
        raise AppendError(f"{why}; nothing was written{_make_writable(why, target)}")
    expected = FileState(len(plan.old), plan.fingerprint, settled.st_mtime_ns, settled.st_dev, settled.st_ino)
    try:  # the content is checked once more, as late as possible
        check = lambda: _ensure_unchanged(target, plan)  # noqa: E731 - looked up when called (tests wrap it)
        replace_file(target, plan.new, mode=stat.S_IMODE(settled.st_mode), check=check, expected=expected)
    except TargetChanged as exc:
        if exc.restored:
            raise FileRestored(f"{exc}: nothing was added; add the record again once it is saved") from None
        raise FileChanged(
            f"{exc} (someone or something edited it); nothing was written: reload and add the record again"
        ) from None
    except NotWritable as exc:
        raise AppendError(f"{exc.strerror}; nothing was written{_make_writable(str(exc.strerror), target)}") from None
    except NoTempFile as exc:
        raise AppendError(
            f"{path}: cannot write next to the file ({exc.strerror or exc}); nothing was written"
        ) from None
    except OSError as exc:
        raise AppendError(f"{path}: cannot write ({exc.strerror or exc}); the file is unchanged") from None


def _make_writable(why: str, target: Path) -> str:
    """What to do about a read-only file: make it writable, if it is the user's own to change."""
    return "" if "for you" in why else f": make it writable (chmod u+w {target.name}) if records may be added to it"


def _ensure_unchanged(target: Path, plan: Plan) -> None:
    try:
        current = target.read_bytes()
    except OSError as exc:
        raise TargetChanged(f"{target.name} cannot be read any more ({exc.strerror or exc})") from None
    if fingerprint(current) != plan.fingerprint:
        raise TargetChanged(f"{target.name} changed on disk since it was read")


def file_problems_note(old: Dataset, problems: Sequence[Problem], label: str) -> str | None:
    """When a new record refers to an id the file lacks and the file has problems of its own (it
    may be cut short, or half-written), a note naming the first one at its line: the likelier
    cause than "no issue is defined yet". None otherwise."""
    errors = old.errors
    if not errors or not any(p.type == "unknown-reference" for p in problems):
        return None
    where = f" at line {errors[0].line}" if errors[0].line is not None else ""
    return (
        f"{label} has {plural(len(errors), 'problem')} of its own, the first{where}: "
        f"{errors[0].format()}; the ids it lacks may be missing because of them: fix the file first "
        f"(python -m stances validate {label})"
    )


def append_records(
    path: str | Path,
    records: Mapping[str, Sequence[Mapping[str, Any]] | Mapping[str, Any]],
    *,
    expected_fingerprint: str | None = None,
) -> Plan:
    """Read, plan and write in one step; returns the plan (check ``plan.valid``: an invalid plan
    is returned unwritten). With ``expected_fingerprint``, refuse if the file is not that one."""
    data = read_for_append(path)
    if expected_fingerprint is not None and fingerprint(data) != expected_fingerprint:
        raise FileChanged(f"{Path(path).name} changed on disk since it was read; nothing was written")
    plan = plan_append(data, records, label=str(path))
    if plan.valid:
        write_plan(plan, path)
    return plan
