"""Visit records: what a worker writes when a visit ends, and the visits listed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class VisitInput:
    service_area: str
    topics: str = ""
    outcome: str = ""
    follow_up: str = ""
    note: str = ""


@dataclass(frozen=True)
class VisitRow:
    id: str
    started_at: datetime
    channel: str
    walk_in: bool
    service_area: str
    minutes: int | None
    wait_minutes: int | None
    staff_name: str | None
    topics: str
    outcome: str
    follow_up: str
    note: str
