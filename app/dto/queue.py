"""The walk-in queue: tickets as the desks see them, the lobby's calls, desk duty."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class TicketRow:
    """A queue ticket as the desks see it. `customer_label` is a short name for the
    serving list ("Virtanen M."); the lobby never receives it."""

    id: str
    code: str
    state: str
    service_area: str
    priority: int
    priority_reason: str | None
    arrived_at: datetime
    called_at: datetime | None
    service_started_at: datetime | None
    desk: str | None
    served_by: str | None
    served_by_name: str | None
    customer_id: str | None
    customer_label: str | None
    own_coach_name: str | None
    own_coach_on_duty: bool
    transferred_to_name: str | None
    note: str | None
    transfer_note: str | None
    recalls: int
    leg: int
    # The queue service it waits for (#24): its code, its name in the user's language,
    # and the partner organisation whose desks serve it (None: the area's own desks).
    service: str = ""
    service_name: str = ""
    partner_org_id: str | None = None


@dataclass(frozen=True)
class OfferedChoice:
    """A service the point's queue offers, as the arrival, transfer and duty dialogs
    list it: `name` in the user's language; a partner's service names the partner."""

    id: str
    code: str
    name: str
    service_area: str
    partner_org_id: str | None = None
    partner_name: str | None = None


@dataclass(frozen=True)
class QueueStats:
    waiting: int
    served_today: int
    median_wait_minutes: float | None


@dataclass(frozen=True)
class DutyInfo:
    desk: str
    services: tuple[str, ...]


@dataclass(frozen=True)
class QueueSnapshot:
    waiting: list[TicketRow]
    serving: list[TicketRow]
    mine: list[TicketRow]
    stats: QueueStats
    duty: DutyInfo | None
    now: datetime


@dataclass(frozen=True)
class LobbyCall:
    """Only what may be shown in the waiting room: a ticket code and a desk."""

    code: str
    desk: str
    called_at: datetime
    calling: bool  # still being called (not yet at the desk)


@dataclass(frozen=True)
class LobbyBoard:
    """The waiting-room screen: the calls, how many wait, the time by the services' clock
    and the languages the calls are shown in (Finnish first). Nothing personal."""

    calls: list[LobbyCall]
    waiting: int
    now: datetime
    languages: tuple[str, ...]


@dataclass(frozen=True)
class StaffChoice:
    id: str
    name: str
    on_duty: bool
