"""What a worker sees and decides of synchronisation: conflicts to resolve, changes the
central database rejected, and the state shown in the status bar."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from app.i18n import N_
from app.models import Base, OutboxEntry, SyncConflict
from app.rules.permissions import Permission
from app.services.context import AppContext
from app.services.errors import NotFound, ServiceError
from app.sync.values import decode

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
    pending: int
    conflicts: int
    rejected: int


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
                          service_point, observe=clock.observe)

    def counts(self) -> SyncCounts:
        with self.ctx.reading() as s:
            pending = s.scalar(select(func.count()).select_from(OutboxEntry).where(
                OutboxEntry.status == "pending")) or 0
            problems = s.scalar(select(func.count()).select_from(OutboxEntry).where(
                OutboxEntry.status != "pending")) or 0
            conflicts = s.scalar(select(func.count()).select_from(SyncConflict).where(
                SyncConflict.status == "open")) or 0
        return SyncCounts(pending, conflicts, problems)

    def conflicts(self) -> list[ConflictRow]:
        self.ctx.require(Permission.SYNC_RUN)
        with self.ctx.reading() as s:
            rows = s.scalars(select(SyncConflict).where(SyncConflict.status == "open")
                             .order_by(SyncConflict.updated_at))
            return [ConflictRow(c.id, c.table_name, c.row_id, _record_label(s, c),
                                c.field, _shown(c.central_value), _shown(c.client_value),
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
                model = _model(conflict.table_name)
                row = s.get(model, conflict.row_id)
                if row is None:
                    raise NotFound(N_("The record no longer exists on this workstation."))
                table = Base.metadata.tables[conflict.table_name]
                value = decode(table, {conflict.field: json.loads(conflict.client_value or "null")})
                setattr(row, conflict.field, value[conflict.field])
            conflict.status, conflict.resolution = "resolved", keep
            conflict.resolved_by = self.ctx.signed_in.staff_id
            conflict.resolved_at = self.ctx.now()
            self.ctx.audit(s, "sync.resolve", conflict.table_name, conflict.row_id,
                           {"field": conflict.field, "kept": keep})

    def rejected(self) -> list[RejectedRow]:
        self.ctx.require(Permission.SYNC_RUN)
        with self.ctx.reading() as s:
            rows = s.scalars(select(OutboxEntry).where(OutboxEntry.status != "pending")
                             .order_by(OutboxEntry.seq))
            return [RejectedRow(e.seq, e.table_name, e.row_id, e.fields,
                                e.last_error or "", e.status, e.created_at) for e in rows]

    def retry(self, seq: int) -> None:
        with self.ctx.transaction(Permission.SYNC_RUN) as s:
            entry = s.get(OutboxEntry, seq)
            if entry is None:
                raise NotFound(N_("The change is no longer waiting."))
            entry.status, entry.attempts = "pending", 0
            self.ctx.audit(s, "sync.retry", entry.table_name, entry.row_id)

    def discard(self, seq: int) -> None:
        """Give up a rejected change; what it said stays in the audit trail."""
        with self.ctx.transaction(Permission.SYNC_RUN) as s:
            entry = s.get(OutboxEntry, seq)
            if entry is None:
                raise NotFound(N_("The change is no longer waiting."))
            self.ctx.audit(s, "sync.discard", entry.table_name, entry.row_id,
                           {"fields": json.loads(entry.fields), "reason": entry.last_error})
            s.delete(entry)


def _model(table_name: str) -> type[Base]:
    for mapper in Base.registry.mappers:
        if mapper.class_.__tablename__ == table_name:
            return mapper.class_
    raise NotFound(N_("Unknown kind of record."))


def _record_label(s, conflict: SyncConflict) -> str:
    """Which record, in words a worker recognises (a customer's name, a ticket code)."""
    from app.models import Customer, QueueTicket
    from app.rules.queue import format_ticket

    if conflict.table_name == "customer":
        customer = s.get(Customer, conflict.row_id)
        if customer is not None:
            return f"{customer.last_name}, {customer.first_names}"
    if conflict.table_name == "queue_ticket":
        ticket = s.get(QueueTicket, conflict.row_id)
        if ticket is not None:
            return format_ticket(ticket.letter, ticket.number)
    return conflict.row_id[:8]
