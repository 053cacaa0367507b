"""The report's history as people read it: one row per thing done.

The audit trail is append-only (its rows are never changed), and the entry page saves each
blank as the user leaves it, one event each. Shown as stored, a form filled in one sitting would
read as 77 rows; ``group_blank_saves`` folds one user's consecutive blank saves, each less than
``BURST`` after the one before, into one row holding the first old value and the last new one
of each blank (figures, header fields and explanations alike). Only the display is grouped: the
stored trail keeps every save."""

from __future__ import annotations

import datetime as dt

BURST = dt.timedelta(minutes=5)


def group_blank_saves(events: list) -> list:
    """History rows, newest first: one user's consecutive blank saves less than ``BURST``
    apart become one row (the first old value and the last new one of each blank)."""
    rows: list = []
    for ev in events:
        prev = rows[-1] if rows else None
        if (
            prev is not None
            and _is_blank_save(ev)
            and _is_blank_save(prev)
            and prev.actor_id == ev.actor_id
            and prev.burst_start - ev.created_at < BURST
        ):
            _fold(prev, ev)
            continue
        if _is_blank_save(ev):
            ev.details = {k: dict(v) if isinstance(v, dict) else v for k, v in ev.details.items()}
            ev.burst_start = ev.created_at
        rows.append(ev)
    return rows


def _is_blank_save(ev) -> bool:
    return ev.action == "report.save" and (ev.details or {}).get("via") == "blank"


def _fold(newer, older) -> None:
    """Fold the ``older`` event into the ``newer`` row: its old values win (it came first)."""
    for key in ("changes", "header", "explanations"):
        theirs = (older.details or {}).get(key) or {}
        mine = newer.details.setdefault(key, {})
        for code, (old, new) in theirs.items():
            mine[code] = [old, mine[code][1]] if code in mine else [old, new]
    newer.burst_start = older.created_at
