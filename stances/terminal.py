"""What every sub-command shares when it talks to a terminal: exit codes and text made safe to print.

Exit codes: 0 success (the file is valid), 1 problems in the data, 2 usage or an unreadable file.
"""

from __future__ import annotations

import re
import sys

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

# Control characters (C0, DEL, C1) and bidirectional overrides: text from a data file printed raw
# could move the cursor, retitle the terminal (ESC sequences) or reorder what the reader sees.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str, *, one_line: bool = False) -> str:
    """``text`` with control and bidi-override characters as ``\\u001b`` escapes (valid in JSON too).

    ``one_line`` also escapes line breaks and tabs, so one problem stays one line.
    """
    if one_line:
        text = text.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def tell(message: str) -> None:
    """A message while waiting (for another program to finish writing the file), on stderr."""
    print(message, file=sys.stderr, flush=True)
