"""The words of the message screens (#23): the labels of a message's kind, channel and
status, its time, where it went, and the messenger's heartbeat line. Shared by the
Messages page and the customer card's messages tab."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from app.i18n import _, format_date, format_datetime, format_time, to_local
from app.rules.codes import LABELS, ConsentHow, MessageChannel, MessageKind, MessageStatus
from app.views import style

if TYPE_CHECKING:
    from app.dto.messages import MessageRow, MessengerStatus

# Statuses shown with a warning sign (never colour alone), and the finished good ones.
TROUBLE = frozenset({MessageStatus.FAILED.value, MessageStatus.HELD.value})
DONE = frozenset({MessageStatus.SENT.value, MessageStatus.DELIVERED.value,
                  MessageStatus.PRINTED.value})


def _code_label(enum: type[StrEnum], code: str | None) -> str:
    if not code:
        return ""
    try:
        return _(LABELS[enum(code)])
    except (ValueError, KeyError):
        return code


def kind_label(code: str) -> str:
    return _code_label(MessageKind, code)


def channel_label(code: str) -> str:
    return _code_label(MessageChannel, code)


def how_label(code: str) -> str:
    return _code_label(ConsentHow, code)


def status_label(code: str) -> str:
    """The status in words, with a sign for a failure and a tick when it went out."""
    text = _code_label(MessageStatus, code)
    if code in TROUBLE:
        return f"{style.status_symbol(style.WARN)} {text}"
    if code in DONE:
        return f"{style.status_symbol(style.OK)} {text}"
    return text


def when(value: datetime | None) -> str:
    return format_datetime(value) if value is not None else ""


def message_time(row: MessageRow) -> datetime:
    """When it went (or was handed out), else when it is due."""
    return row.delivered_at or row.sent_at or row.due_at


def where_text(row: MessageRow) -> str:
    """Where it went: the number or address of that moment; a printed letter is in the
    print list of its service point."""
    if row.channel == MessageChannel.PRINT.value:
        return _("Printed at the service point") if row.status == "printed" else _(
            "Print list of the service point")
    return row.recipient or ""


def reason_text(row: MessageRow) -> str:
    """Why it failed, was held or was not sent (the messenger's reason, translated when
    it is one of ours)."""
    return _(row.error) if row.error else ""


def heartbeat_text(status: MessengerStatus | None) -> tuple[str, str]:
    """The Messages page's first line and its status kind (style.OK / WARN)."""
    if status is None:
        return _("Checking whether messages are being sent…"), style.INFO
    if not status.heard or status.seen_at is None:
        return (_("Messages are not being sent: the messenger has never been heard from. "
                  "Tell the administrator; until then, print letters from the print list."),
                style.WARN)
    seen = to_local(status.seen_at)
    moment = (format_time(seen) if status.minutes_since is not None
              and status.minutes_since < 12 * 60 else format_datetime(seen))
    if status.stale:
        return (_("Messages are not being sent: the messenger was last heard from at "
                  "{time}. Tell the administrator.").format(time=moment), style.WARN)
    return _("Messages are sent: the messenger was last heard from at {time}.").format(
        time=moment), style.OK


def status_bar_warning() -> str:
    return _("Messages are not being sent")


def given_text(how: str, on: object, by: str | None) -> str:
    day = format_date(on) if on is not None else ""  # type: ignore[arg-type]
    text = ", ".join(p for p in (how_label(how), day) if p)
    if by:
        text += " " + _("(recorded by {name})").format(name=by)
    return text
