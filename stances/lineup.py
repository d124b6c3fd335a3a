"""Where everyone stands on one issue: each actor's stance as of a date, and its words.

Pure pandas over the positions frame (``analysis.positions_frame``): the as-of rule of
``analysis.latest_stances`` for one issue, every actor with a position on it, then those rows
grouped by stance for reading. A joint statement places each signatory, and says with whom.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

import pandas as pd

from stances import analysis, wording
from stances.model import Scale


def issue_lineup(
    frame: pd.DataFrame, issue: str, as_of: dt.date | None, voices: Collection[str] | None
) -> pd.DataFrame:
    """Each actor's latest position on ``issue`` as of ``as_of``, one row per actor.

    Ordered as the quotes are read: by stance from the scale's low end to its high end, declined
    last; within a stance by actor name (case- and accent-insensitive), then id. Adds ``year``
    (the statement's year, as its date says).
    """
    latest = analysis.latest_stances(frame[frame["issue"] == issue], as_of, voices)
    if latest.empty:
        return latest.assign(year=pd.Series(dtype=object))
    declined = latest["stance"].isna().to_numpy()
    order = pd.DataFrame(
        {
            "declined": declined,
            "stance": latest["stance"].astype("float64").fillna(0).to_numpy(),
            "name": [analysis.fold(str(n)) for n in latest["actor_name"].tolist()],
            "actor": latest["actor"].astype(str).to_numpy(),
        },
        index=latest.index,
    ).sort_values(["declined", "stance", "name", "actor"], kind="stable")
    rows = latest.loc[order.index]
    return rows.assign(year=[str(d)[:4] for d in rows["date"].tolist()])


def stance_groups(rows: pd.DataFrame, scale: Scale) -> list[tuple[int | None, pd.DataFrame]]:
    """``rows`` (:func:`issue_lineup`) grouped by stance: low to high, then declined; only stances held."""
    groups: list[tuple[int | None, pd.DataFrame]] = []
    for stance in range(scale.low, scale.high + 1):
        held = rows[rows["stance"].eq(stance).fillna(False).astype(bool)]
        if not held.empty:
            groups.append((stance, held))
    declined = rows[rows["stance"].isna()]
    if not declined.empty:
        groups.append((None, declined))
    return groups


@dataclass(frozen=True)
class Statement:
    """One actor's words under the lineup chart, as plain values (nothing here is Markdown)."""

    actor: str
    date: str
    voice: str
    quote: str
    language: str | None
    translation: str
    speaker: str
    role: str
    joint_with: str | None
    source: str
    source_url: str | None
    note: str

    def text(self) -> str:
        """Who and when, the quote with its language tag, a published translation, the speaker,
        a joint statement's co-signatories, the source: one item a line, plain text."""
        lines = [f"{self.actor} · {self.date} · {self.voice}", f"“{self.quote}” {wording.language_tag(self.language)}"]
        if self.translation:
            lines.append(f"Published translation: “{self.translation}”")
        lines.append(f"{self.speaker}, {self.role}")
        if self.joint_with:
            lines.append(f"Joint statement with {self.joint_with}")
        lines.append(f"Source: {self.source}")
        if self.note:
            lines.append(f"Coder's note: {self.note}")
        return "\n".join(lines)


def _text(value: object) -> str:
    """Text of a frame cell, "" for a missing one (None, NaN or <NA>)."""
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def statements(rows: pd.DataFrame) -> list[Statement]:
    """A :class:`Statement` for each row of ``rows``, in order."""
    out = []
    for row in rows.to_dict("records"):
        published = _text(row["source_date"])
        out.append(
            Statement(
                actor=_text(row["actor_name"]),
                date=_text(row["date"]),
                voice=_text(row["voice"]),
                quote=_text(row["quote"]),
                language=_text(row["language"]) or None,
                translation=_text(row["translation"]),
                speaker=_text(row["speaker"]),
                role=_text(row["role"]),
                joint_with=_text(row["joint_with"]) or None,
                source=_text(row["source_publisher"]) + (f" ({published})" if published else ""),
                source_url=_text(row["source_url"]) or None,
                note=_text(row["note"]),
            )
        )
    return out
