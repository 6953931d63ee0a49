"""Group services and events in figures (#21): events held and their attendance by
month, kind and service point; the share of the invited who came; and for recruitment
events (and job interviews) the participants employed within three months.

Counted in SQLite over the local database, grouped there: a year's sessions, lists and
attendances come to Python as aggregate rows, never one per customer. A session counts
when it was held: not cancelled, of an event not cancelled, on a local (Helsinki) day
within the dates and not after today. Its month is the month of that day; an event
belongs to its service point and to the team of its responsible organiser (the first)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from sqlalchemy import String, and_, distinct, func, literal, select
from sqlalchemy.orm import Session

from app.dto.reports import (
    COUNT,
    MONTH,
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
from app.models import (
    Event,
    EventAttendance,
    EventParticipant,
    EventSession,
    JobSearchPeriod,
    ServicePoint,
    Staff,
)
from app.rules.codes import EVENT_LABELS, CaseExitReason, EventKind, EventStatus, ParticipantStatus
from app.services.reports import sql
from app.services.reports.members import Members, concat, ids_of

R = CaseExitReason
EMPLOYED = (R.EMPLOYED_OPEN_MARKET, R.EMPLOYED_PAY_SUBSIDY, R.SELF_EMPLOYED)
EMPLOYED_WITHIN_DAYS = 90
RECRUITING = (EventKind.RECRUITMENT, EventKind.INTERVIEWS)
KIND_ORDER = {k.value: i for i, k in enumerate(EventKind)}
TOTAL = Label(N_("Total"))

ATTENDANCE_COLUMNS = ("month", "kind", "service_point", "events", "sessions", "registered",
                      "attended", "attendances")
INVITED_COLUMNS = ("kind", "service_point", "events", "invited", "invited_attended",
                   "share", "uninvited_attended")
RECRUITMENT_COLUMNS = ("month", "event", "kind", "service_point", "attended", "employed",
                       "share")

S, E = EventSession, Event


def _held(f: ReportFilter, today: date) -> tuple[ReportFilter, list[Any]]:
    """The filter cut at today, and the conditions of a session held within it (joined
    with its event)."""
    cut = ReportFilter(f.date_from, min(f.date_to, today), f.service_point_id, f.team_id)
    where = [S.deleted_at.is_(None), S.cancelled.is_(False), E.deleted_at.is_(None),
             E.status == EventStatus.PLANNED, *sql.in_range(S.starts_at, cut)]
    if f.service_point_id:
        where.append(E.service_point_id == f.service_point_id)
    if f.team_id:
        # The responsible organiser is the first of the comma-separated ids.
        responsible = (select(Staff.id).where(
            Staff.team_id == f.team_id,
            (E.organiser_ids + ",").like(Staff.id + ",%")).exists())
        where.append(responsible)
    return cut, where


def _sessions(f: ReportFilter, today: date) -> tuple[ReportFilter, Any]:
    """The held sessions with their event's kind and point and their local month and day."""
    cut, where = _held(f, today)
    local = sql.local_day(S.starts_at, cut)
    return cut, (select(S.id.label("session_id"), S.event_id.label("event_id"),
                        E.kind.label("kind"), E.service_point_id.label("point"),
                        sql.month_of(local).label("month"),
                        func.date(local, type_=String).label("day"))
                 .join(E, E.id == S.event_id).where(*where).subquery())


def _points(s: Session) -> dict[str, str]:
    return dict(s.execute(select(ServicePoint.id, ServicePoint.name)).all())


def _pair(event: Any, customer: Any) -> Any:
    """One participant (an event and a customer) as text: counted once however many of
    the event's sessions the customer attended."""
    return event + literal(":") + customer


def _customers(pairs: str | None) -> list[str]:
    return [p.split(":", 1)[1] for p in ids_of(pairs)]


# --- events and attendance by month, kind and service point ---------------------------


def _attendance_figures(s: Session, f: ReportFilter, today: date, by_month: bool
                        ) -> dict[tuple[str, ...], dict[str, Any]]:
    """Per (month, kind, point) or, for the total, one key (): events, sessions,
    registered, attended, attendances and the customers behind the last three."""
    _cut, q = _sessions(f, today)
    c = q.c
    keys = [c.month, c.kind, c.point] if by_month else []
    out: dict[tuple[str, ...], dict[str, Any]] = defaultdict(dict)
    for *key, events, sessions in s.execute(
            select(*keys, func.count(distinct(c.event_id)), func.count())
            .select_from(q).group_by(*keys)):
        if sessions:
            out[tuple(map(str, key))].update(events=events, sessions=sessions)
    # The list of each event held in the group once, however many sessions it held.
    held = select(*keys, c.event_id).distinct().subquery()
    h = held.c
    hkeys = [h.month, h.kind, h.point] if by_month else []
    for *key, n, customers in s.execute(
            select(*hkeys, func.count(), concat(EventParticipant.customer_id))
            .select_from(held)
            .join(EventParticipant, EventParticipant.event_id == h.event_id)
            .where(EventParticipant.deleted_at.is_(None),
                   EventParticipant.status == ParticipantStatus.REGISTERED)
            .group_by(*hkeys)):
        out[tuple(map(str, key))].update(registered=n, registered_ids=ids_of(customers))
    A = EventAttendance
    pair = _pair(A.event_id, A.customer_id)
    for *key, attended, pairs, attendances in s.execute(
            select(*keys, func.count(distinct(pair)), func.group_concat(distinct(pair)),
                   func.count())
            .select_from(q).join(A, A.session_id == c.session_id)
            .where(A.deleted_at.is_(None), A.attended.is_(True)).group_by(*keys)):
        out[tuple(map(str, key))].update(attended=attended, attended_ids=_customers(pairs),
                                         attendances=attendances)
    return out


def attendance(s: Session, f: ReportFilter, inputs: ReportInputs) -> ReportTable:
    points = _points(s)
    found = _attendance_figures(s, f, inputs.today, by_month=True)
    measures = ("events", "sessions", "registered", "attended", "attendances")
    rows: list[tuple[Any, ...]] = []
    members = Members()
    for (month, kind, point), got in sorted(
            found.items(), key=lambda kv: (kv[0][0], KIND_ORDER.get(kv[0][1], 99),
                                           points.get(kv[0][2], "").casefold())):
        members.add(len(rows), "registered", got.get("registered_ids", ()))
        members.add(len(rows), "attended", got.get("attended_ids", ()))
        rows.append((date.fromisoformat(month), Label(EVENT_LABELS[EventKind(kind)]),
                     points.get(point, ""), *(got.get(m, 0) for m in measures)))
    whole = _attendance_figures(s, f, inputs.today, by_month=False).get((), {})
    members.add(-1, "registered", whole.get("registered_ids", ()))
    members.add(-1, "attended", whole.get("attended_ids", ()))
    total = (TOTAL, None, None, *(whole.get(m, 0) for m in measures))
    return ReportTable(
        "events_attendance", N_("Events and attendance by month, kind and service point"),
        (Column("month", N_("Month"), MONTH), Column("kind", N_("Kind"), TEXT),
         Column("service_point", N_("Service point"), TEXT),
         Column("events", N_("Events held"), COUNT), Column("sessions", N_("Sessions"), COUNT),
         Column("registered", N_("Participants registered"), COUNT),
         Column("attended", N_("Participants who attended"), COUNT),
         Column("attendances", N_("Attendances"), COUNT)),
        tuple(rows), ChartSpec("hbars", "kind", ("attendances",), limit=20),
        note=N_("Event sessions held in the month (not cancelled, up to today), by the "
                "event's kind and service point. Participants registered: on the list "
                "with a seat; participants who attended: checked in at one session or "
                "more; attendances: every session attended. An event whose sessions fall "
                "in two months counts in both; the total counts it once."),
        total=total, members=members.result())


# --- the share of the invited who attended --------------------------------------------


def invited_attended(s: Session, f: ReportFilter, inputs: ReportInputs) -> ReportTable:
    points = _points(s)
    _cut, q = _sessions(f, inputs.today)
    c = q.c
    held = select(c.event_id, c.kind, c.point).distinct().subquery()
    h = held.c
    P, A = EventParticipant, EventAttendance
    came = (select(A.id).where(A.event_id == P.event_id, A.customer_id == P.customer_id,
                               A.deleted_at.is_(None), A.attended.is_(True),
                               A.session_id.in_(select(c.session_id))).exists())
    invited = P.invited_at.is_not(None) | P.invited_by.is_not(None)
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for kind, point, events in s.execute(
            select(h.kind, h.point, func.count()).group_by(h.kind, h.point)):
        found[(str(kind), str(point))] = {"events": events}
    for kind, point, inv, inv_came, other, inv_ids, came_ids, other_ids in s.execute(
            select(h.kind, h.point, func.count().filter(invited),
                   func.count().filter(and_(invited, came)),
                   func.count().filter(and_(~invited, came)),
                   concat(P.customer_id, invited), concat(P.customer_id, and_(invited, came)),
                   concat(P.customer_id, and_(~invited, came)))
            .select_from(held).join(P, P.event_id == h.event_id)
            .where(P.deleted_at.is_(None)).group_by(h.kind, h.point)):
        found.setdefault((str(kind), str(point)), {"events": 0}).update(
            invited=inv, came=inv_came, other=other, invited_ids=ids_of(inv_ids),
            came_ids=ids_of(came_ids), other_ids=ids_of(other_ids))
    rows: list[tuple[Any, ...]] = []
    members = Members()
    for (kind, point), got in sorted(found.items(), key=lambda kv: (
            KIND_ORDER.get(kv[0][0], 99), points.get(kv[0][1], "").casefold())):
        members.add(len(rows), "invited", got.get("invited_ids", ()), total=True)
        members.add(len(rows), "invited_attended", got.get("came_ids", ()), total=True)
        members.add(len(rows), "uninvited_attended", got.get("other_ids", ()), total=True)
        rows.append((Label(EVENT_LABELS[EventKind(kind)]), points.get(point, ""), got["events"],
                     got.get("invited", 0), got.get("came", 0),
                     sql.share(got.get("came", 0), got.get("invited", 0)),
                     got.get("other", 0)))
    sums = [sum(int(r[i]) for r in rows) for i in (2, 3, 4)]
    total = (TOTAL, None, *sums, sql.share(sums[2], sums[1]), sum(int(r[6]) for r in rows))
    return ReportTable(
        "events_invited_attended", N_("Share of the invited who attended"),
        (Column("kind", N_("Kind"), TEXT), Column("service_point", N_("Service point"), TEXT),
         Column("events", N_("Events held"), COUNT), Column("invited", N_("Invited"), COUNT),
         Column("invited_attended", N_("Invited who attended"), COUNT),
         Column("share", N_("Invited who attended (%)"), PERCENT),
         Column("uninvited_attended", N_("Attended without an invitation"), COUNT)),
        tuple(rows), ChartSpec("hbars", "kind", ("share",), percent=True),
        note=N_("Events with a session held within the dates (not cancelled, up to "
                "today), by kind and service point: the customers invited to them and "
                "how many of those attended at least one of those sessions, whatever they "
                "answered. Customers who registered or came without an invitation are "
                "counted apart."), total=total, members=members.result())


# --- recruitment events: participants employed within three months --------------------


def recruitment_employed(s: Session, f: ReportFilter, inputs: ReportInputs) -> ReportTable:
    points = _points(s)
    _cut, q = _sessions(f, inputs.today)
    c = q.c
    A, P = EventAttendance, JobSearchPeriod
    # Each participant once per event: the first session of it they attended.
    first = (select(c.event_id, c.kind, c.point, A.customer_id,
                    func.min(c.day).label("day"), func.min(c.month).label("month"))
             .select_from(q).join(A, A.session_id == c.session_id)
             .where(A.deleted_at.is_(None), A.attended.is_(True),
                    c.kind.in_([k.value for k in RECRUITING]))
             .group_by(c.event_id, c.kind, c.point, A.customer_id).subquery())
    p = first.c
    employed = (select(P.id).where(
        P.customer_id == p.customer_id, P.deleted_at.is_(None), P.exit_reason.in_(EMPLOYED),
        P.closed_on >= p.day,
        P.closed_on <= func.date(p.day, f"+{EMPLOYED_WITHIN_DAYS} days")).exists())
    stmt = (select(p.event_id, E.title, p.kind, p.point, func.min(p.month), func.max(p.day),
                   func.count(), func.count().filter(employed), concat(p.customer_id),
                   concat(p.customer_id, employed))
            .select_from(first).join(E, E.id == p.event_id)
            .group_by(p.event_id, E.title, p.kind, p.point))
    found = []
    for _eid, title, kind, point, month, last_day, n, hits, ids, hit_ids in s.execute(stmt):
        # Known once 90 days have passed since the last participant's first session.
        known = date.fromisoformat(last_day) + timedelta(days=EMPLOYED_WITHIN_DAYS) \
            < inputs.today
        found.append((date.fromisoformat(month), title, str(kind), str(point), n, hits,
                      known, ids_of(ids), ids_of(hit_ids)))
    found.sort(key=lambda r: (r[0], r[1].casefold()))
    rows: list[tuple[Any, ...]] = []
    members = Members()
    known_sums = [0, 0]
    for month, title, kind, point, n, hits, known, ids, hit_ids in found:
        members.add(len(rows), "attended", ids, total=True)
        members.add(len(rows), "employed", hit_ids, total=True)
        if known:
            known_sums[0] += n
            known_sums[1] += hits
        rows.append((month, title, Label(EVENT_LABELS[EventKind(kind)]),
                     points.get(point, ""), n, hits, sql.share(hits, n) if known else None))
    total = (TOTAL, None, None, None, sum(int(r[4]) for r in rows),
             sum(int(r[5]) for r in rows), sql.share(known_sums[1], known_sums[0]))
    return ReportTable(
        "events_recruitment_employed",
        N_("Recruitment events: participants employed within three months"),
        (Column("month", N_("Month"), MONTH), Column("event", N_("Event"), TEXT),
         Column("kind", N_("Kind"), TEXT), Column("service_point", N_("Service point"), TEXT),
         Column("attended", N_("Participants who attended"), COUNT),
         Column("employed", N_("Employed within three months"), COUNT),
         Column("share", N_("Employed within three months (%)"), PERCENT)),
        tuple(rows), ChartSpec("hbars", "event", ("share",), percent=True, limit=20),
        note=N_("Recruitment events and job interviews held within the dates, and the "
                "participants who attended whose job-search period ended with employment "
                "(open labour market, pay subsidy, self-employment) within 90 days of the "
                "first session they attended. The share shows (–) until 90 days have "
                "passed since the event; the total counts the events whose share is "
                "known."), total=total, members=members.result())
