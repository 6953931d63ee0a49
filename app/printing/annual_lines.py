"""The annual calendar's month as lines of text, for the screen and the printed page
alike (no ReportLab here: the screen imports it when it shows the year)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from app.dto.events import EventRow


def month_lines(events: Sequence[EventRow], day: Callable[[datetime], str],
                shorten: int | None = None) -> list[str]:
    """A month's events as lines: an event held several times that month (the weekly
    service info) is one line with its days, so the year reads at a glance."""
    groups: dict[tuple[str, bool], list[EventRow]] = {}
    for e in sorted(events, key=lambda e: (e.starts_at is None, e.starts_at)):
        groups.setdefault((e.title, e.annual), []).append(e)
    lines = []
    for (title, annual), rows in groups.items():
        name = title if shorten is None or len(title) <= shorten else title[:shorten - 1] + "…"
        mark = " ↻" if annual else ""
        days = [day(e.starts_at) for e in rows if e.starts_at is not None]
        if len(rows) == 1:
            lines.append(f"{days[0] if days else ''} {name}{mark}".strip())
        else:
            lines.append(f"{name}{mark}: {', '.join(days)}")
    return lines
