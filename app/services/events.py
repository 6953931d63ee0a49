"""Group services and events (#21): events and their sessions, the participant list with
its capacity and waiting list, attendance on the day, the annual calendar's themes.

Every write goes through the one write path and is audited without names (the event's
id and counts only). A participant's and an attendance's id come from app/rules/events.py
(the same on every workstation): a row that exists, also a tombstoned or cancelled one,
is updated, never inserted again. A participant and an attendance belong to their
event's service point. Every session's room passes app/services/rooms.py require_free in
the same transaction as the write. Sessions are typed in Helsinki time and stored in UTC
(as appointments)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from app.dto.events import (
    AnnualCalendar,
    AnnualMonth,
    CalendarSession,
    CheckInMatch,
    CustomerEventRow,
    EventDetail,
    EventInput,
    EventRow,
    InviteCandidate,
    InviteFilter,
    InviteResult,
    ParticipantRow,
    RoomRow,
    SessionInput,
    SessionRow,
    ThemeInput,
    ThemeRow,
)
from app.i18n import N_, parse_date
from app.models import (
    AnnualTheme,
    Customer,
    Employer,
    Event,
    EventAttendance,
    EventParticipant,
    EventSession,
    Room,
    ServicePoint,
    Staff,
)
from app.rules import case_access as caseload
from app.rules import groups as group_rules
from app.rules.booking import at, local_minute
from app.rules.clock import days_unemployed
from app.rules.codes import CheckInVia, EventKind, EventStatus, ParticipantStatus
from app.rules.customer import nfc
from app.rules.events import HOLDS_SEAT, ON_LIST, attendance_id, participant_id
from app.rules.permissions import Permission, allowed
from app.services import case_access, rooms, text_guard
from app.services.context import Actor, AppContext
from app.services.customers import live_customer
from app.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from app.services.statutory_clock_facts import gather

LANGUAGES = ("fi", "sv", "en")
TITLE_LIMIT = 200
DESCRIPTION_LIMIT = 4000
LINE_LIMIT = 400
CAPACITY_LIMIT = 10000
SESSIONS_LIMIT = 60
CANDIDATE_LIMIT = 1000
# A session still takes check-ins this long after it ended (the queue's arrival).
CHECK_IN_GRACE = timedelta(minutes=30)
# The participant list's order: seats first, then the waiting list, invited, the rest.
STATUS_ORDER = {ParticipantStatus.REGISTERED: 0, ParticipantStatus.WAITING: 1,
                ParticipantStatus.INVITED: 2, ParticipantStatus.CANCELLED: 3,
                ParticipantStatus.DECLINED: 4}

EVENT_NOT_FOUND = N_("The event was not found.")
SESSION_NOT_FOUND = N_("The event session was not found.")
EVENT_CANCELLED = N_("The event has been cancelled: open it again to see its state.")


@dataclass(frozen=True)
class _Checked:
    kind: EventKind
    title: str
    description: str | None
    language: str
    capacity: int | None
    target_groups: str | None
    external_organisers: str | None
    online_link: str | None
    sessions: tuple[tuple[datetime, datetime, str | None, str | None], ...]


def parse_day(text: str) -> date | None:
    """A day as typed: ISO "yyyy-mm-dd" or "d.m.yyyy"; None when empty; ValueError."""
    text = (text or "").strip()
    if not text:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return date.fromisoformat(text)
    return parse_date(text)


def parse_minute(text: str) -> int | None:
    """A clock time as typed, "HH:MM" (or "H.MM"), as minutes after midnight; None when
    empty; ValueError when not a time."""
    text = (text or "").strip()
    if not text:
        return None
    match = re.fullmatch(r"(\d{1,2})[:.](\d{2})", text)
    if not match:
        raise ValueError(text)
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        raise ValueError(text)
    return hour * 60 + minute


def _session_times(index: int, typed: SessionInput, errors: dict[str, str]
                   ) -> tuple[datetime, datetime] | None:
    key = f"session:{index}"
    try:
        day = parse_day(typed.day)
    except ValueError:
        errors[key] = N_("Write the day as d.m.yyyy.")
        return None
    if day is None:
        errors[key] = N_("Give the session's day.")
        return None
    try:
        start, end = parse_minute(typed.start), parse_minute(typed.end)
    except ValueError:
        errors[key] = N_("Write the times as HH:MM.")
        return None
    if start is None or end is None:
        errors[key] = N_("Give the session's start and end times.")
        return None
    if end <= start:
        errors[key] = N_("The session ends before it starts.")
        return None
    return at(day, start).astimezone(UTC), at(day, end).astimezone(UTC)


def _link_error(link: str) -> str | None:
    if not link:
        return None
    if len(link) > LINE_LIMIT:
        return N_("At most 400 characters.")
    if not re.match(r"https?://\S+$", link):
        return N_("Give the link as a web address (https://…).")
    return None


def check_input(data: EventInput) -> _Checked:
    """The event form's fields checked (every problem at once, by field), nothing
    stored; ValidationFailed names the fields."""
    errors: dict[str, str] = {}
    try:
        kind = EventKind(data.kind)
    except ValueError:
        errors["kind"] = N_("Choose the kind of event.")
        kind = EventKind.OTHER
    title = nfc(data.title)
    if not title:
        errors["title"] = N_("Give the event a title.")
    elif len(title) > TITLE_LIMIT:
        errors["title"] = N_("At most 200 characters.")
    description = (data.description or "").strip()
    if len(description) > DESCRIPTION_LIMIT:
        errors["description"] = N_("At most 4000 characters.")
    if data.language not in LANGUAGES:
        errors["language"] = N_("Choose the event's language.")
    capacity: int | None = None
    typed_capacity = (data.capacity or "").strip()
    if typed_capacity:
        if not typed_capacity.isdigit() or not 0 < int(typed_capacity) <= CAPACITY_LIMIT:
            errors["capacity"] = N_("Give the number of seats as a whole number from 1, "
                                    "or leave it empty for no limit.")
        else:
            capacity = int(typed_capacity)
    known_groups = {g.value for g in group_rules.Group}
    if any(g not in known_groups for g in data.target_groups):
        errors["target_groups"] = N_("Unknown customer group.")
    external = nfc(data.external_organisers)
    if len(external) > LINE_LIMIT:
        errors["external_organisers"] = N_("At most 400 characters.")
    link = (data.online_link or "").strip()
    problem = _link_error(link)
    if problem:
        errors["online_link"] = problem
    if not data.sessions:
        errors["sessions"] = N_("Give the event at least one session.")
    elif len(data.sessions) > SESSIONS_LIMIT:
        errors["sessions"] = N_("At most 60 sessions.")
    sessions = []
    for index, typed in enumerate(data.sessions[:SESSIONS_LIMIT], start=1):
        times = _session_times(index, typed, errors)
        session_link = (typed.online_link or "").strip()
        link_problem = _link_error(session_link) or text_guard.field_errors(
            EventSession, {"online_link": session_link}).get("online_link")
        if link_problem:
            errors.setdefault(f"session:{index}", link_problem)
        if times is not None:
            sessions.append((times[0], times[1], typed.room_id or None, session_link or None))
    for key, message in text_guard.field_errors(
            Event, {"title": title, "description": description,
                    "external_organisers": external, "online_link": link}).items():
        errors.setdefault(key, message)
    if errors:
        raise ValidationFailed(errors)
    return _Checked(kind, title, description or None, data.language, capacity,
                    ",".join(dict.fromkeys(data.target_groups)) or None, external or None,
                    link or None, tuple(sessions))


def _held_here(s: Session, customer_id: str) -> None:
    """An attendance names the customer: the centre takes it only from a worker who can
    see them, so a customer this workstation does not hold (one of another point the
    desk has not identified) is checked in at the queue, where they are looked up."""
    if s.get(Customer, customer_id) is None:
        raise Conflict(N_("This workstation does not hold the customer's details: identify "
                          "them at the queue (arrival), then check them in."))


def _split(text: str | None) -> tuple[str, ...]:
    return tuple(p for p in (text or "").split(",") if p)


def _live_sessions(s: Session, event_id: str) -> list[EventSession]:
    return list(s.scalars(select(EventSession).where(
        EventSession.event_id == event_id, EventSession.deleted_at.is_(None))
        .order_by(EventSession.number, EventSession.starts_at, EventSession.id)))


def _registered_count(s: Session, event_id: str) -> int:
    return s.scalar(select(func.count()).select_from(EventParticipant).where(
        EventParticipant.event_id == event_id, EventParticipant.deleted_at.is_(None),
        EventParticipant.status.in_(tuple(HOLDS_SEAT)))) or 0


def _promote(s: Session, event: Event) -> int:
    """Give free seats to the waiting list in its order (registered_at): how many got
    one."""
    if event.capacity is None:
        free = None
    else:
        free = event.capacity - _registered_count(s, event.id)
        if free <= 0:
            return 0
    waiting = select(EventParticipant).where(
        EventParticipant.event_id == event.id, EventParticipant.deleted_at.is_(None),
        EventParticipant.status == ParticipantStatus.WAITING).order_by(
        EventParticipant.registered_at, EventParticipant.id)
    if free is not None:
        waiting = waiting.limit(free)
    promoted = 0
    for p in s.scalars(waiting):
        p.status = ParticipantStatus.REGISTERED
        promoted += 1
    return promoted


def _visible(actor: Actor, case: caseload.Case) -> bool:
    """Whom the worker may see for events: the caseload rule (own, the team's, the
    point's unassigned; leads and admins all), or a customer of the worker's own
    service point (as the centre's desk_customer_visible)."""
    worker = case_access.worker(actor)
    return (caseload.sees_all(actor.role)
            or caseload.may_read(worker, case, Permission.EVENT_READ)
            or case.service_point_id == actor.service_point_id)


class EventService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    # --- events -----------------------------------------------------------------------

    def list_events(self, first: date, last: date, service_point_id: str | None = None,
                    kinds: Sequence[str] = (), include_cancelled: bool = False
                    ) -> list[EventRow]:
        """Events with a session on a Helsinki day in [first, last], by first session."""
        self.ctx.require(Permission.EVENT_READ)
        with self.ctx.reading() as s:
            in_range = select(EventSession.event_id).where(
                EventSession.deleted_at.is_(None),
                EventSession.starts_at < at(last + timedelta(days=1), 0),
                EventSession.starts_at >= at(first, 0))
            stmt = select(Event).where(Event.deleted_at.is_(None), Event.id.in_(in_range))
            if service_point_id:
                stmt = stmt.where(Event.service_point_id == service_point_id)
            if kinds:
                stmt = stmt.where(Event.kind.in_(tuple(kinds)))
            if not include_cancelled:
                stmt = stmt.where(Event.status == EventStatus.PLANNED)
            events = list(s.scalars(stmt))
            rows = self._rows(s, events)
        return sorted(rows, key=_row_order)

    def get(self, event_id: str) -> EventDetail:
        self.ctx.require(Permission.EVENT_READ)
        with self.ctx.reading() as s:
            return self._detail(s, self._event(s, event_id))

    def create(self, data: EventInput) -> EventDetail:
        actor = self.ctx.require(Permission.EVENT_EDIT)
        checked = check_input(data)
        with self.ctx.transaction(Permission.EVENT_EDIT) as s:
            point = self._point(s, data.service_point_id or actor.service_point_id)
            organisers = self._organisers(s, data.organiser_ids, actor)
            employer_id = self._employer(s, data.employer_id)
            self._check_rooms(s, point, checked)
            event = Event(kind=checked.kind, status=EventStatus.PLANNED,
                          service_point_id=point)
            self._apply(event, checked, organisers, employer_id, data.annual)
            s.add(event)
            s.flush()
            for number, (starts, ends, room_id, link) in enumerate(checked.sessions, 1):
                session = EventSession(event_id=event.id, service_point_id=point,
                                       number=number, starts_at=starts, ends_at=ends,
                                       room_id=room_id, online_link=link, cancelled=False)
                s.add(session)
                s.flush()
                rooms.require_free(s, room_id, starts, ends, exclude_id=session.id)
            self.ctx.audit(s, "event.create", "event", event.id,
                           {"kind": checked.kind.value, "sessions": len(checked.sessions)})
            return self._detail(s, event)

    def update(self, event_id: str, data: EventInput) -> EventDetail:
        """The event as the form now has it: sessions matched by their id (a row without
        one is a new session; a stored one the form no longer has is tombstoned, a
        cancelled one kept), numbered in the form's order; a raised capacity seats the
        waiting list."""
        actor = self.ctx.require(Permission.EVENT_EDIT)
        checked = check_input(data)
        with self.ctx.transaction(Permission.EVENT_EDIT) as s:
            event = self._event(s, event_id)
            self._may_change(event)
            if event.status is EventStatus.CANCELLED:
                raise Conflict(EVENT_CANCELLED)
            point = event.service_point_id
            organisers = self._organisers(s, data.organiser_ids, actor)
            employer_id = self._employer(s, data.employer_id)
            self._check_rooms(s, point, checked)
            old_capacity = event.capacity
            event.kind = checked.kind
            self._apply(event, checked, organisers, employer_id, data.annual)
            existing = {x.id: x for x in _live_sessions(s, event.id)}
            now = self.ctx.now()
            kept: list[EventSession] = []
            ids = [typed.session_id for typed in data.sessions]
            for number, (starts, ends, room_id, link) in enumerate(checked.sessions, 1):
                stored = existing.pop(ids[number - 1], None) if ids[number - 1] else None
                if stored is not None:
                    session = stored
                    session.number, session.starts_at, session.ends_at = number, starts, ends
                    session.room_id, session.online_link = room_id, link
                else:
                    session = EventSession(event_id=event.id, service_point_id=point,
                                           number=number, starts_at=starts, ends_at=ends,
                                           room_id=room_id, online_link=link,
                                           cancelled=False)
                    s.add(session)
                kept.append(session)
            removed = [x for x in existing.values() if not x.cancelled]
            for session in removed:
                session.deleted_at = now
            s.flush()
            for session in kept:
                rooms.require_free(s, session.room_id, session.starts_at, session.ends_at,
                                   exclude_id=session.id)
            promoted = 0
            if event.capacity is None or (old_capacity is not None
                                          and event.capacity > old_capacity):
                promoted = _promote(s, event)
            self.ctx.audit(s, "event.update", "event", event.id,
                           {"sessions": len(kept),
                            "removed": len(removed),
                            "promoted": promoted})
            return self._detail(s, event)

    def cancel(self, event_id: str, reason: str) -> EventDetail:
        self.ctx.require(Permission.EVENT_EDIT)
        why = nfc(reason)
        errors = text_guard.field_errors(Event, {"cancel_reason": why})
        if len(why) > LINE_LIMIT:
            errors["cancel_reason"] = N_("At most 400 characters.")
        if errors:
            raise ValidationFailed(errors)
        with self.ctx.transaction(Permission.EVENT_EDIT) as s:
            event = self._event(s, event_id)
            self._may_change(event)
            if event.status is not EventStatus.CANCELLED:
                event.status = EventStatus.CANCELLED
                event.cancel_reason = why or None
                self.ctx.audit(s, "event.cancel", "event", event.id)
            return self._detail(s, event)

    # --- participants -----------------------------------------------------------------

    def participants(self, event_id: str, on_day: date | None = None
                     ) -> list[ParticipantRow]:
        """Registered first, then the waiting list in order, invited, then cancelled and
        declined; `attended_today`: checked in at a session held on `on_day`."""
        self.ctx.require(Permission.EVENT_READ)
        with self.ctx.reading() as s:
            self._event(s, event_id)
            return self._participants(s, event_id, on_day)

    def invite_candidates(self, event_id: str, f: InviteFilter) -> list[InviteCandidate]:
        """Active customers the worker may see (`f.coach_id`: that coach's caseload, if
        the caseload rule lets the worker see it), narrowed by the filter."""
        actor = self.ctx.require(Permission.EVENT_EDIT)
        today, now = self.ctx.today(), self.ctx.now()
        with self.ctx.reading() as s:
            self._event(s, event_id)
            stmt = select(Customer.id, Customer.coach_id, Customer.service_point_id,
                          Customer.language, Customer.customer_number).where(
                Customer.active.is_(True), Customer.deleted_at.is_(None),
                Customer.erased_at.is_(None))
            if f.coach_id:
                team = s.scalar(select(Staff.team_id).where(Staff.id == f.coach_id))
                if not caseload.may_read(case_access.worker(actor),
                                         caseload.Case(f.coach_id, team, ""),
                                         Permission.CUSTOMER_READ):
                    raise PermissionDenied(N_("This caseload belongs to another coach: "
                                              "their coach and their team see it."))
                stmt = stmt.where(Customer.coach_id == f.coach_id)
            elif not caseload.sees_all(actor.role):
                teammates = select(Staff.id).where(Staff.team_id == actor.team_id) \
                    if actor.team_id else select(Staff.id).where(Staff.id == actor.staff_id)
                stmt = stmt.where(or_(Customer.coach_id == actor.staff_id,
                                      Customer.coach_id.in_(teammates),
                                      Customer.service_point_id == actor.service_point_id))
            if f.language:
                stmt = stmt.where(Customer.language == f.language)
            stmt = stmt.order_by(Customer.sort_name, Customer.id)
            if not (f.groups or f.min_days_unemployed is not None or f.without_valid_plan):
                stmt = stmt.limit(CANDIDATE_LIMIT)  # nothing to narrow in Python
            found = list(s.execute(stmt))
            facts = self._facts(s, actor, [r.id for r in found], now)
            on_list = set(s.scalars(select(EventParticipant.customer_id).where(
                EventParticipant.event_id == event_id, EventParticipant.deleted_at.is_(None),
                EventParticipant.status.in_(tuple(ON_LIST)))))
        out: list[InviteCandidate] = []
        for row in found:
            fact = facts.get(row.id)
            if fact is None:
                continue
            days = days_unemployed(fact.unemployed_since, today, fact.first_benefit_on)
            groups = tuple(g.value for g in group_rules.groups(
                born=fact.born, unemployed_since=fact.unemployed_since, days_unemployed=days,
                partial_work_ability=fact.partial_work_ability,
                first_permit_on=fact.first_permit_on, barriers=fact.barriers, today=today))
            if f.groups and not set(f.groups) & set(groups):
                continue
            if f.min_days_unemployed is not None and (days is None
                                                      or days < f.min_days_unemployed):
                continue
            if f.without_valid_plan and fact.has_plan:
                continue
            out.append(InviteCandidate(row.id, fact.name, row.customer_number, row.language,
                                       days, groups, row.id in on_list))
            if len(out) >= CANDIDATE_LIMIT:
                break
        return out

    def invite(self, event_id: str, customer_ids: Sequence[str]) -> InviteResult:
        """Invite the customers (status invited); those on the list already are counted
        and left as they are; those the worker may not see are refused (counted)."""
        actor = self.ctx.require(Permission.EVENT_EDIT)
        ids = list(dict.fromkeys(i for i in customer_ids if i))
        invited = already = refused = 0
        with self.ctx.transaction(Permission.EVENT_EDIT) as s:
            event = self._planned(s, event_id)
            now = self.ctx.now()
            # Everything the loop reads, read first in a few set-based queries (a query
            # per customer flushed the previous one's row each time: 30x slower for 500,
            # benchmarks/README.md row 9); the loop then only writes.
            cases, found = self._invite_reads(s, event.id, ids)
            for cid in ids:
                case = cases.get(cid)
                if case is None or not _visible(actor, case):
                    refused += 1
                    continue
                p = found.get(cid)
                if p is not None and p.deleted_at is None and p.status in ON_LIST:
                    already += 1
                    continue
                p = self._participant_row(s, event, cid, p, looked_up=True)
                p.status = ParticipantStatus.INVITED
                p.invited_by, p.invited_at = actor.staff_id, now
                p.registered_at = None
                invited += 1
            self.ctx.audit(s, "event.invite", "event", event.id,
                           {"invited": invited, "already": already, "refused": refused})
        return InviteResult(invited, already, refused)

    def register(self, event_id: str, customer_id: str) -> ParticipantRow:
        """A seat when one is free, else the waiting list (in order of registering)."""
        self.ctx.require(Permission.EVENT_ATTEND)
        with self.ctx.transaction(Permission.EVENT_ATTEND) as s:
            event = self._planned(s, event_id)
            self._may_list(s, event, customer_id)
            p = s.get(EventParticipant, participant_id(event.id, customer_id))
            if p is None or p.deleted_at is not None or p.status not in (
                    ParticipantStatus.REGISTERED, ParticipantStatus.WAITING):
                p = self._participant_row(s, event, customer_id, p)
                seat = event.capacity is None or _registered_count(s, event.id) < event.capacity
                p.status = ParticipantStatus.REGISTERED if seat else ParticipantStatus.WAITING
                p.registered_at = self.ctx.now()
                s.flush()
                self.ctx.audit(s, "event.register", "event", event.id,
                               {"participant_id": p.id, "status": p.status.value})
            return self._one(s, event.id, customer_id)

    def cancel_participation(self, event_id: str, customer_id: str) -> ParticipantRow:
        """The customer withdraws: a seat freed goes to the first on the waiting list in
        the same transaction."""
        return self._withdraw(event_id, customer_id, ParticipantStatus.CANCELLED,
                              "event.cancel_participation")

    def decline(self, event_id: str, customer_id: str) -> ParticipantRow:
        return self._withdraw(event_id, customer_id, ParticipantStatus.DECLINED,
                              "event.decline")

    def _withdraw(self, event_id: str, customer_id: str, status: ParticipantStatus,
                  action: str) -> ParticipantRow:
        self.ctx.require(Permission.EVENT_ATTEND)
        with self.ctx.transaction(Permission.EVENT_ATTEND) as s:
            event = self._event(s, event_id)
            p = s.get(EventParticipant, participant_id(event.id, customer_id))
            if p is None or p.deleted_at is not None:
                raise NotFound(N_("The customer is not on the event's list."))
            self._may_list(s, event, customer_id, known=True)
            promoted = 0
            if p.status is not status:
                held_seat = p.status in HOLDS_SEAT
                p.status = status
                s.flush()
                if held_seat and event.status is EventStatus.PLANNED:
                    promoted = _promote(s, event)
                self.ctx.audit(s, action, "event", event.id,
                               {"participant_id": p.id, "promoted": promoted})
            return self._one(s, event.id, customer_id)

    def check_in(self, session_id: str, customer_id: str, via: str = "list"
                 ) -> ParticipantRow:
        """The customer came to the session: attended (also beyond the capacity: they
        are here); someone not registered is registered, someone not on the list added."""
        actor = self.ctx.require(Permission.EVENT_ATTEND)
        try:
            how = CheckInVia(via)
        except ValueError:
            raise ValidationFailed({"via": N_("Unknown way of checking in.")}) from None
        with self.ctx.transaction(Permission.EVENT_ATTEND) as s:
            session, event = self._session(s, session_id)
            _held_here(s, customer_id)
            self._may_list(s, event, customer_id)
            now = self.ctx.now()
            p = s.get(EventParticipant, participant_id(event.id, customer_id))
            if p is None or p.deleted_at is not None or p.status not in HOLDS_SEAT:
                waiting = (p is not None and p.deleted_at is None
                           and p.status is ParticipantStatus.WAITING)
                p = self._participant_row(s, event, customer_id, p)
                if not waiting or p.registered_at is None:
                    p.registered_at = now
                p.status = ParticipantStatus.REGISTERED
            aid = attendance_id(session.id, customer_id)
            a = s.get(EventAttendance, aid)
            if a is None:
                a = EventAttendance(id=aid, session_id=session.id, event_id=event.id,
                                    customer_id=customer_id)
                s.add(a)
            a.deleted_at = None
            a.service_point_id = event.service_point_id
            a.attended, a.checked_in_at, a.checked_in_by, a.via = True, now, \
                actor.staff_id, how
            s.flush()
            self.ctx.audit(s, "event.check_in", "event", event.id,
                           {"session_id": session.id, "attendance_id": aid,
                            "via": how.value})
            return self._one(s, event.id, customer_id, session_day(session))

    def mark_absent(self, session_id: str, customer_id: str) -> ParticipantRow:
        actor = self.ctx.require(Permission.EVENT_ATTEND)
        with self.ctx.transaction(Permission.EVENT_ATTEND) as s:
            session, event = self._session(s, session_id)
            _held_here(s, customer_id)
            p = s.get(EventParticipant, participant_id(event.id, customer_id))
            if p is None or p.deleted_at is not None:
                raise NotFound(N_("The customer is not on the event's list."))
            self._may_list(s, event, customer_id, known=True)
            aid = attendance_id(session.id, customer_id)
            a = s.get(EventAttendance, aid)
            if a is None:
                a = EventAttendance(id=aid, session_id=session.id, event_id=event.id,
                                    customer_id=customer_id, via=CheckInVia.LIST)
                s.add(a)
            a.deleted_at = None
            a.service_point_id = event.service_point_id
            a.attended, a.checked_in_at, a.checked_in_by = False, self.ctx.now(), \
                actor.staff_id
            s.flush()
            self.ctx.audit(s, "event.mark_absent", "event", event.id,
                           {"session_id": session.id, "attendance_id": aid})
            return self._one(s, event.id, customer_id, session_day(session))

    def matches_today(self, customer_id: str) -> list[CheckInMatch]:
        """Today's sessions (not ended more than 30 minutes ago) of planned events where
        the customer is on the list: at the queue's arrival, to check in instead."""
        actor = self.ctx.require(Permission.EVENT_READ)
        today, now = self.ctx.today(), self.ctx.now()
        with self.ctx.reading() as s:
            rows = s.execute(
                select(EventSession, Event.title, EventParticipant.status, Room.name)
                .join(Event, Event.id == EventSession.event_id)
                .join(EventParticipant, and_(EventParticipant.event_id == Event.id,
                                             EventParticipant.customer_id == customer_id))
                .outerjoin(Room, Room.id == EventSession.room_id)
                .where(EventSession.deleted_at.is_(None), EventSession.cancelled.is_(False),
                       Event.deleted_at.is_(None), Event.status == EventStatus.PLANNED,
                       EventParticipant.deleted_at.is_(None),
                       EventParticipant.status.in_(tuple(ON_LIST)),
                       EventSession.starts_at >= at(today, 0),
                       EventSession.starts_at < at(today + timedelta(days=1), 0),
                       EventSession.ends_at >= now - CHECK_IN_GRACE,
                       # Held here: the queue of another point checks in for its own.
                       EventSession.service_point_id == actor.service_point_id)
                .order_by(EventSession.starts_at, EventSession.id)).all()
        return [CheckInMatch(session.id, session.event_id, title, session.starts_at,
                             room or "", status.value)
                for session, title, status, room in rows]

    def for_customer(self, customer_id: str) -> list[CustomerEventRow]:
        """Every event the customer is or was on the list of, the latest first."""
        self.ctx.require(Permission.EVENT_READ)
        with self.ctx.reading() as s:
            rows = s.execute(
                select(Event, EventParticipant.status)
                .join(EventParticipant, EventParticipant.event_id == Event.id)
                .where(EventParticipant.customer_id == customer_id,
                       EventParticipant.deleted_at.is_(None), Event.deleted_at.is_(None))
            ).all()
            ids = [e.id for e, _status in rows]
            spans = self._spans(s, ids)
            attended = dict(s.execute(
                select(EventAttendance.event_id, func.count())
                .join(EventSession, EventSession.id == EventAttendance.session_id)
                .where(EventAttendance.customer_id == customer_id,
                       EventAttendance.event_id.in_(ids), EventAttendance.attended.is_(True),
                       EventAttendance.deleted_at.is_(None), EventSession.deleted_at.is_(None))
                .group_by(EventAttendance.event_id)).all())
        out = [CustomerEventRow(e.id, e.title, e.kind.value, status.value,
                                spans.get(e.id, (None, None, 0))[0],
                                spans.get(e.id, (None, None, 0))[2], attended.get(e.id, 0))
               for e, status in rows]
        far = datetime.min.replace(tzinfo=UTC)
        return sorted(out, key=lambda r: (r.starts_at or far, r.event_id), reverse=True)

    # --- calendars --------------------------------------------------------------------

    def calendar_sessions(self, first: date, last: date,
                          staff_ids: Sequence[str] | None = None, room_id: str | None = None,
                          service_point_id: str | None = None) -> list[CalendarSession]:
        """Sessions of planned events starting on a Helsinki day in [first, last];
        `staff_ids`: only where one of them organises."""
        self.ctx.require(Permission.EVENT_READ)
        with self.ctx.reading() as s:
            return self._calendar(s, first, last, staff_ids, room_id, service_point_id)

    def _calendar(self, s: Session, first: date, last: date,
                  staff_ids: Sequence[str] | None, room_id: str | None,
                  service_point_id: str | None) -> list[CalendarSession]:
        stmt = (select(EventSession, Event, Room.name)
                .join(Event, Event.id == EventSession.event_id)
                .outerjoin(Room, Room.id == EventSession.room_id)
                .where(EventSession.deleted_at.is_(None), EventSession.cancelled.is_(False),
                       Event.deleted_at.is_(None), Event.status == EventStatus.PLANNED,
                       EventSession.starts_at >= at(first, 0),
                       EventSession.starts_at < at(last + timedelta(days=1), 0))
                .order_by(EventSession.starts_at, EventSession.id))
        if room_id:
            stmt = stmt.where(EventSession.room_id == room_id)
        if service_point_id:
            stmt = stmt.where(EventSession.service_point_id == service_point_id)
        rows = s.execute(stmt).all()
        counts = self._session_counts(s, {e.id for _x, e, _r in rows})
        wanted = set(staff_ids) if staff_ids is not None else None
        out = []
        for session, event, room in rows:
            organisers = _split(event.organiser_ids)
            if wanted is not None and not wanted & set(organisers):
                continue
            out.append(CalendarSession(session.id, event.id, event.title, event.kind.value,
                                       session.number, counts.get(event.id, 1),
                                       session.starts_at, session.ends_at,
                                       session.service_point_id, session.room_id, room or "",
                                       organisers))
        return out

    def annual(self, year: int, service_point_id: str | None = None) -> AnnualCalendar:
        """The annual calendar (vuosikello): each month's themes (the area's and the
        point's) and the planned events whose first session falls in it."""
        self.ctx.require(Permission.EVENT_READ)
        with self.ctx.reading() as s:
            themes = self._themes(s, year, service_point_id)
            stmt = select(Event).where(
                Event.deleted_at.is_(None), Event.status == EventStatus.PLANNED,
                Event.id.in_(select(EventSession.event_id).where(
                    EventSession.deleted_at.is_(None),
                    EventSession.starts_at >= at(date(year, 1, 1), 0),
                    EventSession.starts_at < at(date(year + 1, 1, 1), 0))))
            if service_point_id:
                stmt = stmt.where(Event.service_point_id == service_point_id)
            rows = self._rows(s, list(s.scalars(stmt)))
        by_month: dict[int, list[EventRow]] = defaultdict(list)
        for row in sorted(rows, key=_row_order):
            if row.starts_at is None:
                continue
            day, _minute = local_minute(row.starts_at)
            if day.year == year:
                by_month[day.month].append(row)
        months = tuple(AnnualMonth(m, tuple(t for t in themes if t.month == m),
                                   tuple(by_month.get(m, ()))) for m in range(1, 13))
        return AnnualCalendar(year, service_point_id, months)

    def ics(self, year: int, service_point_id: str | None = None) -> bytes:
        """The year's sessions and themes as an iCalendar file (app/services/
        event_calendar.py, made with the `icalendar` library)."""
        from app.services.event_calendar import year_ics

        self.ctx.require(Permission.EVENT_READ)
        with self.ctx.reading() as s:
            return year_ics(s, year, service_point_id, self.ctx.now())

    # --- themes -----------------------------------------------------------------------

    def themes(self, year: int) -> list[ThemeRow]:
        self.ctx.require(Permission.EVENT_READ)
        with self.ctx.reading() as s:
            return self._themes(s, year, None)

    def add_theme(self, data: ThemeInput) -> ThemeRow:
        self.ctx.require(Permission.CALENDAR_MANAGE)
        year, month, title, description, point = _check_theme(data)
        with self.ctx.transaction(Permission.CALENDAR_MANAGE) as s:
            if point:
                self._point(s, point)
            theme = AnnualTheme(year=year, month=month, title=title,
                                description=description, service_point_id=point)
            s.add(theme)
            s.flush()
            self.ctx.audit(s, "annual_theme.add", "annual_theme", theme.id,
                           {"year": year, "month": month})
            return self._theme_row(s, theme)

    def edit_theme(self, theme_id: str, data: ThemeInput) -> ThemeRow:
        self.ctx.require(Permission.CALENDAR_MANAGE)
        year, month, title, description, point = _check_theme(data)
        with self.ctx.transaction(Permission.CALENDAR_MANAGE) as s:
            theme = self._theme(s, theme_id)
            if point:
                self._point(s, point)
            theme.year, theme.month, theme.title = year, month, title
            theme.description, theme.service_point_id = description, point
            s.flush()
            self.ctx.audit(s, "annual_theme.edit", "annual_theme", theme.id,
                           {"year": year, "month": month})
            return self._theme_row(s, theme)

    def remove_theme(self, theme_id: str) -> None:
        self.ctx.require(Permission.CALENDAR_MANAGE)
        with self.ctx.transaction(Permission.CALENDAR_MANAGE) as s:
            theme = self._theme(s, theme_id)
            theme.deleted_at = self.ctx.now()
            self.ctx.audit(s, "annual_theme.remove", "annual_theme", theme.id)

    # --- lookups ----------------------------------------------------------------------

    def organisers(self) -> list[tuple[str, str]]:
        self.ctx.require(Permission.EVENT_READ)
        with self.ctx.reading() as s:
            return [(i, n) for i, n in s.execute(
                select(Staff.id, Staff.full_name).where(
                    Staff.active.is_(True), Staff.deleted_at.is_(None))
                .order_by(Staff.full_name, Staff.id))]

    def point_contact(self, service_point_id: str) -> tuple[str, str, str]:
        """The point's name, address and phone, for the invitation letter."""
        from app.services.appointment_outputs import point_address

        self.ctx.require(Permission.EVENT_READ)
        with self.ctx.reading() as s:
            point = s.get(ServicePoint, service_point_id)
            if point is None:
                raise NotFound(N_("No such service point."))
            return point.name, point_address(point), point.phone or ""

    def rooms(self, service_point_id: str) -> list[RoomRow]:
        """The point's rooms in use, as the room register lists them."""
        return rooms.RoomService(self.ctx).list(service_point_id)

    # --- helpers ----------------------------------------------------------------------

    @staticmethod
    def _event(s: Session, event_id: str) -> Event:
        event = s.get(Event, event_id)
        if event is None or event.deleted_at is not None:
            raise NotFound(EVENT_NOT_FOUND)
        return event

    def _planned(self, s: Session, event_id: str) -> Event:
        event = self._event(s, event_id)
        if event.status is not EventStatus.PLANNED:
            raise Conflict(EVENT_CANCELLED)
        return event

    def _session(self, s: Session, session_id: str) -> tuple[EventSession, Event]:
        session = s.get(EventSession, session_id)
        if session is None or session.deleted_at is not None:
            raise NotFound(SESSION_NOT_FOUND)
        event = self._planned(s, session.event_id)
        if session.cancelled:
            raise Conflict(N_("The session has been cancelled."))
        return session, event

    @staticmethod
    def _point(s: Session, point_id: str) -> str:
        point = s.get(ServicePoint, point_id)
        if point is None:
            raise ValidationFailed({"service_point_id": N_("Choose the service point.")})
        return point.id

    @staticmethod
    def _organisers(s: Session, ids: Iterable[str], actor: Actor) -> str:
        wanted = list(dict.fromkeys(i for i in ids if i)) or [actor.staff_id]
        known = set(s.scalars(select(Staff.id).where(Staff.id.in_(wanted),
                                                     Staff.deleted_at.is_(None))))
        if any(i not in known for i in wanted):
            raise ValidationFailed({"organiser_ids": N_("Choose the organisers among the "
                                                        "staff.")})
        return ",".join(wanted)

    @staticmethod
    def _employer(s: Session, employer_id: str) -> str | None:
        if not employer_id:
            return None
        employer = s.get(Employer, employer_id)
        if employer is None or employer.deleted_at is not None:
            raise ValidationFailed({"employer_id": N_("The employer was not found.")})
        return employer.id

    @staticmethod
    def _check_rooms(s: Session, point: str, checked: _Checked) -> None:
        errors = {}
        for index, (_starts, _ends, room_id, _link) in enumerate(checked.sessions, 1):
            if not room_id:
                continue
            room = s.get(Room, room_id)
            if room is None or room.deleted_at is not None or not room.active:
                errors[f"session:{index}"] = N_("The room no longer exists: choose another.")
            elif room.service_point_id != point:
                errors[f"session:{index}"] = N_("Choose a room of the event's service "
                                                "point.")
            elif checked.capacity is not None and checked.capacity > room.seats:
                errors[f"session:{index}"] = N_("The room has fewer seats than the event's "
                                                "capacity: choose a larger room or lower "
                                                "the capacity.")
        if errors:
            raise ValidationFailed(errors)

    @staticmethod
    def _apply(event: Event, checked: _Checked, organisers: str, employer_id: str | None,
               annual: bool) -> None:
        event.title, event.description = checked.title, checked.description
        event.language, event.capacity = checked.language, checked.capacity
        event.target_groups, event.organiser_ids = checked.target_groups, organisers
        event.external_organisers, event.employer_id = checked.external_organisers, employer_id
        event.online_link, event.annual = checked.online_link, bool(annual)

    def _may_change(self, event: Event) -> None:
        """An event is changed at its service point, by its organisers, or by those who
        see all (as the centre's policy: a coach elsewhere cannot take over an event)."""
        actor = self.ctx.signed_in
        if (event.service_point_id == actor.service_point_id
                or actor.staff_id in _split(event.organiser_ids)
                or caseload.sees_all(actor.role)):
            return
        raise PermissionDenied(N_("Only the event's organisers and the staff of its service "
                                  "point may change it."))

    def _may_list(self, s: Session, event: Event, customer_id: str,
                  known: bool = False) -> None:
        """Whether the worker may put the customer on the event's list: the event's
        service point (the desk checks people in), its organisers, or whoever may see the
        customer (as the centre's policy on event_participant)."""
        actor = self.ctx.signed_in
        if not known:
            live_customer(s, customer_id)
        if (event.service_point_id == actor.service_point_id
                or actor.staff_id in _split(event.organiser_ids)
                or caseload.sees_all(actor.role)):
            return
        if s.get(Customer, customer_id) is not None and _visible(
                actor, case_access.case_of(s, customer_id)):
            return
        raise PermissionDenied(N_("This customer is not one you may put on the list of an "
                                  "event of another service point."))

    @staticmethod
    def _invite_reads(s: Session, event_id: str, ids: list[str]
                      ) -> tuple[dict[str, caseload.Case], dict[str, EventParticipant]]:
        """The live customers among `ids` with whose case they are (their coach, the
        coach's team, their point), and their participant rows of the event (tombstoned
        too), read in chunks below SQLite's bound-parameter limit."""
        cases: dict[str, caseload.Case] = {}
        found: dict[str, EventParticipant] = {}
        coach = aliased(Staff)
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for cid, coach_id, team_id, point_id in s.execute(
                    select(Customer.id, Customer.coach_id, coach.team_id,
                           Customer.service_point_id)
                    .outerjoin(coach, coach.id == Customer.coach_id)
                    .where(Customer.id.in_(chunk), Customer.deleted_at.is_(None))):
                cases[cid] = caseload.Case(coach_id, team_id if coach_id else None, point_id)
            pids = {participant_id(event_id, cid): cid for cid in chunk}
            for row in s.scalars(select(EventParticipant).where(
                    EventParticipant.id.in_(list(pids)))):
                found[pids[row.id]] = row
        return cases, found

    @staticmethod
    def _participant_row(s: Session, event: Event, customer_id: str,
                         found: EventParticipant | None, looked_up: bool = False
                         ) -> EventParticipant:
        """The participant row of the customer (its id from the event and the customer):
        the one that exists, also tombstoned, else a new one (`looked_up`: `found` is
        already the answer, none means none)."""
        pid = participant_id(event.id, customer_id)
        p = found if found is not None or looked_up else s.get(EventParticipant, pid)
        if p is None:
            p = EventParticipant(id=pid, event_id=event.id, customer_id=customer_id,
                                 service_point_id=event.service_point_id,
                                 status=ParticipantStatus.INVITED)
            s.add(p)
        p.deleted_at = None
        p.service_point_id = event.service_point_id
        return p

    def _one(self, s: Session, event_id: str, customer_id: str,
             on_day: date | None = None) -> ParticipantRow:
        s.flush()
        for row in self._participants(s, event_id, on_day):
            if row.customer_id == customer_id:
                return row
        raise NotFound(N_("The customer is not on the event's list."))

    @staticmethod
    def _participants(s: Session, event_id: str, on_day: date | None
                      ) -> list[ParticipantRow]:
        rows = s.execute(
            select(EventParticipant, Customer.last_name, Customer.first_names,
                   Customer.customer_number, Customer.language)
            .outerjoin(Customer, and_(Customer.id == EventParticipant.customer_id,
                                      Customer.deleted_at.is_(None)))
            .where(EventParticipant.event_id == event_id,
                   EventParticipant.deleted_at.is_(None))).all()
        attendance = s.execute(
            select(EventAttendance.customer_id, EventSession.starts_at)
            .join(EventSession, EventSession.id == EventAttendance.session_id)
            .where(EventAttendance.event_id == event_id, EventAttendance.attended.is_(True),
                   EventAttendance.deleted_at.is_(None), EventSession.deleted_at.is_(None))
        ).all()
        attended = Counter(cid for cid, _start in attendance)
        today = {cid for cid, start in attendance
                 if on_day is not None and local_minute(start)[0] == on_day}
        far = datetime.max.replace(tzinfo=UTC)
        ordered = sorted(rows, key=lambda r: (STATUS_ORDER[r[0].status],
                                              r[0].registered_at or far,
                                              r[0].invited_at or far, r[0].id))
        out, position = [], 0
        for p, last, first, number, language in ordered:
            waiting = None
            if p.status is ParticipantStatus.WAITING:
                position += 1
                waiting = position
            out.append(ParticipantRow(
                p.id, p.event_id, p.customer_id, f"{last}, {first}" if last else "",
                number or "", language or "", p.status.value, p.registered_at, waiting,
                attended.get(p.customer_id, 0), p.customer_id in today))
        return out

    @staticmethod
    def _spans(s: Session, ids: Sequence[str]
               ) -> dict[str, tuple[datetime | None, datetime | None, int]]:
        if not ids:
            return {}
        return {eid: (_aware(first), _aware(last), n) for eid, first, last, n in s.execute(
            select(EventSession.event_id, func.min(EventSession.starts_at),
                   func.max(EventSession.ends_at), func.count())
            .where(EventSession.event_id.in_(ids), EventSession.deleted_at.is_(None))
            .group_by(EventSession.event_id))}

    @staticmethod
    def _session_counts(s: Session, ids: Iterable[str]) -> dict[str, int]:
        wanted = list(ids)
        if not wanted:
            return {}
        return dict(s.execute(
            select(EventSession.event_id, func.count())
            .where(EventSession.event_id.in_(wanted), EventSession.deleted_at.is_(None))
            .group_by(EventSession.event_id)).all())

    def _rows(self, s: Session, events: Sequence[Event]) -> list[EventRow]:
        ids = [e.id for e in events]
        if not ids:
            return []
        spans = self._spans(s, ids)
        counts: dict[tuple[str, ParticipantStatus], int] = {
            (eid, status): n for eid, status, n in s.execute(
                select(EventParticipant.event_id, EventParticipant.status, func.count())
                .where(EventParticipant.event_id.in_(ids),
                       EventParticipant.deleted_at.is_(None))
                .group_by(EventParticipant.event_id, EventParticipant.status))}
        points = dict(s.execute(select(ServicePoint.id, ServicePoint.name)).all())
        staff = dict(s.execute(select(Staff.id, Staff.full_name)).all())
        out = []
        for e in events:
            first, last, n = spans.get(e.id, (None, None, 0))
            out.append(EventRow(
                e.id, e.service_point_id, points.get(e.service_point_id, ""), e.kind.value,
                e.status.value, e.title, e.language, e.capacity, first, last, n,
                counts.get((e.id, ParticipantStatus.REGISTERED), 0),
                counts.get((e.id, ParticipantStatus.WAITING), 0),
                counts.get((e.id, ParticipantStatus.INVITED), 0),
                tuple(staff[i] for i in _split(e.organiser_ids) if i in staff), e.annual))
        return out

    def _detail(self, s: Session, event: Event) -> EventDetail:
        s.flush()
        row = self._rows(s, [event])[0]
        attended = dict(s.execute(
            select(EventAttendance.session_id, func.count())
            .where(EventAttendance.event_id == event.id, EventAttendance.attended.is_(True),
                   EventAttendance.deleted_at.is_(None))
            .group_by(EventAttendance.session_id)).all())
        room_names = dict(s.execute(select(Room.id, Room.name).where(
            Room.service_point_id == event.service_point_id)).all())
        sessions = tuple(
            SessionRow(x.id, x.event_id, x.number, x.starts_at, x.ends_at, x.room_id,
                       room_names.get(x.room_id, "") if x.room_id else "",
                       x.online_link or event.online_link or "", x.cancelled,
                       attended.get(x.id, 0))
            for x in _live_sessions(s, event.id))
        employer = s.get(Employer, event.employer_id) if event.employer_id else None
        return EventDetail(row, event.description or "", _split(event.target_groups),
                           _split(event.organiser_ids), event.external_organisers or "",
                           event.employer_id, employer.name if employer else "",
                           event.online_link or "", event.cancel_reason or "", sessions)

    @staticmethod
    def _facts(s: Session, actor: Actor, ids: list[str], now: datetime) -> dict:
        """The caseload list's facts (statutory_clock_facts.gather) of `ids`: the case
        facts only for those whose case facts the worker may read."""
        facts: dict = {}
        if not ids:
            return facts
        worker = case_access.worker(actor)
        reads = allowed(actor.role, Permission.CASE_FACTS)
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            readable: list[str] = []
            others: list[str] = []
            if reads:
                teams = dict(s.execute(select(Staff.id, Staff.team_id)).all())
                for cid, coach, point in s.execute(
                        select(Customer.id, Customer.coach_id, Customer.service_point_id)
                        .where(Customer.id.in_(chunk))):
                    case = caseload.Case(coach, teams.get(coach) if coach else None, point)
                    (readable if caseload.may_read(worker, case, Permission.CASE_FACTS)
                     else others).append(cid)
            else:
                others = chunk
            for group, with_facts in ((readable, True), (others, False)):
                if group:
                    facts.update(gather(s, select(Customer.id).where(Customer.id.in_(group)),
                                        now, case_facts=with_facts))
        return facts

    @staticmethod
    def _theme(s: Session, theme_id: str) -> AnnualTheme:
        theme = s.get(AnnualTheme, theme_id)
        if theme is None or theme.deleted_at is not None:
            raise NotFound(N_("The theme was not found."))
        return theme

    @staticmethod
    def _theme_row(s: Session, theme: AnnualTheme) -> ThemeRow:
        point = s.get(ServicePoint, theme.service_point_id) if theme.service_point_id \
            else None
        return ThemeRow(theme.id, theme.year, theme.month, theme.title,
                        theme.description or "", theme.service_point_id,
                        point.name if point else "")

    @staticmethod
    def _themes(s: Session, year: int, service_point_id: str | None) -> list[ThemeRow]:
        stmt = (select(AnnualTheme, ServicePoint.name)
                .outerjoin(ServicePoint, ServicePoint.id == AnnualTheme.service_point_id)
                .where(AnnualTheme.year == year, AnnualTheme.deleted_at.is_(None))
                .order_by(AnnualTheme.month, AnnualTheme.starts_on, AnnualTheme.title,
                          AnnualTheme.id))
        if service_point_id:
            stmt = stmt.where(or_(AnnualTheme.service_point_id.is_(None),
                                  AnnualTheme.service_point_id == service_point_id))
        return [ThemeRow(t.id, t.year, t.month, t.title, t.description or "",
                         t.service_point_id, point or "") for t, point in s.execute(stmt)]


def session_day(session: EventSession) -> date:
    return local_minute(session.starts_at)[0]


def _aware(value: datetime | str | None) -> datetime | None:
    """min()/max() of a time column come back as stored (SQLite: text, naive UTC)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _row_order(row: EventRow) -> tuple:
    far = datetime.max.replace(tzinfo=UTC)
    return (row.starts_at or far, row.title, row.id)


def _check_theme(data: ThemeInput) -> tuple[int, int, str, str | None, str | None]:
    errors: dict[str, str] = {}
    year = month = 0
    typed_year, typed_month = (data.year or "").strip(), (data.month or "").strip()
    if not typed_year.isdigit() or not 2000 <= int(typed_year) <= 2100:
        errors["year"] = N_("Give the year, e.g. 2027.")
    else:
        year = int(typed_year)
    if not typed_month.isdigit() or not 1 <= int(typed_month) <= 12:
        errors["month"] = N_("Choose the month.")
    else:
        month = int(typed_month)
    title = nfc(data.title)
    if not title:
        errors["title"] = N_("Give the theme a title.")
    elif len(title) > TITLE_LIMIT:
        errors["title"] = N_("At most 200 characters.")
    description = (data.description or "").strip()
    if len(description) > DESCRIPTION_LIMIT:
        errors["description"] = N_("At most 4000 characters.")
    for key, message in text_guard.field_errors(
            AnnualTheme, {"title": title, "description": description}).items():
        errors.setdefault(key, message)
    if errors:
        raise ValidationFailed(errors)
    return year, month, title, description or None, data.service_point_id or None
