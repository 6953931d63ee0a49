"""Labels and short texts the event screens share."""

from __future__ import annotations

from datetime import date, datetime

from app.dto.events import EventRow
from app.i18n import N_, _, format_day, format_time
from app.rules.codes import EVENT_LABELS, EventKind, EventStatus, ParticipantStatus
from app.rules.groups import GROUP_LABELS, Group

EVENT_LANGUAGES = (("fi", N_("Finnish")), ("sv", N_("Swedish")), ("en", N_("English")))
OTHER_POINT = N_("Customer of another service point")


def kind_label(code: str) -> str:
    try:
        return _(EVENT_LABELS[EventKind(code)])
    except ValueError:
        return code


def status_label(code: str) -> str:
    try:
        return _(EVENT_LABELS[EventStatus(code)])
    except ValueError:
        return code


def participant_label(code: str) -> str:
    try:
        return _(EVENT_LABELS[ParticipantStatus(code)])
    except ValueError:
        return code


def kinds() -> list[str]:
    return [k.value for k in EventKind]


def group_label(code: str) -> str:
    try:
        return _(GROUP_LABELS[Group(code)])
    except ValueError:
        return code


def day_text(value: datetime | date | None) -> str:
    return format_day(value, weekday="EEE") if value is not None else ""


def time_span(start: datetime | None, end: datetime | None) -> str:
    if start is None:
        return ""
    return f"{format_time(start)}–{format_time(end)}" if end is not None else format_time(start)


def seats(row: EventRow) -> str:
    """"5 / 12" registered of capacity, "5" without a limit."""
    return f"{row.registered} / {row.capacity}" if row.capacity is not None \
        else str(row.registered)


def input_day(value: date) -> str:
    """A day as the event form takes it (the service reads d.m.yyyy in any language)."""
    return f"{value.day}.{value.month}.{value.year}"
