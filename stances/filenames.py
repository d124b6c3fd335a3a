"""What a downloaded chart or table is called: ``compare-rus-chn-2013-04-05``.

One rule for the chart's camera button, the Quotes page's CSV and ``stances export``, so a file
says which page, selection and date it shows wherever it was made. Pure; ASCII names only.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

NAMED_MAX = 3  # selected items a file name spells out; more become "and-N-more"


def slug(text: str, limit: int = 60) -> str:
    """A file-name-safe piece of text: ``US/NATO defence`` -> ``us-nato-defence`` (ASCII only)."""
    cleaned = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return cleaned[:limit].strip("-") or "chart"


def export_filename(page: str, selection: Sequence[str], day: dt.date | None) -> str:
    """``compare-rus-chn-2013-04-05``: what the chart's camera button saves as (plus .png).

    At most three selected items are named, each shortened; more become ``and-N-more``.
    """
    parts = [slug(page), *(slug(item, limit=24) for item in selection[:NAMED_MAX])]
    if len(selection) > NAMED_MAX:
        parts.append(f"and-{len(selection) - NAMED_MAX}-more")
    name = "-".join(parts)
    return f"{name}-{day.isoformat()}" if day else name
