"""What a worker sees and decides of synchronisation: conflicts to resolve, changes the
central database rejected, and the state shown in the status bar.

Outbox entries are their authors' (ARCHITECTURE.md, "Whose changes a session sends"):
a worker sees and settles only their own; of the others' only counts, and a team lead
exports (and may then discard) what staff who have left never sent."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, and_, func, not_, or_, select
from sqlalchemy.orm import Session

from app.i18n import N_, _
from app.models import Base, OutboxEntry, Staff, SyncConflict
from app.rules.codes import Role
from app.rules.permissions import Permission, allowed
from app.services.context import AppContext
from app.services.errors import NotFound, PermissionDenied, ServiceError
from app.sync.push import Authors, by_authors
from app.sync.values import decode, to_json

if TYPE_CHECKING:
    from app.sync.engine import SyncEngine


@dataclass(frozen=True)
class ConflictRow:
    id: str
    table_name: str
    row_id: str
    record_label: str
    field: str
    central_value: str
    client_value: str
    client_node: str
    created_at: datetime


@dataclass(frozen=True)
class RejectedRow:
    seq: int
    table_name: str
    row_id: str
    fields: str
    reason: str
    status: str
    created_at: datetime


@dataclass(frozen=True)
class SyncCounts:
    pending: int  # what this session sends (its worker's and nobody's)
    conflicts: int
    rejected: int  # the worker's own refused changes (see SyncService.rejected)
    others: int = 0  # other workers' changes waiting for them to sign in online


@dataclass(frozen=True)
class OthersWaiting:
    """Other workers' changes on this workstation, counted only (no content)."""

    users: int  # how many other workers have changes waiting
    changes: int
    oldest: datetime | None  # when the oldest of them was made
    refused: int  # the others' refused changes: counted for team leads only, else 0
    orphaned: int  # changes of staff who have left: team leads only, else 0


@dataclass(frozen=True)
class OrphanedChange:
    """A change made here by a staff member who has left: who, what kind, when."""

    seq: int
    author: str  # the username (the staff id if the workstation does not know it)
    table_name: str
    row_id: str
    status: str
    created_at: datetime


@dataclass(frozen=True)
class OrphanExport:
    path: Path
    seqs: tuple[int, ...]


# The right a worker needs to put a workstation's value back into such a record.
WRITES = {"event": Permission.EVENT_EDIT, "event_session": Permission.EVENT_EDIT,
          "room": Permission.STAFF_MANAGE, "appointment": Permission.APPOINTMENT_BOOK,
          "employer": Permission.EMPLOYER_EDIT, "vacancy": Permission.EMPLOYER_EDIT}


def _shown(value_json: str | None) -> str:
    value = json.loads(value_json) if value_json else None
    return "–" if value in (None, "") else str(value)


class SyncService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def engine(self, central_url: str, service_point: str | None = None) -> SyncEngine:
        """The headless sync engine between this workstation's database and the central
        one at `central_url`, scoped to `service_point` (None: the configured one). The
        desk's sync controller and the CLI run it; the database stays in here."""
        from app.sync.engine import SyncEngine, central_engine  # the central driver: online only

        clock = self.ctx.clock
        return SyncEngine(self.ctx.engine, central_engine(central_url), clock.node,
                          service_point, observe=clock.observe,
                          authors=self.pushed_by(central_url))

    def pushed_by(self, central_url: str) -> Authors:
        """Whose outbox entries a sync over `central_url` sends (None: everyone's).

        The signed-in worker's own URL (their username in it: the session's sync, see
        AuthService.session_url): their entries and those of no author (setup, the kiosk).
        Otherwise a URL with a password is the development set-up, one shared account
        (tests, the demo; its sync starts before anyone signs in): everyone's, as before.
        A URL without one (the CLI, with the password from libpq's own sources): the
        entries of the staff member it names, and those of no author."""
        from sqlalchemy.engine import make_url

        from app.sync import central_login

        username = make_url(central_url).username
        actor = self.ctx.actor
        if actor is not None and username == actor.username:
            return frozenset({actor.staff_id, None})
        if central_login.has_credentials(central_url):
            return None
        with self.ctx.reading() as s:
            staff_id = s.scalar(select(Staff.id).where(Staff.username == username)) \
                if username else None
        return frozenset({staff_id, None})

    def _sends(self) -> Collection[str | None] | None:
        """The entries this session sends (None: no one signed in, all)."""
        actor = self.ctx.actor
        return None if actor is None else {actor.staff_id, None}

    def _owns(self) -> Collection[str | None]:
        """The entries the signed-in worker may see and settle: their own; a team lead's
        also those of no author (the workstation's: setup, the kiosk's feedback)."""
        actor = self.ctx.signed_in
        if allowed(actor.role, Permission.CASELOAD_MANAGE):
            return {actor.staff_id, None}
        return {actor.staff_id}

    def counts(self) -> SyncCounts:
        sends = self._sends()
        pending_: ColumnElement[bool] = OutboxEntry.status == "pending"
        mine = (pending_ if sends is None
                else and_(pending_, by_authors(OutboxEntry.author, sends)))
        problems = OutboxEntry.status != "pending"
        if self.ctx.actor is not None:
            problems = and_(problems, by_authors(OutboxEntry.author, self._owns()))
        with self.ctx.reading() as s:
            pending = _count(s, mine)
            rejected = _count(s, problems)
            others = 0 if sends is None else _count(s, and_(pending_, not_(mine)))
            conflicts = s.scalar(select(func.count()).select_from(SyncConflict).where(
                SyncConflict.status == "open")) or 0
        return SyncCounts(pending, conflicts, rejected, others)

    def others(self) -> OthersWaiting:
        """Other workers' changes waiting here, counted: they go to the centre when their
        author signs in online on this workstation, with the author's own rights."""
        actor = self.ctx.require(Permission.SYNC_RUN)
        lead = allowed(actor.role, Permission.CASELOAD_MANAGE)
        theirs = and_(OutboxEntry.author.is_not(None), OutboxEntry.author != actor.staff_id)
        waiting = and_(theirs, OutboxEntry.status == "pending")
        with self.ctx.reading() as s:
            users, changes, oldest = s.execute(
                select(func.count(OutboxEntry.author.distinct()), func.count(),
                       func.min(OutboxEntry.created_at)).where(waiting)).one()
            refused = _count(s, and_(theirs, OutboxEntry.status != "pending")) if lead else 0
            orphaned = len(_orphans(s)) if lead else 0
        return OthersWaiting(users, changes, oldest, refused, orphaned)

    def conflicts(self) -> list[ConflictRow]:
        actor = self.ctx.require(Permission.SYNC_RUN)
        if actor.role is Role.PARTNER:
            # A partner's account (#24) resolves nothing and sees no one's conflicts: they
            # name customers and carry values beyond any consent.
            return []
        with self.ctx.reading() as s:
            rows = s.scalars(select(SyncConflict).where(SyncConflict.status == "open")
                             .order_by(SyncConflict.updated_at))
            return [ConflictRow(c.id, c.table_name, c.row_id, _record_label(s, c),
                                c.field, _value(s, c.field, c.central_value),
                                _value(s, c.field, c.client_value),
                                c.client_node, c.updated_at) for c in rows]

    def resolve(self, conflict_id: str, keep: str) -> None:
        """Keep the central value ("central") or put the desk's value back ("client").
        Either way the choice is audited and travels to every desk."""
        if keep not in ("central", "client"):
            raise ServiceError(N_("Choose which value to keep."))
        with self.ctx.transaction(Permission.SYNC_RUN) as s:
            conflict = s.get(SyncConflict, conflict_id)
            if conflict is None or conflict.status != "open":
                raise NotFound(N_("The conflict was already resolved."))
            if keep == "client":
                # Putting the workstation's value back is a write of the row: only for
                # those who may write it (else the push would be refused centrally).
                needed = WRITES.get(conflict.table_name)
                if needed is not None and not allowed(self.ctx.signed_in.role, needed):
                    raise PermissionDenied(N_("You may not change this record: keep the "
                                              "central value, or ask its organiser."))
                model = _model(conflict.table_name)
                row = s.get(model, conflict.row_id)
                if row is None:
                    raise NotFound(N_("The record no longer exists on this workstation."))
                table = Base.metadata.tables[conflict.table_name]
                value = decode(table, {conflict.field: json.loads(conflict.client_value or "null")})
                if conflict.field == "room_id" and value[conflict.field]:
                    # The room the desk booked, back only if it is free (#21): a clash
                    # is refused naming what holds the room now.
                    from app.services.rooms import require_free

                    require_free(s, value[conflict.field], getattr(row, "starts_at"),  # noqa: B009
                                 getattr(row, "ends_at"), exclude_id=conflict.row_id)  # noqa: B009
                setattr(row, conflict.field, value[conflict.field])
            conflict.status, conflict.resolution = "resolved", keep
            conflict.resolved_by = self.ctx.signed_in.staff_id
            conflict.resolved_at = self.ctx.now()
            self.ctx.audit(s, "sync.resolve", conflict.table_name, conflict.row_id,
                           {"field": conflict.field, "kept": keep})

    def rejected(self) -> list[RejectedRow]:
        """The signed-in worker's own refused changes (a team lead's also the
        workstation's); of the others' only `others().refused` counts them."""
        self.ctx.require(Permission.SYNC_RUN)
        with self.ctx.reading() as s:
            rows = s.scalars(select(OutboxEntry).where(
                OutboxEntry.status != "pending", by_authors(OutboxEntry.author, self._owns()))
                .order_by(OutboxEntry.seq))
            return [RejectedRow(e.seq, e.table_name, e.row_id, e.fields,
                                e.last_error or "", e.status, e.created_at) for e in rows]

    def _own_refused(self, s: Session, seq: int) -> OutboxEntry:
        entry = s.get(OutboxEntry, seq)
        if (entry is None or entry.status == "pending"
                or entry.author not in self._owns()):
            raise NotFound(N_("The change is no longer waiting."))
        return entry

    def retry(self, seq: int) -> None:
        """Send a refused change again under a new mutation id: the centre judges it
        afresh. Corrected here since, it goes with the record's current values."""
        with self.ctx.transaction(Permission.SYNC_RUN) as s:
            entry = self._own_refused(s, seq)
            entry.fields = _as_now(s, entry)
            entry.mutation_id = str(uuid.uuid4())
            entry.status, entry.attempts, entry.last_error = "pending", 0, None
            self.ctx.audit(s, "sync.retry", entry.table_name, entry.row_id)

    def discard(self, seq: int) -> None:
        """Give up a rejected change; what it said stays in the audit trail."""
        with self.ctx.transaction(Permission.SYNC_RUN) as s:
            entry = self._own_refused(s, seq)
            self.ctx.audit(s, "sync.discard", entry.table_name, entry.row_id,
                           {"fields": json.loads(entry.fields), "reason": entry.last_error})
            s.delete(entry)

    # --- changes of staff who have left: a team lead's ------------------------------

    def orphaned(self) -> list[OrphanedChange]:
        """Changes made here by staff who have left (inactive, removed, unknown): they
        can never be sent with their author's role. What they are, not what they say."""
        self.ctx.require(Permission.CASELOAD_MANAGE)
        with self.ctx.reading() as s:
            return [OrphanedChange(e.seq, username or e.author or "", e.table_name,
                                   e.row_id, e.status, e.created_at)
                    for e, username in _orphans(s)]

    def export_orphaned(self, path: Path) -> OrphanExport:
        """Write the changes of staff who have left, whole, to `path` (JSON), for the
        record or to be redone by hand; the export is audited."""
        with self.ctx.transaction(Permission.CASELOAD_MANAGE) as s:
            orphans = _orphans(s)
            document = [{
                "seq": e.seq, "mutation_id": e.mutation_id, "author": e.author,
                "author_username": username, "table_name": e.table_name,
                "row_id": e.row_id, "op": e.op, "fields": json.loads(e.fields),
                "base_values": json.loads(e.base_values or "{}"),
                "base_version": e.base_version, "hlc": e.hlc,
                "created_at": e.created_at.isoformat(), "status": e.status,
                "last_error": e.last_error} for e, username in orphans]
            with open(path, "w", encoding="utf-8") as out:
                json.dump(document, out, ensure_ascii=False, indent=2)
                out.flush()
                os.fsync(out.fileno())
            seqs = tuple(e.seq for e, _username in orphans)
            self.ctx.audit(s, "sync.export_orphaned", "outbox", None,
                           {"count": len(seqs), "file": Path(path).name})
        return OrphanExport(Path(path), seqs)

    def discard_orphaned(self, export: OrphanExport) -> int:
        """Discard what `export` wrote to its file (and only that, still orphaned): a
        change of someone else is never dropped without its copy."""
        try:
            with open(export.path, encoding="utf-8") as saved:
                exported = {item["seq"] for item in json.load(saved)}
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ServiceError(N_("Export the changes to a file first.")) from exc
        with self.ctx.transaction(Permission.CASELOAD_MANAGE) as s:
            gone = [e for e, _username in _orphans(s)
                    if e.seq in exported and e.seq in export.seqs]
            for entry in gone:
                s.delete(entry)
            if gone:
                self.ctx.audit(s, "sync.discard_orphaned", "outbox", None,
                               {"count": len(gone), "file": export.path.name})
            return len(gone)


def _count(s: Session, condition: ColumnElement[bool]) -> int:
    return s.scalar(select(func.count()).select_from(OutboxEntry).where(condition)) or 0


def _orphans(s: Session) -> list[tuple[OutboxEntry, str | None]]:
    """Entries whose author has left: no longer an active staff member here."""
    rows = s.execute(
        select(OutboxEntry, Staff.username)
        .outerjoin(Staff, Staff.id == OutboxEntry.author)
        .where(OutboxEntry.author.is_not(None),
               or_(Staff.id.is_(None), Staff.active.is_(False), Staff.deleted_at.is_not(None)))
        .order_by(OutboxEntry.seq)).all()
    return [(entry, username) for entry, username in rows]


def _as_now(s: Session, entry: OutboxEntry) -> str:
    """The entry's fields with the record's current values when its author changed the
    record again since (a correction): a refused change then goes as corrected. As it
    was otherwise: when nobody changed the record here since (a pull may have put the
    central values back), or someone else did (their values go in their own entries)."""
    later = s.scalars(select(OutboxEntry.author).where(
        OutboxEntry.table_name == entry.table_name, OutboxEntry.row_id == entry.row_id,
        OutboxEntry.seq > entry.seq)).all()
    table = Base.metadata.tables.get(entry.table_name)
    if table is None or not later or any(author != entry.author for author in later):
        return entry.fields
    row = s.execute(select(table).where(table.c.id == entry.row_id)).mappings().first()
    if row is None:
        return entry.fields
    fields = json.loads(entry.fields)
    for key in fields:
        if key in table.c and key not in ("updated_at", "updated_by"):
            fields[key] = to_json(row[key])
    return json.dumps(fields, ensure_ascii=False, sort_keys=True)


def _model(table_name: str) -> type[Base]:
    for mapper in Base.registry.mappers:
        if mapper.class_.__tablename__ == table_name:
            return mapper.class_
    raise NotFound(N_("Unknown kind of record."))


def _value(s: Session, field: str, value_json: str | None) -> str:
    """A conflicting value as shown: a room by its name (#21), else as stored."""
    if field == "room_id":
        from app.models import Room

        room_id = json.loads(value_json) if value_json else None
        if not room_id:
            return _("No room")
        room = s.get(Room, room_id)
        return room.name if room is not None else str(room_id)[:8]
    return _shown(value_json)


def _when(instant: datetime) -> str:
    from app.i18n import HELSINKI, format_date

    local = instant.astimezone(HELSINKI)
    return f"{format_date(local.date())} {local.hour}.{local.minute:02d}"


def _record_label(s, conflict: SyncConflict) -> str:
    """Which record, in words a worker recognises (a customer's name, a ticket code, an
    appointment's time and type, an event's title and time)."""
    from app.models import (
        Appointment,
        Customer,
        Employer,
        Event,
        EventSession,
        QueueTicket,
        Vacancy,
    )
    from app.rules.codes import APPOINTMENT_LABELS
    from app.rules.queue import format_ticket

    if conflict.table_name == "appointment":
        appointment = s.get(Appointment, conflict.row_id)
        if appointment is not None:
            return f"{_when(appointment.starts_at)} {_(APPOINTMENT_LABELS[appointment.type])}"
    if conflict.table_name == "event_session":
        session = s.get(EventSession, conflict.row_id)
        event = s.get(Event, session.event_id) if session is not None else None
        if session is not None and event is not None:
            return f"{event.title}, {_when(session.starts_at)}"

    if conflict.table_name == "customer":
        customer = s.get(Customer, conflict.row_id)
        if customer is not None:
            return f"{customer.last_name}, {customer.first_names}"
    if conflict.table_name == "employer":  # an organisation: its name is no one's
        employer = s.get(Employer, conflict.row_id)
        if employer is not None:
            return employer.name
    if conflict.table_name == "vacancy":
        vacancy = s.get(Vacancy, conflict.row_id)
        if vacancy is not None:
            return vacancy.title
    if conflict.table_name == "queue_ticket":
        ticket = s.get(QueueTicket, conflict.row_id)
        if ticket is not None:
            return format_ticket(ticket.letter, ticket.number)
    return conflict.row_id[:8]
