"""Planning at the centre: read the appointments and event participants (and the
customers' contact preferences) from the central database, ask the planning rules
(app/rules/message_plan.py) which messages should exist, and write the answer.

A message's id is derived from what it is about, and it is written with INSERT ... ON
CONFLICT (id) DO NOTHING: two messengers planning at once, or one planning twice, make
it once. A queued message no longer wanted is cancelled only while still queued (the
UPDATE's WHERE), so a message another messenger has claimed is not touched here.

The messenger is not a desk: it writes straight to PostgreSQL (no outbox). The stamp
trigger sets `version` and `row_tx`; `hlc` stays empty (a central row) and
`updated_at` is the messenger's clock."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, text

from app.rules import message_plan as rules
from app.rules.codes import (
    AppointmentStatus,
    EventStatus,
    MessageKind,
    MessageStatus,
    ParticipantStatus,
)
from app.sync.hlc import parse_hlc

log = logging.getLogger("app.messenger.planner")
HORIZON = timedelta(days=1)  # appointments that began this long ago are still looked at


def utc(value: datetime | None) -> datetime | None:
    """A central timestamp (naive UTC) as an aware one."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def naive(value: datetime) -> datetime:
    """An aware time as the central columns hold it (naive UTC)."""
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


def written_at(hlc: str | None) -> datetime | None:
    """The physical time of a row's hybrid logical clock (None for a central row)."""
    try:
        ms, _counter, _node = parse_hlc(hlc or "")
    except ValueError:
        return None
    return datetime.fromtimestamp(ms / 1000, tz=UTC)


@dataclass
class PlanCounts:
    made: int = 0
    cancelled: int = 0


def messaging_began(conn: Connection) -> datetime | None:
    return utc(conn.execute(text(
        "SELECT min(started_at) FROM messenger_heartbeat WHERE deleted_at IS NULL")
    ).scalar())


def reminder_time(conn: Connection) -> time:
    raw = conn.execute(text("SELECT value FROM area_setting WHERE key = :k "
                            "AND deleted_at IS NULL"), {"k": rules.REMINDER_SETTING}).scalar()
    try:
        value = json.loads(raw) if raw else None
    except ValueError:
        value = None
    return rules.reminder_clock(value)


def load_contacts(conn: Connection, customer_ids: Iterable[str]) -> dict[str, rules.Contacts]:
    ids = sorted(set(customer_ids))
    if not ids:
        return {}
    preferences = {row.customer_id: row for row in conn.execute(text(
        "SELECT customer_id, sms, email, opted_out, language FROM contact_preference "
        "WHERE customer_id = ANY(:ids) AND deleted_at IS NULL"), {"ids": ids})}
    found = {}
    for row in conn.execute(text(
            "SELECT id, language, phone, email, active, erased_at, deleted_at FROM customer "
            "WHERE id = ANY(:ids)"), {"ids": ids}):
        pref = preferences.get(row.id)
        found[row.id] = rules.Contacts(
            customer_id=row.id, recorded=pref is not None,
            sms=bool(pref and pref.sms), email=bool(pref and pref.email),
            opted_out=bool(pref and pref.opted_out),
            preference_language=pref.language if pref else None,
            customer_language=row.language, phone=row.phone, email_address=row.email,
            usable=bool(row.active) and row.erased_at is None and row.deleted_at is None)
    return found


def _messages_about(conn: Connection, about_ids: list[str]
                    ) -> dict[str, dict[str, tuple[MessageKind, MessageStatus]]]:
    about: dict[str, dict[str, tuple[MessageKind, MessageStatus]]] = {}
    if not about_ids:
        return about
    for row in conn.execute(text("SELECT id, about_id, kind, status FROM message "
                                 "WHERE about_id = ANY(:ids)"), {"ids": about_ids}):
        about.setdefault(row.about_id, {})[row.id] = (MessageKind(row.kind),
                                                      MessageStatus(row.status))
    return about


def appointment_facts(conn: Connection, now: datetime) -> list[rules.AppointmentFacts]:
    rows = conn.execute(text(
        "SELECT id, customer_id, service_point_id, status, starts_at, rescheduled_from_id, "
        "hlc, deleted_at FROM appointment WHERE customer_id IS NOT NULL AND "
        "(starts_at > :horizon OR id IN (SELECT about_id FROM message "
        "WHERE status = 'queued' AND about_id IS NOT NULL)) ORDER BY id"),
        {"horizon": naive(now - HORIZON)}).all()
    ids = [r.id for r in rows]
    successors = set(conn.execute(text(
        "SELECT rescheduled_from_id FROM appointment WHERE rescheduled_from_id = ANY(:ids) "
        "AND deleted_at IS NULL"), {"ids": ids}).scalars()) if ids else set()
    about = _messages_about(conn, ids)
    facts = []
    for r in rows:
        status = (AppointmentStatus.CANCELLED if r.deleted_at is not None
                  else AppointmentStatus(r.status))
        starts = utc(r.starts_at)
        assert starts is not None
        facts.append(rules.AppointmentFacts(
            id=r.id, customer_id=r.customer_id, service_point_id=r.service_point_id,
            status=status, starts_at=starts, rescheduled_from_id=r.rescheduled_from_id,
            written_at=written_at(r.hlc), has_successor=r.id in successors,
            messages=about.get(r.id, {})))
    return facts


def participant_facts(conn: Connection, now: datetime) -> list[rules.ParticipantFacts]:
    rows = conn.execute(text(
        "SELECT p.id, p.event_id, p.customer_id, p.service_point_id, p.status, p.hlc, "
        "p.deleted_at, e.status AS event_status, e.deleted_at AS event_deleted "
        "FROM event_participant p JOIN event e ON e.id = p.event_id "
        "WHERE EXISTS (SELECT 1 FROM event_session s WHERE s.event_id = p.event_id "
        "AND s.starts_at > :horizon) OR p.id IN (SELECT about_id FROM message "
        "WHERE status = 'queued' AND about_id IS NOT NULL) ORDER BY p.id"),
        {"horizon": naive(now - HORIZON)}).all()
    events = sorted({r.event_id for r in rows})
    sessions: dict[str, list[rules.SessionFacts]] = {}
    if events:
        for s in conn.execute(text(
                "SELECT id, event_id, starts_at, cancelled, deleted_at FROM event_session "
                "WHERE event_id = ANY(:ids) ORDER BY starts_at, id"), {"ids": events}):
            starts = utc(s.starts_at)
            assert starts is not None
            sessions.setdefault(s.event_id, []).append(rules.SessionFacts(
                id=s.id, starts_at=starts,
                cancelled=bool(s.cancelled) or s.deleted_at is not None))
    about = _messages_about(conn, [r.id for r in rows])
    facts = []
    for r in rows:
        status = (ParticipantStatus.CANCELLED if r.deleted_at is not None
                  else ParticipantStatus(r.status))
        event_status = (EventStatus.CANCELLED if r.event_deleted is not None
                        else EventStatus(r.event_status))
        facts.append(rules.ParticipantFacts(
            id=r.id, customer_id=r.customer_id, service_point_id=r.service_point_id,
            status=status, event_status=event_status,
            sessions=tuple(sessions.get(r.event_id, ())), written_at=written_at(r.hlc),
            messages=about.get(r.id, {})))
    return facts


INSERT = text(
    "INSERT INTO message (id, customer_id, service_point_id, kind, channel, status, "
    "language, about_id, session_id, about_starts_at, due_at, attempts, hlc, updated_at) "
    "VALUES (:id, :customer_id, :service_point_id, :kind, :channel, 'queued', :language, "
    ":about_id, :session_id, :about_starts_at, :due_at, 0, '', :now) "
    "ON CONFLICT (id) DO NOTHING")
CANCEL = text(
    "UPDATE message SET status = 'cancelled', error = :reason, updated_at = :now "
    "WHERE id = :id AND status = 'queued'")


# What no appointment or participant asks for: a print-list letter of a customer who has
# since opted out (the messenger never sends those, so its check before sending never
# sees them); the plan's password when the plan itself did not go (it waits while the
# plan is queued or held: dispatcher.claim).
SETTLE = (
    text("UPDATE message m SET status = 'cancelled', error = :opted_out, updated_at = :now "
         "WHERE m.channel = 'print' AND m.status = 'queued' AND EXISTS (SELECT 1 FROM "
         "contact_preference p WHERE p.customer_id = m.customer_id AND p.opted_out "
         "AND p.deleted_at IS NULL)"),
    text("UPDATE message m SET status = 'cancelled', error = :plan_not_sent, secret = NULL, "
         "updated_at = :now WHERE m.kind = 'password' AND m.status = 'queued' AND EXISTS "
         "(SELECT 1 FROM message p WHERE p.id = m.about_id "
         "AND p.status IN ('cancelled', 'failed'))"),
)


def settle(engine: Engine, now: datetime) -> int:
    with engine.begin() as conn:
        return sum(conn.execute(statement, {"opted_out": rules.OPTED_OUT,
                                            "plan_not_sent": rules.PLAN_NOT_SENT,
                                            "now": naive(now)}).rowcount
                   for statement in SETTLE)


def write_plan(engine: Engine, plan: rules.Plan, now: datetime) -> PlanCounts:
    """One transaction per plan (one appointment or participant), in id order, so two
    messengers writing the same plan wait for each other instead of deadlocking."""
    counts = PlanCounts()
    if not plan.make and not plan.cancel:
        return counts
    stamp = naive(now)
    with engine.begin() as conn:
        for item in sorted(plan.make, key=lambda p: p.id):
            params: dict[str, Any] = {
                "id": item.id, "customer_id": item.customer_id,
                "service_point_id": item.service_point_id, "kind": item.kind.value,
                "channel": item.channel.value, "language": item.language,
                "about_id": item.about_id, "session_id": item.session_id,
                "about_starts_at": naive(item.about_starts_at),
                "due_at": naive(item.due_at), "now": stamp}
            counts.made += conn.execute(INSERT, params).rowcount
        for cancel in sorted(plan.cancel, key=lambda c: c.id):
            counts.cancelled += conn.execute(
                CANCEL, {"id": cancel.id, "reason": cancel.reason, "now": stamp}).rowcount
    return counts


def plan_pass(engine: Engine, clock: Callable[[], datetime]) -> PlanCounts:
    """Plan every appointment and participant once; the counts of messages made and
    cancelled (ids only go to the log)."""
    now = clock()
    with engine.connect() as conn:
        began = messaging_began(conn)
        at = reminder_time(conn)
        appointments = appointment_facts(conn, now)
        participants = participant_facts(conn, now)
        contacts = load_contacts(conn, [a.customer_id for a in appointments if a.customer_id]
                                 + [p.customer_id for p in participants])
    total = PlanCounts()
    plans: list[rules.Plan] = []
    for a in appointments:
        plans.append(rules.plan_appointment(
            a, contacts.get(a.customer_id) if a.customer_id else None, now, at, began))
    for p in participants:
        plans.append(rules.plan_participant(p, contacts.get(p.customer_id), now, at, began))
    for plan in plans:
        counts = write_plan(engine, plan, now)
        total.made += counts.made
        total.cancelled += counts.cancelled
    total.cancelled += settle(engine, now)
    if total.made or total.cancelled:
        log.info("planned: %d made, %d cancelled", total.made, total.cancelled)
    return total
