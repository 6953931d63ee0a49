"""Messages to customers in figures (#23): messages by kind and channel with what became
of them, the failures by reason, and the no-show rate of appointments whose customer was
sent a reminder against those whose customer was not, by service point.

Counted in SQLite over the local database (the messages as last pulled), grouped there.
A message counts in the period of the day it was due (Helsinki time) and at the service
point it belongs to (its appointment's, its event's, or the requesting worker's). The
appointments are those of the no-show reports (app/services/reports/appointments.py):
due in the period and concluded (arrived, done or missed); an appointment "had a
reminder" when its reminder was sent (or delivered) by e-mail or SMS. The team filter
applies to the appointments (the worker's team); messages have no team."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from app.dto.reports import (
    COUNT,
    PERCENT,
    TEXT,
    ChartSpec,
    Column,
    Label,
    ReportFilter,
    ReportInputs,
    ReportTable,
)
from app.i18n import N_
from app.models import Appointment, ServicePoint
from app.models.message import Message
from app.rules.codes import (
    MESSAGE_LABELS,
    AppointmentStatus,
    MessageChannel,
    MessageKind,
    MessageStatus,
)
from app.services.reports import members, sql
from app.services.reports.appointments import appointment_filters

TOTAL = Label(N_("Total"))
KIND_ORDER = {k.value: i for i, k in enumerate(MessageKind)}
CHANNEL_ORDER = {c.value: i for i, c in enumerate(MessageChannel)}
WENT_OUT = (MessageStatus.SENT, MessageStatus.DELIVERED)

BY_KIND_COLUMNS = ("kind", "channel", "messages", "sent", "delivered", "failed", "printed",
                   "not_sent", "waiting")
FAILURE_COLUMNS = ("kind", "channel", "reason", "failed", "held")
REMINDER_COLUMNS = ("service_point", "with_reminder", "no_shows_with", "rate_with",
                    "without_reminder", "no_shows_without", "rate_without")


def _message_filters(f: ReportFilter) -> list[Any]:
    where = [Message.deleted_at.is_(None), *sql.in_range(Message.due_at, f)]
    if f.service_point_id:
        where.append(Message.service_point_id == f.service_point_id)
    return where


def _count(condition: Any) -> Any:
    return func.sum(case((condition, 1), else_=0))


def _label(code: str, kind: type) -> Label:
    return Label(MESSAGE_LABELS[kind(code)])


# --- messages by kind and channel -------------------------------------------------------


def by_kind(s: Session, f: ReportFilter, _inputs: ReportInputs) -> ReportTable:
    status = Message.status
    measures = (func.count(), _count(status.in_(WENT_OUT)),
                _count(status == MessageStatus.DELIVERED),
                _count(status == MessageStatus.FAILED),
                _count(status == MessageStatus.PRINTED),
                _count(status == MessageStatus.CANCELLED),
                _count(status.in_((MessageStatus.QUEUED, MessageStatus.CLAIMED,
                                   MessageStatus.SENDING, MessageStatus.HELD))))
    found = s.execute(select(Message.kind, Message.channel, *measures,
                             members.concat(Message.customer_id))
                      .where(*_message_filters(f))
                      .group_by(Message.kind, Message.channel)).all()
    found = sorted(found, key=lambda r: (KIND_ORDER.get(_value(r[0]), 99),
                                         CHANNEL_ORDER.get(_value(r[1]), 99)))
    rows: list[tuple[Any, ...]] = []
    cells = members.Members()
    for kind, channel, *counts, who in found:
        cells.add(len(rows), "messages", sorted(set(members.ids_of(who))), total=True)
        rows.append((_label(_value(kind), MessageKind), _label(_value(channel), MessageChannel),
                     *(int(c or 0) for c in counts)))
    total = (TOTAL, None, *(sum(r[i] for r in rows) for i in range(2, 9)))
    result = cells.result()
    if (members.TOTAL_ROW, "messages") in result:  # each customer once on the total row
        result[(members.TOTAL_ROW, "messages")] = tuple(sorted(
            set(result[(members.TOTAL_ROW, "messages")])))
    return ReportTable(
        "messages_by_kind", N_("Messages to customers by kind and channel"),
        (Column("kind", N_("Kind"), TEXT), Column("channel", N_("Channel"), TEXT),
         Column("messages", N_("Messages"), COUNT), Column("sent", N_("Sent"), COUNT),
         Column("delivered", N_("Delivered"), COUNT), Column("failed", N_("Failed"), COUNT),
         Column("printed", N_("Printed"), COUNT), Column("not_sent", N_("Not sent"), COUNT),
         Column("waiting", N_("Waiting or held"), COUNT)),
        tuple(rows), ChartSpec("hbars", "kind", ("sent", "failed", "printed")),
        note=N_("Messages due in the period (Helsinki time), by what they are and how "
                "they go. Sent includes those the channel says were delivered; printed: "
                "letters of the print list handed out; not sent: cancelled (the "
                "appointment was cancelled or has passed, or the customer opted out)."),
        total=total, members=result)


def _value(code: Any) -> str:
    return str(getattr(code, "value", code))


# --- failures ---------------------------------------------------------------------------


def failures(s: Session, f: ReportFilter, _inputs: ReportInputs) -> ReportTable:
    status = Message.status
    reason = func.coalesce(Message.error, "")
    found = s.execute(select(Message.kind, Message.channel, reason,
                             _count(status == MessageStatus.FAILED),
                             _count(status == MessageStatus.HELD),
                             members.concat(Message.customer_id))
                      .where(*_message_filters(f),
                             status.in_((MessageStatus.FAILED, MessageStatus.HELD)))
                      .group_by(Message.kind, Message.channel, reason)).all()
    found = sorted(found, key=lambda r: (-(r[3] + r[4]), KIND_ORDER.get(_value(r[0]), 99),
                                         CHANNEL_ORDER.get(_value(r[1]), 99), r[2]))
    rows: list[tuple[Any, ...]] = []
    cells = members.Members()
    for kind, channel, why, failed, held, who in found:
        cells.add(len(rows), "failed", members.ids_of(who), total=True)
        rows.append((_label(_value(kind), MessageKind), _label(_value(channel), MessageChannel),
                     why, int(failed or 0), int(held or 0)))
    total = (TOTAL, None, None, sum(r[3] for r in rows), sum(r[4] for r in rows))
    return ReportTable(
        "messages_failures", N_("Messages that failed or wait for a decision"),
        (Column("kind", N_("Kind"), TEXT), Column("channel", N_("Channel"), TEXT),
         Column("reason", N_("Reason"), TEXT, literal=True),
         Column("failed", N_("Failed"), COUNT), Column("held", N_("Held for a decision"), COUNT)),
        tuple(rows), ChartSpec("hbars", "reason", ("failed", "held"), limit=15),
        note=N_("Messages due in the period that failed (after the messenger's retries) or "
                "are held because they may have gone out: by the reason the messenger "
                "recorded. A person decides on each on the Messages page."),
        total=total, members=cells.result())


# --- no-shows with and without a reminder -----------------------------------------------


def reminder_no_shows(s: Session, f: ReportFilter, _inputs: ReportInputs) -> ReportTable:
    reminded = select(Message.id).where(
        Message.about_id == Appointment.id, Message.kind == MessageKind.REMINDER,
        Message.deleted_at.is_(None), Message.status.in_(WENT_OUT)).exists()
    missed = Appointment.status == AppointmentStatus.NO_SHOW
    per = (select(Appointment.service_point_id.label("point_id"),
                  _count(reminded).label("with_n"),
                  _count(and_(reminded, missed)).label("with_missed"),
                  _count(~reminded).label("without_n"),
                  _count(and_(~reminded, missed)).label("without_missed"),
                  members.concat(Appointment.customer_id, and_(reminded, missed))
                  .label("who_with"),
                  members.concat(Appointment.customer_id, and_(~reminded, missed))
                  .label("who_without"))
           .where(*appointment_filters(f)).group_by(Appointment.service_point_id).subquery())
    found = s.execute(select(ServicePoint.name, per.c.with_n, per.c.with_missed,
                             per.c.without_n, per.c.without_missed, per.c.who_with,
                             per.c.who_without)
                      .join(ServicePoint, ServicePoint.id == per.c.point_id)
                      .order_by(ServicePoint.code)).all()
    rows: list[tuple[Any, ...]] = []
    cells = members.Members()
    for name, w, wm, wo, wom, who_with, who_without in found:
        w, wm, wo, wom = int(w or 0), int(wm or 0), int(wo or 0), int(wom or 0)
        cells.add(len(rows), "no_shows_with", sorted(set(members.ids_of(who_with))),
                  total=True)
        cells.add(len(rows), "no_shows_without", sorted(set(members.ids_of(who_without))),
                  total=True)
        rows.append((name, w, wm, sql.share(wm, w), wo, wom, sql.share(wom, wo)))
    w, wm = sum(r[1] for r in rows), sum(r[2] for r in rows)
    wo, wom = sum(r[4] for r in rows), sum(r[5] for r in rows)
    result = {cell: tuple(sorted(set(ids))) for cell, ids in cells.result().items()}
    return ReportTable(
        "messages_reminder_no_shows",
        N_("No-show rate with and without a reminder by service point"),
        (Column("service_point", N_("Service point"), TEXT),
         Column("with_reminder", N_("Appointments with a reminder"), COUNT),
         Column("no_shows_with", N_("No-shows with a reminder"), COUNT),
         Column("rate_with", N_("No-show rate with a reminder (%)"), PERCENT),
         Column("without_reminder", N_("Appointments without a reminder"), COUNT),
         Column("no_shows_without", N_("No-shows without a reminder"), COUNT),
         Column("rate_without", N_("No-show rate without a reminder (%)"), PERCENT)),
        tuple(rows), ChartSpec("bars", "service_point", ("rate_with", "rate_without"),
                               percent=True),
        note=N_("Appointments due in the period that were kept or missed (cancelled ones "
                "are not counted): those whose reminder was sent by text message or "
                "e-mail against those without one (no agreed channel, booked too late, or "
                "before messages began)."),
        total=(TOTAL, w, wm, sql.share(wm, w), wo, wom, sql.share(wom, wo)),
        members=result)
